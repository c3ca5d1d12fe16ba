import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  addLine,
  bumpTicket,
  discardEmptyOrder,
  listOrders,
  listTickets,
  openOrder,
  openOrderForTable,
  readOrder,
  recordPayment,
  sendToKitchen,
} from './live-doc';
import type { OrderLine } from './schemas/order';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const line = (overrides: Partial<OrderLine> = {}): OrderLine => ({
  id: uuid(), itemId: 'cairo-hummus', nameEn: 'Hummus', nameAr: 'حمص', qty: 1, unitPriceMinor: 4_500,
  modifiers: [], note: '', station: 'cold', addedBy: 'sara', addedAt: Date.now(), ticketId: null, ...overrides,
});
const newOrder = (doc: Y.Doc, id = uuid(), tableId = 'cairo-t1') => {
  openOrder(doc, { id, branchId: 'cairo', type: 'dine-in', tableId, guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'pos-1' });
  return id;
};
const sync = (a: Y.Doc, b: Y.Doc) => {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
};

describe('live document', () => {
  it('[ORD-01] an order opens on a device with no server, status open', () => {
    const doc = new Y.Doc();
    const id = newOrder(doc);
    const read = readOrder(doc, id);
    expect(read.ok && read.value.status).toBe('open');
    expect(openOrderForTable(doc, 'cairo-t1')?.id).toBe(id);
  });

  it('[ORD-02] two devices adding lines to one order offline keep every line and converge', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.integer({ min: 0, max: 8 }), (countA, countB) => {
        const a = new Y.Doc();
        const b = new Y.Doc();
        const orderId = newOrder(a);
        sync(a, b);
        for (let i = 0; i < countA; i++) addLine(a, orderId, line({ addedBy: 'sara' }));
        for (let i = 0; i < countB; i++) addLine(b, orderId, line({ addedBy: 'omar' }));
        sync(a, b);
        const fromA = readOrder(a, orderId);
        const fromB = readOrder(b, orderId);
        expect(fromA.ok && fromA.value.lines.length).toBe(countA + countB);
        expect(fromA).toEqual(fromB);
      }),
      { numRuns: 40 },
    );
  });

  it('[ORD-03] send to kitchen carries only lines not sent before; nothing new → no ticket', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    addLine(doc, orderId, line());
    const first = sendToKitchen(doc, { orderId, ticketId: uuid(), tableLabel: 'T1', by: 'sara', now: 1 });
    expect(first?.lineIds).toHaveLength(1);
    expect(sendToKitchen(doc, { orderId, ticketId: uuid(), tableLabel: 'T1', by: 'sara', now: 2 })).toBeNull();
    addLine(doc, orderId, line());
    const second = sendToKitchen(doc, { orderId, ticketId: uuid(), tableLabel: 'T1', by: 'sara', now: 3 });
    expect(second?.lineIds).toHaveLength(1);
    expect(second?.lineIds[0]).not.toBe(first?.lineIds[0]);
    expect(listTickets(doc)).toHaveLength(2);
  });

  it('[ORD-04] bumping a ticket makes it ready once', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    addLine(doc, orderId, line());
    const ticket = sendToKitchen(doc, { orderId, ticketId: uuid(), tableLabel: 'T1', by: 'sara', now: 1 })!;
    bumpTicket(doc, ticket.id, 5);
    bumpTicket(doc, ticket.id, 9);
    expect(listTickets(doc)[0]).toMatchObject({ status: 'ready', readyAt: 5 });
  });

  it('[ORD-05] payments covering the total mark the order paid and free the table', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    addLine(doc, orderId, line());
    const totals = { subtotalMinor: 4_500, serviceMinor: 540, vatMinor: 706, totalMinor: 5_746 };
    const pay = (amountMinor: number) =>
      recordPayment(doc, orderId, { id: uuid(), method: 'cash', amountMinor, tenderedMinor: amountMinor, changeMinor: 0, at: 1, by: 'sara' }, totals, 7);
    pay(3_000);
    expect(listOrders(doc)[0]?.status).toBe('open');
    pay(2_746);
    expect(listOrders(doc)[0]).toMatchObject({ status: 'paid', paidAt: 7, totals });
    expect(openOrderForTable(doc, 'cairo-t1')).toBeNull();
  });

  it('discards an order opened by mistake, never one with lines', () => {
    const doc = new Y.Doc();
    const empty = newOrder(doc);
    expect(discardEmptyOrder(doc, empty)).toBe(true);
    expect(openOrderForTable(doc, 'cairo-t1')).toBeNull();
    const kept = newOrder(doc);
    addLine(doc, kept, line());
    expect(discardEmptyOrder(doc, kept)).toBe(false);
    expect(openOrderForTable(doc, 'cairo-t1')?.id).toBe(kept);
  });

  it('reports a malformed order instead of crashing', () => {
    const doc = new Y.Doc();
    const bogus = new Y.Map<unknown>();
    doc.getMap('orders').set('bad', bogus);
    bogus.set('status', 'weird');
    expect(readOrder(doc, 'bad').ok).toBe(false);
    expect(listOrders(doc)).toEqual([]);
  });
});
