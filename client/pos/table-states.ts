import type * as Y from 'yjs';
import { listOrders, readSettlement } from '../../shared/live-doc';
import type { Order } from '../../shared/schemas/order';

/**
 * What the table map shows for each table, derived from the live document:
 *   occupied — it has an open order (the earliest one, as `openOrderForTable` picks);
 *   paid     — its last order is paid but the server has not settled it yet;
 *   free     — otherwise (settled orders have left the live view).
 * Computed from one `listOrders` pass instead of `openOrderForTable` per table, which would
 * re-read every order for each of the branch's tables on every update.
 */
export type TableState = 'free' | 'occupied' | 'paid';

export interface TableView {
  state: TableState;
  openOrder: Order | null;
}

export function tableViews(doc: Y.Doc): Map<string, TableView> {
  const views = new Map<string, TableView>();
  for (const order of listOrders(doc)) {
    if (order.tableId === null) continue;
    const view = views.get(order.tableId);
    if (order.status === 'open') {
      if (!view?.openOrder) views.set(order.tableId, { state: 'occupied', openOrder: order });
    } else if (!view?.openOrder && readSettlement(doc, order.id) === null) {
      views.set(order.tableId, { state: 'paid', openOrder: null });
    }
  }
  return views;
}

export const FREE_TABLE: TableView = { state: 'free', openOrder: null };
