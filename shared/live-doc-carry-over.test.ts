import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { carryChanges, carryOver, CARRY_ORIGIN } from './live-doc-carry-over';
import { addLine, openOrder, ordersRoot, readOrder, sendToKitchen, updateLine, voidLine, writeSettlement } from './live-doc';
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

/** A retired generation and its successor, wired as the relay wires them (rotation.ts). */
function rotated(from: Y.Doc) {
  const to = new Y.Doc();
  carryOver(from, to, { generation: 2, previous: 'branch.cairo', startedAt: 10 });
  for (const root of ['orders', 'tickets', 'receipts']) {
    from.getMap<unknown>(root).observeDeep((events, transaction) => {
      if (transaction.origin === CARRY_ORIGIN) return;
      carryChanges(root, events, from, to);
    });
  }
  return to;
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
});
