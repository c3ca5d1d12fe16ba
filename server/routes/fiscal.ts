import { Hono } from 'hono';
import { z } from 'zod';
import { MAX_RECEIPT_AGE_MS } from '../../shared/eta/api';
import type { FiscalOverview, ResubmitAnswer } from '../../shared/eta/fiscal-review';
import type { PosFiscalProfile } from '../../shared/eta/receipt-entry';
import type { Database } from '../db/database';
import { fiscalCountsByDevice, listProblemReceipts, oldestPendingIssuedAt } from '../db/fiscal-check-queries';
import { assignPosSerial, loadBranchFiscalProfile, sellerFor } from '../db/fiscal-device-queries';
import { ALERT_WINDOW_MS, fiscalFailuresByBranch } from '../fiscal/fiscal-alerts';
import { fiscalMetricsText } from '../fiscal/fiscal-metrics';
import type { FiscalService } from '../fiscal/fiscal-service';
import { authenticate, requireBranchAccess, requirePermission, requireUser, type AppEnv } from '../http/middleware';
import { HttpProblem } from '../http/problem';

/** Without ETA settings the QR links point at ETA's production portal address. */
const DEFAULT_PORTAL_URL = 'https://invoicing.eta.gov.eg';
const uuidParam = z.string().regex(/^[0-9a-f]{64}$/);
const branchFilter = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/).optional();

/**
 * Fiscal e-receipts over HTTP:
 * - `GET /pos-profile` — a paired waiter tablet's fiscal identity: its ETA serial (taken from the
 *   branch's registered ones the first time), the seller block and the QR portal (FIS-50);
 * - `GET /overview[?branchId=]` — the manager's fiscal page (FIS-57, FIS-58);
 * - `POST /branches/:branchId/receipts/:uuid/resubmit` — correct a rejected receipt (FIS-57);
 * - `GET /metrics` — Prometheus text (FIS-58).
 * Managers need `fiscal:review` and see only their branches.
 */
export function fiscalRoutes(db: Database, fiscal: FiscalService | null, now: () => number = Date.now) {
  const branchesOf = (requested: string | undefined, allowed: readonly string[]) => {
    const branch = branchFilter.safeParse(requested);
    if (!branch.success) throw new HttpProblem('validation-failed', 'branchId must be a branch id.');
    if (branch.data === undefined) return [...allowed];
    if (!allowed.includes(branch.data)) throw new HttpProblem('branch-forbidden', 'You have no access to this branch.', { branchId: branch.data });
    return [branch.data];
  };

  return new Hono<AppEnv>()
    .use(authenticate(db))
    .get('/pos-profile', async (c) => {
      const p = c.get('principal');
      if (p.kind !== 'device' || p.deviceKind !== 'pos') throw new HttpProblem('forbidden', 'Only a paired waiter tablet has a fiscal profile.');
      const profile = await loadBranchFiscalProfile(db, p.branchId);
      if (!profile) throw new HttpProblem('conflict', 'This branch has no fiscal registration yet.');
      const serial = await assignPosSerial(db, p.deviceId, p.branchId);
      if (!serial.ok) throw new HttpProblem('conflict', 'Every ETA POS serial registered for this branch is taken: register another on the ETA portal.');
      const answer: PosFiscalProfile = {
        deviceId: p.deviceId,
        branchId: p.branchId,
        serial: serial.serial,
        seller: sellerFor(profile, serial.serial),
        portalUrl: fiscal?.portalUrl ?? DEFAULT_PORTAL_URL,
      };
      return c.json(answer, 200);
    })
    .get('/overview', requireUser, requirePermission('fiscal:review'), async (c) => {
      const p = c.get('principal');
      const branchIds = branchesOf(c.req.query('branchId'), p.kind === 'user' ? p.branchIds : []);
      const at = now();
      const [counts, oldest, failures, problems] = await Promise.all([
        fiscalCountsByDevice(db, branchIds),
        oldestPendingIssuedAt(db, branchIds),
        fiscalFailuresByBranch(db, branchIds, at),
        listProblemReceipts(db, branchIds),
      ]);
      const answer: FiscalOverview = {
        now: at,
        limitMs: MAX_RECEIPT_AGE_MS,
        alertWindowMs: ALERT_WINDOW_MS,
        branches: branchIds.map((branchId) => {
          const oldestAt = oldest.get(branchId) ?? null;
          const age = oldestAt === null ? null : Math.max(0, at - oldestAt);
          const f = failures.get(branchId);
          return {
            branchId,
            devices: counts.filter((d) => d.branchId === branchId).map((d) => ({ serial: d.serial, counts: d.counts })),
            oldestPendingIssuedAt: oldestAt,
            oldestPendingAgeMs: age,
            isOverdue: age !== null && age > MAX_RECEIPT_AGE_MS,
            failedAttempts: f?.failures ?? 0,
            isAlert: f?.isAlert ?? false,
          };
        }),
        problems,
      };
      return c.json(answer, 200);
    })
    .post('/branches/:branchId/receipts/:uuid/resubmit', requireUser, requirePermission('fiscal:review'), requireBranchAccess, async (c) => {
      const uuid = uuidParam.safeParse(c.req.param('uuid'));
      if (!uuid.success) throw new HttpProblem('validation-failed', 'uuid must be 64 lowercase hex characters.');
      if (!fiscal) throw new HttpProblem('conflict', 'ETA submission is not running on this server.');
      const result = await fiscal.correct(uuid.data, c.req.param('branchId'));
      if (!result.ok) throw new HttpProblem(result.code === 'not-found' ? 'not-found' : 'conflict', result.message, { reason: result.code });
      const answer: ResubmitAnswer = { uuid: result.uuid, correctsUuid: result.correctsUuid };
      return c.json(answer, 201);
    })
    .get('/metrics', requireUser, requirePermission('fiscal:review'), async (c) => {
      const p = c.get('principal');
      const metrics = await fiscalMetricsText(db, p.kind === 'user' ? p.branchIds : [], now());
      return c.body(metrics.body, 200, { 'content-type': metrics.contentType });
    });
}
