import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { duplicateTicketItems } from './kitchen-duplicates';
import { addLine, listTickets, openOrder, sendToKitchen, updateLine } from './live-doc';
import { orderLineSchema, type KitchenTicket } from './schemas/order';

const ORDER = '00000000-0000-4000-8000-000000000001';
let n = 100;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const line = (station = 'grill') =>
  orderLineSchema.parse({
    id: uuid(), itemId: 'item-kofta', nameEn: 'Kofta', nameAr: 'كفتة', qty: 1, unitPriceMinor: 1_000, modifiers: [], note: '',
    station, addedBy: 'sara', addedAt: n, ticketId: null,
  });
const send = (doc: Y.Doc, now: number) =>
  sendToKitchen(doc, { orderId: ORDER, newTicketId: uuid, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now });
const copy = (from: Y.Doc) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(from));
  return doc;
};

describe('the same line sent twice', () => {
  it('[KDS-27] two tablets cut off from each other send one unsent line with lines of their own: the later ticket has it as already sent', () => {
    const a = new Y.Doc();
    openOrder(a, { id: ORDER, branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2, openedAt: 0, openedBy: 'sara', deviceId: 'dev1' });
    const shared = line();
    addLine(a, ORDER, shared);
    const b = copy(a);
    addLine(a, ORDER, line());
    addLine(b, ORDER, line());
    const [first] = send(a, 10);
    const [second] = send(b, 11);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    const tickets = listTickets(a);
    expect(tickets).toHaveLength(2);
    const duplicates = duplicateTicketItems(tickets);
    expect([...duplicates.keys()]).toEqual([second!.id]);
    expect([...duplicates.get(second!.id)!]).toEqual([[shared.id, first!.id]]);
    // the same answer whichever order the tickets are listed in (every screen agrees)
    expect(duplicateTicketItems([...tickets].reverse())).toEqual(duplicates);
  });

  it('[KDS-27] a change repeated later on purpose (2 → 3, back to 2, 3 again) is not a duplicate', () => {
    const doc = new Y.Doc();
    openOrder(doc, { id: ORDER, branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2, openedAt: 0, openedBy: 'sara', deviceId: 'dev1' });
    const kofta = line();
    addLine(doc, ORDER, { ...kofta, qty: 2 });
    send(doc, 1);
    for (const [qty, at] of [[3, 2], [2, 3], [3, 4]] as const) {
      updateLine(doc, ORDER, kofta.id, { qty });
      send(doc, at);
    }
    const tickets = listTickets(doc);
    expect(tickets.map((t) => `${t.items[0]!.previousQty ?? '-'}→${t.items[0]!.qty}`)).toEqual(['-→2', '2→3', '3→2', '2→3']);
    expect(duplicateTicketItems(tickets).size).toBe(0);
  });

  it('[KDS-27] a change from an older tablet (no afterTicketId) is never taken for a duplicate', () => {
    const item = { lineId: uuid(), itemId: 'item-kofta', nameEn: 'K', nameAr: 'K', kind: 'change' as const, qty: 3, previousQty: 2, modifiers: [], note: '', seat: null, course: 1, voidReason: null, afterTicketId: null };
    const ticket = (id: string, at: number): KitchenTicket => ({
      id, orderId: ORDER, tableLabel: 'T1', station: 'grill', items: [item], createdAt: at, createdBy: 'sara', waiterName: 'Sara',
      status: 'pending', startedAt: null, readyAt: null, recalledAt: null,
    });
    expect(duplicateTicketItems([ticket(uuid(), 1), ticket(uuid(), 2)]).size).toBe(0);
  });
});
