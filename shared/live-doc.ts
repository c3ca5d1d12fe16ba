import * as Y from 'yjs';
import {
  auditStampSchema,
  discountSchema,
  kitchenTicketSchema,
  orderCustomerSchema,
  orderHeaderSchema,
  orderLineSchema,
  orderSchema,
  orderTotalsSchema,
  paymentSchema,
  settlementRecordSchema,
  type AuditStamp,
  type Discount,
  type KitchenTicket,
  type NewOrderLine,
  type NewOrderTotals,
  type NewPayment,
  type Order,
  type OrderCustomer,
  type OrderHeader,
  type OrderLine,
  type OrderTotals,
  type Payment,
  type NewSettlementRecord,
  type SettlementRecord,
  type TicketItem,
  type TicketStatus,
} from './schemas/order';
import { fiscalReceiptEntrySchema, type FiscalReceiptEntry } from './eta/receipt-entry';
import { printJobSchema, type PrintJob } from './schemas/print-job';

/**
 * The branch's live document: one Y.Doc per branch room, shared by every tablet and kitchen
 * screen of the branch through the relay. Layout (root name → contents):
 *
 *   orders      Y.Map<orderId, Y.Map>   order header fields as keys, plus
 *                 lines       Y.Map<lineId, OrderLine>  one key per line, so two waiters adding
 *                                                       to one table never overwrite each other;
 *                                                       written once, when the line is added
 *                 lineFields  Y.Map<"lineId:field", …>  later changes of a line, one key per field
 *                 lineQty     Y.Map<"lineId:client", n> quantity changes, one counter per device
 *                 payments    Y.Map<paymentId, Payment>
 *   tickets     Y.Map<ticketId, KitchenTicket>          one per station per "send to kitchen"
 *   settlement  Y.Map<orderId, SettlementRecord>        SERVER-OWNED: only the relay writes it
 *   receipts    Y.Map<"orderId:deviceId", FiscalReceiptEntry>  the ETA receipt the paying tablet
 *                                                       issued; written once, never changed (docs/FISCAL.md)
 *   printJobs   Y.Map<ticketId, PrintJob>               SERVER-OWNED: what became of printing each ticket
 *
 * Everything a device writes goes through the functions below, and everything read is parsed
 * with the zod schemas, so a malformed entry shows up as an error instead of a crash.
 */

export const ROOT = { orders: 'orders', tickets: 'tickets', settlement: 'settlement', receipts: 'receipts', printJobs: 'printJobs' } as const;

/** Roots devices may write. Anything else (today: `settlement`) is the server's alone. */
export const CLIENT_WRITABLE_ROOTS: readonly string[] = [ROOT.orders, ROOT.tickets, ROOT.receipts];

/** Transaction origin the server uses for its own writes (so it never re-validates them). */
export const SERVER_ORIGIN = 'restoflow-server';

type OrderMap = Y.Map<unknown>;

/**
 * Why a line's later changes live beside it and not in it: a line stored as one value would be
 * last-writer-wins as a whole, so a waiter's "+1" and another's note (or a send marking it sent)
 * made at the same moment would overwrite each other (Odoo POS's "two waiters, one table").
 * Instead each field a line can change has its own key in `lineFields` (different fields never
 * collide), and the quantity is a sum: each device (Yjs client) keeps its own running change per
 * line in `lineQty`, so two waiters each tapping "+1" offline make +2, not +1. Only the same
 * field set at the same instant on two devices still resolves to one of them (Yjs picks the same
 * one everywhere) — for a note or a seat there is no better answer than one of the two.
 * See docs/SPEC.md ORD-13..15.
 */
const LINE_FIELDS = 'lineFields';
const LINE_QTY = 'lineQty';
/** Line fields that change after the line is added, each under its own key. `sent` holds both
 * `ticketId` and `sentQty`, which only ever change together (at a send). */
const CHANGEABLE_LINE_FIELDS = ['note', 'seat', 'course', 'isHeld', 'void', 'discount', 'sent'] as const;
type ChangeableLineField = (typeof CHANGEABLE_LINE_FIELDS)[number];
const fieldKey = (lineId: string, field: ChangeableLineField) => `${lineId}:${field}`;
const qtyKey = (lineId: string, clientId: number) => `${lineId}:${clientId}`;
/** The line id a `lineFields`/`lineQty` key belongs to (line ids are UUIDs: no colon). */
const lineIdOfKey = (key: string) => key.slice(0, key.indexOf(':'));

