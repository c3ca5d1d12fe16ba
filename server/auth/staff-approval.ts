/**
 * Who did an operation, and on whose authority ([AUDIT-02]). A manager in the browser acts with
 * their own session. A waiter tablet is a device: it names the staff member at the tablet
 * (`X-Staff-Id`) and, for what a waiter may not do, a manager types their PIN on the tablet
 * (`X-Approver-Id` + `X-Approver-Pin`). The PIN is checked here, on the server, against the
 * PBKDF2 hash — a tablet's own offline PIN check can be bypassed by anyone holding the device,
 * and money leaving the drawer must not rest on it. Wrong PINs are counted per device, and a
 * device that keeps guessing is refused for a while.
 */
import { createMiddleware } from 'hono/factory';
import { hasPermission, type Permission } from '../../shared/permissions';
import { isPinFormat, verifyPin } from '../../shared/pin-hash';
import type { Database } from '../db/database';
import { findBranchStaff } from '../db/staff-queries';
import { principalHasPermission, type Principal } from './principal';
import { HttpProblem } from '../http/problem';

export interface Actor {
  /** The person who did it. */
  by: string;
  /** The manager whose PIN allowed it, when it was not the person's own right. */
  approvedBy: string | null;
  /** The POS device it was done on (null in the manager's browser). */
  deviceId: string | null;
}

export type ActorEnv = { Variables: { principal: Principal; actor: Actor } };

export const STAFF_HEADER = 'x-staff-id';
export const APPROVER_HEADER = 'x-approver-id';
export const APPROVER_PIN_HEADER = 'x-approver-pin';

const MAX_WRONG_PINS = 5;
const WRONG_PIN_WINDOW_MS = 5 * 60_000;

/** Wrong PIN attempts per device, in one process (a restart forgets them; a PIN pad is slow anyway). */
export function createPinGuard(now: () => number = Date.now) {
  const failures = new Map<string, { count: number; since: number }>();
  const current = (deviceId: string) => {
    const entry = failures.get(deviceId);
    if (!entry || now() - entry.since > WRONG_PIN_WINDOW_MS) return { count: 0, since: now() };
    return entry;
  };
  return {
    isBlocked: (deviceId: string) => current(deviceId).count >= MAX_WRONG_PINS,
    recordFailure(deviceId: string) {
      const entry = current(deviceId);
      failures.set(deviceId, { count: entry.count + 1, since: entry.since });
    },
  };
}
export type PinGuard = ReturnType<typeof createPinGuard>;

/**
 * Requires `permission` for the branch in the path (run after `requireBranchAccess`) and sets
 * `actor`. 403 when the role lacks it and no valid approval came with the request.
 */
export const requireActor = (db: Database, guard: PinGuard, permission: Permission) =>
  createMiddleware<ActorEnv>(async (c, next) => {
    const principal = c.get('principal');
    const branchId = c.req.param('branchId') ?? '';
    if (principal.kind === 'user') {
      if (!principalHasPermission(principal, permission)) {
        throw new HttpProblem('forbidden', `You do not have the ${permission} permission.`, { permission });
      }
      c.set('actor', { by: principal.userId, approvedBy: null, deviceId: null });
      return next();
    }
    if (principal.deviceKind !== 'pos') throw new HttpProblem('forbidden', 'Only a POS tablet can do this.', { permission });
    const staffId = c.req.header(STAFF_HEADER) ?? '';
    const staff = staffId ? await findBranchStaff(db, branchId, staffId) : null;
    if (!staff || staff.role === 'kitchen') {
      throw new HttpProblem('forbidden', 'Unlock the tablet as a member of this branch’s staff.', { permission, staffId });
    }
    const approverId = c.req.header(APPROVER_HEADER);
    const pin = c.req.header(APPROVER_PIN_HEADER) ?? '';
    if (!approverId) {
      // Without an approval the tablet acts as a waiter (permissions of a POS device).
      if (!principalHasPermission(principal, permission)) {
        throw new HttpProblem('forbidden', 'A manager’s PIN is needed for this.', { permission, needsApproval: true });
      }
      c.set('actor', { by: staff.id, approvedBy: null, deviceId: principal.deviceId });
      return next();
    }
    if (guard.isBlocked(principal.deviceId)) {
      throw new HttpProblem('rate-limited', 'Too many wrong PINs on this tablet. Wait a few minutes.');
    }
    const approver = await findBranchStaff(db, branchId, approverId);
    const isPinRight =
      !!approver && isPinFormat(pin) && (await verifyPin(pin, { salt: approver.pin_salt, iterations: approver.pin_iterations, hash: approver.pin_hash }));
    if (!approver || !isPinRight) {
      guard.recordFailure(principal.deviceId);
      throw new HttpProblem('forbidden', 'Wrong PIN.', { permission, wrongPin: true });
    }
    if (!hasPermission(approver.role, permission)) {
      throw new HttpProblem('forbidden', `${approver.id} does not have the ${permission} permission.`, { permission });
    }
    c.set('actor', { by: staff.id, approvedBy: approver.id === staff.id ? null : approver.id, deviceId: principal.deviceId });
    return next();
  });
