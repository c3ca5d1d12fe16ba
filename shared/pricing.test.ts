import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateByWeight, changeDue, priceOrder } from './pricing';

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

describe('discounts and voids', () => {
  const base = { qty: 1, modifiers: [] as never[] };
  const stamp = { reason: 'regular guest', by: 'mona', at: 1, approvedBy: null };

  it('[ORD-11] a voided line counts for nothing; a line discount comes off before service and VAT', () => {
    const priced = priceOrder(
      [
        { id: 'a', unitPriceMinor: 10_000, ...base, discount: { ...stamp, kind: 'percent', value: 1_000 } },
        { id: 'b', unitPriceMinor: 5_000, ...base, void: { ...stamp } },
      ],
      TAX,
      'dine-in',
    );
    // 100.00 − 10 % = 90.00 net → service 10.80 → VAT (90 + 10.80) × 14 % = 14.11
    expect(priced).toMatchObject({ subtotalMinor: 10_000, discountMinor: 1_000, serviceMinor: 1_080, vatMinor: 1_411, totalMinor: 11_491 });
    expect(priced.lines[1]).toMatchObject({ grossMinor: 0, netMinor: 0, totalMinor: 0 });
  });

  it('[ORD-12] an order discount is spread over the lines to the piastre, and never exceeds the bill', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50_000 }), { minLength: 1, maxLength: 8 }),
        fc.oneof(
          fc.record({ kind: fc.constant('amount' as const), value: fc.integer({ min: 1, max: 500_000 }) }),
          fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 1, max: 10_000 }) }),
        ),
        (prices, discount) => {
          const lines = prices.map((unitPriceMinor, i) => ({ id: `l${i}`, unitPriceMinor, ...base }));
          const priced = priceOrder(lines, TAX, 'takeaway', discount);
          const gross = prices.reduce((s, p) => s + p, 0);
          expect(priced.discountMinor).toBeLessThanOrEqual(gross);
          expect(priced.lines.every((l) => l.netMinor >= 0)).toBe(true);
          expect(priced.subtotalMinor - priced.discountMinor + priced.serviceMinor + priced.vatMinor).toBe(priced.totalMinor);
          if (discount.kind === 'amount') expect(priced.discountMinor).toBe(Math.min(discount.value, gross));
        },
      ),
    );
  });

  it('allocateByWeight always adds up to the amount', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 10 }), (amount, weights) => {
        expect(allocateByWeight(amount, weights).reduce((s, p) => s + p, 0)).toBe(amount);
      }),
    );
  });
});