export const ordersRoot = (doc: Y.Doc) => doc.getMap<OrderMap>(ROOT.orders);
export const ticketsRoot = (doc: Y.Doc) => doc.getMap<KitchenTicket>(ROOT.tickets);
export const settlementRoot = (doc: Y.Doc) => doc.getMap<SettlementRecord>(ROOT.settlement);
export const receiptsRoot = (doc: Y.Doc) => doc.getMap<FiscalReceiptEntry>(ROOT.receipts);
/** SERVER-OWNED: ticketId → what became of printing it (shared/schemas/print-job.ts). */
export const printJobsRoot = (doc: Y.Doc) => doc.getMap<PrintJob>(ROOT.printJobs);

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

export type NewOrder = Omit<OrderHeader, 'status' | 'paidAt' | 'totals' | 'customer' | 'discount' | 'billPrintedAt'> &
  Partial<Pick<OrderHeader, 'customer'>>;

export function openOrder(doc: Y.Doc, input: NewOrder): void {
  const header = orderHeaderSchema.parse({ ...input, status: 'open', paidAt: null, totals: null });
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    for (const [key, value] of Object.entries(header)) map.set(key, value);
    map.set('lines', new Y.Map<OrderLine>());
    // Made with the order, never later: two devices creating one of these maps lazily at the
    // same moment would each make their own, and one of them (with its entries) would be lost.
    map.set(LINE_FIELDS, new Y.Map<unknown>());
    map.set(LINE_QTY, new Y.Map<number>());
    map.set('payments', new Y.Map<Payment>());
    ordersRoot(doc).set(header.id, map);
  });
}

export function addLine(doc: Y.Doc, orderId: string, line: NewOrderLine): void {
  const parsed = orderLineSchema.parse(line);
  doc.transact(() => nestedMap<OrderLine>(orderMap(doc, orderId), 'lines').set(parsed.id, parsed));
}

/** The order's `lineFields` and `lineQty` maps; null on an order opened by older code. */
function lineChangeMaps(order: OrderMap): { fields: Y.Map<unknown>; qty: Y.Map<unknown> } | null {
  const fields = order.get(LINE_FIELDS);
  const qty = order.get(LINE_QTY);
  return fields instanceof Y.Map && qty instanceof Y.Map ? { fields, qty } : null;
}

const clampQty = (qty: number) => Math.min(999, Math.max(1, qty));

/**
 * A line as it stands: what was added, with each later field change and the sum of every
 * device's quantity changes applied. Works on plain JSON (`readOrder`) as well as on the maps.
 * Concurrent decreases never take a line below 1: removing or voiding a line is its own act.
 */
export function foldLine(base: unknown, fields: Readonly<Record<string, unknown>>, qtyChanges: readonly number[]): unknown {
  if (typeof base !== 'object' || base === null) return base;
  const line: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  const id = line.id;
  if (typeof id !== 'string') return base;
  for (const field of CHANGEABLE_LINE_FIELDS) {
    const key = fieldKey(id, field);
    if (!(key in fields)) continue;
    const value = fields[key];
    if (field === 'sent') {
      const sent = value as { ticketId?: unknown; sentQty?: unknown } | null;
      line.ticketId = sent?.ticketId;
      line.sentQty = sent?.sentQty;
    } else {
      line[field] = value;
    }
  }
  if (qtyChanges.length > 0 && typeof line.qty === 'number') line.qty = clampQty(qtyChanges.reduce((sum, d) => sum + d, line.qty));
  return line;
}

/** Every line's quantity changes, by line id, from the entries of a `lineQty` map. */
function qtyChangesByLine(entries: Iterable<[string, unknown]>): Map<string, number[]> {
  const byLine = new Map<string, number[]>();
  for (const [key, value] of entries) {
    if (typeof value !== 'number' || !Number.isInteger(value)) continue;
    const lineId = lineIdOfKey(key);
    const list = byLine.get(lineId) ?? [];
    list.push(value);
    byLine.set(lineId, list);
  }
  return byLine;
}

