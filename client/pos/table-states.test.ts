import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, openOrder, recordPayment, writeSettlement } from '../../shared/live-doc';
import { tableViews } from './table-states';

const ids = {
  order1: '00000000-0000-4000-8000-000000000001',
  order2: '00000000-0000-4000-8000-000000000002',
  line: '00000000-0000-4000-8000-000000000010',
  payment: '00000000-0000-4000-8000-000000000020',
};

function open(doc: Y.Doc, id: string, tableId: string, openedAt: number) {
  openOrder(doc, { id, branchId: 'cairo', type: 'dine-in', tableId, guests: 2, openedAt, openedBy: 'sara', deviceId: 'dev1' });
}

function pay(doc: Y.Doc, orderId: string) {
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

  it('shows a paid order as paid until the server settles it, then the table is free', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    pay(doc, ids.order1);
    expect(tableViews(doc).get('t1')).toEqual({ state: 'paid', openOrder: null });
    writeSettlement(doc, ids.order1, { status: 'settled', at: 3, reason: null, message: null });
    expect(tableViews(doc).get('t1')).toBeUndefined();
  });

  it('prefers a new open order over an earlier paid one on the same table', () => {
    const doc = new Y.Doc();
    open(doc, ids.order1, 't1', 100);
    pay(doc, ids.order1);
    open(doc, ids.order2, 't1', 200);
    expect(tableViews(doc).get('t1')?.openOrder?.id).toBe(ids.order2);
  });
});
