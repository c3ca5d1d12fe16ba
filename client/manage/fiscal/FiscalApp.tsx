import { useCallback, useState } from 'react';
import type { LoginAnswer } from '../../../shared/schemas/auth';
import { useI18n } from '../../i18n/language';
import { AppLink } from '../../ui/AppLink';
import { LanguageSwitch } from '../../ui/LanguageSwitch';
import { readSession, writeSession } from '../session';
import { FiscalPage } from './FiscalPage';

/** `/manage/fiscal`: the ETA e-receipt page in the manager's session (sign in on `/` first). */
export function FiscalApp() {
  const { t } = useI18n();
  const [session, setSession] = useState<LoginAnswer | null>(readSession);
  const expire = useCallback(() => {
    writeSession(null);
    setSession(null);
  }, []);

  return (
    <div className="screen">
      <header className="app-header">
        <div className="app-header__where">
          <span className="app-header__brand">{t('app.name')}</span>
          <span className="app-header__title">{t('fiscal.page.title')}</span>
        </div>
        <div className="app-header__tools">
          <AppLink to="/manage" className="button button--quiet" testId="fiscal-home">
            {t('fiscal.page.back')}
          </AppLink>
          <LanguageSwitch />
        </div>
      </header>
      <main className="screen__body manage">
        {session ? (
          <FiscalPage session={session} onSessionExpired={expire} />
        ) : (
          <p className="notice">
            {t('fiscal.page.signInFirst')} <AppLink to="/manage">{t('fiscal.page.back')}</AppLink>
          </p>
        )}
      </main>
    </div>
  );
}
