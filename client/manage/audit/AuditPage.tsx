import { useCallback, useEffect, useRef, useState } from 'react';
import type { BranchSummary, LoginAnswer } from '../../../shared/schemas/auth';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntryView, type AuditPerson } from '../../../shared/schemas/audit';
import type { PaymentMethod } from '../../../shared/schemas/order';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/language';
import type { ApiFailure } from '../../sync/api-client';
import { listBranches } from '../../sync/server-api';
import { fetchAuditPage } from './audit-api';
import './audit.css';

const ACTION_KEYS: Record<AuditAction, MessageKey> = {
  void: 'audit.action.void',
  discount: 'audit.action.discount',
  refund: 'audit.action.refund',
  'pay-in': 'audit.action.pay-in',
  'pay-out': 'audit.action.pay-out',
  'shift-open': 'audit.action.shift-open',
  'shift-close': 'audit.action.shift-close',
  'late-change': 'audit.action.late-change',
};
const METHOD_KEYS: Record<PaymentMethod, MessageKey> = { cash: 'shift.method.cash', card: 'shift.method.card', wallet: 'shift.method.wallet' };
const shortId = (id: string) => id.slice(0, 8);

type Load = { state: 'loading' } | { state: 'failed'; failure: ApiFailure } | { state: 'shown'; entries: AuditEntryView[]; nextBefore: string | null };

/**
 * The branch's audit log (docs/SPEC.md AUDIT-04): who voided, discounted, refunded, moved cash or
 * opened and closed a drawer, when and why, newest first, a page at a time. Late changes — a
 * tablet that changed an order after the server had settled it — stand out, with the money to
 * give back when the tablet took a second payment.
 */
