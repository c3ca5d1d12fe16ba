import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { slugIdSchema } from '../../shared/schemas/common';
import { stationPrinterSchema } from '../../shared/schemas/catalog';
import type { Database } from '../db/database';
import { listStations, updateStationPrinters } from '../db/station-queries';
import { authenticate, requireBranchAccess, requirePermission, requireUser, type AppEnv } from '../http/middleware';
import { HttpProblem, parseJsonBody } from '../http/problem';

/**
 * A branch's kitchen stations [KDS-19]: anyone of the branch reads them (they are in the catalog
 * too); a manager sets each station's printer, backup printer and screen fallback. A change
 * bumps the catalog version, so devices pick it up, and the print gateway uses it from the next
 * ticket on. Mounted at /api/branches/:branchId/stations.
 */

const printerKey = (p: { host: string; port: number }) => `${p.host.toLowerCase()}:${p.port}`;

export const stationPrintersBodySchema = z
  .object({
    printer: stationPrinterSchema.nullable(),
    backupPrinter: stationPrinterSchema.nullable(),
    fallbackToScreen: z.boolean(),
  })
  .strict()
  .refine((b) => b.backupPrinter === null || b.printer !== null, { message: 'a backup printer needs a printer', path: ['backupPrinter'] })
  .refine((b) => b.backupPrinter === null || b.printer === null || printerKey(b.backupPrinter) !== printerKey(b.printer), {
    message: 'the backup printer must differ from the printer',
    path: ['backupPrinter'],
  });

function paramOf(c: Context<AppEnv>, name: 'branchId' | 'stationId'): string {
  const value = c.req.param(name);
  if (!value) throw new HttpProblem('not-found', `No such ${name === 'branchId' ? 'branch' : 'station'}.`);
  return value;
}

export interface StationRouteHooks {
  /** A station's printers changed (the print path drops its cached settings). */
  onChanged?: (branchId: string) => void;
}

export function stationRoutes(db: Database, hooks: StationRouteHooks = {}) {
  return new Hono<AppEnv>()
    .use(authenticate(db))
    .get('/', requireBranchAccess, requirePermission('catalog:read'), async (c) => {
      return c.json({ stations: await listStations(db, paramOf(c, 'branchId')) }, 200);
    })
    .put('/:stationId/printers', requireUser, requireBranchAccess, requirePermission('stations:manage'), async (c) => {
      const stationId = slugIdSchema.safeParse(paramOf(c, 'stationId'));
      if (!stationId.success) throw new HttpProblem('not-found', 'No such station.');
      const body = await parseJsonBody(c, stationPrintersBodySchema);
      const station = await updateStationPrinters(db, paramOf(c, 'branchId'), stationId.data, body);
      if (!station) throw new HttpProblem('not-found', 'No such station.');
      hooks.onChanged?.(paramOf(c, 'branchId'));
      return c.json({ station }, 200);
    });
}