/**
 * An order's lines as they stand (`foldLine`), parsed — every line, or just `onlyLineId`. The
 * change maps are read once for all of them. Throws for a line that is missing or malformed.
 */
function readLines(order: OrderMap, onlyLineId?: string): OrderLine[] {
  const bases = nestedMap<OrderLine>(order, 'lines');
  const maps = lineChangeMaps(order);
  const fields: Record<string, unknown> = maps ? Object.fromEntries(maps.fields.entries()) : {};
  const qtyChanges = maps ? qtyChangesByLine(maps.qty.entries()) : new Map<string, number[]>();
  const lineIds = onlyLineId === undefined ? [...bases.keys()] : [onlyLineId];
  return lineIds.map((lineId) => {
    const base = bases.get(lineId);
    const parsed = orderLineSchema.safeParse(maps ? foldLine(base, fields, qtyChanges.get(lineId) ?? []) : base);
    if (!parsed.success) throw new Error(`no line ${lineId} on this order`);
    return parsed.data;
  });
}

const readLine = (order: OrderMap, lineId: string): OrderLine => readLines(order, lineId)[0]!;

type LineChange = Partial<Pick<OrderLine, 'qty' | 'note' | 'seat' | 'course' | 'isHeld' | 'void' | 'discount' | 'ticketId' | 'sentQty'>>;

/**
 * Writes a change of a line field by field (see LINE_FIELDS above): a new quantity becomes this
 * device's share of the change, each other field its own key. Call inside a transaction, after
 * checking the change against `current` (the line as it stands).
 */
function writeLineChange(doc: Y.Doc, order: OrderMap, current: OrderLine, change: LineChange): void {
  const maps = lineChangeMaps(order);
  if (!maps) {
    // An order opened before lines had their own change maps: the whole line, as it used to be.
    nestedMap<OrderLine>(order, 'lines').set(current.id, orderLineSchema.parse({ ...current, ...change }));
    return;
  }
  if (change.qty !== undefined && change.qty !== current.qty) {
    const key = qtyKey(current.id, doc.clientID);
    const mine = maps.qty.get(key);
    maps.qty.set(key, (typeof mine === 'number' ? mine : 0) + (change.qty - current.qty));
  }
  if (change.ticketId !== undefined || change.sentQty !== undefined) {
    maps.fields.set(fieldKey(current.id, 'sent'), { ticketId: change.ticketId ?? current.ticketId, sentQty: change.sentQty ?? current.sentQty });
  }
  for (const field of ['note', 'seat', 'course', 'isHeld', 'void', 'discount'] as const) {
    if (change[field] !== undefined && JSON.stringify(change[field]) !== JSON.stringify(current[field])) {
      maps.fields.set(fieldKey(current.id, field), change[field]);
    }
  }
}

/** Removes a line's base and every change recorded for it. */
function deleteLine(order: OrderMap, lineId: string): void {
  nestedMap<OrderLine>(order, 'lines').delete(lineId);
  const maps = lineChangeMaps(order);
  if (!maps) return;
  for (const map of [maps.fields, maps.qty]) {
    for (const key of [...map.keys()]) if (lineIdOfKey(key) === lineId) map.delete(key);
  }
}

/** True once the kitchen has heard of the line: its seat, course and note are then fixed. */
export const isLineSent = (line: Pick<OrderLine, 'ticketId' | 'sentQty'>): boolean => line.ticketId !== null || line.sentQty > 0;

export interface LinePatch {
  qty?: number;
  note?: string;
  seat?: number | null;
  course?: number;
  isHeld?: boolean;
}

/**
 * Changes a line. The quantity can change at any time (the next send tells the kitchen the
 * difference); note, seat, course and hold only before the kitchen has the line. A voided
 * line does not change.
 */
export function updateLine(doc: Y.Doc, orderId: string, lineId: string, patch: LinePatch): void {
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    const line = readLine(order, lineId);
    if (line.void) throw new Error('a voided line cannot change');
    const { qty: _qty, ...unsentOnly } = patch;
    if (isLineSent(line) && Object.keys(unsentOnly).length > 0) {
      throw new Error('the kitchen has this line: only its quantity can change (or void it)');
    }
    const checked = orderLineSchema.parse({ ...line, ...patch });
    writeLineChange(doc, order, line, {
      qty: checked.qty,
      note: checked.note,
      seat: checked.seat,
      course: checked.course,
      isHeld: checked.isHeld,
    });
  });
}

