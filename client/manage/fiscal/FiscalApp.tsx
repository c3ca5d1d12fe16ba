import { ManagerSubpage } from '../ManagerSubpage';
import { FiscalPage } from './FiscalPage';

/** `/manage/fiscal`: the ETA e-receipt page in the manager's session (sign in on `/` first). */
export function FiscalApp() {
  return (
    <ManagerSubpage titleKey="fiscal.page.title" backKey="fiscal.page.back" signInFirstKey="fiscal.page.signInFirst" backTestId="fiscal-home">
      {(session, expire) => <FiscalPage session={session} onSessionExpired={expire} />}
    </ManagerSubpage>
  );
}
