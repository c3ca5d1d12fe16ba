import * as Y from 'yjs';
import {
  kitchenTicketSchema,
  orderHeaderSchema,
  orderLineSchema,
  orderSchema,
  paymentSchema,
  settlementRecordSchema,
  type KitchenTicket,
  type Order,
  type OrderHeader,
  type OrderLine,
  type OrderTotals,
  type Payment,
  type SettlementRecord,
} from './schemas/order';

/**
 * The branch's live document: one Y.Doc per branch room, shared by every tablet and kitchen
 * screen of the branch through the relay. Layout (root name → contents):
 *
 *   orders      Y.Map<orderId, Y.Map>   order header fields as keys, plus
 *                 lines     Y.Map<lineId, OrderLine>    one key per line, so two waiters adding
 *                                                       to one table never overwrite each other
 *                 payments  Y.Map<paymentId, Payment>
 *   tickets     Y.Map<ticketId, KitchenTicket>          one per "send to kitchen"
 *   settlement  Y.Map<orderId, SettlementRecord>        SERVER-OWNED: only the relay writes it
 *
 * Everything a device writes goes through the functions below, and everything read is parsed
 * with the zod schemas, so a malformed entry shows up as an error instead of a crash.
 */

export const ROOT = { orders: 'orders', tickets: 'tickets', settlement: 'settlement' } as const;

/** Roots devices may write. Anything else (today: `settlement`) is the server's alone. */
export const CLIENT_WRITABLE_ROOTS: readonly string[] = [ROOT.orders, ROOT.tickets];

/** Transaction origin the server uses for its own writes (so it never re-validates them). */
export const SERVER_ORIGIN = 'restoflow-server';

type OrderMap = Y.Map<unknown>;

export const ordersRoot = (doc: Y.Doc) => doc.getMap<OrderMap>(ROOT.orders);
export const ticketsRoot = (doc: Y.Doc) => doc.getMap<KitchenTicket>(ROOT.tickets);
export const settlementRoot = (doc: Y.Doc) => doc.getMap<SettlementRecord>(ROOT.settlement);

function orderMap(doc: Y.Doc, orderId: string): OrderMap {
  const map = ordersRoot(doc).get(orderId);
  if (!(map instanceof Y.Map)) throw new Error(`no order ${orderId} in the live document`);
  return map;
}

function nestedMap<T>(order: OrderMap, key: 'lines' | 'payments'): Y.Map<T> {
  const map = order.get(key);
  if (!(map instanceof Y.Map)) throw new Error(`order has no ${key} map`);
  return map as Y.Map<T>;
}

export type NewOrder = Omit<OrderHeader, 'status' | 'paidAt' | 'totals'>;

export function openOrder(doc: Y.Doc, input: NewOrder): void {
  const header = orderHeaderSchema.parse({ ...input, status: 'open', paidAt: null, totals: null });
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(header)) map.set(key, value);
    map.set('lines', new Y.Map<OrderLine>());
    map.set('payments', new Y.Map<Payment>());
    ordersRoot(doc).set(header.id, map);
  });
}

export function addLine(doc: Y.Doc, orderId: string, line: OrderLine): void {
  const parsed = orderLineSchema.parse(line);
  doc.transact(() => nestedMap<OrderLine>(orderMap(doc, orderId), 'lines').set(parsed.id, parsed));
}

export function removeUnsentLine(doc: Y.Doc, orderId: string, lineId: string): void {
  doc.transact(() => {
    const lines = nestedMap<OrderLine>(orderMap(doc, orderId), 'lines');
    const line = lines.get(lineId);
    if (line && line.ticketId === null) lines.delete(lineId);
  });
}

/**
 * Removes an order that never got a line (a table tapped by mistake), so it does not keep the
 * table occupied. An order with lines, or already paid, is never removed this way.
 */
export function discardEmptyOrder(doc: Y.Doc, orderId: string): boolean {
  let isDiscarded = false;
  doc.transact(() => {
    const order = ordersRoot(doc).get(orderId);
    if (!(order instanceof Y.Map) || order.get('status') !== 'open') return;
    if (nestedMap<OrderLine>(order, 'lines').size > 0) return;
    ordersRoot(doc).delete(orderId);
    isDiscarded = true;
  });
  return isDiscarded;
}

/**
 * Sends to the kitchen only the lines that have not been sent yet, as one ticket.
 * Returns the ticket, or null when there was nothing new.
 */
