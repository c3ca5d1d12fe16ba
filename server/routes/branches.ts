import { Hono } from 'hono';
import { z } from 'zod';
import { listBranchesByIds } from '../db/auth-queries';
import { loadCatalog } from '../db/catalog-queries';
import type { Database } from '../db/database';
import { listSettledOrders, listSettlementRejections } from '../db/settlement-queries';
import { authenticate, requireBranchAccess, requirePermission, requireUser, type AppEnv } from '../http/middleware';
import { HttpProblem } from '../http/problem';

const limitSchema = z.coerce.number().int().min(1).max(500).default(50);

export function branchRoutes(db: Database) {
  return new Hono<AppEnv>()
    .use(authenticate(db))
    .get('/', requireUser, async (c) => {
      const p = c.get('principal');
      const branches = p.kind === 'user' ? await listBranchesByIds(db, p.branchIds) : [];
      return c.json({ branches: branches.map((b) => ({ id: b.id, nameEn: b.name_en, nameAr: b.name_ar })) }, 200);
    })
    .get('/:branchId/catalog', requireBranchAccess, requirePermission('catalog:read'), async (c) => {
      const catalog = await loadCatalog(db, c.req.param('branchId'));
      if (!catalog) throw new HttpProblem('not-found', 'No such branch.');
      return c.json(catalog, 200);
    })
    .get('/:branchId/settlement-rejections', requireBranchAccess, requirePermission('settlement:review'), async (c) => {
      return c.json({ rejections: await listSettlementRejections(db, c.req.param('branchId')) }, 200);
    })
    .get('/:branchId/settled-orders', requireBranchAccess, requirePermission('settlement:review'), async (c) => {
      const limit = limitSchema.safeParse(c.req.query('limit'));
      if (!limit.success) throw new HttpProblem('validation-failed', 'limit must be 1–500.');
      return c.json({ orders: await listSettledOrders(db, c.req.param('branchId'), limit.data) }, 200);
    });
}
