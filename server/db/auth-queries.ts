import type { DeviceKind, Role } from '../../shared/permissions';
import type { Queryable } from './database';

export interface UserRow {
  id: string;
  tenant_id: string;
  name: string;
  role: Role;
  email: string | null;
  password_hash: string | null;
  active: boolean;
}

export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    'select id, tenant_id, name, role, email, password_hash, active from users where lower(email) = lower($1)',
    [email],
  );
  return rows[0] ?? null;
}

export async function branchIdsOfUser(db: Queryable, userId: string): Promise<string[]> {
  const { rows } = await db.query<{ branch_id: string }>(
    'select branch_id from user_branches where user_id = $1 order by branch_id',
    [userId],
  );
  return rows.map((r) => r.branch_id);
}

export async function insertSession(db: Queryable, tokenHash: string, userId: string, expiresAt: Date): Promise<void> {
  await db.query('insert into sessions (token_hash, user_id, expires_at) values ($1, $2, $3)', [
    tokenHash,
    userId,
    expiresAt.toISOString(),
  ]);
}

export async function revokeSession(db: Queryable, tokenHash: string): Promise<void> {
  await db.query('update sessions set revoked_at = now() where token_hash = $1 and revoked_at is null', [tokenHash]);
}

/** The live (unexpired, unrevoked) session's user, or null. */
export async function findSessionUser(db: Queryable, tokenHash: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(
    `select u.id, u.tenant_id, u.name, u.role, u.email, u.password_hash, u.active
       from sessions s join users u on u.id = s.user_id
      where s.token_hash = $1 and s.revoked_at is null and s.expires_at > now() and u.active`,
    [tokenHash],
  );
  return rows[0] ?? null;
}

export interface DeviceRow {
  id: string;
  branch_id: string;
  kind: DeviceKind;
  name: string;
  revoked_at: string | null;
}

export async function insertDevice(
  db: Queryable,
  device: { id: string; branchId: string; kind: DeviceKind; name: string; tokenHash: string; pairedBy: string },
): Promise<void> {
  await db.query(
    'insert into devices (id, branch_id, kind, name, token_hash, paired_by) values ($1, $2, $3, $4, $5, $6)',
    [device.id, device.branchId, device.kind, device.name, device.tokenHash, device.pairedBy],
  );
}

export async function findDeviceByTokenHash(db: Queryable, tokenHash: string): Promise<DeviceRow | null> {
  const { rows } = await db.query<DeviceRow>(
    'select id, branch_id, kind, name, revoked_at from devices where token_hash = $1',
    [tokenHash],
  );
  return rows[0] ?? null;
}

export async function revokeDevice(db: Queryable, deviceId: string): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    'update devices set revoked_at = now() where id = $1 and revoked_at is null returning id',
    [deviceId],
  );
  return rows.length > 0;
}

export async function listBranchesByIds(
  db: Queryable,
  ids: readonly string[],
): Promise<{ id: string; name_en: string; name_ar: string }[]> {
  if (ids.length === 0) return [];
  const { rows } = await db.query<{ id: string; name_en: string; name_ar: string }>(
    'select id, name_en, name_ar from branches where id = any($1::text[]) order by id',
    [ids],
  );
  return rows;
}
