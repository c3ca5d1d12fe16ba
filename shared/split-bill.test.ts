import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sumMinor } from './money';
import { priceOrder } from './pricing';
import type { Payment } from './schemas/order';
import { makeTender, parsePartLabel, partProgress, splitBill, type SplitSpec } from './split-bill';

const TAX = { vatRateBp: 1_400, serviceChargeRateBp: 1_200 };

interface RawLine {
  price: number;
  qty: number;
  seat: number | null;
  voided: boolean;
  discountBp: number | null;
}

const rawLine = fc.record({
  price: fc.integer({ min: 0, max: 200_000 }),
  qty: fc.integer({ min: 1, max: 12 }),
  seat: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
  voided: fc.boolean(),
  discountBp: fc.option(fc.integer({ min: 1, max: 10_000 }), { nil: null }),
});

const stamp = { reason: 'r', by: 'sara', at: 1, approvedBy: null };

function build(raw: readonly RawLine[], type: 'dine-in' | 'takeaway', orderDiscountBp: number | null) {
  const lines = raw.map((r, i) => ({
    id: `l${i}`,
    qty: r.qty,
    unitPriceMinor: r.price,
    modifiers: [],
    seat: r.seat,
    void: r.voided ? stamp : null,
    discount: r.discountBp === null ? null : { kind: 'percent' as const, value: r.discountBp },
  }));
  const orderDiscount = orderDiscountBp === null ? null : { kind: 'percent' as const, value: orderDiscountBp };
  return { lines, priced: priceOrder(lines, TAX, type, orderDiscount) };
}

const order = fc.record({
  raw: fc.array(rawLine, { minLength: 1, maxLength: 25 }),
  type: fc.constantFrom('dine-in' as const, 'takeaway' as const),
  orderDiscountBp: fc.option(fc.integer({ min: 1, max: 5_000 }), { nil: null }),
});

/** Any split of an order with `lineCount` lines. */
const spec = (lineCount: number): fc.Arbitrary<SplitSpec> =>
  fc.oneof(
    fc.constant({ mode: 'whole' as const }),
    fc.integer({ min: 1, max: 20 }).map((shares) => ({ mode: 'equal' as const, shares })),
    fc.constant({ mode: 'seat' as const }),
    fc.integer({ min: 1, max: 8 }).chain((guests) =>
      fc
        .array(fc.option(fc.integer({ min: 1, max: guests }), { nil: null }), { minLength: lineCount, maxLength: lineCount })
        .map((owners) => ({
          mode: 'items' as const,
          guests,
          assignment: Object.fromEntries(owners.flatMap((g, i) => (g === null ? [] : [[`l${i}`, g]]))),
        })),
    ),
    fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 6 }).map((amounts) => ({ mode: 'amount' as const, amounts })),
  );

const scenario = order.chain((o) => spec(o.raw.length).map((s) => ({ ...o, spec: s })));

