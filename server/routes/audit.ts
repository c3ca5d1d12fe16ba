import { Hono } from 'hono';
import { auditQuerySchema } from '../../shared/schemas/audit';
import type { Database } from '../db/database';
import { listAuditEntries } from '../db/audit-queries';
import { authenticate, requireBranchAccess, requirePermission, type AppEnv } from '../http/middleware';
import { HttpProblem } from '../http/problem';

/**
 * The branch's audit log for its managers (docs/SPEC.md AUDIT-03): who voided, discounted,
 * refunded, moved cash or opened and closed a drawer, when and why, and which devices changed an
 * order after it was settled. Read-only; permission `audit:review` (managers in the browser, never a
 * tablet). Mounted at /api/branches/:branchId/audit.
 */
export function auditRoutes(db: Database) {
  return new Hono<AppEnv>()
    .use(authenticate(db), requireBranchAccess)
    .get('/', requirePermission('audit:review'), async (c) => {
      // An empty parameter (`action=` from a form) means "not given".
      const raw = Object.fromEntries(Object.entries(c.req.query()).filter(([, value]) => value !== ''));
      const parsed = auditQuerySchema.safeParse(raw);
      if (!parsed.success) {
        throw new HttpProblem('validation-failed', 'The audit query is not valid.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      const outcome = await listAuditEntries(db, c.req.param('branchId') ?? '', parsed.data);
      if (outcome.kind === 'unknown-cursor') {
        throw new HttpProblem('validation-failed', 'No such audit entry in this branch to page from.', [{ path: 'before', message: 'Unknown entry' }]);
      }
      return c.json({ entries: outcome.entries, nextBefore: outcome.nextBefore }, 200);
    });
}
