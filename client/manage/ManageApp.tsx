import { useCallback, useState } from 'react';
import type { LoginAnswer } from '../../shared/schemas/auth';
import { useI18n } from '../i18n/language';
import { logout } from '../sync/server-api';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { LoginForm } from './LoginForm';
import { ManagerHome } from './ManagerHome';
import { readSession, writeSession } from './session';

/** `/` and `/manage`: the manager's sign-in, device pairing and settlement review. */
export function ManageApp() {
  const { t } = useI18n();
  const [session, setSession] = useState<LoginAnswer | null>(readSession);

  const signIn = (next: LoginAnswer) => {
    writeSession(next);
    setSession(next);
  };
  const forgetSession = useCallback(() => {
    writeSession(null);
    setSession(null);
  }, []);
  const signOut = () => {
    if (session) void logout(session.token);
    forgetSession();
  };

  return (
    <div className="screen">
      <header className="app-header">
        <div className="app-header__where">
          <span className="app-header__brand">{t('app.name')}</span>
          {session && <span className="app-header__title">{t('manage.signedInAs', { name: session.user.name })}</span>}
        </div>
        <div className="app-header__tools">
          {session && (
            <button type="button" className="button button--quiet" data-testid="logout-button" onClick={signOut}>
              {t('manage.signOut')}
            </button>
          )}
          <LanguageSwitch />
        </div>
      </header>
      <main className={`screen__body manage${session ? '' : ' screen__body--centred'}`}>
        {session ? <ManagerHome session={session} onSessionExpired={forgetSession} /> : <LoginForm onSignedIn={signIn} />}
      </main>
    </div>
  );
}
