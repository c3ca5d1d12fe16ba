import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, listOrders, openOrderForTable, readOrder, sendToKitchen } from '../../../shared/live-doc';
import { mergeTables, moveLinesToTable, openCounterOrder, seatTable, transferTable, type Opener } from './floor-actions';

let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;
const by = (): Opener => ({ branchId: 'cairo', staffId: 'sara', deviceId: 'pos-1', now: 1_000, newId: uuid });

function addTea(doc: Y.Doc, orderId: string): string {
  const id = uuid();
  addLine(doc, orderId, {
    id, itemId: 'cairo-mint-tea', nameEn: 'Tea', nameAr: 'شاي', qty: 1, unitPriceMinor: 2_000, modifiers: [], note: '',
    station: 'bar', addedBy: 'sara', addedAt: counter, ticketId: null,
  });
  return id;
}

const order = (doc: Y.Doc, id: string) => {
  const read = readOrder(doc, id);
  if (!read.ok) throw new Error(read.error);
  return read.value;
};

describe('floor actions', () => {
  it('[FLR-01] seats a party with its guest count, and a second tap finds the same order', () => {
    const doc = new Y.Doc();
    const id = seatTable(doc, 'cairo-t1', 4, by());
    expect(order(doc, id)).toMatchObject({ tableId: 'cairo-t1', guests: 4, type: 'dine-in', status: 'open' });
    expect(seatTable(doc, 'cairo-t1', 2, by())).toBe(id);
    expect(listOrders(doc)).toHaveLength(1);
  });

  it('[FLR-03] transfers a whole table, sent lines and all, to a free table and refuses an occupied one', () => {
    const doc = new Y.Doc();
    const id = seatTable(doc, 'cairo-t1', 2, by());
    addTea(doc, id);
    sendToKitchen(doc, { orderId: id, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 2, newTicketId: uuid });
    transferTable(doc, id, 'cairo-t9');
    expect(openOrderForTable(doc, 'cairo-t1')).toBeNull();
    expect(openOrderForTable(doc, 'cairo-t9')?.lines).toHaveLength(1);
    seatTable(doc, 'cairo-t2', 2, by());
    expect(() => transferTable(doc, id, 'cairo-t2')).toThrow(/merge instead/);
  });

  it('[FLR-04] moves chosen lines to a free table (a new order there) and to an occupied one, keeping line ids', () => {
    const doc = new Y.Doc();
    const id = seatTable(doc, 'cairo-t1', 3, by());
    const [a, b, c] = [addTea(doc, id), addTea(doc, id), addTea(doc, id)];
    const newOrder = moveLinesToTable(doc, id, [a], 'cairo-t5', by());
    expect(order(doc, newOrder)).toMatchObject({ tableId: 'cairo-t5', guests: 1 });
    expect(order(doc, newOrder).lines.map((l) => l.id)).toEqual([a]);
    expect(moveLinesToTable(doc, id, [b], 'cairo-t5', by())).toBe(newOrder);
    expect(order(doc, newOrder).lines.map((l) => l.id).sort()).toEqual([a, b].sort());
    expect(order(doc, id).lines.map((l) => l.id)).toEqual([c]);
    // moving the last line frees the first table
    moveLinesToTable(doc, id, [c], 'cairo-t5', by());
    expect(openOrderForTable(doc, 'cairo-t1')).toBeNull();
  });

  it('[FLR-05] merges two tables: lines move, guests add up, the first table is free', () => {
    const doc = new Y.Doc();
    const first = seatTable(doc, 'cairo-t1', 2, by());
    const second = seatTable(doc, 'cairo-t2', 3, by());
    addTea(doc, first);
    addTea(doc, second);
    mergeTables(doc, first, second);
    expect(order(doc, second)).toMatchObject({ guests: 5 });
    expect(order(doc, second).lines).toHaveLength(2);
    expect(openOrderForTable(doc, 'cairo-t1')).toBeNull();
  });

  it('[FLR-06] opens a delivery order with its customer and no table', () => {
    const doc = new Y.Doc();
    const customer = { id: null, name: 'Nour', phone: '01001234567', address: '12 Tahrir St' };
    const id = openCounterOrder(doc, 'delivery', customer, by());
    expect(order(doc, id)).toMatchObject({ type: 'delivery', tableId: null, customer });
  });
});
