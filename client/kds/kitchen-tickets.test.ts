import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, bumpTicket, openOrder, sendToKitchen } from '../../shared/live-doc';
import { orderLineSchema, type OrderLine } from '../../shared/schemas/order';
import { kitchenBoard } from './kitchen-tickets';

const ORDER = '00000000-0000-4000-8000-000000000001';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const line = (n: number, nameEn: string): OrderLine =>
  orderLineSchema.parse({
  id: uuid(100 + n),
  itemId: 'item_tea',
  nameEn,
  nameAr: nameEn,
  qty: 1,
  unitPriceMinor: 1_000,
  modifiers: [],
  note: '',
  station: 'bar',
  addedBy: 'sara',
  addedAt: n,
  ticketId: null,
  });

describe('kitchen board', () => {
  it('shows each pending ticket with only its own lines, and moves bumped ones to recently ready', () => {
    const doc = new Y.Doc();
    openOrder(doc, { id: ORDER, branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2, openedAt: 0, openedBy: 'sara', deviceId: 'dev1' });
    addLine(doc, ORDER, line(1, 'Tea'));
    sendToKitchen(doc, { orderId: ORDER, newTicketId: () => uuid(201), tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 10 });
    addLine(doc, ORDER, line(2, 'Coffee'));
    sendToKitchen(doc, { orderId: ORDER, newTicketId: () => uuid(202), tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 20 });

    const before = kitchenBoard(doc);
    expect(before.pending.map((v) => [v.ticket.id, v.lines?.map((l) => l.nameEn)])).toEqual([
      [uuid(201), ['Tea']],
      [uuid(202), ['Coffee']],
    ]);

    bumpTicket(doc, uuid(201), 30);
    const after = kitchenBoard(doc);
    expect(after.pending.map((v) => v.ticket.id)).toEqual([uuid(202)]);
    expect(after.recentlyReady.map((t) => t.id)).toEqual([uuid(201)]);
  });
});
