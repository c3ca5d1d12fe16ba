import { useCallback, useState, type ReactNode } from 'react';
import type { LoginAnswer } from '../../shared/schemas/auth';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/language';
import { AppLink } from '../ui/AppLink';
import { LanguageSwitch } from '../ui/LanguageSwitch';
import { readSession, writeSession } from './session';

/**
 * A manager page under `/manage/…` (fiscal, refunds): the header with a way back, and the page
 * itself only while the manager's session lasts (sign in on `/` first). A page that finds the
 * session expired calls `expire`, which forgets it and shows the sign-in hint.
 */
export function ManagerSubpage(props: {
  titleKey: MessageKey;
  backKey: MessageKey;
  signInFirstKey: MessageKey;
  backTestId: string;
  children: (session: LoginAnswer, expire: () => void) => ReactNode;
}) {
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
          <span className="app-header__title">{t(props.titleKey)}</span>
        </div>
        <div className="app-header__tools">
          <AppLink to="/manage" className="button button--quiet" testId={props.backTestId}>
            {t(props.backKey)}
          </AppLink>
          <LanguageSwitch />
        </div>
      </header>
      <main className="screen__body manage">
        {session ? (
          props.children(session, expire)
        ) : (
          <p className="notice">
            {t(props.signInFirstKey)} <AppLink to="/manage">{t(props.backKey)}</AppLink>
          </p>
        )}
      </main>
    </div>
  );
}
