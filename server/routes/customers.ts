import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { customerPhoneSchema, saveCustomerBodySchema, updateCustomerBodySchema } from '../../shared/schemas/customer';
import {
  findCustomerById,
  findCustomerByPhone,
  listCustomers,
  tenantOfBranch,
  updateCustomer,
  upsertCustomer,
} from '../db/customer-queries';
import type { Database } from '../db/database';
import { authenticate, requireBranchAccess, requirePermission, type AppEnv } from '../http/middleware';
import { HttpProblem, parseJsonBody } from '../http/problem';

/**
 * A branch's customers [CUS-01…04]: tablets download the list to look customers up by phone
 * offline, look one up online, and save (create or update by phone) customers typed at the
 * counter — also later, when a tablet that was offline comes back.
 * Mounted at /api/branches/:branchId/customers, so every path is branch-scoped.
 */

const limitSchema = z.coerce.number().int().min(1).max(5_000).default(2_000);

/** The `:branchId` of the mount path (checked by requireBranchAccess; Hono does not type a mount's params). */
function branchIdOf(c: Context<AppEnv>): string {
  const branchId = c.req.param('branchId');
  if (!branchId) throw new HttpProblem('not-found', 'No such branch.');
  return branchId;
}

export function customerRoutes(db: Database) {
  return new Hono<AppEnv>()
    .use(authenticate(db))
    .get('/', requireBranchAccess, requirePermission('customers:read'), async (c) => {
      const branchId = branchIdOf(c);
      const phone = c.req.query('phone');
      if (phone !== undefined) {
        const parsed = customerPhoneSchema.safeParse(phone);
        if (!parsed.success) throw new HttpProblem('validation-failed', 'phone must be 6–15 digits.', [{ path: 'phone', message: 'expected a phone number' }]);
        const customer = await findCustomerByPhone(db, branchId, parsed.data);
        if (!customer) throw new HttpProblem('not-found', 'No customer with this phone.');
        return c.json({ customers: [customer] }, 200);
      }
      const limit = limitSchema.safeParse(c.req.query('limit'));
      if (!limit.success) throw new HttpProblem('validation-failed', 'limit must be 1–5000.');
      return c.json({ customers: await listCustomers(db, branchId, limit.data) }, 200);
    })
    .post('/', requireBranchAccess, requirePermission('customers:write'), async (c) => {
      const branchId = branchIdOf(c);
      const body = await parseJsonBody(c, saveCustomerBodySchema);
      const tenantId = await tenantOfBranch(db, branchId);
      if (!tenantId) throw new HttpProblem('not-found', 'No such branch.');
      const { customer, isCreated } = await upsertCustomer(db, {
        tenantId,
        branchId,
        phone: body.phone,
        name: body.name,
        address: body.address ?? null,
      });
      return c.json({ customer }, isCreated ? 201 : 200);
    })
    .get('/:customerId', requireBranchAccess, requirePermission('customers:read'), async (c) => {
      const customer = await findCustomerById(db, branchIdOf(c), c.req.param('customerId') ?? '');
      if (!customer) throw new HttpProblem('not-found', 'No such customer.');
      return c.json({ customer }, 200);
    })
    .patch('/:customerId', requireBranchAccess, requirePermission('customers:write'), async (c) => {
      const body = await parseJsonBody(c, updateCustomerBodySchema);
      const customer = await updateCustomer(db, branchIdOf(c), c.req.param('customerId') ?? '', body);
      if (!customer) throw new HttpProblem('not-found', 'No such customer.');
      return c.json({ customer }, 200);
    });
}
