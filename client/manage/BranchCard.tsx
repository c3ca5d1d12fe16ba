import { useState } from 'react';
import type { DeviceKind } from '../../shared/permissions';
import type { BranchSummary } from '../../shared/schemas/auth';
import { useI18n } from '../i18n/language';
import { navigate } from '../router';
import { saveDevice } from '../sync/local-store';
import { pairDevice, type SettledOrder } from '../sync/server-api';
import { useBranchReview } from './use-branch-review';

const isSameLocalDay = (a: Date, b: Date) =>
  a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();

function settledToday(orders: readonly SettledOrder[], now: Date): SettledOrder[] {
  return orders.filter((order) => isSameLocalDay(new Date(order.settledAt), now));
}

const shortId = (id: string) => id.slice(0, 8);

/**
 * One branch on the manager's screen: turn this browser into the branch's waiter tablet or
 * kitchen screen, and review what the server settled or refused today.
 */
export function BranchCard({
  branch,
  sessionToken,
  onSessionExpired,
}: {
  branch: BranchSummary;
  sessionToken: string;
  onSessionExpired: () => void;
}) {
  const { t, pick, money, number, clockTime, error, apiFailure } = useI18n();
  const review = useBranchReview(branch.id, sessionToken, onSessionExpired);
  const [pairing, setPairing] = useState<DeviceKind | null>(null);
  const [pairError, setPairError] = useState<string | null>(null);

  const pair = async (kind: DeviceKind) => {
    setPairing(kind);
    setPairError(null);
    const answer = await pairDevice(sessionToken, {
      branchId: branch.id,
      kind,
      name: t(kind === 'pos' ? 'manage.posName' : 'manage.kdsName'),
    });
    if (!answer.ok) {
      setPairing(null);
      if (answer.failure.kind === 'http' && answer.failure.status === 401) onSessionExpired();
      else setPairError(apiFailure(answer.failure));
      return;
    }
    await saveDevice(answer.value);
    navigate(kind === 'pos' ? '/pos' : '/kds');
  };

  const today = review.settled ? settledToday(review.settled, new Date()) : null;
  const todayTotal = today?.reduce((sum, order) => sum + order.totalMinor, 0) ?? 0;

  return (
    <article className="card branch-card" data-testid={`branch-${branch.id}`}>
      <h2 className="card__title">{pick(branch)}</h2>

      <div className="branch-card__pairing">
        <button
          type="button"
          className="button button--primary"
          data-testid={`pair-pos-${branch.id}`}
          disabled={pairing !== null}
          onClick={() => void pair('pos')}
        >
          {pairing === 'pos' ? t('manage.pairing') : t('manage.pairPos')}
        </button>
        <button
          type="button"
          className="button button--secondary"
          data-testid={`pair-kds-${branch.id}`}
          disabled={pairing !== null}
          onClick={() => void pair('kds')}
        >
          {pairing === 'kds' ? t('manage.pairing') : t('manage.pairKds')}
        </button>
      </div>
      {pairError && (
        <p className="error-text" role="alert" data-testid={`pair-error-${branch.id}`}>
          {pairError}
        </p>
      )}

      <div className="branch-card__review">
        <section
          className="review"
          data-testid={`rejections-${branch.id}`}
          data-count={review.rejections?.length ?? 0}
          aria-labelledby={`rejections-title-${branch.id}`}
        >
          <h3 id={`rejections-title-${branch.id}`} className="review__title">
            {t('manage.rejections')}
          </h3>
          {review.rejections === null ? (
            <p className="muted">{t('common.loading')}</p>
          ) : review.rejections.length === 0 ? (
            <p className="muted">{t('manage.noRejections')}</p>
          ) : (
            <ul className="review__list">
              {review.rejections.map((rejection) => (
                <li key={rejection.orderId} className="review__item" data-testid="rejection" data-order-id={rejection.orderId} data-code={rejection.code}>
                  <strong>{t('manage.order', { id: shortId(rejection.orderId) })}</strong>
                  <span>{error(rejection.code)}</span>
                  <span className="muted">{clockTime(Date.parse(rejection.createdAt))}</span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section
          className="review"
          data-testid={`settled-${branch.id}`}
          data-count={today?.length ?? 0}
          aria-labelledby={`settled-title-${branch.id}`}
        >
          <h3 id={`settled-title-${branch.id}`} className="review__title">
            {t('manage.settledToday')}
          </h3>
          {today === null ? (
            <p className="muted">{t('common.loading')}</p>
          ) : today.length === 0 ? (
            <p className="muted">{t('manage.noSettled')}</p>
          ) : (
            <>
              <p className="review__summary" data-testid={`settled-count-${branch.id}`}>
                {t('manage.settledSummary', { count: number(today.length), total: money(todayTotal) })}
              </p>
              <ul className="review__list">
                {today.map((order) => (
                  <li key={order.id} className="review__item" data-testid="settled-order" data-order-id={order.id}>
                    <strong>{t('manage.order', { id: shortId(order.id) })}</strong>
                    <span>{money(order.totalMinor)}</span>
                    <span className="muted">{clockTime(Date.parse(order.settledAt))}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>

      {review.failure && (
        <p className="error-text" role="alert">
          {apiFailure(review.failure)}
        </p>
      )}
      <button type="button" className="button button--quiet" data-testid={`refresh-${branch.id}`} onClick={review.refresh}>
        {t('manage.refresh')}
      </button>
    </article>
  );
}
