import { fail, ok, type Result } from './errors';
import { sumMinor, type Minor } from './money';

/**
 * Refund amounts of a settled order ([REF-02]). A refund gives back whole units of lines; each
 * line's net, service and VAT are split by quantity so that the first k of n units are worth
 * round(amount × k / n) — cumulatively. A unit's share is the difference of two cumulative
 * shares, so however a line is refunded (all at once, or one unit at a time in several refunds)
 * the parts add up to exactly the line's settled amounts, never more. The settled per-line
 * amounts come from the shared pricing (discounts before T9 service, then T1 VAT), so a refund
 * of some lines is those lines' exact share, service and VAT included.
 */

export interface RefundableLine {
  lineId: string;
  qty: number;
  netMinor: Minor;
  serviceMinor: Minor;
  vatMinor: Minor;
  totalMinor: Minor;
  /** Units already given back by earlier refunds. */
  refundedQty: number;
  /** Voided lines were never charged: nothing to refund. */
  isVoided: boolean;
}

export interface RefundLineRequest {
  lineId: string;
  qty: number;
}

export interface RefundAmounts {
  netMinor: Minor;
  serviceMinor: Minor;
  vatMinor: Minor;
  totalMinor: Minor;
}

export interface RefundLineAmounts extends RefundAmounts {
  lineId: string;
  qty: number;
}

export interface ComputedRefund extends RefundAmounts {
  lines: RefundLineAmounts[];
}

/** round(amount × units / qty), half up, in integers (amounts are never negative here). */
export function cumulativeShare(amount: Minor, units: number, qty: number): Minor {
  if (units >= qty) return amount;
  return Math.floor((2 * amount * units + qty) / (2 * qty));
}

const shareOf = (amount: Minor, line: RefundableLine, qty: number) =>
  cumulativeShare(amount, line.refundedQty + qty, line.qty) - cumulativeShare(amount, line.refundedQty, line.qty);

/** Every unit not yet refunded, of every line that was charged: a whole-order refund. */
export function remainingUnits(lines: readonly RefundableLine[]): RefundLineRequest[] {
  return lines
    .filter((line) => !line.isVoided && line.qty > line.refundedQty)
    .map((line) => ({ lineId: line.lineId, qty: line.qty - line.refundedQty }));
}

export function computeRefund(lines: readonly RefundableLine[], request: readonly RefundLineRequest[]): Result<ComputedRefund> {
  if (request.length === 0) return fail('validation-failed', 'nothing left to refund');
  const byId = new Map(lines.map((line) => [line.lineId, line]));
  const seen = new Set<string>();
  const result: RefundLineAmounts[] = [];
  for (const asked of request) {
    const line = byId.get(asked.lineId);
    if (!line) return fail('validation-failed', `the order has no line ${asked.lineId}`, { lineId: asked.lineId });
    if (seen.has(asked.lineId)) return fail('validation-failed', 'a line is named twice', { lineId: asked.lineId });
    seen.add(asked.lineId);
    if (line.isVoided) return fail('validation-failed', 'a voided line was never charged', { lineId: asked.lineId });
    if (!Number.isInteger(asked.qty) || asked.qty < 1) return fail('validation-failed', 'qty must be at least 1', { lineId: asked.lineId });
    const left = line.qty - line.refundedQty;
    if (asked.qty > left) {
      return fail('conflict', `only ${left} of this line can still be refunded`, { lineId: asked.lineId, refundableQty: left });
    }
    const netMinor = shareOf(line.netMinor, line, asked.qty);
    const serviceMinor = shareOf(line.serviceMinor, line, asked.qty);
    const vatMinor = shareOf(line.vatMinor, line, asked.qty);
    result.push({ lineId: line.lineId, qty: asked.qty, netMinor, serviceMinor, vatMinor, totalMinor: netMinor + serviceMinor + vatMinor });
  }
  return ok({
    lines: result,
    netMinor: sumMinor(result.map((l) => l.netMinor)),
    serviceMinor: sumMinor(result.map((l) => l.serviceMinor)),
    vatMinor: sumMinor(result.map((l) => l.vatMinor)),
    totalMinor: sumMinor(result.map((l) => l.totalMinor)),
  });
}