/**
 * Adds `delta` to a line's quantity as it stands in the document now — what a "+" or "−" tap
 * means. Unlike `updateLine` with a quantity the screen computed, a tap can't be lost to a
 * screen that had not yet shown another waiter's change. Never below 1 (removing is its own act).
 */
export function changeLineQty(doc: Y.Doc, orderId: string, lineId: string, delta: number): void {
  doc.transact(() => {
    const current = readLine(orderMap(doc, orderId), lineId);
    updateLine(doc, orderId, lineId, { qty: clampQty(current.qty + delta) });
  });
}

export function removeUnsentLine(doc: Y.Doc, orderId: string, lineId: string): void {
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    if (!nestedMap<OrderLine>(order, 'lines').has(lineId)) return;
    if (!isLineSent(readLine(order, lineId))) deleteLine(order, lineId);
  });
}

/**
 * Voids a line: it stays on the order, struck through and priced at nothing, with who voided it
 * and why. A line the kitchen already has is voided only with a manager's approval (the tablet
 * asks for the PIN; the server checks `approvedBy` at settlement), and the next send tells the
 * kitchen.
 */
export function voidLine(doc: Y.Doc, orderId: string, lineId: string, stamp: AuditStamp): void {
  const parsed = auditStampSchema.parse(stamp);
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    const line = readLine(order, lineId);
    if (line.void) return;
    if (isLineSent(line) && parsed.approvedBy === null) throw new Error('voiding a sent line needs a manager');
    writeLineChange(doc, order, line, { void: parsed });
  });
}

export function setLineDiscount(doc: Y.Doc, orderId: string, lineId: string, discount: Discount | null): void {
  const parsed = discount === null ? null : discountSchema.parse(discount);
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    writeLineChange(doc, order, readLine(order, lineId), { discount: parsed });
  });
}

export function setOrderDiscount(doc: Y.Doc, orderId: string, discount: Discount | null): void {
  const parsed = discount === null ? null : discountSchema.parse(discount);
  doc.transact(() => orderMap(doc, orderId).set('discount', parsed));
}

export function setCustomer(doc: Y.Doc, orderId: string, customer: OrderCustomer | null): void {
  const parsed = customer === null ? null : orderCustomerSchema.parse(customer);
  doc.transact(() => orderMap(doc, orderId).set('customer', parsed));
}

export function setGuests(doc: Y.Doc, orderId: string, guests: number): void {
  const parsed = orderHeaderSchema.shape.guests.parse(guests);
  doc.transact(() => orderMap(doc, orderId).set('guests', parsed));
}

export function markBillPrinted(doc: Y.Doc, orderId: string, now: number): void {
  doc.transact(() => orderMap(doc, orderId).set('billPrintedAt', now));
}

/** Moves an open order to another table (which must have no open order: merge instead). */
export function transferOrder(doc: Y.Doc, orderId: string, toTableId: string): void {
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    if (order.get('status') !== 'open') throw new Error('only an open order can move');
    if (openOrderForTable(doc, toTableId)) throw new Error(`table ${toTableId} has an open order: merge instead`);
    order.set('tableId', toTableId);
  });
}

/**
 * Moves lines from one open order to another, keeping their ids (so kitchen tickets still find
 * them). An order left with no lines and no payments disappears, freeing its table.
 */
export function moveLines(doc: Y.Doc, fromOrderId: string, toOrderId: string, lineIds: readonly string[]): void {
  if (fromOrderId === toOrderId) return;
  doc.transact(() => {
    const from = orderMap(doc, fromOrderId);
    const to = orderMap(doc, toOrderId);
    if (from.get('status') !== 'open' || to.get('status') !== 'open') throw new Error('only open orders can exchange lines');
    const fromLines = nestedMap<OrderLine>(from, 'lines');
    const toLines = nestedMap<OrderLine>(to, 'lines');
    for (const lineId of lineIds) {
      // The line moves as it stands now (its changes folded in); a change another device makes
      // to it on the old order at this very moment stays behind with the old order.
      const line = readLine(from, lineId);
      deleteLine(from, lineId);
      toLines.set(lineId, line);
    }
    if (fromLines.size === 0 && nestedMap<Payment>(from, 'payments').size === 0) ordersRoot(doc).delete(fromOrderId);
  });
}

