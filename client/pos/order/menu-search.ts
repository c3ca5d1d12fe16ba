import type { MenuItem } from '../../../shared/schemas/catalog';

/**
 * Finding an item by typing part of its name, in English or Arabic. Arabic is typed many ways
 * (with or without hamza and diacritics, ة or ه, ى or ي), so both sides are folded to one
 * spelling before comparing; Latin accents are dropped ("bechamel" finds "Béchamel").
 */
export function foldForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '') // Latin combining accents
    .replace(/[\u064b-\u065f\u0670\u0640]/g, '') // Arabic diacritics and tatweel
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** How well a folded name matches: 0 starts with the query, 1 a word starts with it, 2 contains it. */
function rank(name: string, query: string): number | null {
  if (name.startsWith(query)) return 0;
  if (name.split(' ').some((word) => word.startsWith(query))) return 1;
  return name.includes(query) ? 2 : null;
}

/**
 * Items matching every word of the query, best matches first, menu order kept among equals.
 * An empty query matches nothing (the category tabs show the menu then).
 */
export function searchMenu(items: readonly MenuItem[], query: string): MenuItem[] {
  const words = foldForSearch(query).split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const scored: { item: MenuItem; score: number; index: number }[] = [];
  items.forEach((item, index) => {
    const names = [foldForSearch(item.nameEn), foldForSearch(item.nameAr)];
    let score = 0;
    for (const word of words) {
      const best = Math.min(...names.map((name) => rank(name, word) ?? Infinity));
      if (best === Infinity) return;
      score += best;
    }
    scored.push({ item, score, index });
  });
  return scored.sort((a, b) => a.score - b.score || a.index - b.index).map((s) => s.item);
}
