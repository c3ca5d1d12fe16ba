import { useMemo, useState } from 'react';
import { flushSync } from 'react-dom';
import type * as Y from 'yjs';
import { readOrder, readSettlement } from '../../shared/live-doc';
import { sumMinor } from '../../shared/money';
import { priceOrderAsIs } from '../../shared/pricing';
import type { Catalog } from '../../shared/schemas/catalog';
import type { Order, Payment, PaymentMethod } from '../../shared/schemas/order';
import { partProgress, splitBill, type PartProgress } from '../../shared/split-bill';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/language';
import { TotalsRows } from '../ui/TotalsRows';
import { FiscalReceiptQr } from '../fiscal/FiscalReceiptQr';
import { SlipHeader } from './bill/SlipHeader';
import { SlipLines } from './bill/SlipLines';
import { partName, partSlug, recallSplit } from './bill/split-state';
import './bill/bill.css';

type SettlementState = 'pending' | 'settled' | 'rejected';

const METHOD_KEYS: Record<PaymentMethod, MessageKey> = { cash: 'tender.cash', card: 'tender.card', wallet: 'tender.wallet' };

/**
 * The receipt of a paid order, with what the server made of it, laid out as the 80 mm paper it
 * prints as (print.css). A split bill has a receipt for each part as well as the whole order;
 * the cashier picks which one to print, and every print after the first is marked "Copy".
 *
 * The settlement record arrives through the live document whenever the tablet next syncs, so
 * "Waiting to sync" is the normal state of a receipt printed offline. The order is kept as it
 * was paid in case the server has since removed it from the live document.
 */
export function Receipt({
  doc,
  revision,
  catalog,
  paidOrder,
  tableLabel,
  isReprint = false,
  onDone,
}: {
  doc: Y.Doc;
  revision: number;
  catalog: Catalog;
  paidOrder: Order;
  tableLabel: string | null;
  /** Opened again for a paid order (not right after payment): every print is a copy. */
  isReprint?: boolean;
  onDone: () => void;
}) {
  const i18n = useI18n();
  const { t, money, error } = i18n;
  const [view, setView] = useState<string | null>(null);
  const [prints, setPrints] = useState(0);

  // `revision` stands in for the document's content, which React cannot compare.
  const { order, settlement } = useMemo(() => {
    const live = readOrder(doc, paidOrder.id);
    return { order: live.ok ? live.value : paidOrder, settlement: readSettlement(doc, paidOrder.id) };
  }, [doc, paidOrder, revision]);

  const priced = priceOrderAsIs(order, catalog.tax);
  const totals = order.totals ?? priced;
  const state: SettlementState = settlement === null ? 'pending' : settlement.status;
  const split = splitBill(priced, order.lines, recallSplit(order.id, order.payments, order.guests));
  const isSplit = split.parts.length > 1 && order.payments.some((p) => p.part !== null);
  const parts = isSplit ? partProgress(split, order.payments).parts : [];
  const shownPart = parts.find((p) => p.part.label === view) ?? null;

  const print = () => {
    // The "Copy" mark must be on the page before the print dialog takes its picture of it.
    flushSync(() => setPrints((n) => n + 1));
    window.print();
  };

  const subtitle = [shownPart ? partName(i18n, shownPart.part) : null, prints > 1 || isReprint ? t('print.copy') : null].filter(Boolean).join(' · ');

  return (
    <main className="screen__body screen__body--centred">
      <div className="receipt-screen">
        {isSplit && (
          <div className="tabs no-print" role="tablist" aria-label={t('receipt.which')}>
            <button
              type="button"
              role="tab"
              className="tabs__tab"
              aria-selected={shownPart === null}
              data-testid="receipt-view-whole"
              onClick={() => setView(null)}
            >
              {t('receipt.wholeOrder')}
            </button>
            {parts.map((p) => (
              <button
                key={p.part.label}
                type="button"
                role="tab"
                className="tabs__tab"
                aria-selected={shownPart?.part.label === p.part.label}
                data-testid={`receipt-view-${partSlug(p.part.label)}`}
                onClick={() => setView(p.part.label)}
              >
                {partName(i18n, p.part)}
              </button>
            ))}
          </div>
        )}
        <article
          className="receipt print-slip"
          data-testid="receipt"
          data-order-id={order.id}
          data-view={shownPart ? partSlug(shownPart.part.label) : 'whole'}
          data-prints={prints}
        >
          <SlipHeader
            catalog={catalog}
            order={order}
            tableLabel={tableLabel}
            title={t('print.receipt')}
            subtitle={subtitle || null}
            at={order.paidAt}
          />
          {shownPart ? (
            <PartBody part={shownPart} order={order} priced={priced} />
          ) : (
            <>
              <SlipLines lines={order.lines} priced={priced} />
              <dl className="totals">
                <TotalsRows totals={totals} testIds={{ total: 'receipt-total' }} />
              </dl>
              <PaymentRows payments={order.payments} showParts={isSplit} />
            </>
          )}
          <div className="slip__fiscal">
            <FiscalReceiptQr doc={doc} orderId={order.id} revision={revision} />
          </div>
          <p className={`settlement settlement--${state} no-print`} data-testid="settlement-state" data-state={state} role="status">
            {state === 'pending'
              ? t('settlement.pending')
              : state === 'settled'
                ? t('settlement.settled')
                : t('settlement.rejected', {
                    reason: settlement?.reason ? error(settlement.reason) : (settlement?.message ?? ''),
                  })}
          </p>
          <p className="slip__footer">{t('print.thanks')}</p>
        </article>
        <div className="receipt-screen__actions">
          <button type="button" className="button button--secondary" data-testid="print-receipt" onClick={print}>
            {prints === 0 && !isReprint ? t('receipt.print') : t('receipt.reprint')}
          </button>
          <button type="button" className="button button--primary" data-testid="receipt-done" onClick={onDone}>
            {t('receipt.done')}
          </button>
        </div>
      </div>
    </main>
  );
}

