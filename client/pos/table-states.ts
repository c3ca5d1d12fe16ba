import type * as Y from 'yjs';
import { isLineSent, listOrders, readSettlement } from '../../shared/live-doc';
import type { Order, SettlementRecord } from '../../shared/schemas/order';

/**
 * What the floor shows for each table, derived from the live document [FLR-02]:
 *   occupied — it has an open order and the kitchen has nothing of it yet;
 *   sent     — the open order has lines the kitchen has;
 *   bill     — the bill of the open order was printed (the guests are about to pay);
 *   paid     — its last order is paid and the server has not settled it yet (or refused it);
 *   settled  — free again, its last order settled by the server a short while ago;
 *   free     — otherwise.
 * An open order wins over a paid one on the same table (the next guests sat down). Computed
 * from one `listOrders` pass instead of `openOrderForTable` per table, which would re-read every
 * order for each of the branch's tables on every update.
 */
export type TableState = 'free' | 'occupied' | 'sent' | 'bill' | 'paid' | 'settled';

export interface TableView {
  state: TableState;
  /** The open order on the table (occupied, sent, bill). */
  openOrder: Order | null;
  /** The last paid order, while the table shows it (paid, settled). */
  paidOrder: Order | null;
  /** The server's word on `paidOrder`, when it has spoken. */
  settlement: SettlementRecord | null;
}

/** How long a table reads "settled" after the server settled its order, before it reads "free". */
export const SETTLED_SHOWN_MS = 10 * 60_000;

export const FREE_TABLE: TableView = { state: 'free', openOrder: null, paidOrder: null, settlement: null };

/** The state an open order gives its table (or its place in the takeaway queue). */
export function openOrderState(order: Order): 'occupied' | 'sent' | 'bill' {
  if (order.billPrintedAt !== null) return 'bill';
  return order.lines.some((line) => isLineSent(line)) ? 'sent' : 'occupied';
}

/** The view of a paid order: paid until settled, then settled for a while, then nothing. */
export function paidOrderView(doc: Y.Doc, order: Order, now: number): TableView | null {
  const settlement = readSettlement(doc, order.id);
  if (settlement?.status === 'settled') {
    return now - settlement.at < SETTLED_SHOWN_MS ? { state: 'settled', openOrder: null, paidOrder: order, settlement } : null;
  }
  return { state: 'paid', openOrder: null, paidOrder: order, settlement };
}

export function tableViews(doc: Y.Doc, now: number = Date.now()): Map<string, TableView> {
  const views = new Map<string, TableView>();
  // listOrders is sorted by openedAt: a later order replaces an earlier one's view.
  for (const order of listOrders(doc)) {
    if (order.tableId === null) continue;
    const current = views.get(order.tableId);
    if (order.status === 'open') {
      if (!current?.openOrder) views.set(order.tableId, { ...FREE_TABLE, state: openOrderState(order), openOrder: order });
    } else if (!current?.openOrder) {
      const view = paidOrderView(doc, order, now);
      if (view) views.set(order.tableId, view);
      else views.delete(order.tableId);
    }
  }
  return views;
}

/** A table a new party can sit at: nothing open, and any earlier order paid. */
export const isTableFree = (view: TableView): boolean => view.openOrder === null;

/**
 * Takeaway and delivery orders still in play, oldest first: open ones, paid ones not yet
 * settled, and ones settled a short while ago (so the counter sees them go through).
 */
export function queueOrders(doc: Y.Doc, now: number = Date.now()): { order: Order; view: TableView }[] {
  const queue: { order: Order; view: TableView }[] = [];
  for (const order of listOrders(doc)) {
    if (order.type === 'dine-in') continue;
    if (order.status === 'open') {
      queue.push({ order, view: { ...FREE_TABLE, state: openOrderState(order), openOrder: order } });
    } else {
      const view = paidOrderView(doc, order, now);
      if (view) queue.push({ order, view });
    }
  }
  return queue;
}
