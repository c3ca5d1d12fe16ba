import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceOrder } from './pricing';
import { computeRefund, cumulativeShare, remainingUnits, type RefundableLine } from './refunds';

const TAX = { vatRateBp: 1400, serviceChargeRateBp: 1200 };

/** Settled lines as the pricing makes them (dine-in, with line and order discounts). */
const settledLines = fc
  .record({
    lines: fc.array(
      fc.record({
        qty: fc.integer({ min: 1, max: 12 }),
        unit: fc.integer({ min: 0, max: 50_000 }),
        discountBp: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
        isVoided: fc.boolean(),
      }),
      { minLength: 1, maxLength: 8 },
    ),
    orderDiscount: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: null }),
  })
  .map(({ lines, orderDiscount }) => {
    const pricing = lines.map((l, i) => ({
      id: `l${i}`, qty: l.qty, unitPriceMinor: l.unit, modifiers: [],
      void: l.isVoided ? { voided: true } : null,
      discount: l.discountBp === null ? null : { kind: 'percent' as const, value: l.discountBp },
    }));
    const priced = priceOrder(pricing, TAX, 'dine-in', orderDiscount === null ? null : { kind: 'percent', value: orderDiscount });
    const refundable: RefundableLine[] = priced.lines.map((p, i) => ({
      lineId: p.lineId, qty: lines[i]!.qty, netMinor: p.netMinor, serviceMinor: p.serviceMinor, vatMinor: p.vatMinor,
      totalMinor: p.totalMinor, refundedQty: 0, isVoided: lines[i]!.isVoided,
    }));
    return { refundable, orderTotal: priced.totalMinor };
  });

describe('refund amounts', () => {
  it('[REF-02] cumulative shares end exactly at the amount and never go down', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 1, max: 150 }), (amount, qty) => {
        let previous = 0;
        for (let k = 0; k <= qty; k++) {
          const share = cumulativeShare(amount, k, qty);
          expect(share).toBeGreaterThanOrEqual(previous);
          previous = share;
        }
        expect(cumulativeShare(amount, qty, qty)).toBe(amount);
      }),
    );
  });

  it('[REF-03] any sequence of partial refunds never exceeds what was paid, and refunding everything gives back exactly the total', () => {
    fc.assert(
      fc.property(settledLines, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 12 })), { maxLength: 30 }), ({ refundable, orderTotal }, steps) => {
        let lines = refundable.map((l) => ({ ...l }));
        let refunded = 0;
        for (const [pick, qty] of steps) {
          const open = remainingUnits(lines);
          if (open.length === 0) break;
          const target = open[pick % open.length]!;
          const asked = Math.min(qty, target.qty);
          const result = computeRefund(lines, [{ lineId: target.lineId, qty: asked }]);
          expect(result.ok).toBe(true);
          if (!result.ok) return;
          expect(result.value.totalMinor).toBeGreaterThanOrEqual(0);
          refunded += result.value.totalMinor;
          expect(refunded).toBeLessThanOrEqual(orderTotal);
          lines = lines.map((l) => (l.lineId === target.lineId ? { ...l, refundedQty: l.refundedQty + asked } : l));
        }
        const rest = remainingUnits(lines);
        if (rest.length > 0) {
          const last = computeRefund(lines, rest);
          expect(last.ok).toBe(true);
          if (last.ok) refunded += last.value.totalMinor;
        }
        expect(refunded).toBe(orderTotal);
      }),
    );
  });

  it('[REF-02] a refund of some lines is exactly their net, service and VAT', () => {
    const lines: RefundableLine[] = [
      { lineId: 'a', qty: 2, netMinor: 10_000, serviceMinor: 1_200, vatMinor: 1_568, totalMinor: 12_768, refundedQty: 0, isVoided: false },
      { lineId: 'b', qty: 3, netMinor: 9_000, serviceMinor: 1_080, vatMinor: 1_411, totalMinor: 11_491, refundedQty: 0, isVoided: false },
    ];
    const result = computeRefund(lines, [{ lineId: 'a', qty: 2 }, { lineId: 'b', qty: 1 }]);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ netMinor: 13_000, serviceMinor: 1_560, vatMinor: 2_038, totalMinor: 16_598 }),
    });
  });

  it('[REF-03] refuses more units than are left, voided lines, unknown and repeated lines', () => {
    const line: RefundableLine = { lineId: 'a', qty: 2, netMinor: 100, serviceMinor: 12, vatMinor: 16, totalMinor: 128, refundedQty: 1, isVoided: false };
    expect(computeRefund([line], [{ lineId: 'a', qty: 2 }])).toMatchObject({ ok: false, problem: { code: 'conflict' } });
    expect(computeRefund([{ ...line, isVoided: true }], [{ lineId: 'a', qty: 1 }])).toMatchObject({ ok: false });
    expect(computeRefund([line], [{ lineId: 'zz', qty: 1 }])).toMatchObject({ ok: false });
    expect(computeRefund([line], [{ lineId: 'a', qty: 1 }, { lineId: 'a', qty: 1 }])).toMatchObject({ ok: false });
    expect(computeRefund([line], [])).toMatchObject({ ok: false });
  });
});
