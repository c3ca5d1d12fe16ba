import { createMiddleware } from 'hono/factory';
import type { Permission } from '../../shared/permissions';
import type { Principal } from '../auth/principal';
import { canAccessBranch, principalHasPermission, resolveToken } from '../auth/principal';
import type { Database } from '../db/database';
import { HttpProblem } from './problem';

export type AppEnv = { Variables: { principal: Principal } };

function bearer(header: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1] ?? null;
}

/** Every /api route but login and health goes through this: 401 without a valid token. */
export const authenticate = (db: Database) =>
  createMiddleware<AppEnv>(async (c, next) => {
    // Sub-apps nest (/branches and /branches/:id/shifts both authenticate): one token lookup
    // per request is enough.
    if (c.get('principal')) return next();
    const lookup = await resolveToken(db, bearer(c.req.header('authorization')));
    if (!lookup.ok) {
      throw new HttpProblem(lookup.code, lookup.code === 'device-revoked' ? 'This device was unpaired.' : 'Sign in first.');
    }
    c.set('principal', lookup.principal);
    await next();
  });

export const requirePermission = (permission: Permission) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (!principalHasPermission(c.get('principal'), permission)) {
      throw new HttpProblem('forbidden', `You do not have the ${permission} permission.`, { permission });
    }
    await next();
  });

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get('principal').kind !== 'user') throw new HttpProblem('forbidden', 'Only a signed-in person can do this.');
  await next();
});

/** Branch scoping: the `:branchId` in the path must be one the caller may see. */
export const requireBranchAccess = createMiddleware<AppEnv>(async (c, next) => {
  const branchId = c.req.param('branchId');
  if (!branchId || !canAccessBranch(c.get('principal'), branchId)) {
    throw new HttpProblem('branch-forbidden', 'You have no access to this branch.', { branchId });
  }
  await next();
});
