import type { ReactNode } from 'react';
import { useI18n } from '../i18n/language';
import type { BranchSyncSnapshot } from '../sync/branch-sync';
import { AppLink } from './AppLink';
import { LanguageSwitch } from './LanguageSwitch';
import { SyncBadge } from './SyncBadge';

/**
 * The top bar of every device screen (tablet and kitchen): where am I, am I connected, and how
 * many changes are still only on this device. A permanent refusal from the relay is shown under
 * it, because the device will not retry on its own.
 */
export function DeviceHeader({
  title,
  branchName,
  sync,
  children,
}: {
  title: string;
  branchName: string | null;
  sync: BranchSyncSnapshot | null;
  children?: ReactNode;
}) {
  const { t, refusal } = useI18n();
  const status = sync?.status ?? (navigator.onLine ? 'connecting' : 'offline');
  return (
    <>
      <header className="app-header">
        <div className="app-header__where">
          <span className="app-header__brand">{t('app.name')}</span>
          <span className="app-header__title">{title}</span>
          {branchName && <span className="app-header__branch">{branchName}</span>}
        </div>
        <div className="app-header__tools">
          {children}
          <SyncBadge status={status} pendingCount={sync?.pendingCount ?? 0} />
          <LanguageSwitch />
        </div>
      </header>
      {sync?.status === 'refused' && (
        <div className="banner banner--error" role="alert" data-testid="sync-refused" data-code={sync.refusedCode ?? ''}>
          <span>{refusal(sync.refusedCode ?? 0)}</span>
          <AppLink to="/" className="button button--light">
            {t('sync.pairAgain')}
          </AppLink>
        </div>
      )}
    </>
  );
}
