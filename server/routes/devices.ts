import { randomBytes } from 'node:crypto';
import { Hono } from 'hono';
import { pairDeviceBodySchema, type DeviceCredentials, type PairedDevice } from '../../shared/schemas/auth';
import { canAccessBranch } from '../auth/principal';
import { DEVICE_TOKEN_PREFIX, hashToken, newToken } from '../auth/secrets';
import { insertDevice, revokeDevice } from '../db/auth-queries';
import type { Database } from '../db/database';
import { authenticate, requirePermission, requireUser, type AppEnv } from '../http/middleware';
import { HttpProblem, parseJsonBody } from '../http/problem';

/**
 * Pairing: a manager signed in on a tablet turns it into a device of one branch. The device gets
 * its own long-lived token (stored hashed), independent of the manager's session, so the tablet
 * keeps working when the manager signs out — and can be unpaired alone.
 */
export function deviceRoutes(db: Database, hooks: { onDeviceRevoked(deviceId: string): void }) {
  return new Hono<AppEnv>()
    .use(authenticate(db))
    .post('/', requireUser, requirePermission('devices:pair'), async (c) => {
      const body = await parseJsonBody(c, pairDeviceBodySchema);
      const principal = c.get('principal');
      if (principal.kind !== 'user' || !canAccessBranch(principal, body.branchId)) {
        throw new HttpProblem('branch-forbidden', 'You have no access to this branch.', { branchId: body.branchId });
      }
      const token = newToken(DEVICE_TOKEN_PREFIX);
      const id = `${body.kind}-${randomBytes(6).toString('hex')}`;
      await insertDevice(db, { id, branchId: body.branchId, kind: body.kind, name: body.name, tokenHash: hashToken(token), pairedBy: principal.userId });
      const answer: DeviceCredentials = { id, branchId: body.branchId, kind: body.kind, name: body.name, token };
      return c.json(answer, 201);
    })
    .get('/me', async (c) => {
      const principal = c.get('principal');
      if (principal.kind !== 'device') throw new HttpProblem('forbidden', 'Only a paired device can ask this.');
      const answer: PairedDevice = { id: principal.deviceId, branchId: principal.branchId, kind: principal.deviceKind, name: principal.name };
      return c.json(answer, 200);
    })
    .delete('/:deviceId', requireUser, requirePermission('devices:pair'), async (c) => {
      const deviceId = c.req.param('deviceId');
      const principal = c.get('principal');
      const { rows } = await db.query<{ branch_id: string }>('select branch_id from devices where id = $1', [deviceId]);
      const branchId = rows[0]?.branch_id;
      if (!branchId || !canAccessBranch(principal, branchId)) throw new HttpProblem('not-found', 'No such device.');
      if (await revokeDevice(db, deviceId)) hooks.onDeviceRevoked(deviceId);
      return c.body(null, 204);
    });
}

