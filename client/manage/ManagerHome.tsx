import { useEffect, useState } from 'react';
import type { BranchSummary, LoginAnswer } from '../../shared/schemas/auth';
import { useI18n } from '../i18n/language';
import type { ApiFailure } from '../sync/api-client';
import { listBranches } from '../sync/server-api';
import { usePairedDevice } from '../sync/use-device';
import { AppLink } from '../ui/AppLink';
import { BranchCard } from './BranchCard';

/** The signed-in manager's branches, and what this browser is currently paired as. */
export function ManagerHome({ session, onSessionExpired }: { session: LoginAnswer; onSessionExpired: () => void }) {
  const { t, pick, apiFailure } = useI18n();
  const [branches, setBranches] = useState<BranchSummary[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const { device } = usePairedDevice();

  useEffect(() => {
    let isCancelled = false;
    void listBranches(session.token).then((answer) => {
      if (isCancelled) return;
      if (answer.ok) setBranches(answer.value.branches);
      else if (answer.failure.kind === 'http' && answer.failure.status === 401) onSessionExpired();
      else setFailure(answer.failure);
    });
    return () => {
      isCancelled = true;
    };
  }, [session.token, onSessionExpired]);

  const deviceBranch = device ? branches?.find((branch) => branch.id === device.branchId) : undefined;
  const deviceKind = device ? t(device.kind === 'pos' ? 'device.kind.pos' : 'device.kind.kds') : '';

  return (
    <>
      {session.user.role !== 'manager' && (
        <p className="banner banner--warning" role="alert">
          {t('manage.notManager')}
        </p>
      )}
      {device && (
        <div className="notice notice--inline" data-testid="this-device">
          <span>
            {t('manage.thisDevice', {
              kind: deviceKind,
              name: device.name,
              branch: deviceBranch ? pick(deviceBranch) : device.branchId,
            })}
          </span>
          <AppLink to={device.kind === 'pos' ? '/pos' : '/kds'} className="button button--secondary" testId="open-device">
            {t('manage.openDevice', { kind: deviceKind })}
          </AppLink>
        </div>
      )}
      {session.user.role === 'manager' && (
        <AppLink to="/manage/refunds" className="button button--secondary" testId="open-refunds">
          {t('refund.link')}
        </AppLink>
      )}
      {session.user.role === 'manager' && (
        <AppLink to="/manage/audit" className="button button--secondary" testId="open-audit">
          {t('audit.link')}
        </AppLink>
      )}
      {session.user.role === 'manager' && (
        <AppLink to="/manage/fiscal" className="button button--secondary" testId="open-fiscal">
          {t('fiscal.page.link')}
        </AppLink>
      )}
      <h1 className="page-title">{t('manage.branches')}</h1>
      {failure && (
        <p className="error-text" role="alert">
          {apiFailure(failure)}
        </p>
      )}
      {branches === null ? (
        !failure && <p className="muted">{t('common.loading')}</p>
      ) : branches.length === 0 ? (
        <p className="muted">{t('manage.noBranches')}</p>
      ) : (
        <div className="branch-list">
          {branches.map((branch) => (
            <BranchCard key={branch.id} branch={branch} sessionToken={session.token} onSessionExpired={onSessionExpired} />
          ))}
        </div>
      )}
    </>
  );
}
