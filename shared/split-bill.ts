import { sumMinor, type Minor } from './money';
import { allocateByWeight, type PricedOrder } from './pricing';
import type { OrderLine, Payment, PaymentMethod } from './schemas/order';

/**
 * Splitting a bill into parts that guests pay separately (docs/SPEC.md, BIL-*).
 *
 * Every split works on the priced order's line totals (service and VAT already in, discounts
 * already off, voided lines at 0), so the parts always add up to exactly the order total: a line
 * given to one guest goes to that guest whole, and whatever is shared is pooled and divided once
 * (largest remainder), so shares differ by at most one piastre and no piastre is lost or made up.
 *
 * A part is identified by a plain label ("seat 2", "share 1/3", "guest 1", "amount 2", "rest")
 * that goes into `payment.part`; the label is language-neutral so any tablet can read which part
 * a payment paid, and the screens translate it with `parsePartLabel`.
 */

export const SPLIT_MODES = ['whole', 'equal', 'seat', 'items', 'amount'] as const;
export type SplitMode = (typeof SPLIT_MODES)[number];

/** How to split. `items` with some lines unassigned is the mixed split (the rest shared equally). */
export type SplitSpec =
  | { mode: 'whole' }
  | { mode: 'equal'; shares: number }
  | { mode: 'seat' }
  | { mode: 'items'; guests: number; assignment: Readonly<Record<string, number>> }
  | { mode: 'amount'; amounts: readonly Minor[] };

export type PartKind = 'whole' | 'share' | 'seat' | 'guest' | 'amount' | 'rest';

export interface BillPart {
  /** Written into `payment.part`; null for the whole bill. */
  label: string | null;
  kind: PartKind;
  /** 1-based number of the share, guest or amount; the seat number for a seat. */
  index: number;
  /** How many shares in an equal split (the "3" of "1/3"); otherwise the number of parts. */
  of: number;
  amountMinor: Minor;
  /** Lines this part pays whole, with their totals (service and VAT included). */
  ownLines: { lineId: string; amountMinor: Minor }[];
  /** Lines whose total is pooled and shared between several parts. */
  sharedLineIds: string[];
  /** This part's share of the pooled lines. */
  sharedMinor: Minor;
}

export interface SplitBill {
  mode: SplitMode;
  totalMinor: Minor;
  parts: BillPart[];
}

export const MAX_SPLIT_PARTS = 20;

type SplitLine = Pick<OrderLine, 'id' | 'seat'>;

const clampCount = (n: number) => Math.min(MAX_SPLIT_PARTS, Math.max(1, Math.floor(Number.isFinite(n) ? n : 1)));

function wholePart(priced: PricedOrder): BillPart {
  return {
    label: null,
    kind: 'whole',
    index: 1,
    of: 1,
    amountMinor: priced.totalMinor,
    ownLines: priced.lines.map((l) => ({ lineId: l.lineId, amountMinor: l.totalMinor })),
    sharedLineIds: [],
    sharedMinor: 0,
  };
}

/**
 * Parts from "who pays which line": `owner(lineId)` names a part key or null for a shared line.
 * Shared lines are pooled and divided equally over every part.
 */
function byOwner(
  priced: PricedOrder,
  keys: readonly number[],
  owner: (lineId: string) => number | null,
  make: (key: number, position: number) => Pick<BillPart, 'label' | 'kind' | 'index' | 'of'>,
): BillPart[] {
  const totals = new Map(priced.lines.map((l) => [l.lineId, l.totalMinor]));
  const shared = priced.lines.filter((l) => owner(l.lineId) === null).map((l) => l.lineId);
  const sharedParts = allocateByWeight(sumMinor(shared.map((id) => totals.get(id) ?? 0)), keys.map(() => 1));
  return keys.map((key, position) => {
    const ownLines = priced.lines
      .filter((l) => owner(l.lineId) === key)
      .map((l) => ({ lineId: l.lineId, amountMinor: l.totalMinor }));
    const sharedMinor = sharedParts[position] ?? 0;
    return {
      ...make(key, position),
      amountMinor: sumMinor(ownLines.map((l) => l.amountMinor)) + sharedMinor,
      ownLines,
      sharedLineIds: shared,
      sharedMinor,
    };
  });
}

/**
 * [BIL-01] Splits a priced order into parts that add up to its total to the piastre.
 * `lines` gives each priced line's seat (for the split by seat).
 */