export function AuditPage({ session, onSessionExpired }: { session: LoginAnswer; onSessionExpired: () => void }) {
  const { t, pick, money, number, dateTime, apiFailure } = useI18n();
  const [branches, setBranches] = useState<BranchSummary[]>([]);
  const [branchId, setBranchId] = useState<string | null>(null);
  const [action, setAction] = useState<AuditAction | null>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [isLoadingMore, setIsLoadingMore] = useState(false);
  const [moreFailure, setMoreFailure] = useState<ApiFailure | null>(null);
  // Chips can be tapped faster than the server answers: only the latest request may show.
  const requestSerial = useRef(0);

  const failed = useCallback(
    (failure: ApiFailure) => {
      if (failure.kind === 'http' && failure.status === 401) onSessionExpired();
    },
    [onSessionExpired],
  );

  useEffect(() => {
    void listBranches(session.token).then((answer) => {
      if (!answer.ok) {
        failed(answer.failure);
        setLoad({ state: 'failed', failure: answer.failure });
        return;
      }
      setBranches(answer.value.branches);
      setBranchId((current) => current ?? answer.value.branches[0]?.id ?? null);
    });
  }, [session.token, failed]);

  const loadFirst = useCallback(async () => {
    if (!branchId) return;
    const serial = ++requestSerial.current;
    setLoad({ state: 'loading' });
    setMoreFailure(null);
    const answer = await fetchAuditPage(branchId, session.token, { action, before: null });
    if (serial !== requestSerial.current) return;
    if (!answer.ok) {
      failed(answer.failure);
      setLoad({ state: 'failed', failure: answer.failure });
      return;
    }
    setLoad({ state: 'shown', entries: answer.value.entries, nextBefore: answer.value.nextBefore });
  }, [action, branchId, failed, session.token]);

  useEffect(() => {
    void loadFirst();
  }, [loadFirst]);

  const loadMore = async () => {
    if (!branchId || load.state !== 'shown' || load.nextBefore === null) return;
    const serial = requestSerial.current;
    setIsLoadingMore(true);
    setMoreFailure(null);
    const answer = await fetchAuditPage(branchId, session.token, { action, before: load.nextBefore });
    setIsLoadingMore(false);
    if (serial !== requestSerial.current) return;
    if (!answer.ok) {
      failed(answer.failure);
      setMoreFailure(answer.failure);
      return;
    }
    setLoad({ state: 'shown', entries: [...load.entries, ...answer.value.entries], nextBefore: answer.value.nextBefore });
  };

  const who = (p: AuditPerson) => (p.kind === 'device' ? t('audit.device', { name: p.name ?? p.id }) : (p.name ?? p.id));

  const amountText = (e: AuditEntryView): string | null => {
    if (e.amountMinor === null || e.action === 'late-change') return null;
    if (e.action === 'shift-open') return t('audit.float', { amount: money(e.amountMinor) });
    if (e.action === 'shift-close') return t('audit.difference', { amount: money(e.amountMinor) });
    return money(e.amountMinor);
  };

  return (
    <div className="audit" data-testid="audit-page">
      <h1 className="page-title">{t('audit.title')}</h1>
      {branches.length > 1 && (
        <div className="tabs" role="tablist">
          {branches.map((b) => (
            <button key={b.id} type="button" role="tab" aria-selected={b.id === branchId} className="tabs__tab" data-testid={`audit-branch-${b.id}`} onClick={() => setBranchId(b.id)}>
              {pick(b)}
            </button>
          ))}
        </div>
      )}
      <div className="audit__filters" role="group" aria-label={t('audit.filters')}>
        {[null, ...AUDIT_ACTIONS].map((a) => (
          <button
            key={a ?? 'all'}
            type="button"
            aria-pressed={a === action}
            className={`audit__chip${a === 'late-change' ? ' audit__chip--late' : ''}`}
            data-testid={`audit-filter-${a ?? 'all'}`}
            onClick={() => setAction(a)}
          >
            {a === null ? t('audit.filter.all') : t(ACTION_KEYS[a])}
          </button>
        ))}
      </div>

      {load.state === 'loading' && (
        <div className="audit__status" role="status" aria-live="polite" data-testid="audit-loading">
          <progress className="audit__progress" aria-label={t('audit.loading')} />
          <span>{t('audit.loading')}</span>
        </div>
      )}
      {load.state === 'failed' && (
        <div className="notice notice--inline" role="alert" data-testid="audit-error">
          <span className="error-text">{apiFailure(load.failure)}</span>
          <button type="button" className="button button--secondary" data-testid="audit-retry" onClick={() => void loadFirst()}>
            {t('audit.retry')}
          </button>
        </div>
      )}
      {load.state === 'shown' && load.entries.length === 0 && (
        <p className="notice notice--inline muted" data-testid="audit-empty">
          {t(action === null ? 'audit.empty' : 'audit.emptyFiltered')}
        </p>
      )}
      {load.state === 'shown' && load.entries.length > 0 && (
        <ol className="audit__list" data-testid="audit-list">
          {load.entries.map((e) => {
            const amount = amountText(e);
            return (
              <li
                key={e.id}
                className={`card audit__entry${e.action === 'late-change' ? ' audit__entry--late' : ''}`}
                data-testid="audit-entry"
                data-entry-id={e.id}
                data-action={e.action}
                data-order-id={e.orderId ?? undefined}
              >
                <div className="audit__head">
                  <span className={`audit__badge audit__badge--${e.action}`} data-testid="audit-action">
                    {t(ACTION_KEYS[e.action])}
                  </span>
                  <time className="muted" dateTime={e.at} data-testid="audit-time">
                    {dateTime(Date.parse(e.at))}
                  </time>
                  {amount !== null && (
                    <strong className="audit__amount" data-testid="audit-amount" data-minor={e.amountMinor ?? undefined}>
                      {amount}
                    </strong>
                  )}
                </div>
                <p className="audit__who" data-testid="audit-who" data-actor={e.actor.id} data-approved-by={e.approvedBy?.id ?? undefined}>
                  {t('audit.by', { name: who(e.actor) })}
                  {e.approvedBy && <> · {t('audit.approvedBy', { name: who(e.approvedBy) })}</>}
                </p>
                {(e.orderId !== null || e.shiftId !== null || e.line !== null) && (
                  <p className="audit__ref" data-testid="audit-ref">
                    {e.orderId !== null && t('manage.order', { id: shortId(e.orderId) })}
                    {e.tableLabel !== null && <> · {t('audit.table', { label: e.tableLabel })}</>}
                    {e.line !== null && <> · {number(e.line.qty)}× {pick(e.line)}</>}
                    {e.orderId === null && e.shiftId !== null && t('audit.shift', { id: shortId(e.shiftId) })}
                  </p>
                )}
                {e.reason !== null && e.action !== 'late-change' && (
                  <p className="audit__reason" data-testid="audit-reason">
                    {t('audit.reason', { reason: e.reason })}
                  </p>
                )}
                {e.action === 'late-change' && (
                  <div className="audit__late" data-testid="audit-late">
                    <strong>{t('audit.late.title')}</strong>
                    {e.amountMinor !== null && e.amountMinor > 0 && (
                      <p className="audit__late-refund" data-testid="audit-late-refund" data-minor={e.amountMinor}>
                        {t('audit.late.refund', { amount: money(e.amountMinor) })}
                      </p>
                    )}
                    {e.lateChange?.isGone && <p>{t('audit.late.gone')}</p>}
                    {e.lateChange && !e.lateChange.isGone && (
                      <>
                        <span className="muted">{t('audit.late.asDevice')}</span>
                        <ul className="audit__late-list">
                          {e.lateChange.lines.map((l) => (
                            <li key={l.id} data-testid="audit-late-line" data-late={l.isLate}>
                              <span className={l.isVoided ? 'audit__voided' : ''}>
                                {number(l.qty)}× {pick(l)}
                              </span>
                              {l.isLate && <span className="tag tag--new">{t('audit.late.addedLate')}</span>}
                            </li>
                          ))}
                          {e.lateChange.payments.map((p) => (
                            <li key={p.id} data-testid="audit-late-payment" data-late={p.isLate}>
                              <span>
                                {t(METHOD_KEYS[p.method])} {money(p.amountMinor)}
                              </span>
                              {p.isLate && <span className="tag tag--new">{t('audit.late.paidLate')}</span>}
                            </li>
                          ))}
                        </ul>
                      </>
                    )}
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {load.state === 'shown' && load.entries.length > 0 && (
        <div className="audit__more">
          {moreFailure && (
            <p className="error-text" role="alert" data-testid="audit-more-error">
              {apiFailure(moreFailure)}
            </p>
          )}
          {load.nextBefore !== null ? (
            <button type="button" className="button button--secondary" data-testid="audit-load-more" disabled={isLoadingMore} aria-busy={isLoadingMore} onClick={() => void loadMore()}>
              {isLoadingMore ? t('common.loading') : t('audit.loadMore')}
            </button>
          ) : (
            <p className="muted" data-testid="audit-end">
              {t('audit.end')}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
