import type { Minor } from '../../shared/money';

/** Banknote-sized steps (EGP, in piastres) for the quick cash buttons. */
const ROUNDING_STEPS: readonly Minor[] = [10_00, 50_00, 100_00, 200_00];

/**
 * Round amounts a guest is likely to hand over for a bill: the bill rounded up to the next
 * 10, 50, 100 and 200 pounds (strictly above it), without duplicates; at most three.
 */
export function cashSuggestions(owed: Minor): Minor[] {
  const amounts = new Set<Minor>();
  for (const step of ROUNDING_STEPS) {
    // Strictly above the bill: the exact amount has its own button.
    amounts.add(Math.floor(owed / step) * step + step);
  }
  return [...amounts].sort((a, b) => a - b).slice(0, 3);
}
