import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { carryChanges, carryOver } from './live-doc-carry-over';
import { addLine, openOrder, ordersRoot, readOrder, removeUnsentLine, sendToKitchen, SERVER_ORIGIN, updateLine, voidLine, writeSettlement } from './live-doc';
import { orderLineSchema } from './schemas/order';

let n = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;
const line = () =>
  orderLineSchema.parse({
    id: uuid(), itemId: 'cairo-kofta', nameEn: 'Kofta', nameAr: 'كفتة', qty: 1, unitPriceMinor: 9_000, modifiers: [], note: '',
    station: 'grill', addedBy: 'sara', addedAt: n, ticketId: null,
  });
const newOrder = (doc: Y.Doc) => {
  const id = uuid();
  openOrder(doc, { id, branchId: 'cairo', type: 'dine-in', tableId: 'cairo-t1', guests: 2, openedAt: 1, openedBy: 'sara', deviceId: 'pos-1' });
  return id;
};
const send = (doc: Y.Doc, orderId: string) =>
  sendToKitchen(doc, { orderId, tableLabel: 'T1', by: 'sara', waiterName: 'Sara', now: 5, newTicketId: uuid });

/**
 * Carries a retired generation's changes into its successor, as the relay does (rotation.ts):
 * devices' changes, and those carried into it from an older generation, not the server's own.
 */
function link(from: Y.Doc, to: Y.Doc) {
  for (const root of ['orders', 'tickets', 'receipts']) {
    from.getMap<unknown>(root).observeDeep((events, transaction) => {
      if (transaction.origin === SERVER_ORIGIN) return;
      carryChanges(root, events, from, to);
    });
  }
}
/** A retired generation and its successor, wired as the relay wires them. */
function rotated(from: Y.Doc) {
  const to = new Y.Doc();
  carryOver(from, to, { generation: 2, previous: 'branch.cairo', startedAt: 10 });
  link(from, to);
  return to;
}
/** A copy of a document as a restarted relay loads it from what was stored. */
const reloaded = (stored: Uint8Array) => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, stored);
  return doc;
};
/** What `room` lacks of the device's changes, sent as a reconnecting device does (sync step 2). */
const sendMissing = (device: Y.Doc, room: Y.Doc) => Y.applyUpdate(room, Y.encodeStateAsUpdate(device, Y.encodeStateVector(room)));

/**
 * A device adds a line on the first of `count` linked generations, which carries it down to the
 * last, and then the relay is killed. Each retired room commits a device's change only after its
 * successor stored the carried copy, so the crash can keep the line in the last generation and
 * lose it in every retired one. Returns the generations as the restarted relay loads and links
 * them, and the last one as it was before the crash.
 */
function lineCarriedThenLostInRetiredRooms(count: number) {
  const device = new Y.Doc();
  const orderId = newOrder(device);
  addLine(device, orderId, line());
  const generations = [reloaded(Y.encodeStateAsUpdate(device))];
  for (let generation = 2; generation <= count; generation++) {
    const previous = generations[generations.length - 1]!;
    const next = new Y.Doc();
    const previousName = generation === 2 ? 'branch.cairo' : `branch.cairo.g${generation - 1}`;
    carryOver(previous, next, { generation, previous: previousName, startedAt: 10 * (generation - 1) });
    link(previous, next);
    generations.push(next);
  }
  const storedBeforeTheAdd = generations.slice(0, -1).map((doc) => Y.encodeStateAsUpdate(doc));
  const kofta = line();
  addLine(device, orderId, kofta);
  sendMissing(device, generations[0]!);
  const lastBeforeCrash = generations[generations.length - 1]!;
  const afterRestart = [...storedBeforeTheAdd, Y.encodeStateAsUpdate(lastBeforeCrash)].map(reloaded);
  for (let i = 1; i < afterRestart.length; i++) link(afterRestart[i - 1]!, afterRestart[i]!);
  return { device, orderId, kofta, lastBeforeCrash, afterRestart };
}