describe('split bill', () => {
  it('[BIL-01] parts add up to the order total (service, VAT, discounts, voids included), for any order and any split; no part is negative', () => {
    fc.assert(
      fc.property(scenario, ({ raw, type, orderDiscountBp, spec: s }) => {
        const { lines, priced } = build(raw, type, orderDiscountBp);
        const split = splitBill(priced, lines, s);
        expect(split.totalMinor).toBe(priced.totalMinor);
        expect(sumMinor(split.parts.map((p) => p.amountMinor))).toBe(priced.totalMinor);
        for (const part of split.parts) {
          expect(part.amountMinor).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(part.amountMinor)).toBe(true);
          expect(part.amountMinor).toBe(sumMinor(part.ownLines.map((l) => l.amountMinor)) + part.sharedMinor);
          expect(part.label === null || part.label.length <= 40).toBe(true);
        }
        // every label is distinct, so each payment names exactly one part
        expect(new Set(split.parts.map((p) => p.label)).size).toBe(split.parts.length);
      }),
      { numRuns: 500 },
    );
  });

  it('[BIL-02] a line given to one guest is paid whole by that guest and by no one else; shared lines split to within a piastre', () => {
    fc.assert(
      fc.property(
        order.chain((o) => spec(o.raw.length).filter((s) => s.mode === 'items').map((s) => ({ ...o, spec: s }))),
        ({ raw, type, orderDiscountBp, spec: s }) => {
          if (s.mode !== 'items') return;
          const { lines, priced } = build(raw, type, orderDiscountBp);
          const split = splitBill(priced, lines, s);
          for (const [lineId, guest] of Object.entries(s.assignment)) {
            const lineTotal = priced.lines.find((l) => l.lineId === lineId)!.totalMinor;
            const owners = split.parts.filter((p) => p.ownLines.some((l) => l.lineId === lineId));
            expect(owners.map((p) => p.index)).toEqual([guest]);
            expect(owners[0]!.ownLines.find((l) => l.lineId === lineId)!.amountMinor).toBe(lineTotal);
            expect(split.parts.some((p) => p.sharedLineIds.includes(lineId))).toBe(false);
          }
          const shares = split.parts.map((p) => p.sharedMinor);
          expect(Math.max(...shares) - Math.min(...shares)).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('[BIL-02] equal shares differ by at most one piastre', () => {
    fc.assert(
      fc.property(order, fc.integer({ min: 1, max: 20 }), ({ raw, type, orderDiscountBp }, shares) => {
        const { lines, priced } = build(raw, type, orderDiscountBp);
        const split = splitBill(priced, lines, { mode: 'equal', shares });
        expect(split.parts).toHaveLength(shares);
        const amounts = split.parts.map((p) => p.amountMinor);
        expect(Math.max(...amounts) - Math.min(...amounts)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('[BIL-02] by seat: each seat pays its lines, lines without a seat are shared by the seats; no seats leaves the bill whole', () => {
    const { lines, priced } = build(
      [
        { price: 10_000, qty: 1, seat: 1, voided: false, discountBp: null },
        { price: 5_000, qty: 1, seat: 2, voided: false, discountBp: null },
        { price: 3_000, qty: 1, seat: null, voided: false, discountBp: null },
        { price: 9_999, qty: 1, seat: 2, voided: true, discountBp: null },
      ],
      'dine-in',
      null,
    );
    const split = splitBill(priced, lines, { mode: 'seat' });
    // 100.00 → 127.68; 50.00 → 63.84; 30.00 → 38.30 shared 19.15 each; the void counts 0
    expect(split.parts.map((p) => [p.label, p.amountMinor])).toEqual([
      ['seat 1', 12_768 + 1_915],
      ['seat 2', 6_384 + 1_915],
    ]);
    const noSeats = build([{ price: 10_000, qty: 1, seat: null, voided: false, discountBp: null }], 'dine-in', null);
    expect(splitBill(noSeats.priced, noSeats.lines, { mode: 'seat' }).parts).toMatchObject([{ label: null, amountMinor: 12_768 }]);
  });

  it('[BIL-02] by amount: each guest pays what they name (never beyond the total), the rest is the last part', () => {
    const { lines, priced } = build([{ price: 10_000, qty: 1, seat: null, voided: false, discountBp: null }], 'dine-in', null);
    expect(splitBill(priced, lines, { mode: 'amount', amounts: [5_000, 5_000] }).parts.map((p) => [p.label, p.amountMinor])).toEqual([
      ['amount 1', 5_000],
      ['amount 2', 5_000],
      ['rest', 2_768],
    ]);
    expect(splitBill(priced, lines, { mode: 'amount', amounts: [10_000, 9_000] }).parts.map((p) => p.amountMinor)).toEqual([10_000, 2_768]);
  });

  it('[BIL-03] part labels round-trip, and payments cover parts by label', () => {
    for (const label of ['seat 3', 'guest 2', 'amount 1', 'share 2/5', 'rest', null]) {
      expect(parsePartLabel(label)).not.toBeNull();
    }
    expect(parsePartLabel('share 2/5')).toEqual({ kind: 'share', index: 2, of: 5 });
    const { lines, priced } = build([{ price: 10_000, qty: 1, seat: null, voided: false, discountBp: null }], 'dine-in', null);
    const split = splitBill(priced, lines, { mode: 'equal', shares: 2 });
    const pay = (part: string, amountMinor: number): Payment => ({
      id: crypto.randomUUID(), method: 'cash', amountMinor, tenderedMinor: amountMinor, changeMinor: 0, tipMinor: 0, part, at: 1, by: 'sara',
    });
    const half = partProgress(split, [pay('share 1/2', 6_384)]);
    expect(half.parts.map((p) => p.isCovered)).toEqual([true, false]);
    expect(half.owedMinor).toBe(6_384);
    // a payment under a label outside this split still reduces what is owed
    const other = partProgress(split, [pay('guest 1', 10_000)]);
    expect(other.parts.map((p) => p.remainingMinor)).toEqual([2_768, 2_768]);
  });

  it('[BIL-04] tenders satisfy SET-06 (change = tendered − amount), the tip is on top and never in the amount', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cash' as const, 'card' as const, 'wallet' as const),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 2_000_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        (method, owed, given, tip) => {
          const made = makeTender(method, owed, given, tip);
          if (!made.ok) return;
          const t = made.tender;
          expect(t.changeMinor).toBe(t.tenderedMinor - t.amountMinor);
          expect(t.amountMinor).toBeGreaterThan(0);
          expect(t.amountMinor).toBeLessThanOrEqual(owed);
          expect(t.tipMinor).toBe(tip);
          if (method === 'cash') expect(t.tenderedMinor + t.tipMinor).toBe(given);
          else expect(t.changeMinor).toBe(0);
        },
      ),
    );
    // 200 handed over for 127.68 with a 10.00 tip: 62.32 back
    expect(makeTender('cash', 12_768, 20_000, 1_000)).toEqual({
      ok: true,
      tender: { method: 'cash', amountMinor: 12_768, tenderedMinor: 19_000, changeMinor: 6_232, tipMinor: 1_000 },
    });
    // split tender: 50.00 cash first, the card pays the rest
    expect(makeTender('cash', 12_768, 5_000, 0)).toMatchObject({ ok: true, tender: { amountMinor: 5_000, changeMinor: 0 } });
    expect(makeTender('card', 7_768, 7_768, 500)).toMatchObject({ ok: true, tender: { amountMinor: 7_768, tipMinor: 500 } });
    expect(makeTender('card', 7_768, 8_000, 0)).toEqual({ ok: false, problem: 'more-than-owed' });
    expect(makeTender('cash', 7_768, 500, 500)).toEqual({ ok: false, problem: 'tip-exceeds-cash' });
    expect(makeTender('cash', 0, 500, 0)).toEqual({ ok: false, problem: 'nothing-owed' });
  });
});
