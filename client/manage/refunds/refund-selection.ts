import type { RefundableOrder } from '../../../shared/schemas/refund';

/** Units picked per line on the refund screen: never more than is left, never a voided line. */
export type RefundSelection = Record<string, number>;

export const refundableQty = (line: RefundableOrder['lines'][number]) => (line.isVoided ? 0 : line.qty - line.refundedQty);

export function setPicked(order: RefundableOrder, selection: RefundSelection, lineId: string, qty: number): RefundSelection {
  const line = order.lines.find((l) => l.lineId === lineId);
  if (!line) return selection;
  const clamped = Math.max(0, Math.min(refundableQty(line), Math.floor(qty)));
  const next = { ...selection };
  if (clamped === 0) delete next[lineId];
  else next[lineId] = clamped;
  return next;
}

export function pickEverything(order: RefundableOrder): RefundSelection {
  const all: RefundSelection = {};
  for (const line of order.lines) if (refundableQty(line) > 0) all[line.lineId] = refundableQty(line);
  return all;
}

/** The request's lines, in the order's line order. */
export const selectedLines = (order: RefundableOrder, selection: RefundSelection) =>
  order.lines.filter((l) => (selection[l.lineId] ?? 0) > 0).map((l) => ({ lineId: l.lineId, qty: selection[l.lineId]! }));
