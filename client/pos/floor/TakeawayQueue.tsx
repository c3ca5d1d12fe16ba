import type { Order } from '../../../shared/schemas/order';
import type { MessageKey } from '../../i18n/en';
import { minutesSince } from '../../i18n/format';
import { useI18n } from '../../i18n/language';
import type { TableState, TableView } from '../table-states';
import { ORDER_TYPE_TEXT } from './order-label';

const STATE_TEXT: Record<TableState, MessageKey> = {
  free: 'table.free',
  occupied: 'queue.open',
  sent: 'table.sent',
  bill: 'table.bill',
  paid: 'table.paid',
  settled: 'table.settled',
};

/**
 * Takeaway and delivery orders beside the dine-in floor [FLR-06]: who (name, phone, and the
 * address for a delivery), how long ago, and where the order stands; new ones start here.
 */
export function TakeawayQueue({
  queue,
  now,
  onOpenOrder,
  onNew,
}: {
  queue: readonly { order: Order; view: TableView }[];
  now: number;
  onOpenOrder: (orderId: string) => void;
  onNew: (type: 'takeaway' | 'delivery') => void;
}) {
  const { t, minutes } = useI18n();
  return (
    <aside className="queue" data-testid="takeaway-queue" aria-labelledby="queue-title">
      <h2 id="queue-title" className="queue__title">
        {t('queue.title')}
      </h2>
      <div className="queue__new">
        <button type="button" className="button button--secondary" data-testid="queue-new-takeaway" onClick={() => onNew('takeaway')}>
          {t('queue.newTakeaway')}
        </button>
        <button type="button" className="button button--secondary" data-testid="queue-new-delivery" onClick={() => onNew('delivery')}>
          {t('queue.newDelivery')}
        </button>
      </div>
      {queue.length === 0 ? (
        <p className="muted">{t('queue.empty')}</p>
      ) : (
        <ul className="queue__list">
          {queue.map(({ order, view }) => (
            <li key={order.id}>
              <button
                type="button"
                className={`queue-card queue-card--${view.state}`}
                data-testid={`queue-order-${order.id}`}
                data-state={view.state}
                data-type={order.type}
                disabled={view.openOrder === null}
                onClick={() => onOpenOrder(order.id)}
              >
                <span className="queue-card__top">
                  <span className={`tag tag--${order.type}`}>{t(ORDER_TYPE_TEXT[order.type])}</span>
                  <span className="queue-card__state">{t(STATE_TEXT[view.state])}</span>
                  <span className="queue-card__minutes">{minutes(minutesSince(order.openedAt, now))}</span>
                </span>
                <span className="queue-card__name" data-testid="queue-customer-name">
                  <bdi>{order.customer?.name ?? t('queue.noName')}</bdi>
                </span>
                {order.customer && (
                  <bdi className="queue-card__phone" dir="ltr" data-testid="queue-customer-phone">
                    {order.customer.phone}
                  </bdi>
                )}
                {order.type === 'delivery' && order.customer?.address && (
                  <span className="queue-card__address" data-testid="queue-customer-address">
                    <bdi>{order.customer.address}</bdi>
                  </span>
                )}
                {view.state === 'paid' && (
                  <span className="queue-card__address">{t(view.settlement?.status === 'rejected' ? 'table.refused' : 'table.notSettled')}</span>
                )}
              </button>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
