import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as Y from 'yjs';
import {
  addLine,
  bumpTicket,
  discardEmptyOrder,
  fireCourse,
  lineKitchenState,
  mergeOrders,
  moveLines,
  recallTicket,
  startTicket,
  transferOrder,
  updateLine,
  voidLine,
  listOrders,
  listTickets,
  openOrder,
  openOrderForTable,
  ordersRoot,
  readOrder,
  recordPayment,
  sendToKitchen,
  setLineDiscount,
  changeLineQty,
} from './live-doc';
import { orderLineSchema, type OrderLine } from './schemas/order';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const line = (overrides: Partial<OrderLine> = {}): OrderLine => orderLineSchema.parse({
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

  const send = (doc: Y.Doc, orderId: string, now = 1) =>
    sendToKitchen(doc, { orderId, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now, newTicketId: uuid });

  it('[ORD-03] send to kitchen carries only lines not sent before; nothing new → no ticket', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    addLine(doc, orderId, line());
    const first = send(doc, orderId, 1);
    expect(first.map((t) => t.items.length)).toEqual([1]);
    expect(send(doc, orderId, 2)).toEqual([]);
    addLine(doc, orderId, line());
    const second = send(doc, orderId, 3);
    expect(second.map((t) => t.items.length)).toEqual([1]);
    expect(second[0]?.items[0]?.lineId).not.toBe(first[0]?.items[0]?.lineId);
    expect(listTickets(doc)).toHaveLength(2);
  });

  it('[KDS-01] one send makes one ticket per station, each with only its own lines', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    addLine(doc, orderId, line({ station: 'grill', nameEn: 'Kofta' }));
    addLine(doc, orderId, line({ station: 'cold', nameEn: 'Hummus' }));
    addLine(doc, orderId, line({ station: 'grill', nameEn: 'Shish' }));
    const tickets = send(doc, orderId);
    const byStation = [...tickets].sort((x, y) => x.station.localeCompare(y.station));
    expect(byStation.map((t) => [t.station, t.items.map((i) => i.nameEn)])).toEqual([
      ['cold', ['Hummus']],
      ['grill', ['Kofta', 'Shish']],
    ]);
    expect(new Set(tickets.map((t) => t.station))).toEqual(new Set(['grill', 'cold']));
    expect(tickets.every((t) => t.waiterName === 'Sara' && t.tableLabel === 'T1')).toBe(true);
  });

  it('[KDS-02] a quantity change after sending goes out as a change; a void as a void; nothing twice', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    const kofta = line({ station: 'grill' });
    addLine(doc, orderId, kofta);
    send(doc, orderId);
    updateLine(doc, orderId, kofta.id, { qty: 3 });
    const [change] = send(doc, orderId, 2);
    expect(change?.items).toMatchObject([{ lineId: kofta.id, kind: 'change', qty: 3, previousQty: 1 }]);
    expect(() => voidLine(doc, orderId, kofta.id, { reason: 'guest left', by: 'sara', at: 3, approvedBy: null })).toThrow(/manager/);
    voidLine(doc, orderId, kofta.id, { reason: 'guest left', by: 'sara', at: 3, approvedBy: 'mona' });
    const [voided] = send(doc, orderId, 4);
    expect(voided?.items).toMatchObject([{ lineId: kofta.id, kind: 'void', qty: 0, previousQty: 3, voidReason: 'guest left' }]);
    expect(send(doc, orderId, 5)).toEqual([]);
    const read = readOrder(doc, orderId);
    expect(read.ok && read.value.lines[0]?.void).toMatchObject({ reason: 'guest left', approvedBy: 'mona' });
  });

  it('[ORD-07] a line voided before sending stays on the order, priced at nothing, and never reaches the kitchen', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    const tea = line();
    addLine(doc, orderId, tea);
    voidLine(doc, orderId, tea.id, { reason: 'wrong item', by: 'sara', at: 2, approvedBy: null });
    expect(send(doc, orderId)).toEqual([]);
    const read = readOrder(doc, orderId);
    expect(read.ok && read.value.lines).toHaveLength(1);
    expect(() => updateLine(doc, orderId, tea.id, { qty: 2 })).toThrow(/voided/);
  });

  it('[ORD-08] held courses wait until fired; firing sends only that course', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    const starter = line({ course: 1 });
    const main = line({ course: 2, isHeld: true, station: 'grill' });
    addLine(doc, orderId, starter);
    addLine(doc, orderId, main);
    expect(send(doc, orderId).flatMap((t) => t.items.map((i) => i.lineId))).toEqual([starter.id]);
    expect(send(doc, orderId)).toEqual([]);
    const fired = fireCourse(doc, { orderId, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 9, newTicketId: uuid, course: 2 });
    expect(fired.flatMap((t) => t.items.map((i) => [i.lineId, i.course]))).toEqual([[main.id, 2]]);
  });

  it('[ORD-09] after sending, only the quantity of a line can change', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    const tea = line();
    addLine(doc, orderId, tea);
    updateLine(doc, orderId, tea.id, { seat: 2, note: 'no sugar', course: 2 });
    send(doc, orderId);
    expect(() => updateLine(doc, orderId, tea.id, { note: 'more sugar' })).toThrow(/quantity/);
    updateLine(doc, orderId, tea.id, { qty: 2 });
    const read = readOrder(doc, orderId);
    expect(read.ok && read.value.lines[0]).toMatchObject({ seat: 2, note: 'no sugar', course: 2, qty: 2, sentQty: 1 });
  });

  it('[ORD-04] start, bump and recall a ticket; bump is idempotent', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    const tea = line();
    addLine(doc, orderId, tea);
    const [ticket] = send(doc, orderId);
    const byId = () => new Map(listTickets(doc).map((t) => [t.id, t]));
    const read = () => {
      const r = readOrder(doc, orderId);
      if (!r.ok) throw new Error(r.error);
      return r.value.lines[0]!;
    };
    expect(lineKitchenState(read(), byId())).toBe('pending');
    startTicket(doc, ticket!.id, 3);
    expect(lineKitchenState(read(), byId())).toBe('started');
    bumpTicket(doc, ticket!.id, 5);
    bumpTicket(doc, ticket!.id, 9);
    expect(listTickets(doc)[0]).toMatchObject({ status: 'ready', readyAt: 5 });
    recallTicket(doc, ticket!.id, 11);
    expect(listTickets(doc)[0]).toMatchObject({ status: 'started', readyAt: null, recalledAt: 11, startedAt: 3 });
    updateLine(doc, orderId, tea.id, { qty: 2 });
    expect(lineKitchenState(read(), byId())).toBe('unsent');
  });

  it('[ORD-10] transfer a table, move single lines, merge two tables', () => {
    const doc = new Y.Doc();
    const a = newOrder(doc, uuid(), 'cairo-t1');
    const b = newOrder(doc, uuid(), 'cairo-t2');
    const [l1, l2, l3] = [line(), line(), line()];
    addLine(doc, a, l1);
    addLine(doc, a, l2);
    addLine(doc, b, l3);
    expect(() => transferOrder(doc, a, 'cairo-t2')).toThrow(/merge/);
    transferOrder(doc, a, 'cairo-t5');
    expect(openOrderForTable(doc, 'cairo-t5')?.id).toBe(a);
    expect(openOrderForTable(doc, 'cairo-t1')).toBeNull();
    moveLines(doc, a, b, [l2.id]);
    expect(openOrderForTable(doc, 'cairo-t2')?.lines.map((l) => l.id).sort()).toEqual([l2.id, l3.id].sort());
    mergeOrders(doc, b, a);
    expect(openOrderForTable(doc, 'cairo-t2')).toBeNull();
    expect(openOrderForTable(doc, 'cairo-t5')?.lines.map((l) => l.id).sort()).toEqual([l1.id, l2.id, l3.id].sort());
  });

  it('[ORD-05] payments covering the total mark the order paid and free the table', () => {
    const doc = new Y.Doc();
    const orderId = newOrder(doc);
    addLine(doc, orderId, line());
    const totals = { subtotalMinor: 4_500, discountMinor: 0, serviceMinor: 540, vatMinor: 706, totalMinor: 5_746 };
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

describe('two devices changing the same line at the same moment', () => {
  /** Two replicas of one order with one line on it, seen by both. */
  const twoTablets = (overrides: Partial<OrderLine> = {}) => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    const orderId = newOrder(a);
    const shared = line(overrides);
    addLine(a, orderId, shared);
    sync(a, b);
    const lineOn = (doc: Y.Doc) => {
      const read = readOrder(doc, orderId);
      if (!read.ok) throw new Error(read.error);
      return read.value.lines.find((l) => l.id === shared.id)!;
    };
    return { a, b, orderId, lineId: shared.id, lineOn };
  };
  const sendFrom = (doc: Y.Doc, orderId: string, now: number) =>
    sendToKitchen(doc, { orderId, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now, newTicketId: uuid });

  it('[ORD-13] quantity changes add up: each device\'s +/- taps on one line all count, in any interleaving', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.tuple(fc.boolean(), fc.integer({ min: -2, max: 3 }), fc.boolean()), { maxLength: 12 }),
        (start, taps) => {
          const { a, b, orderId, lineId, lineOn } = twoTablets({ qty: start });
          let expected = start;
          for (const [onA, change, syncAfter] of taps) {
            const doc = onA ? a : b;
            const local = lineOn(doc).qty;
            // A waiter never takes a line below 1 by tapping (removing is its own act); keep the
            // other replica's pending changes from doing it either, so the sum is exact.
            const other = lineOn(onA ? b : a).qty;
            if (local + change < 1 || expected + change < 1 || other + change < 1 || expected + change > 999) continue;
            updateLine(doc, orderId, lineId, { qty: local + change });
            expected += change;
            if (syncAfter) sync(a, b);
          }
          sync(a, b);
          expect(lineOn(a).qty).toBe(expected);
          expect(readOrder(a, orderId)).toEqual(readOrder(b, orderId));
        },
      ),
      { numRuns: 150 },
    );
  });

  it('[ORD-13] two waiters each tap +1 on the same line while cut off from each other: +2, not +1', () => {
    const { a, b, orderId, lineId, lineOn } = twoTablets({ qty: 2 });
    updateLine(a, orderId, lineId, { qty: 3 });
    updateLine(b, orderId, lineId, { qty: 3 });
    sync(a, b);
    expect(lineOn(a).qty).toBe(4);
    expect(lineOn(b).qty).toBe(4);
  });

  it('[ORD-13] a "+" tap counts from the document, not from a screen that has not yet shown the other waiter\'s "+"', () => {
    const { a, b, orderId, lineId, lineOn } = twoTablets({ qty: 2 });
    const shownOnA = lineOn(a).qty; // a's screen shows 2
    updateLine(b, orderId, lineId, { qty: 3 });
    sync(a, b); // b's "+1" reaches a before a's screen re-renders
    changeLineQty(a, orderId, lineId, +1);
    sync(a, b);
    expect(shownOnA).toBe(2);
    expect(lineOn(a).qty).toBe(4);
    expect(lineOn(b).qty).toBe(4);
    changeLineQty(a, orderId, lineId, -10); // never below 1
    expect(lineOn(a).qty).toBe(1);
  });

  it('[ORD-14] different fields of one line changed at once are all kept: quantity, note, seat, discount', () => {
    const { a, b, orderId, lineId, lineOn } = twoTablets();
    updateLine(a, orderId, lineId, { qty: 2, note: 'no onions' });
    updateLine(b, orderId, lineId, { seat: 3, course: 2 });
    setLineDiscount(b, orderId, lineId, { kind: 'percent', value: 1_000, reason: 'regular', by: 'sara', at: 5, approvedBy: null });
    sync(a, b);
    for (const doc of [a, b]) {
      expect(lineOn(doc)).toMatchObject({ qty: 2, note: 'no onions', seat: 3, course: 2, discount: { kind: 'percent', value: 1_000 } });
    }
  });

  it('[ORD-14] a "+1" made while another tablet sends stays as a change to send, not lost under the send', () => {
    const { a, b, orderId, lineId, lineOn } = twoTablets({ qty: 2 });
    sendFrom(a, orderId, 10); // a tells the kitchen 2
    updateLine(b, orderId, lineId, { qty: 3 }); // meanwhile b adds one
    sync(a, b);
    for (const doc of [a, b]) expect(lineOn(doc)).toMatchObject({ qty: 3, sentQty: 2 });
    const [next] = sendFrom(b, orderId, 11);
    expect(next?.items).toMatchObject([{ lineId, kind: 'change', previousQty: 2, qty: 3 }]);
    sync(a, b);
    expect(sendFrom(a, orderId, 12)).toEqual([]);
  });

  it('[ORD-14] a void and a quantity change at once: the line is voided (and stays priced at nothing)', () => {
    const { a, b, orderId, lineId, lineOn } = twoTablets({ qty: 2 });
    voidLine(a, orderId, lineId, { reason: 'guest left', by: 'sara', at: 3, approvedBy: null });
    updateLine(b, orderId, lineId, { qty: 5 });
    sync(a, b);
    for (const doc of [a, b]) expect(lineOn(doc)).toMatchObject({ void: { reason: 'guest left' } });
    expect(lineOn(a)).toEqual(lineOn(b));
  });

  it('[ORD-15] the same field set on two devices at the same instant resolves to one of the two, the same everywhere', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), fc.string({ maxLength: 20 }), (noteA, noteB) => {
        const { a, b, orderId, lineId, lineOn } = twoTablets();
        updateLine(a, orderId, lineId, { note: noteA });
        updateLine(b, orderId, lineId, { note: noteB });
        sync(a, b);
        expect(lineOn(a).note).toBe(lineOn(b).note);
        expect([noteA, noteB]).toContain(lineOn(a).note);
      }),
      { numRuns: 30 },
    );
  });

  it('[ORD-10] a moved line keeps its changes (quantity, note, sent state) on its new order', () => {
    const doc = new Y.Doc();
    const from = newOrder(doc, uuid(), 'cairo-t1');
    const to = newOrder(doc, uuid(), 'cairo-t2');
    const kofta = line({ station: 'grill' });
    addLine(doc, from, kofta);
    addLine(doc, from, line());
    addLine(doc, to, line());
    updateLine(doc, from, kofta.id, { qty: 3, note: 'well done' });
    sendFrom(doc, from, 5);
    updateLine(doc, from, kofta.id, { qty: 4 });
    moveLines(doc, from, to, [kofta.id]);
    const moved = readOrder(doc, to);
    expect(moved.ok && moved.value.lines.find((l) => l.id === kofta.id)).toMatchObject({ qty: 4, sentQty: 3, note: 'well done' });
    const left = readOrder(doc, from);
    expect(left.ok && left.value.lines.map((l) => l.id)).not.toContain(kofta.id);
    // nothing of the moved line is left behind in the old order's change maps
    const old = ordersRoot(doc).get(from) as Y.Map<unknown>;
    for (const key of ['lineFields', 'lineQty']) {
      expect([...(old.get(key) as Y.Map<unknown>).keys()].filter((k) => k.startsWith(kofta.id))).toEqual([]);
    }
  });

  it('[ORD-13] an order opened by older code (no change maps) still changes, as one value per line', () => {
    const doc = new Y.Doc();
    const orderId = uuid();
    const legacy = line();
    doc.transact(() => {
      const order = new Y.Map<unknown>();
      for (const [key, value] of Object.entries({ id: orderId, branchId: 'cairo', type: 'dine-in', tableId: 'cairo-t1', guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'pos-1', status: 'open', paidAt: null, totals: null })) order.set(key, value);
      order.set('lines', new Y.Map());
      order.set('payments', new Y.Map());
      ordersRoot(doc).set(orderId, order);
      (order.get('lines') as Y.Map<unknown>).set(legacy.id, legacy);
    });
    updateLine(doc, orderId, legacy.id, { qty: 2, note: 'x' });
    sendFrom(doc, orderId, 3);
    const read = readOrder(doc, orderId);
    expect(read.ok && read.value.lines[0]).toMatchObject({ qty: 2, note: 'x', sentQty: 2 });
  });
});
