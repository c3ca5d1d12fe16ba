import type * as Y from 'yjs';
import { mergeOrders, moveLines, openOrder, openOrderForTable, readOrder, setGuests, transferOrder } from '../../../shared/live-doc';
import type { OrderCustomer, OrderType } from '../../../shared/schemas/order';

/**
 * What the floor does to the live document, one function per waiter action, built on the shared
 * live-doc functions so the relay and the settlement see nothing new. Each returns the order the
 * tablet should show next. Pure over the Y.Doc: unit-tested beside this file.
 */

export const MAX_GUESTS = 99;

export interface Opener {
  branchId: string;
  staffId: string;
  deviceId: string;
  now: number;
  newId: () => string;
}

/** Seats a party at a free table [FLR-01]; an already open order is returned instead of a second one. */
export function seatTable(doc: Y.Doc, tableId: string, guests: number, by: Opener): string {
  const open = openOrderForTable(doc, tableId);
  if (open) return open.id;
  const id = by.newId();
  openOrder(doc, {
    id,
    branchId: by.branchId,
    type: 'dine-in',
    tableId,
    guests: Math.min(MAX_GUESTS, Math.max(1, Math.round(guests))),
    openedAt: by.now,
    openedBy: by.staffId,
    deviceId: by.deviceId,
  });
  return id;
}

/** A takeaway or delivery order [FLR-06], with its customer when one was given. */
export function openCounterOrder(doc: Y.Doc, type: Exclude<OrderType, 'dine-in'>, customer: OrderCustomer | null, by: Opener): string {
  const id = by.newId();
  openOrder(doc, {
    id,
    branchId: by.branchId,
    type,
    tableId: null,
    guests: 1,
    openedAt: by.now,
    openedBy: by.staffId,
    deviceId: by.deviceId,
    customer,
  });
  return id;
}

/** Moves a whole table's order to a free table [FLR-03]. */
export function transferTable(doc: Y.Doc, orderId: string, toTableId: string): string {
  transferOrder(doc, orderId, toTableId);
  return orderId;
}

/**
 * Moves some lines to another table [FLR-04]: into its open order, or into a new order seated
 * there (one guest) when the table is free. Returns the order that received the lines.
 */
export function moveLinesToTable(doc: Y.Doc, fromOrderId: string, lineIds: readonly string[], toTableId: string, by: Opener): string {
  let targetId = '';
  doc.transact(() => {
    targetId = openOrderForTable(doc, toTableId)?.id ?? seatTable(doc, toTableId, 1, by);
    moveLines(doc, fromOrderId, targetId, lineIds);
  });
  return targetId;
}

/** Merges one table into another [FLR-05]: every line moves, the guests add up, the first table is free. */
export function mergeTables(doc: Y.Doc, fromOrderId: string, intoOrderId: string): string {
  doc.transact(() => {
    const from = readOrder(doc, fromOrderId);
    const into = readOrder(doc, intoOrderId);
    if (!from.ok || !into.ok) throw new Error('both tables need an open order to merge');
    setGuests(doc, intoOrderId, Math.min(MAX_GUESTS, from.value.guests + into.value.guests));
    mergeOrders(doc, fromOrderId, intoOrderId);
  });
  return intoOrderId;
}
