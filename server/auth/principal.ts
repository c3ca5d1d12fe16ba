/**
 * Who is calling: a person with a session (managers in a browser) or a paired device (a tablet
 * or kitchen screen). Both the REST API and the relay resolve bearer tokens here, so a revoked
 * device is refused everywhere at once.
 */
import type { Permission, Role, DeviceKind } from '../../shared/permissions';
import { hasPermission } from '../../shared/permissions';
import type { Queryable } from '../db/database';
import { branchIdsOfUser, findDeviceByTokenHash, findSessionUser } from '../db/auth-queries';
import { DEVICE_TOKEN_PREFIX, hashToken, SESSION_TOKEN_PREFIX } from './secrets';

export type Principal =
  | { kind: 'user'; userId: string; tenantId: string; name: string; role: Role; branchIds: string[]; tokenHash: string }
  | { kind: 'device'; deviceId: string; deviceKind: DeviceKind; branchId: string; name: string };

export type PrincipalLookup =
  | { ok: true; principal: Principal }
  | { ok: false; code: 'unauthenticated' | 'device-revoked' };

export async function resolveToken(db: Queryable, token: string | undefined | null): Promise<PrincipalLookup> {
  if (!token) return { ok: false, code: 'unauthenticated' };
  const tokenHash = hashToken(token);
  if (token.startsWith(SESSION_TOKEN_PREFIX)) {
    const user = await findSessionUser(db, tokenHash);
    if (!user) return { ok: false, code: 'unauthenticated' };
    return {
      ok: true,
      principal: {
        kind: 'user', userId: user.id, tenantId: user.tenant_id, name: user.name, role: user.role,
        branchIds: await branchIdsOfUser(db, user.id), tokenHash,
      },
    };
  }
  if (token.startsWith(DEVICE_TOKEN_PREFIX)) {
    const device = await findDeviceByTokenHash(db, tokenHash);
    if (!device) return { ok: false, code: 'unauthenticated' };
    if (device.revoked_at) return { ok: false, code: 'device-revoked' };
    return {
      ok: true,
      principal: { kind: 'device', deviceId: device.id, deviceKind: device.kind, branchId: device.branch_id, name: device.name },
    };
  }
  return { ok: false, code: 'unauthenticated' };
}

export function canAccessBranch(principal: Principal, branchId: string): boolean {
  return principal.kind === 'user' ? principal.branchIds.includes(branchId) : principal.branchId === branchId;
}

/** What a device may do follows from its kind; a person's from their role. */
export function principalHasPermission(principal: Principal, permission: Permission): boolean {
  if (principal.kind === 'user') return hasPermission(principal.role, permission);
  const deviceRole: Role = principal.deviceKind === 'pos' ? 'waiter' : 'kitchen';
  return hasPermission(deviceRole, permission);
}
