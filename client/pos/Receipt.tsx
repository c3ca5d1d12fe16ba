import { useMemo } from 'react';
import type * as Y from 'yjs';
import { readOrder, readSettlement } from '../../shared/live-doc';
import { sumMinor } from '../../shared/money';
import { priceOrderAsIs } from '../../shared/pricing';
import type { Catalog } from '../../shared/schemas/catalog';
import type { Order } from '../../shared/schemas/order';
import { useI18n } from '../i18n/language';
import { TotalsRows } from '../ui/TotalsRows';
import { FiscalReceiptQr } from '../fiscal/FiscalReceiptQr';

type SettlementState = 'pending' | 'settled' | 'rejected';

/**
 * The receipt of a paid order, with what the server made of it. The settlement record arrives
 * through the live document whenever the tablet next syncs, so "Waiting to sync" is the normal
 * state of a receipt printed offline. The order is kept as it was paid in case the server has
 * since removed it from the live document.
 */
export function Receipt({
  doc,
  revision,
  catalog,
  paidOrder,
  tableLabel,
  onDone,
}: {
  doc: Y.Doc;
  revision: number;
  catalog: Catalog;
  paidOrder: Order;
  tableLabel: string | null;
  onDone: () => void;
}) {
  const { t, pick, money, number, dateTime, error } = useI18n();

  // `revision` stands in for the document's content, which React cannot compare.
  const { order, settlement } = useMemo(() => {
    const live = readOrder(doc, paidOrder.id);
    return { order: live.ok ? live.value : paidOrder, settlement: readSettlement(doc, paidOrder.id) };
  }, [doc, paidOrder, revision]);

  const priced = priceOrderAsIs(order, catalog.tax);
  const totals = order.totals ?? priced;
  const paid = sumMinor(order.payments.map((p) => p.amountMinor));
  const tendered = sumMinor(order.payments.map((p) => p.tenderedMinor));
  const change = sumMinor(order.payments.map((p) => p.changeMinor));
  const state: SettlementState = settlement === null ? 'pending' : settlement.status;

  return (
    <main className="screen__body screen__body--centred">
      <article className="receipt" data-testid="receipt" data-order-id={order.id}>
        <header className="receipt__header">
          <h1 className="receipt__branch">{pick(catalog.branch)}</h1>
          <p className="muted">{catalog.branch.tenantName}</p>
          <p>{tableLabel === null ? t('receipt.takeaway') : t('table.label', { label: tableLabel })}</p>
          {order.paidAt !== null && <p className="muted">{dateTime(order.paidAt)}</p>}
        </header>
        <ul className="receipt__lines">
          {order.lines.map((line) => (
            <li key={line.id} className="receipt__line" data-testid="receipt-line">
              <div className="receipt__line-main">
                <span>
                  {number(line.qty)}× {pick(line)}
                </span>
                <span>{money(priced.lines.find((p) => p.lineId === line.id)?.netMinor ?? 0)}</span>
              </div>
              {line.modifiers.map((modifier) => (
                <div key={`${modifier.groupId}/${modifier.optionId}`} className="receipt__detail">
                  + {pick(modifier)}
                  {modifier.priceMinor > 0 && ` (${money(modifier.priceMinor)})`}
                </div>
              ))}
              {line.note && <div className="receipt__detail">“{line.note}”</div>}
            </li>
          ))}
        </ul>
        <dl className="totals">
          <TotalsRows totals={totals} testIds={{ total: 'receipt-total' }} />
          <div className="totals__row">
            <dt>{t('receipt.paid')}</dt>
            <dd data-testid="receipt-paid">{money(paid)}</dd>
          </div>
          <div className="totals__row">
            <dt>{t('receipt.tendered')}</dt>
            <dd>{money(tendered)}</dd>
          </div>
          <div className="totals__row">
            <dt>{t('receipt.change')}</dt>
            <dd data-testid="receipt-change" data-amount={change}>
              {money(change)}
            </dd>
          </div>
        </dl>
        <FiscalReceiptQr doc={doc} orderId={order.id} revision={revision} />
        <p className={`settlement settlement--${state}`} data-testid="settlement-state" data-state={state} role="status">
          {state === 'pending'
            ? t('settlement.pending')
            : state === 'settled'
              ? t('settlement.settled')
              : t('settlement.rejected', {
                  reason: settlement?.reason ? error(settlement.reason) : (settlement?.message ?? ''),
                })}
        </p>
        <button type="button" className="button button--primary button--wide" data-testid="receipt-done" onClick={onDone}>
          {t('receipt.done')}
        </button>
      </article>
    </main>
  );
}
