import { Hono } from 'hono';
import { z } from 'zod';
import { cashMovementBodySchema, closeShiftBodySchema, openShiftBodySchema, type Shift } from '../../shared/schemas/shift';
import { slugIdSchema } from '../../shared/schemas/common';
import { requireActor, type ActorEnv, type PinGuard } from '../auth/staff-approval';
import type { Database } from '../db/database';
import { addCashMovement, closeShift, findOpenShift, findShift, isPosDeviceOfBranch, openShift, shiftReport } from '../db/shift-queries';
import { authenticate, requireBranchAccess, requirePermission } from '../http/middleware';
import { HttpProblem, parseJsonBody } from '../http/problem';
import type { Context } from 'hono';

/**
 * Cash-drawer shifts of one branch (docs/SPEC.md SHIFT-*), online only: opening, pay-ins and
 * pay-outs, the X report and the close move money and must be recorded once, by the server, at
 * the moment they happen. Mounted at /api/branches/:branchId/shifts.
 */

const shiftIdSchema = z.string().uuid();

/** A tablet works on its own drawer only; a manager names the device. */
function deviceOfRequest(c: Context<ActorEnv>, named: string | undefined): string {
  const principal = c.get('principal');
  if (principal.kind === 'device') {
    if (named !== undefined && named !== principal.deviceId) {
      throw new HttpProblem('forbidden', 'A tablet can only work on its own cash drawer.', { deviceId: named });
    }
    return principal.deviceId;
  }
  if (named === undefined) throw new HttpProblem('validation-failed', 'Name the POS device (deviceId).', [{ path: 'deviceId', message: 'Required' }]);
  return named;
}

async function shiftOfRequest(db: Database, c: Context<ActorEnv>): Promise<Shift> {
  const id = shiftIdSchema.safeParse(c.req.param('shiftId'));
  if (!id.success) throw new HttpProblem('validation-failed', 'Not a shift id.', [{ path: 'shiftId', message: 'Invalid uuid' }]);
  const shift = await findShift(db, c.req.param('branchId') ?? '', id.data);
  if (!shift) throw new HttpProblem('not-found', 'No such shift.');
  const principal = c.get('principal');
  if (principal.kind === 'device' && shift.deviceId !== principal.deviceId) {
    throw new HttpProblem('forbidden', 'This shift belongs to another cash drawer.', { shiftId: shift.id });
  }
  return shift;
}

export function shiftRoutes(db: Database, guard: PinGuard) {
  const manage = requireActor(db, guard, 'shifts:manage');
  return new Hono<ActorEnv>()
    .use(authenticate(db), requireBranchAccess)
    .get('/current', requirePermission('orders:pay'), async (c) => {
      const named = c.req.query('deviceId');
      const parsed = named === undefined ? undefined : slugIdSchema.safeParse(named);
      if (parsed && !parsed.success) throw new HttpProblem('validation-failed', 'Not a device id.', [{ path: 'deviceId', message: 'Invalid' }]);
      const deviceId = deviceOfRequest(c, parsed?.data);
      return c.json({ shift: await findOpenShift(db, c.req.param('branchId') ?? '', deviceId) }, 200);
    })
    .post('/', manage, async (c) => {
      const body = await parseJsonBody(c, openShiftBodySchema);
      const branchId = c.req.param('branchId') ?? '';
      const deviceId = deviceOfRequest(c, body.deviceId);
      if (!(await isPosDeviceOfBranch(db, branchId, deviceId))) {
        throw new HttpProblem('validation-failed', 'No such POS device in this branch.', [{ path: 'deviceId', message: 'Unknown device' }]);
      }
      const outcome = await openShift(db, { id: body.id, branchId, deviceId, floatMinor: body.floatMinor, actor: c.get('actor') });
      switch (outcome.kind) {
        case 'opened':
          return c.json({ shift: outcome.shift }, 201);
        case 'existing':
          return c.json({ shift: outcome.shift }, 200);
        case 'device-busy':
          throw new HttpProblem('conflict', 'This cash drawer already has an open shift.', { openShiftId: outcome.openShiftId });
        case 'id-taken':
          throw new HttpProblem('conflict', 'This shift id is used by another shift.');
      }
    })
    .get('/:shiftId', requirePermission('orders:pay'), async (c) => c.json({ shift: await shiftOfRequest(db, c) }, 200))
    .post('/:shiftId/cash-movements', manage, async (c) => {
      const shift = await shiftOfRequest(db, c);
      const body = await parseJsonBody(c, cashMovementBodySchema);
      const outcome = await addCashMovement(db, { branchId: shift.branchId, shiftId: shift.id, body, actor: c.get('actor') });
      switch (outcome.kind) {
        case 'added':
          return c.json({ shift: outcome.shift }, 201);
        case 'existing':
          return c.json({ shift: outcome.shift }, 200);
        case 'closed':
          throw new HttpProblem('conflict', 'This shift is closed.');
        case 'id-taken':
          throw new HttpProblem('conflict', 'This id is used by another shift’s movement.');
      }
    })
    .get('/:shiftId/report', manage, async (c) => {
      const shift = await shiftOfRequest(db, c);
      const report = await shiftReport(db, shift.branchId, shift.id);
      if (!report) throw new HttpProblem('not-found', 'No such shift.');
      return c.json({ report }, 200);
    })
    .post('/:shiftId/close', manage, async (c) => {
      const shift = await shiftOfRequest(db, c);
      const body = await parseJsonBody(c, closeShiftBodySchema);
      const outcome = await closeShift(db, { branchId: shift.branchId, shiftId: shift.id, counts: body.counts, actor: c.get('actor') });
      if (outcome.kind === 'already-closed') throw new HttpProblem('conflict', 'This shift is already closed.', { report: outcome.report });
      return c.json({ report: outcome.report }, 200);
    });
}
