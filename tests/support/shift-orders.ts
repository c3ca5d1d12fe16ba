/**
 * Paid orders with the order model's extras — voids, discounts, split tender over cash, card and
 * wallet, tips — taken on a given POS device at a given time, built with the shared live-doc
 * functions the tablet uses. For the shift and refund tests.
 */
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import { addLine, openOrder, readOrder, recordPayment, setCustomer, setLineDiscount, setOrderDiscount, voidLine } from '../../shared/live-doc';
import { priceOrderAsIs } from '../../shared/pricing';
import type { Catalog } from '../../shared/schemas/catalog';
import type { OrderCustomer, PaymentMethod } from '../../shared/schemas/order';
import { lineFor } from './orders';

export interface PaidOrderPlan {
  deviceId: string;
  tableIndex?: number;
  items?: string[];
  /** Quantity of every line. */
  qty?: number;
  /** Each payment's method and tip; the last one pays what is left. Default: one cash payment. */
  payments?: { method: PaymentMethod; share?: number; tipMinor?: number }[];
  voidFirstLine?: boolean;
  lineDiscountPercentBp?: number;
  orderDiscountAmountMinor?: number;
  /** When the payments were taken (default now). */
  at?: number;
  /** Seat and course of every line. */
  seat?: number;
  course?: number;
  customer?: OrderCustomer;
}

export function placeOrderPaidOn(doc: Y.Doc, catalog: Catalog, plan: PaidOrderPlan): string {
  const at = plan.at ?? Date.now();
  const orderId = randomUUID();
  const table = catalog.tables[plan.tableIndex ?? 0]!;
  openOrder(doc, {
    id: orderId, branchId: catalog.branch.id, type: 'dine-in', tableId: table.id, guests: 2, openedAt: at - 60_000,
    openedBy: 'sara', deviceId: plan.deviceId,
  });
  if (plan.customer) setCustomer(doc, orderId, plan.customer);
  const lineIds: string[] = [];
  for (const key of plan.items ?? ['koshari', 'karkadeh', 'beef-steak']) {
    const line = lineFor(catalog, key, 'sara', { qty: plan.qty ?? 1, seat: plan.seat ?? null, course: plan.course ?? 1 });
    addLine(doc, orderId, line);
    lineIds.push(line.id);
  }
  if (plan.voidFirstLine) voidLine(doc, orderId, lineIds[0]!, { reason: 'guest changed mind', by: 'sara', at, approvedBy: null });
  if (plan.lineDiscountPercentBp) {
    setLineDiscount(doc, orderId, lineIds[1]!, { kind: 'percent', value: plan.lineDiscountPercentBp, reason: 'regular', by: 'sara', at, approvedBy: 'hany' });
  }
  if (plan.orderDiscountAmountMinor) {
    setOrderDiscount(doc, orderId, { kind: 'amount', value: plan.orderDiscountAmountMinor, reason: 'late food', by: 'hany', at, approvedBy: null });
  }
  const read = readOrder(doc, orderId);
  if (!read.ok) throw new Error(read.error);
  const { lines: _lines, ...totals } = priceOrderAsIs(read.value, catalog.tax);
  const payments = plan.payments ?? [{ method: 'cash' }];
  let left = totals.totalMinor;
  payments.forEach((p, i) => {
    const isLast = i === payments.length - 1;
    const amount = isLast ? left : Math.floor(totals.totalMinor * (p.share ?? 1 / payments.length));
    left -= amount;
    const tendered = p.method === 'cash' ? Math.ceil(amount / 5_000) * 5_000 : amount;
    recordPayment(
      doc, orderId,
      { id: randomUUID(), method: p.method, amountMinor: amount, tenderedMinor: tendered, changeMinor: tendered - amount,
        tipMinor: p.tipMinor ?? 0, part: payments.length > 1 ? `${i + 1}/${payments.length}` : null, deviceId: plan.deviceId,
        at: at + i, by: 'sara' },
      totals, at + i,
    );
  });
  return orderId;
}