export function sendToKitchen(
  doc: Y.Doc,
  input: { orderId: string; ticketId: string; tableLabel: string; by: string; now: number },
): KitchenTicket | null {
  let ticket: KitchenTicket | null = null;
  doc.transact(() => {
    const lines = nestedMap<OrderLine>(orderMap(doc, input.orderId), 'lines');
    const unsent = [...lines.values()].filter((l) => l.ticketId === null);
    if (unsent.length === 0) return;
    ticket = kitchenTicketSchema.parse({
      id: input.ticketId,
      orderId: input.orderId,
      tableLabel: input.tableLabel,
      lineIds: unsent.map((l) => l.id),
      createdAt: input.now,
      createdBy: input.by,
      status: 'pending',
      readyAt: null,
    });
    for (const l of unsent) lines.set(l.id, { ...l, ticketId: input.ticketId });
    ticketsRoot(doc).set(input.ticketId, ticket);
  });
  return ticket;
}

export function bumpTicket(doc: Y.Doc, ticketId: string, now: number): void {
  doc.transact(() => {
    const ticket = ticketsRoot(doc).get(ticketId);
    if (ticket && ticket.status === 'pending') ticketsRoot(doc).set(ticketId, { ...ticket, status: 'ready', readyAt: now });
  });
}

/**
 * Records a payment; when the payments cover `totals.totalMinor` the order becomes `paid` with
 * those totals, which is the moment the relay settles it.
 */
export function recordPayment(doc: Y.Doc, orderId: string, payment: Payment, totals: OrderTotals, now: number): void {
  const parsed = paymentSchema.parse(payment);
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    const payments = nestedMap<Payment>(order, 'payments');
    payments.set(parsed.id, parsed);
    const paid = [...payments.values()].reduce((sum, p) => sum + p.amountMinor, 0);
    if (paid >= totals.totalMinor) {
      order.set('totals', totals);
      order.set('paidAt', now);
      order.set('status', 'paid');
    }
  });
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Reads an order as plain data, parsed; lines in the order they were added. */
export function readOrder(doc: Y.Doc, orderId: string): ReadResult<Order> {
  const map = ordersRoot(doc).get(orderId);
  if (!(map instanceof Y.Map)) return { ok: false, error: `no order ${orderId}` };
  const json = map.toJSON() as Record<string, unknown>;
  const lines = Object.values((json.lines ?? {}) as Record<string, OrderLine>).sort(
    (a, b) => a.addedAt - b.addedAt || a.id.localeCompare(b.id),
  );
  const payments = Object.values((json.payments ?? {}) as Record<string, Payment>).sort((a, b) => a.at - b.at);
  const parsed = orderSchema.safeParse({ ...json, lines, payments });
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: parsed.error.message };
}

export function listOrderIds(doc: Y.Doc): string[] {
  return [...ordersRoot(doc).keys()];
}

/** Every order that parses; malformed ones are left to `readOrder` callers that need the error. */
export function listOrders(doc: Y.Doc): Order[] {
  const orders: Order[] = [];
  for (const id of listOrderIds(doc)) {
    const read = readOrder(doc, id);
    if (read.ok) orders.push(read.value);
  }
  return orders.sort((a, b) => a.openedAt - b.openedAt);
}

export function listTickets(doc: Y.Doc): KitchenTicket[] {
  const tickets: KitchenTicket[] = [];
  for (const value of ticketsRoot(doc).values()) {
    const parsed = kitchenTicketSchema.safeParse(value);
    if (parsed.success) tickets.push(parsed.data);
  }
  return tickets.sort((a, b) => a.createdAt - b.createdAt);
}

export function readSettlement(doc: Y.Doc, orderId: string): SettlementRecord | null {
  const parsed = settlementRecordSchema.safeParse(settlementRoot(doc).get(orderId));
  return parsed.success ? parsed.data : null;
}

/** Server only: record what became of a paid order. */
export function writeSettlement(doc: Y.Doc, orderId: string, record: SettlementRecord): void {
  doc.transact(() => settlementRoot(doc).set(orderId, settlementRecordSchema.parse(record)), SERVER_ORIGIN);
}

/** The unpaid order on a table, if any. A paid table is free again, settled or not yet. */
export function openOrderForTable(doc: Y.Doc, tableId: string): Order | null {
  return listOrders(doc).find((o) => o.tableId === tableId && o.status === 'open') ?? null;
}
