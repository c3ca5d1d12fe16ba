import { useCallback, useEffect, useState } from 'react';
import { fiscalOverviewSchema, REVIEW_STATES, rejectionLines, resubmitAnswerSchema, type FiscalOverview } from '../../../shared/eta/fiscal-review';
import type { LoginAnswer } from '../../../shared/schemas/auth';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/language';
import { requestJson, type ApiFailure } from '../../sync/api-client';

/** How often the page re-reads the overview: an alert shows well within the minute. */
const REFRESH_MS = 10_000;

const REASON_KEYS: Record<string, MessageKey> = {
  'invalid-receipt': 'fiscal.reason.invalid-receipt',
  'uuid-mismatch': 'fiscal.reason.uuid-mismatch',
  'entry-mismatch': 'fiscal.reason.entry-mismatch',
  'unknown-serial': 'fiscal.reason.unknown-serial',
  'seller-mismatch': 'fiscal.reason.seller-mismatch',
  'order-not-settled': 'fiscal.reason.order-not-settled',
  'amount-mismatch': 'fiscal.reason.amount-mismatch',
  'chain-fork': 'fiscal.reason.chain-fork',
  'queue-refused': 'fiscal.reason.queue-refused',
};

/**
 * The manager's view of ETA e-receipts (FIS-57, FIS-58): receipts by state per branch and POS
 * device, the oldest one not yet at ETA against the 24-hour limit, the failure alert, and the
 * receipts that need a person — rejected by ETA (with ETA's reasons and a resubmit action, which
 * sends a correction) or not verified by the server (never sent, with the reason).
 */
export function FiscalPage({ session, onSessionExpired }: { session: LoginAnswer; onSessionExpired: () => void }) {
  const { t, number, dateTime, apiFailure } = useI18n();
  const [overview, setOverview] = useState<FiscalOverview | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    const answer = await requestJson('/api/fiscal/overview', fiscalOverviewSchema, { token: session.token });
    if (answer.ok) {
      setOverview(answer.value);
      setFailure(null);
    } else if (answer.failure.kind === 'http' && answer.failure.status === 401) onSessionExpired();
    else setFailure(answer.failure);
  }, [session.token, onSessionExpired]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const resubmit = async (branchId: string, uuid: string) => {
    setBusy(uuid);
    const answer = await requestJson(`/api/fiscal/branches/${branchId}/receipts/${uuid}/resubmit`, resubmitAnswerSchema, {
      method: 'POST',
      token: session.token,
    });
    setBusy(null);
    if (!answer.ok) setFailure(answer.failure);
    await load();
  };

  const age = (ms: number) => {
    const minutes = Math.floor(ms / 60_000);
    return `${number(Math.floor(minutes / 60))}:${String(minutes % 60).padStart(2, '0')}`;
  };

  return (
    <section className="fiscal" data-testid="fiscal-page">
      <h1 className="page-title">{t('fiscal.page.title')}</h1>
      {failure && (
        <p className="banner banner--warning" role="alert">
          {apiFailure(failure)}
        </p>
      )}
      {overview?.branches.map((branch) => (
        <article key={branch.branchId} className="card" data-testid="fiscal-branch" data-branch-id={branch.branchId}>
          <h2>
            {t('fiscal.page.branch')}: {branch.branchId}
          </h2>
          {branch.isAlert && (
            <p className="fiscal-alert" role="alert" data-testid="fiscal-alert">
              {t('fiscal.page.alert', { count: branch.failedAttempts, minutes: overview.alertWindowMs / 60_000 })}
            </p>
          )}
          <p data-testid="fiscal-oldest-pending" data-age-ms={branch.oldestPendingAgeMs ?? ''} className={branch.isOverdue ? 'fiscal-alert' : 'muted'}>
            {branch.oldestPendingAgeMs === null
              ? t('fiscal.page.nonePending')
              : `${t('fiscal.page.oldestPending', { age: age(branch.oldestPendingAgeMs) })}${branch.isOverdue ? ` — ${t('fiscal.page.overdue')}` : ''}`}
          </p>
          <table className="fiscal-table">
            <thead>
              <tr>
                <th>{t('fiscal.page.device')}</th>
                {REVIEW_STATES.map((s) => (
                  <th key={s}>{t(`fiscal.state.${s}`)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {branch.devices.map((d) => (
                <tr key={d.serial} data-testid="fiscal-device" data-serial={d.serial}>
                  <td dir="ltr">{d.serial}</td>
                  {REVIEW_STATES.map((s) => (
                    <td key={s} data-testid={`fiscal-count-${s}`}>
                      {number(d.counts[s] ?? 0)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
      {overview && (
        <article className="card">
          <h2>
            {t('fiscal.page.rejected')} / {t('fiscal.page.unverifiable')}
          </h2>
          {overview.problems.length === 0 && <p className="muted">{t('fiscal.page.empty')}</p>}
          <ul className="fiscal-problems">
            {overview.problems.map((p) => (
              <li key={p.uuid} data-testid="fiscal-problem" data-uuid={p.uuid} data-state={p.state} className="card">
                <strong>{t(`fiscal.state.${p.state}`)}</strong> <span dir="ltr">{p.receiptNumber}</span> · {dateTime(p.issuedAt)}
                <div className="muted" dir="ltr">
                  {p.serial} · {p.uuid}
                </div>
                {p.reason && <div data-testid="fiscal-problem-reason">{REASON_KEYS[p.reason] ? t(REASON_KEYS[p.reason]!) : p.reason}</div>}
                {p.state === 'AWAITING' && <div>{t('fiscal.page.waiting')}</div>}
                <ul>
                  {rejectionLines(p.details).map((line) => (
                    <li key={line} dir="ltr" className="muted">
                      {line}
                    </li>
                  ))}
                </ul>
                {p.state === 'REJECTED' &&
                  (p.correctedBy ? (
                    <p data-testid="fiscal-corrected">{t('fiscal.page.resubmitted', { number: p.correctedBy.slice(0, 12) })}</p>
                  ) : (
                    <button
                      type="button"
                      className="button button--primary"
                      data-testid="fiscal-resubmit"
                      disabled={busy === p.uuid}
                      onClick={() => void resubmit(p.branchId, p.uuid)}
                    >
                      {t('fiscal.page.resubmit')}
                    </button>
                  ))}
              </li>
            ))}
          </ul>
        </article>
      )}
    </section>
  );
}
