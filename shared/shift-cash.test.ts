import { describe, expect, it } from 'vitest';
import { countedCashMinor, EGP_DENOMINATIONS, expectedCashMinor } from './shift-cash';

describe('cash drawer arithmetic', () => {
  it('[SHIFT-04] expected cash is float + cash sales + cash tips + pay-ins − pay-outs − cash refunds', () => {
    expect(
      expectedCashMinor({ floatMinor: 50_000, cashSalesMinor: 12_768, cashTipsMinor: 1_000, payInMinor: 2_000, payOutMinor: 5_000, cashRefundMinor: 768 }),
    ).toBe(50_000 + 12_768 + 1_000 + 2_000 - 5_000 - 768);
  });

  it('[SHIFT-04] counted cash adds up notes and coins by denomination, piastre-exact', () => {
    expect(countedCashMinor({ '20000': 2, '500': 3, '25': 3 })).toBe(40_000 + 1_500 + 75);
    expect(countedCashMinor({})).toBe(0);
    expect(EGP_DENOMINATIONS.map((d) => d.valueMinor)).toEqual([20_000, 10_000, 5_000, 2_000, 1_000, 500, 100, 50, 25]);
  });
});
