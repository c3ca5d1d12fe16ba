import type { ReactNode } from 'react';
import type { DeviceKind } from '../../shared/permissions';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import { useI18n } from '../i18n/language';
import { usePairedDevice } from '../sync/use-device';
import { AppLink } from './AppLink';
import { DeviceHeader } from './DeviceHeader';

/**
 * A device screen only opens on a device paired for it. Otherwise it says so and points to the
 * manager screen, where pairing happens.
 */
export function DeviceGate({ kind, children }: { kind: DeviceKind; children: (device: DeviceCredentials) => ReactNode }) {
  const { t } = useI18n();
  const { isLoading, device } = usePairedDevice();
  const title = t(kind === 'pos' ? 'device.kind.pos' : 'device.kind.kds');

  if (device && device.kind === kind) return <>{children(device)}</>;

  return (
    <div className="screen">
      <DeviceHeader title={title} branchName={null} sync={null} />
      <main className="screen__body screen__body--centred">
        {isLoading ? (
          <p className="muted">{t('common.loading')}</p>
        ) : device ? (
          <div className="notice" data-testid="device-wrong-kind">
            <p>{t('device.pairedAsOther', { kind: t(device.kind === 'pos' ? 'device.kind.pos' : 'device.kind.kds') })}</p>
            <AppLink to={device.kind === 'pos' ? '/pos' : '/kds'} className="button button--primary">
              {t('device.openOther', { kind: t(device.kind === 'pos' ? 'device.kind.pos' : 'device.kind.kds') })}
            </AppLink>
          </div>
        ) : (
          <div className="notice" data-testid="device-not-paired">
            <p>{t('device.notPaired', { kind: title })}</p>
            <AppLink to="/" className="button button--primary" testId="go-pair">
              {t('device.goPair')}
            </AppLink>
          </div>
        )}
      </main>
    </div>
  );
}
