import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, markBillPrinted, openOrder, recordPayment, sendToKitchen, writeSettlement } from '../../shared/live-doc';
import { queueOrders, SETTLED_SHOWN_MS, tableViews } from './table-states';

const ids = {
  order1: '00000000-0000-4000-8000-000000000001',
  order2: '00000000-0000-4000-8000-000000000002',
  line: '00000000-0000-4000-8000-000000000010',
  payment: '00000000-0000-4000-8000-000000000020',
};

function open(doc: Y.Doc, id: string, tableId: string, openedAt: number) {
  openOrder(doc, { id, branchId: 'cairo', type: 'dine-in', tableId, guests: 2, openedAt, openedBy: 'sara', deviceId: 'dev1' });
}

function addTea(doc: Y.Doc, orderId: string) {
  addLine(doc, orderId, {
    id: ids.line,
    itemId: 'item_tea',
    nameEn: 'Tea',
    nameAr: 'شاي',
    qty: 1,
    unitPriceMinor: 1_000,
    modifiers: [],
    note: '',
    station: 'bar',
    addedBy: 'sara',
    addedAt: 1,
    ticketId: null,
  });
}

function pay(doc: Y.Doc, orderId: string) {
  addTea(doc, orderId);
  const totals = { subtotalMinor: 1_000, serviceMinor: 0, vatMinor: 0, totalMinor: 1_000 };
  recordPayment(doc, orderId, { id: ids.payment, method: 'cash', amountMinor: 1_000, tenderedMinor: 1_000, changeMinor: 0, at: 2, by: 'sara' }, totals, 2);
}

describe('table states', () => {
  it('shows a table with an open order as occupied, with that order', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    const view = tableViews(doc).get('t1');
    expect(view?.state).toBe('occupied');
    expect(view?.openOrder?.id).toBe(ids.order1);
    expect(tableViews(doc).get('t2')).toBeUndefined();
  });

  it('[FLR-02] a table reads occupied, then sent once the kitchen has a line, then bill printed', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    addTea(doc, ids.order1);
    expect(tableViews(doc).get('t1')?.state).toBe('occupied');
    sendToKitchen(doc, { orderId: ids.order1, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 5, newTicketId: () => ids.payment.replace('20', '30') });
    expect(tableViews(doc).get('t1')?.state).toBe('sent');
    markBillPrinted(doc, ids.order1, 6);
    expect(tableViews(doc).get('t1')?.state).toBe('bill');
  });

  it('[FLR-02] shows a paid order as paid until the server settles it, then settled for a while, then free', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    pay(doc, ids.order1);
    expect(tableViews(doc, 10).get('t1')).toMatchObject({ state: 'paid', openOrder: null, settlement: null });
    writeSettlement(doc, ids.order1, { status: 'settled', at: 1_000, reason: null, message: null });
    expect(tableViews(doc, 2_000).get('t1')).toMatchObject({ state: 'settled', openOrder: null, paidOrder: { id: ids.order1 } });
    expect(tableViews(doc, 1_000 + SETTLED_SHOWN_MS).get('t1')).toBeUndefined();
  });

  it('[FLR-02] a refused settlement keeps the table reading paid, with the refusal', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    pay(doc, ids.order1);
    writeSettlement(doc, ids.order1, { status: 'rejected', at: 1_000, reason: 'price-mismatch', message: 'x' });
    expect(tableViews(doc, 2_000).get('t1')).toMatchObject({ state: 'paid', settlement: { status: 'rejected' } });
  });

  it('[FLR-06] lists takeaway and delivery orders in the queue, not dine-in ones', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    openOrder(doc, { id: ids.order2, branchId: 'cairo', type: 'delivery', tableId: null, guests: 1, openedAt: 200, openedBy: 'sara', deviceId: 'dev1',
      customer: { id: null, name: 'Nour', phone: '01001234567', address: '12 Tahrir St' } });
    const queue = queueOrders(doc, 300);
    expect(queue.map((entry) => [entry.order.id, entry.view.state])).toEqual([[ids.order2, 'occupied']]);
    expect(queue[0]!.order.customer?.address).toBe('12 Tahrir St');
  });

  it('prefers a new open order over an earlier paid one on the same table', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    pay(doc, ids.order1);
    open(doc, ids.order2, 't1', 200);
    expect(tableViews(doc).get('t1')?.openOrder?.id).toBe(ids.order2);
  });
});
