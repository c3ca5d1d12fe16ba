import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, bumpTicket, openOrder, recallTicket, sendToKitchen, startTicket, settlementRoot, ticketsRoot, writeSettlement } from '../../shared/live-doc';
import { REFUSAL_REASON } from '../../shared/protocol';
import { inspectUpdate } from './update-inspection';
import { checkWrites, lateSettledOrderEdits, type WriterKind } from './write-policy';

const ORDER = '00000000-0000-4000-8000-000000000001';
const TICKET = '00000000-0000-4000-8000-000000000002';

/** A server document with one sent order, and a function that checks a replica's change. */
function setup() {
  const server = new Y.Doc();
  openOrder(server, { id: ORDER, branchId: 'cairo', type: 'dine-in', tableId: 'cairo-t1', guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'pos-1' });
  addLine(server, ORDER, {
    id: '00000000-0000-4000-8000-000000000003', itemId: 'cairo-hummus', nameEn: 'Hummus', nameAr: 'حمص', qty: 1,
    unitPriceMinor: 4_500, modifiers: [], note: '', station: 'cold', addedBy: 'sara', addedAt: 1, ticketId: null,
  });
  sendToKitchen(server, { orderId: ORDER, newTicketId: () => TICKET, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 1 });
  const check = (writer: WriterKind, change: (replica: Y.Doc) => void) => {
    const replica = new Y.Doc();
    Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
    const updates: Uint8Array[] = [];
    replica.on('update', (u: Uint8Array) => updates.push(u));
    change(replica);
    return checkWrites(server, writer, inspectUpdate(server, Y.mergeUpdates(updates)).writes)?.reason ?? 'ok';
  };
  return { server, check };
}

describe('write policy', () => {
  it('[SYNC-06] nobody but the server writes settlement or unknown roots', () => {
    const { check } = setup();
    expect(check('tablet', (d) => settlementRoot(d).set(ORDER, { status: 'settled', at: 1, reason: null, message: null, lateChanges: [] }))).toBe(REFUSAL_REASON.serverOwned);
    expect(check('tablet', (d) => d.getMap('prices').set('x', 1))).toBe(REFUSAL_REASON.serverOwned);
  });

  it('[SYNC-12] a tablet edits open orders; inside a settled one its edit is a late edit, and it never brings one back', () => {
    const { server, check } = setup();
    const setGuests = (d: Y.Doc) => ((d.getMap('orders').get(ORDER) as Y.Map<unknown>).set('guests', 3));
    const lateOf = (change: (d: Y.Doc) => void) => {
      const replica = new Y.Doc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
      const updates: Uint8Array[] = [];
      replica.on('update', (u: Uint8Array) => updates.push(u));
      change(replica);
      return lateSettledOrderEdits(server, 'tablet', inspectUpdate(server, Y.mergeUpdates(updates)).writes);
    };
    expect(check('tablet', setGuests)).toBe('ok');
    expect(lateOf(setGuests)).toEqual([]);
    writeSettlement(server, ORDER, { status: 'settled', at: 2, reason: null, message: null });
    // an offline tablet's change inside the settled order: taken (the relay sets the order aside first)
    expect(check('tablet', setGuests)).toBe('ok');
    expect(lateOf(setGuests)).toEqual([ORDER]);
    expect(lateOf((d) => d.getMap('orders').delete(ORDER))).toEqual([ORDER]);
    // but a new value under the settled order's id would bring it back: refused
    expect(check('tablet', (d) => d.getMap('orders').set(ORDER, new Y.Map()))).toBe(REFUSAL_REASON.orderSettled);
  });

  it('[SYNC-07] a kitchen screen bumps a ticket, and may do nothing else', () => {
    const { check } = setup();
    expect(check('kitchen', (d) => bumpTicket(d, TICKET, 5))).toBe('ok');
    expect(check('kitchen', (d) => startTicket(d, TICKET, 5))).toBe('ok');
    expect(check('kitchen', (d) => (bumpTicket(d, TICKET, 5), recallTicket(d, TICKET, 6)))).toBe('ok');
    expect(
      check('kitchen', (d) => {
        const ticket = ticketsRoot(d).get(TICKET)!;
        ticketsRoot(d).set(TICKET, { ...ticket, items: ticket.items.map((i) => ({ ...i, qty: 9 })) });
      }),
    ).toBe(REFUSAL_REASON.ticketEdit);
    expect(check('kitchen', (d) => (d.getMap('orders').get(ORDER) as Y.Map<unknown>).set('guests', 9))).toBe(REFUSAL_REASON.ticketEdit);
    expect(check('kitchen', (d) => ticketsRoot(d).delete(TICKET))).toBe(REFUSAL_REASON.ticketEdit);
    expect(check('kitchen', (d) => ticketsRoot(d).set(TICKET, { ...ticketsRoot(d).get(TICKET)!, tableLabel: 'T9' }))).toBe(REFUSAL_REASON.ticketEdit);
    expect(check('kitchen', (d) => ticketsRoot(d).set('00000000-0000-4000-8000-00000000000f', { ...ticketsRoot(d).get(TICKET)!, id: '00000000-0000-4000-8000-00000000000f' }))).toBe(REFUSAL_REASON.ticketEdit);
  });
});
