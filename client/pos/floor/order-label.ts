import type { Catalog } from '../../../shared/schemas/catalog';
import type { Order } from '../../../shared/schemas/order';
import type { MessageKey } from '../../i18n/en';

type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

export const ORDER_TYPE_TEXT: Record<Order['type'], MessageKey> = {
  'dine-in': 'orderType.dine-in',
  takeaway: 'orderType.takeaway',
  delivery: 'orderType.delivery',
};

/**
 * What an order is called on the tablet and on its kitchen tickets: the table's label for
 * dine-in, "Takeaway Nour" / "Delivery Karim" for counter orders.
 */
export function orderLabel(order: Pick<Order, 'type' | 'tableId' | 'customer'>, catalog: Catalog, t: Translate): string {
  if (order.tableId !== null) return catalog.tables.find((table) => table.id === order.tableId)?.label ?? order.tableId;
  return t('queue.label', { type: t(ORDER_TYPE_TEXT[order.type]), name: order.customer?.name ?? t('queue.noName') }).trim();
}
