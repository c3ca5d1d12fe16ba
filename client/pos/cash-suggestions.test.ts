import { describe, expect, it } from 'vitest';
import { cashSuggestions } from './cash-suggestions';

describe('cash suggestions', () => {
  it('rounds a bill up to the next 10, 50, 100 and 200 pounds without repeats', () => {
    expect(cashSuggestions(165_98)).toEqual([170_00, 200_00]);
    expect(cashSuggestions(127_68)).toEqual([130_00, 150_00, 200_00]);
  });

  it('never offers the exact amount (that has its own button) or less than the bill', () => {
    expect(cashSuggestions(100_00)).toEqual([110_00, 150_00, 200_00]);
    for (const owed of [1, 9_99, 49_99, 199_99, 1_234_56]) {
      for (const amount of cashSuggestions(owed)) expect(amount).toBeGreaterThan(owed);
    }
  });
});
