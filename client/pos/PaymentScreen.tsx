import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { markBillPrinted, readOrder, recordPayment } from '../../shared/live-doc';
import { sumMinor } from '../../shared/money';
import { priceOrderAsIs } from '../../shared/pricing';
import { checkPaidOrder } from '../../shared/settlement-rules';
import type { Catalog, StaffMember } from '../../shared/schemas/catalog';
import type { Order, OrderTotals, Payment } from '../../shared/schemas/order';
import { partProgress, splitBill, type SplitSpec, type Tender } from '../../shared/split-bill';
import { useI18n } from '../i18n/language';
import { usePairedDevice } from '../sync/use-device';
import { TotalsRows } from '../ui/TotalsRows';
import { BillSlip } from './bill/BillSlip';
import { SplitPicker } from './bill/SplitPicker';
import { TenderPanel } from './bill/TenderPanel';
import { partName, partSlug, recallSplit, rememberSplit } from './bill/split-state';
import './bill/bill.css';

/**
 * Taking payment: the whole bill in cash by default (as few taps as ever), or split by item, seat,
 * equal shares or amount, each part paid with one or more tenders (cash, card, wallet) and a tip.
 *
 * Each tender is written at once (`recordPayment`, labelled with its part), so money taken is
 * never only in this screen's memory; the order becomes `paid` when the payments cover the total.
 * Before anything is taken, the order as it would be once paid goes through the same
 * `checkPaidOrder` the server runs at settlement, so a problem (a stale menu price, a missing
 * required choice) shows here, with the guest still at the table, instead of as a refused order.
 */
