import { Hono } from 'hono';
import { z } from 'zod';
import { refundBodySchema } from '../../shared/schemas/refund';
import { requireActor, type ActorEnv, type PinGuard } from '../auth/staff-approval';
import type { Database } from '../db/database';
import { insertRefund, loadRefundableOrder, searchSettledOrders } from '../db/refund-queries';
import { isPosDeviceOfBranch } from '../db/shift-queries';
import { authenticate, requireBranchAccess } from '../http/middleware';
import { HttpProblem, parseJsonBody } from '../http/problem';

/**
 * Refunds of settled orders (docs/SPEC.md REF-*), online: permission `orders:refund` — a manager
 * in the browser, or a waiter's tablet with a manager's PIN checked here. Mounted at
 * /api/branches/:branchId/refunds. A refund is recorded for the fiscal refund receipt (RC) to be
 * issued from it (refunds.fiscal_receipt_uuid stays null until then).
 */

const searchSchema = z.object({
  q: z.string().regex(/^[0-9a-f-]{0,36}$/i, 'hex digits of an order id').default(''),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export function refundRoutes(db: Database, guard: PinGuard) {
  const refund = requireActor(db, guard, 'orders:refund');
  return new Hono<ActorEnv>()
    .use(authenticate(db), requireBranchAccess)
    .get('/orders', refund, async (c) => {
      const parsed = searchSchema.safeParse({ q: c.req.query('q') ?? undefined, limit: c.req.query('limit') ?? undefined });
      if (!parsed.success) {
        throw new HttpProblem('validation-failed', 'The search is not valid.', parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
      }
      return c.json({ orders: await searchSettledOrders(db, c.req.param('branchId') ?? '', parsed.data.q, parsed.data.limit) }, 200);
    })
    .get('/orders/:orderId', refund, async (c) => {
      const orderId = z.string().uuid().safeParse(c.req.param('orderId'));
      if (!orderId.success) throw new HttpProblem('validation-failed', 'Not an order id.', [{ path: 'orderId', message: 'Invalid uuid' }]);
      const order = await loadRefundableOrder(db, c.req.param('branchId') ?? '', orderId.data);
      if (!order) throw new HttpProblem('not-found', 'No settled order with this id in this branch.');
      return c.json({ order }, 200);
    })
    .post('/', refund, async (c) => {
      const body = await parseJsonBody(c, refundBodySchema);
      const branchId = c.req.param('branchId') ?? '';
      const actor = c.get('actor');
      // [SHIFT-05] the cash leaves this tablet's drawer; from the browser, the named one (else the paying device's)
      if (actor.deviceId !== null && body.deviceId !== undefined && body.deviceId !== actor.deviceId) {
        throw new HttpProblem('forbidden', 'A tablet refunds from its own cash drawer.', { deviceId: body.deviceId });
      }
      const deviceId = actor.deviceId ?? body.deviceId ?? null;
      if (deviceId !== null && !(await isPosDeviceOfBranch(db, branchId, deviceId))) {
        throw new HttpProblem('validation-failed', 'No such POS device in this branch.', [{ path: 'deviceId', message: 'Unknown device' }]);
      }
      const outcome = await insertRefund(db, {
        id: body.id, branchId, orderId: body.orderId, lines: body.lines, reason: body.reason, method: body.method, deviceId, actor,
      });
      switch (outcome.kind) {
        case 'created':
          return c.json({ refund: outcome.refund }, 201);
        case 'existing':
          return c.json({ refund: outcome.refund }, 200);
        case 'no-order':
          throw new HttpProblem('not-found', 'No settled order with this id in this branch.');
        case 'id-taken':
          throw new HttpProblem('conflict', 'This refund id belongs to another order.');
        case 'refused':
          throw new HttpProblem(outcome.problem.code, outcome.problem.message, outcome.problem.details);
      }
    });
}
