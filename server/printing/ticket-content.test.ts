import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, openOrder, sendToKitchen, updateLine, voidLine } from '../../shared/live-doc';
import { orderLineSchema, type OrderLine } from '../../shared/schemas/order';
import { stationTicketFor } from './ticket-content';
import { renderStationTicket } from './ticket-render';

const line = (nameEn: string, station: string, overrides: Partial<OrderLine> = {}): OrderLine => orderLineSchema.parse({
  id: randomUUID(), itemId: `cairo-${nameEn.toLowerCase()}`, nameEn, nameAr: `عربي ${nameEn}`, qty: 1, unitPriceMinor: 1000,
  modifiers: [], note: '', station, addedBy: 'sara', addedAt: 1, ticketId: null, ...overrides,
});

const names = { stationName: (id: string) => ({ grill: 'Grill', bar: 'Bar' })[id] ?? id };

function orderDoc() {
  const doc = new Y.Doc();
  const orderId = randomUUID();
  openOrder(doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: 't3', guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'pos-1' });
  const send = (now: number) => sendToKitchen(doc, { orderId, tableLabel: 'T3', by: 'sara', waiterName: 'Sara', now, newTicketId: () => randomUUID() });
  return { doc, orderId, send };
}

describe('station tickets', () => {
  it('[PRN-01] prints a station\'s ticket from its item snapshots, with names, seat, course and modifiers', () => {
    const { doc, orderId, send } = orderDoc();
    const kofta = line('Kofta', 'grill', { qty: 2, seat: 3, modifiers: [{ groupId: 'size', optionId: 'large', nameEn: 'Large', nameAr: 'كبير', priceMinor: 0 }] });
    addLine(doc, orderId, kofta);
    addLine(doc, orderId, line('Tea', 'bar', { note: 'no sugar' }));
    const tickets = send(1_700_000_000_000);
    const grill = tickets.find((t) => t.station === 'grill')!;
    const printed = stationTicketFor(grill, names);
    expect(printed).toMatchObject({ stationId: 'grill', stationName: 'Grill', tableLabel: 'T3', waiterName: 'Sara', sentAt: 1_700_000_000_000, orderId });
    expect(printed.lines).toEqual([
      { lineId: kofta.id, kind: 'new', qty: 2, previousQty: null, nameEn: 'Kofta', nameAr: 'عربي Kofta', modifiers: [{ nameEn: 'Large', nameAr: 'كبير' }], note: '', seat: 3, course: 1, voidReason: null },
    ]);
    expect(stationTicketFor(tickets.find((t) => t.station === 'bar')!, names).lines.map((l) => [l.nameEn, l.note])).toEqual([['Tea', 'no sugar']]);
  });

  it('[PRN-01][KDS-13] a later send prints only the change and the void, as such, never the whole order again', () => {
    const { doc, orderId, send } = orderDoc();
    const kofta = line('Kofta', 'grill', { addedAt: 1 });
    const steak = line('Steak', 'grill', { qty: 2, addedAt: 2 });
    const rice = line('Rice', 'grill', { addedAt: 3 });
    addLine(doc, orderId, kofta);
    addLine(doc, orderId, steak);
    addLine(doc, orderId, rice);
    send(1);
    updateLine(doc, orderId, kofta.id, { qty: 3 });
    voidLine(doc, orderId, steak.id, { reason: 'guest left', by: 'sara', at: 2, approvedBy: 'mona' });
    const [second] = send(2);
    const printed = stationTicketFor(second!, names);
    expect(printed.lines.map((l) => [l.nameEn, l.kind, l.previousQty, l.qty, l.voidReason])).toEqual([
      ['Kofta', 'change', 1, 3, null],
      ['Steak', 'void', 2, 0, 'guest left'],
    ]);

    const text = Buffer.from(renderStationTicket(printed, { timeZone: 'UTC' })).toString('latin1');
    expect(text).toContain('CHANGE 1 -> 3 x Kofta');
    expect(text).toContain('VOID 2 x Steak');
    expect(text).toContain('Reason: guest left');
    expect(text).not.toContain('Rice');
  });
});