export function PaymentScreen({
  doc,
  revision,
  catalog,
  orderId,
  staff,
  deviceId = null,
  onBack,
  onPaid,
}: {
  doc: Y.Doc;
  revision: number;
  catalog: Catalog;
  orderId: string;
  staff: StaffMember;
  /** The tablet taking the payment (for the shift's cash); this paired device when not given. */
  deviceId?: string | null;
  onBack: () => void;
  onPaid: (paidOrder: Order) => void;
}) {
  const i18n = useI18n();
  const { t, money, error, clockTime } = i18n;
  // `revision` stands in for the document's content, which React cannot compare.
  const read = useMemo(() => readOrder(doc, orderId), [doc, orderId, revision]);
  const [spec, setSpecState] = useState<SplitSpec>(() =>
    read.ok ? recallSplit(orderId, read.value.payments, read.value.guests) : { mode: 'whole' },
  );
  const [chosenPart, setChosenPart] = useState<string | null | undefined>(undefined);
  const [lastTender, setLastTender] = useState<{ part: string | null; tender: Tender } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const paired = usePairedDevice();
  // The order may have been opened on another tablet: the cash is in this one's drawer.
  const payingDeviceId = deviceId ?? paired.device?.id ?? null;

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
  const totals: OrderTotals = {
    subtotalMinor: priced.subtotalMinor,
    discountMinor: priced.discountMinor,
    serviceMinor: priced.serviceMinor,
    vatMinor: priced.vatMinor,
    totalMinor: priced.totalMinor,
  };
  const split = splitBill(priced, order.lines, spec);
  const progress = partProgress(split, order.payments);
  const owed = progress.owedMinor;
  const tableLabel = order.tableId === null ? null : (catalog.tables.find((tb) => tb.id === order.tableId)?.label ?? order.tableId);

  // The part being paid: the one tapped while it still owes, else the first that owes.
  const current =
    progress.parts.find((p) => p.part.label === chosenPart && !p.isCovered) ?? progress.parts.find((p) => !p.isCovered) ?? null;

  const paidVersion = (payments: Payment[]): Order => ({ ...order, status: 'paid', paidAt: Date.now(), totals, payments });
  // The settlement rules on the order as if paid now, before any money is taken.
  const precheck = checkPaidOrder(
    paidVersion([
      ...order.payments,
      { id: crypto.randomUUID(), method: 'cash', amountMinor: owed, tenderedMinor: owed, changeMinor: 0, tipMinor: 0, part: null, at: Date.now(), by: staff.id, deviceId: null },
    ]),
    catalog,
  );
  const blockedText = precheck.ok ? null : error(precheck.problem.code);

  const setSpec = (next: SplitSpec) => {
    rememberSplit(order.id, next);
    setSpecState(next);
    setChosenPart(undefined);
    setProblem(null);
  };

  const takeTender = (part: string | null, tender: Tender) => {
    const now = Date.now();
    const payment: Payment = { id: crypto.randomUUID(), ...tender, part, at: now, by: staff.id, deviceId: payingDeviceId };
    const paidSoFar = sumMinor(order.payments.map((p) => p.amountMinor)) + payment.amountMinor;
    if (paidSoFar >= priced.totalMinor) {
      const check = checkPaidOrder(paidVersion([...order.payments, payment]), catalog);
      if (!check.ok) {
        setProblem(error(check.problem.code));
        return;
      }
    }
    rememberSplit(order.id, spec);
    recordPayment(doc, order.id, payment, totals, now);
    const written = readOrder(doc, order.id);
    if (written.ok && written.value.status === 'paid') {
      onPaid(written.value);
      return;
    }
    setProblem(null);
    setLastTender({ part, tender });
  };

  const printBill = () => {
    markBillPrinted(doc, order.id, Date.now());
    window.print();
  };

  const isSplit = split.parts.length > 1;

  return (
    <main className="screen__body screen__body--centred">
      <section className={`payment ${isSplit ? 'payment--split' : ''}`} data-testid="payment-screen" data-owed={owed} aria-labelledby="payment-title">
        <div className="payment__heading">
          <h1 id="payment-title">{t('payment.title')}</h1>
          <button type="button" className="button button--secondary" data-testid="print-bill" onClick={printBill}>
            {t('bill.printBill')}
          </button>
        </div>
        {order.billPrintedAt !== null && (
          <p className="muted" data-testid="bill-printed-at">
            {t('bill.printedAt', { time: clockTime(order.billPrintedAt) })}
          </p>
        )}
        <div className="payment__columns">
          <div className="payment__column">
            <dl className="totals">
              <TotalsRows
                totals={priced}
                grandTotalMinor={owed}
                testIds={{ subtotal: 'payment-subtotal', service: 'payment-service', vat: 'payment-vat', total: 'payment-total' }}
              />
            </dl>

            <SplitPicker spec={spec} lines={order.lines} guests={order.guests} onChange={setSpec} />
          </div>

          <div className="payment__column">
            {isSplit && (
              <ul className="bill-parts" data-testid="bill-parts">
                {progress.parts.map((p) => (
                  <li key={p.part.label ?? 'whole'}>
                    <button
                      type="button"
                      className={`bill-part ${p.isCovered ? 'bill-part--paid' : ''}`}
                      aria-pressed={current?.part.label === p.part.label}
                      data-testid={`bill-part-${partSlug(p.part.label)}`}
                      data-label={p.part.label ?? ''}
                      data-amount={p.part.amountMinor}
                      data-remaining={p.remainingMinor}
                      data-covered={p.isCovered}
                      disabled={p.isCovered}
                      onClick={() => setChosenPart(p.part.label)}
                    >
                      <span className="bill-part__name">{partName(i18n, p.part)}</span>
                      <span className="bill-part__amount">{money(p.part.amountMinor)}</span>
                      <span className="bill-part__state">
                        {p.isCovered ? t('bill.partPaid') : p.paidMinor > 0 ? t('bill.partDue', { amount: money(p.remainingMinor) }) : ''}
                      </span>
                    </button>
                  </li>
                ))}
              </ul>
            )}

            {lastTender && lastTender.tender.changeMinor > 0 && (
              <div className="change-due" data-testid="last-change" data-amount={lastTender.tender.changeMinor}>
                <span>{t('tender.giveBack', { part: partName(i18n, { label: lastTender.part }) })}</span>
                <strong>{money(lastTender.tender.changeMinor)}</strong>
              </div>
            )}

            {blockedText && (
              <p className="error-text" role="alert" data-testid="payment-blocked">
                {blockedText}
              </p>
            )}
            {problem && (
              <p className="error-text" role="alert" data-testid="payment-problem">
                {problem}
              </p>
            )}

            {current && (
              <div className="bill-paying" data-testid="paying-part" data-label={current.part.label ?? ''} data-remaining={current.remainingMinor}>
                {isSplit && (
                  <p className="bill-paying__title">
                    {t('bill.paying', { part: partName(i18n, current.part) })} <strong data-testid="part-due">{money(current.remainingMinor)}</strong>
                  </p>
                )}
                <TenderPanel
                  key={`${current.part.label ?? 'whole'}:${current.paidMinor}`}
                  owedMinor={current.remainingMinor}
                  isBlocked={blockedText !== null}
                  onTender={(tender) => takeTender(current.part.label, tender)}
                />
              </div>
            )}

            <div className="payment__actions">
              <button type="button" className="button button--quiet" data-testid="payment-back" onClick={onBack}>
                {t('payment.back')}
              </button>
            </div>
          </div>
        </div>
      </section>
      <BillSlip catalog={catalog} order={order} priced={priced} split={split} tableLabel={tableLabel} printedAt={order.billPrintedAt ?? Date.now()} />
    </main>
  );
}
