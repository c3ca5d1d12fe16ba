import { useI18n } from '../i18n/language';
import { AppLink } from './AppLink';

/** Whole-screen states shared by the device screens (tablet and kitchen). */

export function Loading() {
  const { t } = useI18n();
  return (
    <main className="screen__body screen__body--centred">
      <p className="muted">{t('common.loading')}</p>
    </main>
  );
}

export function CatalogMissing({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <main className="screen__body screen__body--centred">
      <div className="notice" data-testid="catalog-missing">
        <p>{t('catalog.missing')}</p>
        <button type="button" className="button button--primary" onClick={onRetry}>
          {t('catalog.retry')}
        </button>
      </div>
    </main>
  );
}

export function DeviceRefused() {
  const { t } = useI18n();
  return (
    <main className="screen__body screen__body--centred">
      <div className="notice" data-testid="device-revoked">
        <p>{t('device.revoked')}</p>
        <AppLink to="/" className="button button--primary">
          {t('sync.pairAgain')}
        </AppLink>
      </div>
    </main>
  );
}
