import { ManagerSubpage } from '../ManagerSubpage';
import { AuditPage } from './AuditPage';

/** `/manage/audit`: the branch's audit log in the manager's session (sign in on `/` first). */
export function AuditApp() {
  return (
    <ManagerSubpage titleKey="audit.title" backKey="audit.backHome" signInFirstKey="audit.signInFirst" backTestId="audit-home">
      {(session, expire) => <AuditPage session={session} onSessionExpired={expire} />}
    </ManagerSubpage>
  );
}
