import { useI18n } from './i18n/language';
import { KdsApp } from './kds/KdsApp';
import { ManageApp } from './manage/ManageApp';
import { RefundsApp } from './manage/refunds/RefundsApp';
import { AuditApp } from './manage/audit/AuditApp';
import { FiscalApp } from './manage/fiscal/FiscalApp';
import { PosApp } from './pos/PosApp';
import { usePathname } from './router';
import { AppLink } from './ui/AppLink';
import { LanguageSwitch } from './ui/LanguageSwitch';

/** Picks the screen from the path: `/` and `/manage` (manager), `/pos` (tablet), `/kds` (kitchen). */
export function App() {
  const pathname = usePathname().replace(/\/+$/, '') || '/';
  switch (pathname) {
    case '/':
    case '/manage':
      return <ManageApp />;
    case '/manage/refunds':
      return <RefundsApp />;
    case '/manage/audit':
      return <AuditApp />;
    case '/manage/fiscal':
      return <FiscalApp />;
    case '/pos':
      return <PosApp />;
    case '/kds':
      return <KdsApp />;
    default:
      return <NotFound />;
  }
}

function NotFound() {
  const { t } = useI18n();
  return (
    <div className="screen">
      <header className="app-header">
        <div className="app-header__where">
          <span className="app-header__brand">{t('app.name')}</span>
        </div>
        <div className="app-header__tools">
          <LanguageSwitch />
        </div>
      </header>
      <main className="screen__body screen__body--centred">
        <p className="notice">{t('common.notFound')}</p>
        <AppLink to="/" className="button button--primary">
          {t('common.home')}
        </AppLink>
      </main>
    </div>
  );
}
