import { useCallback, useEffect, useState } from 'react';
import { computeRefund } from '../../../shared/refunds';
import type { BranchSummary, LoginAnswer } from '../../../shared/schemas/auth';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../shared/schemas/order';
import type { Refund, RefundableOrder } from '../../../shared/schemas/refund';
import { useI18n } from '../../i18n/language';
import type { MessageKey } from '../../i18n/en';
import type { ApiFailure } from '../../sync/api-client';
import { listBranches } from '../../sync/server-api';
import { createRefund, fetchRefundableOrder, searchOrders, type FoundOrder } from './refunds-api';
import { pickEverything, refundableQty, selectedLines, setPicked, type RefundSelection } from './refund-selection';
import './refunds.css';

const METHOD_KEYS: Record<PaymentMethod, MessageKey> = { cash: 'shift.method.cash', card: 'shift.method.card', wallet: 'shift.method.wallet' };
const shortId = (id: string) => id.slice(0, 8);

/**
 * Refund a settled order, whole or some lines (docs/SPEC.md REF-*): find it by the start of its
 * id (as printed on the receipt), pick units of lines, give the reason and how the money goes
 * back, confirm. The amount shown is computed with the same shared code the server uses.
 */
export function RefundsPage({ session, onSessionExpired }: { session: LoginAnswer; onSessionExpired: () => void }) {
  const { t, pick, money, dateTime, apiFailure } = useI18n();
  const [branches, setBranches] = useState<BranchSummary[]>([]);
  const [branchId, setBranchId] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<FoundOrder[] | null>(null);
  const [order, setOrder] = useState<RefundableOrder | null>(null);
  const [selection, setSelection] = useState<RefundSelection>({});
  const [reason, setReason] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [isConfirming, setIsConfirming] = useState(false);
  const [isBusy, setIsBusy] = useState(false);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [done, setDone] = useState<Refund | null>(null);
  const [refundId, setRefundId] = useState(() => crypto.randomUUID());

  const fail = useCallback(
    (f: ApiFailure) => {
      if (f.kind === 'http' && f.status === 401) onSessionExpired();
      else setFailure(f);
    },
    [onSessionExpired],
  );

  useEffect(() => {
    void listBranches(session.token).then((answer) => {
      if (!answer.ok) return fail(answer.failure);
      setBranches(answer.value.branches);
      setBranchId((current) => current ?? answer.value.branches[0]?.id ?? null);
    });
  }, [session.token, fail]);

  const searchFor = useCallback(
    async (branch: string, text: string) => {
      setFailure(null);
      const answer = await searchOrders(branch, session.token, text.trim().toLowerCase());
      if (answer.ok) setFound(answer.value.orders);
      else fail(answer.failure);
    },
    [fail, session.token],
  );
  const search = () => (branchId ? searchFor(branchId, query) : Promise.resolve());

  // A branch shows its latest settled orders at once; typing waits for the Find button.
  useEffect(() => {
    if (branchId) void searchFor(branchId, '');
  }, [branchId, searchFor]);

  const load = async (orderId: string) => {
    if (!branchId) return;
    setFailure(null);
    const answer = await fetchRefundableOrder(branchId, session.token, orderId);
    if (!answer.ok) return fail(answer.failure);
    setOrder(answer.value.order);
    setSelection({});
    setIsConfirming(false);
    setMethod(answer.value.order.methods[0] ?? 'cash');
  };

  const lines = order ? selectedLines(order, selection) : [];
  const preview = order && lines.length > 0 ? computeRefund(order.lines.map((l) => ({ ...l })), lines) : null;
  const amount = preview?.ok ? preview.value.totalMinor : 0;
  const canRefund = lines.length > 0 && reason.trim() !== '' && preview?.ok === true;

  const confirm = async () => {
    if (!order || !branchId) return;
    setIsBusy(true);
    setFailure(null);
    const answer = await createRefund(branchId, session.token, { id: refundId, orderId: order.id, lines, reason: reason.trim(), method });
    setIsBusy(false);
    if (!answer.ok) return fail(answer.failure);
    setDone(answer.value.refund);
    setRefundId(crypto.randomUUID());
    setReason('');
    setIsConfirming(false);
    await load(order.id);
    await search();
  };

  return (
    <div className="refunds" data-testid="refunds-page">
      <h1 className="page-title">{t('refund.title')}</h1>
      {failure && (
        <p className="error-text" role="alert" data-testid="refund-error">
          {apiFailure(failure)}
        </p>
      )}
      {done && (
        <p className="notice notice--inline" role="status" data-testid="refund-done" data-minor={done.totalMinor}>
          {t('refund.done', { amount: money(done.totalMinor), method: t(METHOD_KEYS[done.method]) })}
        </p>
      )}
      <section className="card refunds__find">
        {branches.length > 1 && (
          <div className="tabs" role="tablist">
            {branches.map((b) => (
              <button key={b.id} type="button" role="tab" aria-selected={b.id === branchId} className="tabs__tab" data-testid={`refund-branch-${b.id}`} onClick={() => setBranchId(b.id)}>
                {pick(b)}
              </button>
            ))}
          </div>
        )}
        <form
          className="refunds__search"
          onSubmit={(event) => {
            event.preventDefault();
            void search();
          }}
        >
          <label className="field">
            <span className="field__label">{t('refund.search')}</span>
            <input className="field__input" data-testid="refund-search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="1a2b3c4d" />
          </label>
          <button type="submit" className="button button--secondary" data-testid="refund-search-submit">
            {t('refund.find')}
          </button>
        </form>
        {found !== null &&
          (found.length === 0 ? (
            <p className="muted">{t('refund.noneFound')}</p>
          ) : (
            <ul className="review__list">
              {found.map((o) => (
                <li key={o.id}>
                  <button type="button" className="button button--quiet refunds__order" data-testid="refund-found-order" data-order-id={o.id} onClick={() => void load(o.id)}>
                    <strong>{t('manage.order', { id: shortId(o.id) })}</strong>
                    <span>{money(o.totalMinor)}</span>
                    {o.refundedMinor > 0 && <span className="tag">{t('refund.refundedSoFar', { amount: money(o.refundedMinor) })}</span>}
                    <span className="muted">{dateTime(Date.parse(o.paidAt))}</span>
                  </button>
                </li>
              ))}
            </ul>
          ))}
      </section>

      {order && (
        <section className="card refunds__order-card" data-testid="refund-order" data-order-id={order.id}>
          <h2 className="card__title">
            {t('manage.order', { id: shortId(order.id) })} · {money(order.totalMinor)}
          </h2>
          <p className="muted" data-testid="refund-refunded" data-minor={order.refundedMinor}>
            {t('refund.refundedSoFar', { amount: money(order.refundedMinor) })}
          </p>
          <ul className="refunds__lines">
            {order.lines.map((line) => {
              const left = refundableQty(line);
              const picked = selection[line.lineId] ?? 0;
              return (
                <li key={line.lineId} className="refunds__line" data-testid="refund-line" data-line-id={line.lineId} data-left={left}>
                  <span className={line.isVoided ? 'refunds__voided' : ''}>
                    {line.qty}× {pick(line)} <span className="muted">{money(line.totalMinor)}</span>
                    {line.refundedQty > 0 && <span className="muted"> · {t('refund.alreadyRefunded', { qty: line.refundedQty })}</span>}
                  </span>
                  {left > 0 && (
                    <span className="refunds__stepper">
                      <button type="button" className="button button--secondary" data-testid="refund-line-minus" aria-label={t('shift.less')} onClick={() => setSelection(setPicked(order, selection, line.lineId, picked - 1))}>
                        −
                      </button>
                      <strong data-testid="refund-line-qty">{picked}</strong>
                      <button type="button" className="button button--secondary" data-testid="refund-line-plus" aria-label={t('shift.more')} onClick={() => setSelection(setPicked(order, selection, line.lineId, picked + 1))}>
                        +
                      </button>
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
          <button type="button" className="button button--quiet" data-testid="refund-all" onClick={() => setSelection(pickEverything(order))}>
            {t('refund.everything')}
          </button>
          <label className="field">
            <span className="field__label">{t('refund.reason')}</span>
            <input className="field__input" data-testid="refund-reason" maxLength={200} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <div className="tabs" role="tablist" aria-label={t('refund.method')}>
            {PAYMENT_METHODS.map((m) => (
              <button key={m} type="button" role="tab" aria-selected={m === method} className="tabs__tab" data-testid={`refund-method-${m}`} onClick={() => setMethod(m)}>
                {t(METHOD_KEYS[m])}
              </button>
            ))}
          </div>
          <p className="refunds__amount" data-testid="refund-amount" data-minor={amount}>
            {t('refund.amount', { amount: money(amount) })}
          </p>
          {!isConfirming ? (
            <button type="button" className="button button--primary" data-testid="refund-submit" disabled={!canRefund} onClick={() => setIsConfirming(true)}>
              {t('refund.submit')}
            </button>
          ) : (
            <div className="notice refunds__confirm" role="alertdialog" data-testid="refund-confirm-box">
              <p>{t('refund.confirmText', { amount: money(amount), method: t(METHOD_KEYS[method]) })}</p>
              <div className="refunds__actions">
                <button type="button" className="button button--primary" data-testid="refund-confirm" disabled={isBusy} onClick={() => void confirm()}>
                  {t('refund.confirm')}
                </button>
                <button type="button" className="button button--secondary" onClick={() => setIsConfirming(false)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          )}
        </section>
      )}
    </div>
  );
}
