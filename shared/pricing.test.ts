import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { changeDue, priceOrder } from './pricing';

const TAX = { vatRateBp: 1_400, serviceChargeRateBp: 1_200 };
const line = (id: string, unitPriceMinor: number, qty = 1, modifierPrices: number[] = []) => ({
  id,
  qty,
  unitPriceMinor,
  modifiers: modifierPrices.map((priceMinor, i) => ({
    groupId: 'g',
    optionId: `o${i}`,
    nameEn: 'x',
    nameAr: 'x',
    priceMinor,
  })),
});

describe('pricing', () => {
  it('[PRC-01] reproduces the ETA example: 100.00 → service 12.00 → VAT 15.68 → 127.68', () => {
    const priced = priceOrder([line('a', 10_000)], TAX, 'dine-in');
    expect(priced).toMatchObject({ subtotalMinor: 10_000, serviceMinor: 1_200, vatMinor: 1_568, totalMinor: 12_768 });
  });

  it('[PRC-02] charges no service on takeaway', () => {
    const priced = priceOrder([line('a', 10_000)], TAX, 'takeaway');
    expect(priced).toMatchObject({ serviceMinor: 0, vatMinor: 1_400, totalMinor: 11_400 });
  });

  it('[PRC-03] prices modifiers into the unit and multiplies by quantity', () => {
    const priced = priceOrder([line('a', 8_500, 2, [1_500, 0])], TAX, 'dine-in');
    expect(priced.subtotalMinor).toBe(20_000);
  });

  it('[PRC-04] totals are the sum of their parts, for any order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ price: fc.integer({ min: 0, max: 500_000 }), qty: fc.integer({ min: 1, max: 50 }) }), {
          maxLength: 40,
        }),
        fc.constantFrom('dine-in' as const, 'takeaway' as const),
        (raw, type) => {
          const priced = priceOrder(
            raw.map((r, i) => line(String(i), r.price, r.qty)),
            TAX,
            type,
          );
          expect(priced.subtotalMinor + priced.serviceMinor + priced.vatMinor).toBe(priced.totalMinor);
          expect(priced.lines.reduce((s, l) => s + l.totalMinor, 0)).toBe(priced.totalMinor);
        },
      ),
    );
  });

  it('gives change only when more is handed over than owed', () => {
    expect(changeDue(12_768, 20_000)).toBe(7_232);
    expect(changeDue(12_768, 10_000)).toBe(0);
  });
});