describe('carrying a generation over', () => {
  it('[ROT-01][ORD-13] an open order moves with its lines\' later changes (fields and per-device quantities); a settled one stays behind', () => {
    const from = new Y.Doc();
    const open = newOrder(from);
    const kofta = line();
    addLine(from, open, kofta);
    send(from, open);
    updateLine(from, open, kofta.id, { qty: 3 });
    const settled = newOrder(from);
    addLine(from, settled, line());
    writeSettlement(from, settled, { status: 'settled', at: 9, reason: null, message: null });
    const to = rotated(from);
    expect(readOrder(to, open)).toEqual(readOrder(from, open));
    expect(readOrder(to, open).ok && readOrder(to, open)).toMatchObject({ value: { lines: [{ qty: 3, sentQty: 1 }] } });
    expect(ordersRoot(to).has(settled)).toBe(false);
  });

  it('[ROT-02][ORD-14] a device still on the retired generation changes a line (quantity, note, void, send): each change is carried', () => {
    const from = new Y.Doc();
    const orderId = newOrder(from);
    const kofta = line();
    const tea = line();
    addLine(from, orderId, kofta);
    addLine(from, orderId, tea);
    const to = rotated(from);
    // a stock client that cannot move keeps editing the old generation
    updateLine(from, orderId, kofta.id, { qty: 2, note: 'well done' });
    updateLine(from, orderId, kofta.id, { qty: 4 });
    send(from, orderId);
    voidLine(from, orderId, tea.id, { reason: 'changed', by: 'sara', at: 6, approvedBy: 'hany' });
    updateLine(from, orderId, kofta.id, { qty: 5 });
    expect(readOrder(to, orderId)).toEqual(readOrder(from, orderId));
    expect(readOrder(to, orderId).ok && readOrder(to, orderId)).toMatchObject({
      value: { lines: [{ id: kofta.id, qty: 5, sentQty: 4, note: 'well done' }, { id: tea.id, void: { approvedBy: 'hany' } }] },
    });
    // and a device on the new generation adding its own "+1" at the same time still counts
    const elsewhere = new Y.Doc();
    Y.applyUpdate(elsewhere, Y.encodeStateAsUpdate(to));
    updateLine(elsewhere, orderId, kofta.id, { qty: 6 });
    Y.applyUpdate(to, Y.encodeStateAsUpdate(elsewhere));
    updateLine(from, orderId, kofta.id, { qty: 6 });
    expect(readOrder(to, orderId).ok && readOrder(to, orderId)).toMatchObject({ value: { lines: [{ qty: 7 }, {}] } });
  });

  it('[ROT-12] a line added and removed on a device while the retired room lost the add to a crash (its carried copy was stored) is removed from the successor too', () => {
    const { device, orderId, kofta, lastBeforeCrash, afterRestart } = lineCarriedThenLostInRetiredRooms(2);
    const [retiredAfterRestart, successorAfterRestart] = afterRestart as [Y.Doc, Y.Doc];
    expect(readOrder(lastBeforeCrash, orderId).ok && readOrder(lastBeforeCrash, orderId)).toMatchObject({ value: { lines: [{}, { id: kofta.id }] } });
    // Offline meanwhile, the waiter takes the line off; on reconnecting the device sends the
    // add and the removal together, which the retired room sees as no change to the lines.
    removeUnsentLine(device, orderId, kofta.id);
    sendMissing(device, retiredAfterRestart);

    expect(readOrder(retiredAfterRestart, orderId)).toEqual(readOrder(device, orderId));
    expect(readOrder(successorAfterRestart, orderId)).toEqual(readOrder(device, orderId));
  });

  it('[ROT-12] the same across a chain of generations: the removal reaches the generation that kept the line', () => {
    const { device, orderId, kofta, lastBeforeCrash, afterRestart } = lineCarriedThenLostInRetiredRooms(3);
    expect(readOrder(lastBeforeCrash, orderId).ok && readOrder(lastBeforeCrash, orderId)).toMatchObject({ value: { lines: [{}, { id: kofta.id }] } });
    removeUnsentLine(device, orderId, kofta.id);
    sendMissing(device, afterRestart[0]!);

    for (const generation of afterRestart) {
      expect(readOrder(generation, orderId)).toEqual(readOrder(device, orderId));
    }
  });
});
