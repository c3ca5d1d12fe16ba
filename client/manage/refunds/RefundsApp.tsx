import { ManagerSubpage } from '../ManagerSubpage';
import { RefundsPage } from './RefundsPage';

/** `/manage/refunds`: the refund page in the manager's session (sign in on `/` first). */
export function RefundsApp() {
  return (
    <ManagerSubpage titleKey="refund.title" backKey="refund.backHome" signInFirstKey="refund.signInFirst" backTestId="refunds-home">
      {(session, expire) => <RefundsPage session={session} onSessionExpired={expire} />}
    </ManagerSubpage>
  );
}
