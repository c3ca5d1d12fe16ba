/** Staff of a branch with their PIN hashes, for approvals checked on the server. */
import { ROLES, type Role } from '../../shared/permissions';
import type { Queryable } from './database';

export interface StaffRow {
  id: string;
  role: Role;
  pin_salt: string;
  pin_iterations: number;
  pin_hash: string;
}

export async function findBranchStaff(db: Queryable, branchId: string, userId: string): Promise<StaffRow | null> {
  const { rows } = await db.query<StaffRow>(
    `select u.id, u.role, u.pin_salt, u.pin_iterations, u.pin_hash from users u
       join user_branches ub on ub.user_id = u.id
      where u.id = $1 and ub.branch_id = $2 and u.active`,
    [userId, branchId],
  );
  const row = rows[0];
  return row && ROLES.includes(row.role) ? row : null;
}
