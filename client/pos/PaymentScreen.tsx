import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { readOrder, recordPayment } from '../../shared/live-doc';
import { parseMajorInput, sumMinor, toMajor } from '../../shared/money';
import { changeDue, priceOrderAsIs } from '../../shared/pricing';
import { checkPaidOrder } from '../../shared/settlement-rules';
import type { Catalog, StaffMember } from '../../shared/schemas/catalog';
import type { Order, OrderTotals, Payment } from '../../shared/schemas/order';
import { useI18n } from '../i18n/language';
import { TotalsRows } from '../ui/TotalsRows';
import { cashSuggestions } from './cash-suggestions';

/**
 * Cash payment. Before anything is written, the order as it would be once paid goes through the
 * same `checkPaidOrder` the server runs at settlement, so a problem (a stale menu price, a missing
 * required choice) shows here, with the guest still at the table, instead of as a refused order.
 */
export function PaymentScreen({
  doc,
  revision,
  catalog,
  orderId,
  staff,
  onBack,
  onPaid,
}: {
  doc: Y.Doc;
  revision: number;
  catalog: Catalog;
  orderId: string;
  staff: StaffMember;
  onBack: () => void;
  onPaid: (paidOrder: Order) => void;
}) {
  const { t, money, error } = useI18n();
  const [tenderedText, setTenderedText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);

  // `revision` stands in for the document's content, which React cannot compare.
  const read = useMemo(() => readOrder(doc, orderId), [doc, orderId, revision]);

  if (!read.ok || read.value.status !== 'open') {
    return (
      <main className="screen__body screen__body--centred">
        <p className="notice">{t('order.gone')}</p>
        <button type="button" className="button button--primary" data-testid="back-to-tables" onClick={onBack}>
          {t('order.back')}
        </button>
      </main>
    );
  }
  const order = read.value;
  const priced = priceOrderAsIs(order, catalog.tax);
  const owed = Math.max(0, priced.totalMinor - sumMinor(order.payments.map((p) => p.amountMinor)));
  const tendered = parseMajorInput(tenderedText);
  const isEnough = tendered !== null && tendered >= owed;
  const change = tendered === null ? 0 : changeDue(owed, tendered);

  const setTendered = (amount: number) => {
    setProblem(null);
    setTenderedText(toMajor(amount).toFixed(2));
  };

  const confirm = () => {
    if (tendered === null || !isEnough) return;
    const now = Date.now();
    const totals: OrderTotals = {
      subtotalMinor: priced.subtotalMinor,
      discountMinor: priced.discountMinor,
      serviceMinor: priced.serviceMinor,
      vatMinor: priced.vatMinor,
      totalMinor: priced.totalMinor,
    };
    const payment: Payment = {
      id: crypto.randomUUID(),
      method: 'cash',
      amountMinor: owed,
      tenderedMinor: tendered,
      changeMinor: tendered - owed,
      tipMinor: 0,
      part: null,
      at: now,
      by: staff.id,
    };
    const paidOrder: Order = { ...order, status: 'paid', paidAt: now, totals, payments: [...order.payments, payment] };
    const check = checkPaidOrder(paidOrder, catalog);
    if (!check.ok) {
      setProblem(error(check.problem.code));
      return;
    }
    recordPayment(doc, order.id, payment, totals, now);
    const written = readOrder(doc, order.id);
    onPaid(written.ok ? written.value : paidOrder);
  };

  return (
    <main className="screen__body screen__body--centred">
      <section className="payment" data-testid="payment-screen" aria-labelledby="payment-title">
        <h1 id="payment-title">{t('payment.title')}</h1>
        <dl className="totals">
          <TotalsRows totals={priced} grandTotalMinor={owed} testIds={{ subtotal: 'payment-subtotal', service: 'payment-service', vat: 'payment-vat', total: 'payment-total' }} />
        </dl>

        <label className="field">
          <span className="field__label">{t('payment.cash')}</span>
          <input
            className="field__input field__input--large"
            data-testid="cash-tendered"
            inputMode="decimal"
            autoComplete="off"
            dir="ltr"
            value={tenderedText}
            onChange={(event) => {
              setProblem(null);
              setTenderedText(event.target.value);
            }}
          />
        </label>
        <div className="quick-cash">
          <button type="button" className="button button--secondary" data-testid="cash-exact" onClick={() => setTendered(owed)}>
            {t('payment.exact')}
          </button>
          {cashSuggestions(owed).map((amount) => (
            <button
              key={amount}
              type="button"
              className="button button--secondary"
              data-testid={`cash-quick-${amount}`}
              onClick={() => setTendered(amount)}
            >
              {money(amount)}
            </button>
          ))}
        </div>

        <div className="change-due">
          <span>{t('payment.change')}</span>
          <strong data-testid="change-due" data-amount={change}>
            {money(change)}
          </strong>
        </div>

        {(problem ?? (tendered !== null && !isEnough)) && (
          <p className="error-text" role="alert" data-testid="payment-error">
            {problem ?? t('payment.notEnough')}
          </p>
        )}

        <div className="payment__actions">
          <button type="button" className="button button--quiet" data-testid="payment-back" onClick={onBack}>
            {t('payment.back')}
          </button>
          <button type="button" className="button button--primary" data-testid="confirm-payment" disabled={!isEnough} onClick={confirm}>
            {t('payment.confirm')}
          </button>
        </div>
      </section>
    </main>
  );
}