/** Merges one table's open order into another's: every line moves, the emptied order goes. */
export function mergeOrders(doc: Y.Doc, fromOrderId: string, intoOrderId: string): void {
  const lineIds = [...nestedMap<OrderLine>(orderMap(doc, fromOrderId), 'lines').keys()];
  moveLines(doc, fromOrderId, intoOrderId, lineIds);
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

export interface SendInput {
  orderId: string;
  tableLabel: string;
  /** Staff id and name of the waiter sending. */
  by: string;
  waiterName: string;
  now: number;
  /**
   * Makes a ticket id (one per station touched). It is given the station and the ticket's items,
   * so a device can derive the id from them (`ticketIdFor`): two tablets sending the same thing at
   * the same moment then write one ticket, not two.
   */
  newTicketId: (station: string, items: readonly TicketItem[]) => string;
}

/** What a line contributes to the next send, or null when the kitchen is up to date with it. */
function pendingTicketItem(line: OrderLine): TicketItem | null {
  const base = {
    lineId: line.id,
    itemId: line.itemId,
    nameEn: line.nameEn,
    nameAr: line.nameAr,
    modifiers: line.modifiers,
    note: line.note,
    seat: line.seat,
    course: line.course,
    voidReason: null,
    afterTicketId: line.ticketId,
  };
  if (line.void) {
    return line.sentQty > 0 ? { ...base, kind: 'void', qty: 0, previousQty: line.sentQty, voidReason: line.void.reason } : null;
  }
  if (line.isHeld) return null;
  if (!isLineSent(line)) return { ...base, kind: 'new', qty: line.qty, previousQty: null };
  if (line.qty !== line.sentQty) return { ...base, kind: 'change', qty: line.qty, previousQty: line.sentQty };
  return null;
}

/**
 * Sends the kitchen only what is new, changed or voided since the last send, as one ticket per
 * station. Held lines stay behind until their course is fired. Returns the tickets (none when
 * the kitchen is already up to date).
 */
export function sendToKitchen(doc: Y.Doc, input: SendInput): KitchenTicket[] {
  const tickets: KitchenTicket[] = [];
  doc.transact(() => {
    const order = orderMap(doc, input.orderId);
    const byStation = new Map<string, { line: OrderLine; item: TicketItem }[]>();
    const ordered = readLines(order).sort((a, b) => a.course - b.course || a.addedAt - b.addedAt || a.id.localeCompare(b.id));
    for (const line of ordered) {
      const item = pendingTicketItem(line);
      if (!item) continue;
      const group = byStation.get(line.station) ?? [];
      group.push({ line, item });
      byStation.set(line.station, group);
    }
    for (const [station, group] of byStation) {
      const ticket = kitchenTicketSchema.parse({
        id: input.newTicketId(station, group.map((g) => g.item)),
        orderId: input.orderId,
        tableLabel: input.tableLabel,
        station,
        items: group.map((g) => g.item),
        createdAt: input.now,
        createdBy: input.by,
        waiterName: input.waiterName,
        status: 'pending',
        startedAt: null,
        readyAt: null,
        recalledAt: null,
      });
      for (const { line } of group) {
        // Only the `sent` field: a "+1" another waiter makes meanwhile stays, as a change to send.
        writeLineChange(doc, order, line, { ticketId: ticket.id, sentQty: line.void ? 0 : line.qty });
      }
      ticketsRoot(doc).set(ticket.id, ticket);
      tickets.push(ticket);
    }
  });
  return tickets;
}

/** Releases a held course and sends it (with anything else pending). */
export function fireCourse(doc: Y.Doc, input: SendInput & { course: number }): KitchenTicket[] {
  let tickets: KitchenTicket[] = [];
  doc.transact(() => {
    const order = orderMap(doc, input.orderId);
    for (const line of readLines(order)) {
      if (line.isHeld && line.course === input.course) writeLineChange(doc, order, line, { isHeld: false });
    }
    tickets = sendToKitchen(doc, input);
  });
  return tickets;
}

function setTicketStatus(doc: Y.Doc, ticketId: string, change: (ticket: KitchenTicket) => KitchenTicket | null): void {
  doc.transact(() => {
    const parsed = kitchenTicketSchema.safeParse(ticketsRoot(doc).get(ticketId));
    if (!parsed.success) return;
    const next = change(parsed.data);
    if (next) ticketsRoot(doc).set(ticketId, next);
  });
}

/** The cook has started the ticket. */
export function startTicket(doc: Y.Doc, ticketId: string, now: number): void {
  setTicketStatus(doc, ticketId, (t) => (t.status === 'pending' ? { ...t, status: 'started', startedAt: now } : null));
}

/** Bump: the ticket is ready. */
export function bumpTicket(doc: Y.Doc, ticketId: string, now: number): void {
  setTicketStatus(doc, ticketId, (t) => (t.status !== 'ready' ? { ...t, status: 'ready', readyAt: now } : null));
}

/** Recall: a bumped ticket comes back to the screen, as started. */
export function recallTicket(doc: Y.Doc, ticketId: string, now: number): void {
  setTicketStatus(doc, ticketId, (t) =>
    t.status === 'ready' ? { ...t, status: 'started', startedAt: t.startedAt ?? now, readyAt: null, recalledAt: now } : null,
  );
}

export type LineKitchenState = 'unsent' | 'held' | TicketStatus | 'voided';

/**
 * Where a line stands in the kitchen, for the waiter's tablet: the status of the last ticket
 * that carried it (a change not yet sent counts as unsent).
 */
export function lineKitchenState(line: OrderLine, ticketsById: ReadonlyMap<string, KitchenTicket>): LineKitchenState {
  if (line.void) return 'voided';
  if (line.isHeld && !isLineSent(line)) return 'held';
  if (line.ticketId === null || line.qty !== line.sentQty) return 'unsent';
  return ticketsById.get(line.ticketId)?.status ?? 'pending';
}

/**
 * Records a payment; when the payments cover `totals.totalMinor` the order becomes `paid` with
 * those totals, which is the moment the relay settles it.
 */
export function recordPayment(doc: Y.Doc, orderId: string, payment: NewPayment, totals: NewOrderTotals, now: number): void {
  const parsed = paymentSchema.parse(payment);
  const parsedTotals = orderTotalsSchema.parse(totals);
  doc.transact(() => {
    const order = orderMap(doc, orderId);
    const payments = nestedMap<Payment>(order, 'payments');
    payments.set(parsed.id, parsed);
    const paid = [...payments.values()].reduce((sum, p) => sum + p.amountMinor, 0);
    if (paid >= parsedTotals.totalMinor) {
      order.set('totals', parsedTotals);
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
  const { lines: rawLines, payments: rawPayments, [LINE_FIELDS]: rawFields, [LINE_QTY]: rawQty, ...header } = map.toJSON() as Record<string, unknown>;
  const fields = (rawFields ?? {}) as Record<string, unknown>;
  const qtyChanges = qtyChangesByLine(Object.entries((rawQty ?? {}) as Record<string, unknown>));
  const lines = Object.entries((rawLines ?? {}) as Record<string, OrderLine>)
    .map(([lineId, base]) => foldLine(base, fields, qtyChanges.get(lineId) ?? []) as OrderLine)
    .sort((a, b) => a.addedAt - b.addedAt || a.id.localeCompare(b.id));
  const payments = Object.values((rawPayments ?? {}) as Record<string, Payment>).sort((a, b) => a.at - b.at);
  const parsed = orderSchema.safeParse({ ...header, lines, payments });
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
  const raw = settlementRoot(doc).get(orderId);
  // Most orders have no record yet, and the relay asks for every write of every update: a failed
  // zod parse builds an error, so "nothing there" is answered before parsing.
  if (raw === undefined) return null;
  const parsed = settlementRecordSchema.safeParse(raw);
  return parsed.success ? parsed.data : null;
}

/** Server only: record what became of a paid order. */
export function writeSettlement(doc: Y.Doc, orderId: string, record: NewSettlementRecord): void {
  doc.transact(() => settlementRoot(doc).set(orderId, settlementRecordSchema.parse(record)), SERVER_ORIGIN);
}

/** Every readable print job, by ticket id. */
export function readPrintJobs(doc: Y.Doc): Map<string, PrintJob> {
  const jobs = new Map<string, PrintJob>();
  for (const [ticketId, value] of printJobsRoot(doc).entries()) {
    const parsed = printJobSchema.safeParse(value);
    if (parsed.success) jobs.set(ticketId, parsed.data);
  }
  return jobs;
}

/** Server only: record what became of printing a kitchen ticket. */
export function writePrintJob(doc: Y.Doc, ticketId: string, job: PrintJob): void {
  doc.transact(() => printJobsRoot(doc).set(ticketId, printJobSchema.parse(job)), SERVER_ORIGIN);
}

/** The unpaid order on a table, if any. A paid table is free again, settled or not yet. */
export function openOrderForTable(doc: Y.Doc, tableId: string): Order | null {
  return listOrders(doc).find((o) => o.tableId === tableId && o.status === 'open') ?? null;
}

/**
 * Where a receipt sits in the `receipts` root: one key per order and issuing device. Two tablets
 * that both took payment for one order while cut off from each other have each issued a receipt
 * into their own ETA chain; both are legal documents, so both must reach the server (a device's
 * chain with a receipt missing breaks at ETA), and neither may overwrite the other. Older tablets
 * keyed a receipt by its order id alone; those keys are still read.
 */
export const receiptKey = (entry: Pick<FiscalReceiptEntry, 'orderId' | 'deviceId'>): string => `${entry.orderId}:${entry.deviceId}`;

/** The order a `receipts` key belongs to (its own key for older entries). */
export const orderIdOfReceiptKey = (key: string): string => {
  const colon = key.indexOf(':');
  return colon === -1 ? key : key.slice(0, colon);
};

/** Whether `key` is where `entry` belongs (its order and device, or its order alone for older tablets). */
export const isReceiptKeyOf = (key: string, entry: Pick<FiscalReceiptEntry, 'orderId' | 'deviceId'>): boolean =>
  key === receiptKey(entry) || key === entry.orderId;

/**
 * Puts the ETA receipt a tablet issued for an order into the document, once per device: a device
 * that already has its receipt for the order there keeps it (the relay refuses a change too).
 * Returns false in that case.
 */
export function writeReceipt(doc: Y.Doc, entry: FiscalReceiptEntry): boolean {
  const parsed = fiscalReceiptEntrySchema.parse(entry);
  let isWritten = false;
  doc.transact(() => {
    if (readReceipts(doc, parsed.orderId).some((r) => r.deviceId === parsed.deviceId)) return;
    receiptsRoot(doc).set(receiptKey(parsed), parsed);
    isWritten = true;
  });
  return isWritten;
}

/**
 * Every readable receipt entry of the document with its key: valid, and under the key it belongs
 * to (the relay refuses anything else; an old document may still hold one).
 */
export function listReceiptEntries(doc: Y.Doc, orderId?: string): { key: string; entry: FiscalReceiptEntry }[] {
  const found: { key: string; entry: FiscalReceiptEntry }[] = [];
  for (const [key, value] of receiptsRoot(doc).entries()) {
    if (orderId !== undefined && orderIdOfReceiptKey(key) !== orderId) continue;
    const parsed = fiscalReceiptEntrySchema.safeParse(value);
    if (parsed.success && isReceiptKeyOf(key, parsed.data)) found.push({ key, entry: parsed.data });
  }
  return found;
}

/** Every readable receipt issued for an order (usually one; two when two devices took payment offline). */
export function readReceipts(doc: Y.Doc, orderId: string): FiscalReceiptEntry[] {
  const receipts = listReceiptEntries(doc, orderId).map((r) => r.entry);
  return receipts.sort((a, b) => a.issuedAt - b.issuedAt || a.deviceId.localeCompare(b.deviceId));
}

/**
 * The receipt issued for an order — by `deviceId` when given, else the first issued — or null
 * (none yet, or unreadable).
 */
export function readReceipt(doc: Y.Doc, orderId: string, deviceId?: string): FiscalReceiptEntry | null {
  const receipts = readReceipts(doc, orderId);
  return (deviceId === undefined ? receipts[0] : receipts.find((r) => r.deviceId === deviceId)) ?? null;
}
