import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, listTickets, openOrder, readOrder, sendToKitchen, updateLine, type SendInput } from '../../../shared/live-doc';
import { clientIdSchema } from '../../../shared/schemas/common';
import { orderLineSchema, type TicketItem } from '../../../shared/schemas/order';
import { ticketIdFor } from './ticket-ids';

const ORDER = '00000000-0000-4000-8000-000000000001';
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const line = (n: number, station: string, by: string) =>
  orderLineSchema.parse({
    id: id(n), itemId: `item-${n}`, nameEn: `Item ${n}`, nameAr: `صنف ${n}`, qty: 1, unitPriceMinor: 100, modifiers: [],
    note: '', station, addedBy: by, addedAt: n, ticketId: null,
  });
const item = (lineId: string, extra: Partial<TicketItem> = {}): TicketItem => ({
  lineId, itemId: 'x', nameEn: 'X', nameAr: 'س', kind: 'new', qty: 1, previousQty: null, modifiers: [], note: '', seat: null,
  course: 1, voidReason: null, afterTicketId: null, ...extra,
});

/** The tablet's send: ticket ids from the content and the ticket that last carried each line. */
const tabletSend = (doc: Y.Doc, by: string, now: number): SendInput => ({
  orderId: ORDER,
  tableLabel: 'T1',
  by,
  waiterName: by,
  now,
  newTicketId: (station, items) =>
    ticketIdFor(ORDER, station, items, (lineId) => {
      const read = readOrder(doc, ORDER);
      return read.ok ? (read.value.lines.find((l) => l.id === lineId)?.ticketId ?? null) : null;
    }),
});

const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('ticket ids from content [ENT-10]', () => {
  it('[ENT-10] the same send gives the same UUID; anything different gives another', () => {
    const a = ticketIdFor(ORDER, 'grill', [item(id(2)), item(id(3))], () => null);
    expect(clientIdSchema.safeParse(a).success).toBe(true);
    expect(ticketIdFor(ORDER, 'grill', [item(id(3)), item(id(2))], () => null)).toBe(a); // order of items
    expect(ticketIdFor(ORDER, 'bar', [item(id(2)), item(id(3))], () => null)).not.toBe(a);
    expect(ticketIdFor(ORDER, 'grill', [item(id(2))], () => null)).not.toBe(a);
    const change = item(id(2), { kind: 'change', qty: 3, previousQty: 2 });
    // the same change again later, after another ticket carried the line, is a new ticket
    expect(ticketIdFor(ORDER, 'grill', [change], () => id(50))).not.toBe(ticketIdFor(ORDER, 'grill', [change], () => id(51)));
  });

  it('[ENT-10] two tablets sending the same order at the same moment make one ticket per station, once', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    openOrder(a, { id: ORDER, branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'tab-a' });
    addLine(a, ORDER, line(2, 'grill', 'sara'));
    sync(a, b);
    addLine(b, ORDER, line(3, 'bar', 'nour'));
    sync(a, b);
    // both press send before either hears of the other's send
    sendToKitchen(a, tabletSend(a, 'sara', 10));
    sendToKitchen(b, tabletSend(b, 'nour', 11));
    sync(a, b);
    const tickets = listTickets(a);
    expect(tickets.map((t) => t.station).sort()).toEqual(['bar', 'grill']);
    expect(listTickets(b)).toEqual(tickets);
    // a later change sent by both at once is one change ticket too
    updateLine(a, ORDER, id(2), { qty: 2 });
    sync(a, b);
    sendToKitchen(a, tabletSend(a, 'sara', 20));
    sendToKitchen(b, tabletSend(b, 'nour', 21));
    sync(a, b);
    const items = listTickets(a).flatMap((t) => t.items.map((i) => `${i.itemId} ${i.kind} ${i.qty}`));
    expect(items.sort()).toEqual(['item-2 change 2', 'item-2 new 1', 'item-3 new 1']);
    const read = readOrder(b, ORDER);
    expect(read.ok && read.value.lines.map((l) => l.sentQty)).toEqual([2, 1]);
  });
});