/** One guest's part of a split bill: what they had, their share of what was shared, what they paid. */
function PartBody({ part, order, priced }: { part: PartProgress; order: Order; priced: ReturnType<typeof priceOrderAsIs> }) {
  const { t, money, number } = useI18n();
  const own = new Set(part.part.ownLines.map((l) => l.lineId));
  const sharedBy = part.part.kind === 'amount' || part.part.kind === 'rest' ? null : part.part.of;
  return (
    <>
      {own.size > 0 && <SlipLines lines={order.lines} priced={priced} onlyLineIds={own} />}
      <dl className="totals">
        {own.size > 0 && (
          <div className="totals__row">
            <dt>{t('receipt.ownItems')}</dt>
            <dd>{money(part.part.amountMinor - part.part.sharedMinor)}</dd>
          </div>
        )}
        {part.part.sharedMinor > 0 && (
          <div className="totals__row">
            <dt>{sharedBy === null ? t('receipt.shareOfBill') : t('receipt.sharedItems', { count: number(sharedBy) })}</dt>
            <dd>{money(part.part.sharedMinor)}</dd>
          </div>
        )}
        <div className="totals__row totals__row--grand">
          <dt>{t('receipt.partTotal')}</dt>
          <dd data-testid="receipt-part-total" data-amount={part.part.amountMinor}>
            {money(part.part.amountMinor)}
          </dd>
        </div>
      </dl>
      <p className="muted slip__small">{t('receipt.partTaxNote')}</p>
      <PaymentRows payments={part.payments} showParts={false} />
    </>
  );
}

/** Each tender (method, amount, cash received and change, tip) and the sums the drawer needs. */
function PaymentRows({ payments, showParts }: { payments: readonly Payment[]; showParts: boolean }) {
  const i18n = useI18n();
  const { t, money } = i18n;
  const paid = sumMinor(payments.map((p) => p.amountMinor));
  const change = sumMinor(payments.map((p) => p.changeMinor));
  const tips = sumMinor(payments.map((p) => p.tipMinor));
  return (
    <section className="slip__section">
      {payments.map((p) => (
        <div key={p.id} className="slip__payment" data-testid="receipt-payment" data-method={p.method} data-amount={p.amountMinor} data-part={p.part ?? ''}>
          <div className="slip__row">
            <span>
              {t(METHOD_KEYS[p.method])}
              {showParts && ` · ${partName(i18n, { label: p.part })}`}
            </span>
            <span>{money(p.amountMinor)}</span>
          </div>
          {p.method === 'cash' && p.tenderedMinor !== p.amountMinor && (
            <div className="receipt__detail">
              {t('receipt.tendered')} {money(p.tenderedMinor)} · {t('receipt.change')} {money(p.changeMinor)}
            </div>
          )}
          {p.tipMinor > 0 && (
            <div className="receipt__detail">
              {t('receipt.tip')} {money(p.tipMinor)}
            </div>
          )}
        </div>
      ))}
      <dl className="totals">
        <div className="totals__row">
          <dt>{t('receipt.paid')}</dt>
          <dd data-testid="receipt-paid" data-amount={paid}>
            {money(paid)}
          </dd>
        </div>
        <div className="totals__row">
          <dt>{t('receipt.change')}</dt>
          <dd data-testid="receipt-change" data-amount={change}>
            {money(change)}
          </dd>
        </div>
        {tips > 0 && (
          <div className="totals__row">
            <dt>{t('receipt.tip')}</dt>
            <dd data-testid="receipt-tip" data-amount={tips}>
              {money(tips)}
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}