export function splitBill(priced: PricedOrder, lines: readonly SplitLine[], spec: SplitSpec): SplitBill {
  const result = (parts: BillPart[]): SplitBill => ({ mode: spec.mode, totalMinor: priced.totalMinor, parts });
  switch (spec.mode) {
    case 'whole':
      return result([wholePart(priced)]);
    case 'equal': {
      const shares = clampCount(spec.shares);
      const keys = Array.from({ length: shares }, (_, i) => i + 1);
      return result(
        byOwner(priced, keys, () => null, (key) => ({ label: `share ${key}/${shares}`, kind: 'share', index: key, of: shares })),
      );
    }
    case 'seat': {
      const seatOf = new Map(lines.map((l) => [l.id, l.seat]));
      const seats = [...new Set(priced.lines.map((l) => seatOf.get(l.lineId) ?? null))]
        .filter((s): s is number => s !== null)
        .sort((a, b) => a - b);
      // No seats given: nothing to split by, the bill stays whole.
      if (seats.length === 0) return result([wholePart(priced)]);
      return result(
        byOwner(
          priced,
          seats,
          (lineId) => seatOf.get(lineId) ?? null,
          (seat) => ({ label: `seat ${seat}`, kind: 'seat', index: seat, of: seats.length }),
        ),
      );
    }
    case 'items': {
      const guests = clampCount(spec.guests);
      const keys = Array.from({ length: guests }, (_, i) => i + 1);
      const owner = (lineId: string) => {
        const guest = spec.assignment[lineId];
        return guest !== undefined && Number.isInteger(guest) && guest >= 1 && guest <= guests ? guest : null;
      };
      return result(byOwner(priced, keys, owner, (key) => ({ label: `guest ${key}`, kind: 'guest', index: key, of: guests })));
    }
    case 'amount': {
      // Each guest pays what they name, never more than is left; whatever remains is the last part.
      let left = priced.totalMinor;
      const parts: BillPart[] = [];
      for (const asked of spec.amounts.slice(0, MAX_SPLIT_PARTS - 1)) {
        const amountMinor = Math.min(Math.max(0, Math.floor(asked)), left);
        left -= amountMinor;
        const index = parts.length + 1;
        parts.push({ label: `amount ${index}`, kind: 'amount', index, of: 0, amountMinor, ownLines: [], sharedLineIds: [], sharedMinor: 0 });
      }
      if (left > 0 || parts.length === 0) {
        parts.push({ label: 'rest', kind: 'rest', index: parts.length + 1, of: 0, amountMinor: left, ownLines: [], sharedLineIds: [], sharedMinor: 0 });
      }
      const everyLine = priced.lines.map((l) => l.lineId);
      return result(parts.map((p) => ({ ...p, of: parts.length, sharedLineIds: everyLine, sharedMinor: p.amountMinor })));
    }
  }
}

const NUMBERED_KINDS = ['seat', 'guest', 'amount'] as const satisfies readonly PartKind[];

/** A part label read back from a payment, for display ("seat 2" → {kind: 'seat', index: 2}). */
export function parsePartLabel(label: string | null): { kind: PartKind; index: number; of: number } | null {
  if (label === null) return { kind: 'whole', index: 1, of: 1 };
  if (label === 'rest') return { kind: 'rest', index: 0, of: 0 };
  const share = /^share (\d+)\/(\d+)$/.exec(label);
  if (share) return { kind: 'share', index: Number(share[1]), of: Number(share[2]) };
  const simple = /^(seat|guest|amount) (\d+)$/.exec(label);
  const kind = simple ? NUMBERED_KINDS.find((k) => k === simple[1]) : undefined;
  if (simple && kind) return { kind, index: Number(simple[2]), of: 0 };
  return null;
}

export interface PartProgress {
  part: BillPart;
  /** What the payments labelled with this part put towards it. */
  paidMinor: Minor;
  /** Still to pay on this part (never more than the order still owes). */
  remainingMinor: Minor;
  tipMinor: Minor;
  changeMinor: Minor;
  payments: Payment[];
  isCovered: boolean;
}

/**
 * [BIL-03] How far each part is paid. A payment counts for the part whose label it carries;
 * payments for labels outside this split (a split changed half-way) still reduce what the order
 * owes, so no part ever asks for more than the order still needs.
 */
export function partProgress(split: SplitBill, payments: readonly Payment[]): { parts: PartProgress[]; owedMinor: Minor } {
  const owedMinor = Math.max(0, split.totalMinor - sumMinor(payments.map((p) => p.amountMinor)));
  const parts = split.parts.map((part): PartProgress => {
    const mine = payments.filter((p) => p.part === part.label);
    const paidMinor = sumMinor(mine.map((p) => p.amountMinor));
    const remainingMinor = Math.min(Math.max(0, part.amountMinor - paidMinor), owedMinor);
    return {
      part,
      paidMinor,
      remainingMinor,
      tipMinor: sumMinor(mine.map((p) => p.tipMinor)),
      changeMinor: sumMinor(mine.map((p) => p.changeMinor)),
      payments: mine,
      isCovered: remainingMinor === 0,
    };
  });
  return { parts, owedMinor };
}

export type TenderProblem = 'nothing-owed' | 'nothing-given' | 'tip-exceeds-cash' | 'more-than-owed';

export interface Tender {
  method: PaymentMethod;
  amountMinor: Minor;
  tenderedMinor: Minor;
  changeMinor: Minor;
  tipMinor: Minor;
}

/**
 * [BIL-04] One tender towards what a part still owes, shaped so the payment passes SET-06
 * (change = tendered − amount). The tip rides on top and is never part of the bill:
 * - cash: `givenMinor` is all the cash handed over, tip included. The tip is kept first; the rest
 *   is what was tendered for the bill, the bill takes at most what is owed, the remainder is change.
 *   Less than owed is a partial tender (another method pays the rest).
 * - card / wallet: `givenMinor` is what is charged towards the bill (at most what is owed); the
 *   tip is charged on top. No change.
 */
export function makeTender(
  method: PaymentMethod,
  owedMinor: Minor,
  givenMinor: Minor,
  tipMinor: Minor,
): { ok: true; tender: Tender } | { ok: false; problem: TenderProblem } {
  if (owedMinor <= 0) return { ok: false, problem: 'nothing-owed' };
  if (givenMinor <= 0) return { ok: false, problem: 'nothing-given' };
  const tip = Math.max(0, tipMinor);
  if (method === 'cash') {
    const towardsBill = givenMinor - tip;
    if (towardsBill <= 0) return { ok: false, problem: 'tip-exceeds-cash' };
    const amountMinor = Math.min(towardsBill, owedMinor);
    return { ok: true, tender: { method, amountMinor, tenderedMinor: towardsBill, changeMinor: towardsBill - amountMinor, tipMinor: tip } };
  }
  if (givenMinor > owedMinor) return { ok: false, problem: 'more-than-owed' };
  return { ok: true, tender: { method, amountMinor: givenMinor, tenderedMinor: givenMinor, changeMinor: 0, tipMinor: tip } };
}
