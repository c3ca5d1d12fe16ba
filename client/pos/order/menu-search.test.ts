import { describe, expect, it } from 'vitest';
import type { MenuItem } from '../../../shared/schemas/catalog';
import { foldForSearch, searchMenu } from './menu-search';

const item = (id: string, nameEn: string, nameAr: string): MenuItem => ({
  id, categoryId: 'c', nameEn, nameAr, priceMinor: 100, station: 'hot', modifierGroupIds: [],
});
const menu = [
  item('mint-lemonade', 'Mint Lemonade', 'ليمون بالنعناع'),
  item('mint-tea', 'Tea with Mint', 'شاي بالنعناع'),
  item('macaroni', 'Macaroni Béchamel', 'مكرونة بشاميل'),
  item('om-ali', 'Om Ali', 'أم علي'),
  item('koshari', 'Koshari', 'كشري'),
];
const ids = (found: MenuItem[]) => found.map((i) => i.id);

describe('menu search [ENT-01]', () => {
  it('[ENT-01] finds by any part of the English name, best match first, menu order among equals', () => {
    expect(ids(searchMenu(menu, 'mint'))).toEqual(['mint-lemonade', 'mint-tea']);
    expect(ids(searchMenu(menu, 'tea'))).toEqual(['mint-tea']);
    expect(ids(searchMenu(menu, 'KOSH'))).toEqual(['koshari']);
    expect(ids(searchMenu(menu, 'ari'))).toEqual(['koshari']);
  });

  it('[ENT-01] every word must match, in either language', () => {
    expect(ids(searchMenu(menu, 'mint lem'))).toEqual(['mint-lemonade']);
    expect(ids(searchMenu(menu, 'mint نعناع'))).toEqual(['mint-lemonade', 'mint-tea']);
    expect(searchMenu(menu, 'mint pizza')).toEqual([]);
  });

  it('[ENT-01] folds accents and Arabic spellings (hamza, ة/ه, diacritics)', () => {
    expect(ids(searchMenu(menu, 'bechamel'))).toEqual(['macaroni']);
    expect(ids(searchMenu(menu, 'ام علي'))).toEqual(['om-ali']);
    expect(ids(searchMenu(menu, 'مكرونه'))).toEqual(['macaroni']);
    expect(ids(searchMenu(menu, 'كُشَري'))).toEqual(['koshari']);
    expect(foldForSearch('  Om-Ali! ')).toBe('om ali');
  });

  it('[ENT-01] an empty query matches nothing', () => {
    expect(searchMenu(menu, '   ')).toEqual([]);
  });
});
