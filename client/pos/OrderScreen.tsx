import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { addLine, listTickets, readOrder, removeUnsentLine, sendToKitchen } from '../../shared/live-doc';
import { priceOrderAsIs } from '../../shared/pricing';
import type { Catalog, MenuItem, StaffMember } from '../../shared/schemas/catalog';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/language';
import { TotalsRows } from '../ui/TotalsRows';
import { ModifierDialog } from './ModifierDialog';
import { buildLine, groupsOfItem, lineState, type ChosenOption, type LineState } from './order-lines';

const LINE_STATE_TEXT: Record<LineState, MessageKey> = { new: 'line.new', sent: 'line.sent', ready: 'line.ready' };

/**
 * Taking an order at a table: menu on one side, the order on the other. Every tap writes to the
 * live document at once (one Yjs map key per line), so nothing waits for the network and two
 * waiters at one table never overwrite each other.
 */
export function OrderScreen({
  doc,
  revision,
  catalog,
  orderId,
  tableLabel,
  staff,
  onBack,
  onPay,
}: {
  doc: Y.Doc;
  revision: number;
  catalog: Catalog;
  orderId: string;
  tableLabel: string;
  staff: StaffMember;
  onBack: () => void;
  onPay: () => void;
}) {
  const { t, pick, money, number } = useI18n();
  const [categoryId, setCategoryId] = useState(() => catalog.categories[0]?.id ?? null);
  const [dialogItem, setDialogItem] = useState<MenuItem | null>(null);

  // `revision` stands in for the document's content, which React cannot compare.
  const { read, tickets } = useMemo(
    () => ({ read: readOrder(doc, orderId), tickets: new Map(listTickets(doc).map((ticket) => [ticket.id, ticket])) }),
    [doc, orderId, revision],
  );

  if (!read.ok || read.value.status !== 'open') {
    return (
      <main className="screen__body screen__body--centred">
        <p className="notice" data-testid="order-gone">
          {t('order.gone')}
        </p>
        <button type="button" className="button button--primary" data-testid="back-to-tables" onClick={onBack}>
          {t('order.back')}
        </button>
      </main>
    );
  }
  const order = read.value;
  const totals = priceOrderAsIs(order, catalog.tax);
  const hasNewLines = order.lines.some((line) => line.ticketId === null);
  const items = catalog.items.filter((item) => item.categoryId === categoryId);

  const add = (item: MenuItem, chosen: readonly ChosenOption[], note: string) => {
    addLine(doc, order.id, buildLine({ id: crypto.randomUUID(), item, chosen, note, by: staff.id, now: Date.now() }));
  };
  const tapItem = (item: MenuItem) => {
    if (groupsOfItem(item, catalog).length > 0) setDialogItem(item);
    else add(item, [], '');
  };
  const send = () => {
    sendToKitchen(doc, {
      orderId: order.id,
      tableLabel,
      by: staff.id,
      waiterName: staff.name,
      now: Date.now(),
      newTicketId: () => crypto.randomUUID(),
    });
  };

  return (
    <main className="screen__body order-screen" data-testid="order-screen" data-order-id={order.id}>
      <section className="order-screen__menu">
        <div className="tabs" role="tablist">
          {catalog.categories.map((category) => (
            <button
              key={category.id}
              type="button"
              role="tab"
              aria-selected={category.id === categoryId}
              className="tabs__tab"
              data-testid={`category-${category.id}`}
              onClick={() => setCategoryId(category.id)}
            >
              {pick(category)}
            </button>
          ))}
        </div>
        <div className="menu-grid">
          {items.map((item) => (
            <button key={item.id} type="button" className="menu-item" data-testid={`item-${item.id}`} onClick={() => tapItem(item)}>
              <span className="menu-item__name">{pick(item)}</span>
              <span className="menu-item__price">{money(item.priceMinor)}</span>
            </button>
          ))}
        </div>
      </section>

      <section className="order-screen__ticket" aria-labelledby="order-title">
        <div className="order-screen__heading">
          <h1 id="order-title" className="order-screen__title">
            {t('table.label', { label: tableLabel })}
          </h1>
          <span className="muted">{t('order.guests', { count: number(order.guests) })}</span>
        </div>
        {order.lines.length === 0 ? (
          <p className="muted order-screen__empty">{t('order.empty')}</p>
        ) : (
          <ul className="order-lines">
            {order.lines.map((line) => {
              const state = lineState(line, tickets);
              return (
                <li key={line.id} className={`order-line order-line--${state}`} data-testid="order-line" data-line-state={state} data-item-id={line.itemId}>
                  <div className="order-line__main">
                    <span className="order-line__qty">{number(line.qty)}×</span>
                    <span className="order-line__name">{pick(line)}</span>
                    <span className="order-line__price">
                      {money(totals.lines.find((priced) => priced.lineId === line.id)?.netMinor ?? 0)}
                    </span>
                  </div>
                  {line.modifiers.length > 0 && (
                    <div className="order-line__modifiers">{line.modifiers.map((m) => pick(m)).join(' · ')}</div>
                  )}
                  {line.note && <div className="order-line__note">“{line.note}”</div>}
                  <div className="order-line__footer">
                    <span className={`tag tag--${state}`}>{t(LINE_STATE_TEXT[state])}</span>
                    {state === 'new' && (
                      <button
                        type="button"
                        className="button button--quiet button--small"
                        data-testid="line-remove"
                        onClick={() => removeUnsentLine(doc, order.id, line.id)}
                      >
                        {t('line.remove')}
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        )}
        <dl className="totals">
          <TotalsRows totals={totals} testIds={{ total: 'order-total' }} />
        </dl>
        <div className="order-screen__actions">
          <button type="button" className="button button--quiet" data-testid="back-to-tables" onClick={onBack}>
            {t('order.back')}
          </button>
          <button type="button" className="button button--secondary" data-testid="send-to-kitchen" disabled={!hasNewLines} onClick={send}>
            {t('order.send')}
          </button>
          <button type="button" className="button button--primary" data-testid="pay-button" disabled={order.lines.length === 0} onClick={onPay}>
            {t('order.pay')}
          </button>
        </div>
      </section>

      {dialogItem && (
        <ModifierDialog
          item={dialogItem}
          groups={groupsOfItem(dialogItem, catalog)}
          onCancel={() => setDialogItem(null)}
          onConfirm={(chosen, note) => {
            add(dialogItem, chosen, note);
            setDialogItem(null);
          }}
        />
      )}
    </main>
  );
}
