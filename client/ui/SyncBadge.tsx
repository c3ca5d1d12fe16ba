import { useI18n } from '../i18n/language';
import type { MessageKey } from '../i18n/en';
import type { SyncStatus } from '../sync/branch-sync';

const STATUS_TEXT: Record<SyncStatus, MessageKey> = {
  online: 'sync.online',
  offline: 'sync.offline',
  connecting: 'sync.connecting',
  refused: 'sync.refused',
};

/** Connection state and the number of this device's changes the server has not stored yet. */
export function SyncBadge({ status, pendingCount }: { status: SyncStatus; pendingCount: number }) {
  const { t, number } = useI18n();
  return (
    <div className={`sync-badge sync-badge--${status}`} role="status" aria-live="polite">
      <span className="sync-badge__dot" aria-hidden="true" />
      <span data-testid="sync-status" data-state={status}>
        {t(STATUS_TEXT[status])}
      </span>
      <span
        className={`sync-badge__pending${pendingCount > 0 ? ' sync-badge__pending--some' : ''}`}
        title={t('sync.pendingLabel')}
      >
        <span data-testid="pending-count" data-count={pendingCount}>
          {number(pendingCount)}
        </span>
        <span className="visually-hidden"> {t('sync.pendingLabel')}</span>
      </span>
    </div>
  );
}
