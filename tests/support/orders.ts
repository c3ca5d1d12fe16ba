/** Builds orders in a live document the way the tablet does, with the shared functions. */
import { randomUUID } from 'node:crypto';
import type * as Y from 'yjs';
import { addLine, openOrder, readOrder, recordPayment, sendToKitchen } from '../../shared/live-doc';
import { priceOrder } from '../../shared/pricing';
import type { Catalog } from '../../shared/schemas/catalog';
import { orderLineSchema, type OrderLine } from '../../shared/schemas/order';

export function lineFor(catalog: Catalog, itemKey: string, by = 'sara', overrides: Partial<OrderLine> = {}): OrderLine {
  const item = catalog.items.find((i) => i.id === `${catalog.branch.id}-${itemKey}`);
  if (!item) throw new Error(`no item ${itemKey}`);
  const modifiers = item.modifierGroupIds.flatMap((groupId) => {
    const group = catalog.modifierGroups.find((g) => g.id === groupId)!;
    return group.options.slice(0, group.minSelect).map((o) => ({
      groupId, optionId: o.id, nameEn: o.nameEn, nameAr: o.nameAr, priceMinor: o.priceMinor,
    }));
  });
  return orderLineSchema.parse({
    id: randomUUID(), itemId: item.id, nameEn: item.nameEn, nameAr: item.nameAr, qty: 1,
    unitPriceMinor: item.priceMinor, modifiers, note: '', station: item.station, addedBy: by,
    addedAt: Date.now(), ticketId: null, ...overrides,
  });
}

/** Opens a table's order with the given lines, sends it, and pays it in cash. Returns its id. */
export function placePaidOrder(
  doc: Y.Doc,
  catalog: Catalog,
  options: { tableIndex?: number; items?: string[]; lineOverrides?: Partial<OrderLine>; pay?: boolean } = {},
): string {
  const orderId = randomUUID();
  const table = catalog.tables[options.tableIndex ?? 0]!;
  openOrder(doc, {
    id: orderId, branchId: catalog.branch.id, type: 'dine-in', tableId: table.id, guests: 2,
    openedAt: Date.now(), openedBy: 'sara', deviceId: 'pos-test',
  });
  for (const key of options.items ?? ['koshari', 'karkadeh']) addLine(doc, orderId, lineFor(catalog, key, 'sara', options.lineOverrides));
  sendToKitchen(doc, { orderId, newTicketId: () => randomUUID(), tableLabel: table.label, by: 'sara', waiterName: 'Sara', now: Date.now() });
  if (options.pay !== false) payInCash(doc, catalog, orderId);
  return orderId;
}

export function payInCash(doc: Y.Doc, catalog: Catalog, orderId: string, tenderedMinor?: number): void {
  const read = readOrder(doc, orderId);
  if (!read.ok) throw new Error(read.error);
  const { lines: _lines, ...totals } = priceOrder(read.value.lines, catalog.tax, read.value.type);
  const tendered = tenderedMinor ?? Math.ceil(totals.totalMinor / 10_000) * 10_000;
  recordPayment(
    doc,
    orderId,
    { id: randomUUID(), method: 'cash', amountMinor: totals.totalMinor, tenderedMinor: tendered,
      changeMinor: tendered - totals.totalMinor, at: Date.now(), by: 'sara' },
    totals,
    Date.now(),
  );
}
