import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, bumpTicket, fireCourse, openOrder, recallTicket, sendToKitchen, startTicket, updateLine, voidLine } from '../../shared/live-doc';
import { orderLineSchema, type OrderLine } from '../../shared/schemas/order';
import { kitchenBoard, ticketAge } from './kitchen-tickets';

const ORDER = '00000000-0000-4000-8000-000000000001';
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

const line = (n: number, nameEn: string, station: string, overrides: Partial<OrderLine> = {}): OrderLine =>
  orderLineSchema.parse({
    id: uuid(100 + n),
    itemId: `item-${nameEn.toLowerCase()}`,
    nameEn,
    nameAr: nameEn,
    qty: 1,
    unitPriceMinor: 1_000,
    modifiers: [],
    note: '',
    station,
    addedBy: 'sara',
    addedAt: n,
    ticketId: null,
    ...overrides,
  });

function setup() {
  const doc = new Y.Doc();
  openOrder(doc, { id: ORDER, branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2, openedAt: 0, openedBy: 'sara', deviceId: 'dev1' });
  let next = 200;
  const send = (now: number) => sendToKitchen(doc, { orderId: ORDER, newTicketId: () => uuid(next++), tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now });
  return { doc, send };
}

const catalog = { items: [{ id: 'item-steak', prepMinutes: 18 }, { id: 'item-tea', prepMinutes: 3 }] } as const;
const board = (doc: Y.Doc, stations: string[] = []) =>
  kitchenBoard(doc, { stations, catalog: { items: catalog.items.map((i) => ({ ...i, categoryId: 'c', nameEn: i.id, nameAr: i.id, priceMinor: 0, station: 'x', modifierGroupIds: [] })) } });

describe('kitchen board', () => {
  it('[KDS-11] shows only the chosen stations\' tickets; the expo shows every station of those orders', () => {
    const { doc, send } = setup();
    addLine(doc, ORDER, line(1, 'Tea', 'bar'));
    addLine(doc, ORDER, line(2, 'Steak', 'grill', { qty: 2 }));
    send(10);
    const bar = board(doc, ['bar']);
    expect(bar.open.map((v) => v.ticket.station)).toEqual(['bar']);
    expect(bar.expo).toHaveLength(1);
    expect(bar.expo[0]!.parts.map((p) => p.ticket.station).sort()).toEqual(['bar', 'grill']);
    expect(board(doc).open.map((v) => v.ticket.station).sort()).toEqual(['bar', 'grill']);
  });

  it('[KDS-14] start, bump and recall move a ticket between open and recently ready', () => {
    const { doc, send } = setup();
    addLine(doc, ORDER, line(1, 'Tea', 'bar'));
    const [ticket] = send(10);
    startTicket(doc, ticket!.id, 20);
    expect(board(doc).open[0]!.ticket.status).toBe('started');
    bumpTicket(doc, ticket!.id, 30);
    expect(board(doc).open).toEqual([]);
    expect(board(doc).recentlyReady.map((v) => v.ticket.id)).toEqual([ticket!.id]);
    expect(board(doc).expo).toEqual([]);
    recallTicket(doc, ticket!.id, 40);
    expect(board(doc).open.map((v) => [v.ticket.id, v.ticket.status])).toEqual([[ticket!.id, 'started']]);
  });

  it('[KDS-13][KDS-16] a change shows old and new quantity; a voided line stays struck through; all-day counts what is left to make', () => {
    const { doc, send } = setup();
    addLine(doc, ORDER, line(1, 'Steak', 'grill', { qty: 2 }));
    addLine(doc, ORDER, line(2, 'Kofta', 'grill'));
    const [first] = send(10);
    updateLine(doc, ORDER, uuid(101), { qty: 3 });
    send(20);
    voidLine(doc, ORDER, uuid(102), { reason: 'guest left', by: 'sara', at: 30, approvedBy: 'mona' });

    const before = board(doc);
    // the void is not sent yet: the first ticket still shows kofta, struck through
    const koftaOnFirst = before.open.find((v) => v.ticket.id === first!.id)!.items.find((i) => i.item.nameEn === 'Kofta')!;
    expect(koftaOnFirst.isVoidedSince).toBe(true);
    const change = before.open[1]!.items[0]!;
    expect([change.item.kind, change.item.previousQty, change.item.qty]).toEqual(['change', 2, 3]);
    expect(before.allDay).toEqual([{ itemId: 'item-steak', nameEn: 'Steak', nameAr: 'Steak', qty: 3 }]);

    send(40);
    const after = board(doc);
    expect(after.open.at(-1)!.items.map((i) => [i.item.kind, i.item.nameEn, i.item.voidReason])).toEqual([['void', 'Kofta', 'guest left']]);
    expect(after.open).toHaveLength(3);
  });

  it('[KDS-15] held courses appear only when fired, labelled with their course', () => {
    const { doc, send } = setup();
    addLine(doc, ORDER, line(1, 'Tea', 'bar'));
    addLine(doc, ORDER, line(2, 'Steak', 'grill', { course: 2, isHeld: true }));
    send(10);
    expect(board(doc).open.map((v) => v.ticket.station)).toEqual(['bar']);
    fireCourse(doc, { orderId: ORDER, course: 2, newTicketId: () => uuid(300), tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 20 });
    const fired = board(doc).open.find((v) => v.ticket.station === 'grill')!;
    expect(fired.courses).toEqual([2]);
  });

  it('[KDS-16] a ticket ages against its slowest item\'s prep-time target', () => {
    const { doc, send } = setup();
    addLine(doc, ORDER, line(1, 'Tea', 'grill'));
    addLine(doc, ORDER, line(2, 'Steak', 'grill'));
    send(0);
    const view = board(doc).open[0]!;
    expect(view.targetMinutes).toBe(18);
    expect(ticketAge(view, 10 * 60_000)).toBe('on-time');
    expect(ticketAge(view, 14 * 60_000)).toBe('due-soon');
    expect(ticketAge(view, 18 * 60_000)).toBe('late');
  });
  it('[KDS-27] a line two tablets both sent offline shows as already sent on the later ticket and counts once all day', () => {
    const { doc, send } = setup();
    const steak = line(1, 'Steak', 'grill');
    addLine(doc, ORDER, steak);
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    addLine(doc, ORDER, line(2, 'Tea', 'grill'));
    send(10);
    addLine(other, ORDER, line(3, 'Kofta', 'grill'));
    sendToKitchen(other, { orderId: ORDER, newTicketId: () => uuid(900), tableLabel: 'T1', by: 'omar', waiterName: 'Omar', now: 11 });
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    const view = board(doc);
    const later = view.open.find((v) => v.ticket.id === uuid(900))!;
    expect(later.items.map((i) => [i.item.nameEn, i.duplicateOf !== null])).toEqual([['Steak', true], ['Kofta', false]]);
    expect(view.allDay.find((c) => c.itemId === 'item-steak')?.qty).toBe(1);
  });
});
