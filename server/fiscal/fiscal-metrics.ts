/**
 * Prometheus metrics of the fiscal pipeline (prom-client, text exposition format), read from the
 * database at scrape time so every process answers the same: receipts by state per branch and
 * device, the oldest pending receipt's age against ETA's 24-hour limit, failed attempts in the
 * alert window, and the alert itself (FIS-58).
 */
import { Gauge, Registry } from 'prom-client';
import { MAX_RECEIPT_AGE_MS } from '../../shared/eta/api';
import type { Queryable } from '../db/database';
import { fiscalCountsByDevice, oldestPendingIssuedAt } from '../db/fiscal-check-queries';
import { ALERT_WINDOW_MS, fiscalFailuresByBranch } from './fiscal-alerts';

export async function fiscalMetricsText(db: Queryable, branchIds: readonly string[], now: number): Promise<{ contentType: string; body: string }> {
  const registry = new Registry();
  const [counts, oldest, failures] = await Promise.all([
    fiscalCountsByDevice(db, branchIds),
    oldestPendingIssuedAt(db, branchIds),
    fiscalFailuresByBranch(db, branchIds, now),
  ]);
  const receipts = new Gauge({ name: 'restoflow_fiscal_receipts', help: 'ETA receipts by state', labelNames: ['branch', 'serial', 'state'], registers: [registry] });
  for (const d of counts) for (const [state, n] of Object.entries(d.counts)) receipts.set({ branch: d.branchId, serial: d.serial, state }, n ?? 0);
  const age = new Gauge({ name: 'restoflow_fiscal_oldest_pending_seconds', help: 'Age of the oldest receipt not yet at ETA', labelNames: ['branch'], registers: [registry] });
  const limit = new Gauge({ name: 'restoflow_fiscal_submission_limit_seconds', help: 'ETA wants receipts within this many seconds of issue', registers: [registry] });
  limit.set(MAX_RECEIPT_AGE_MS / 1000);
  const failed = new Gauge({
    name: 'restoflow_fiscal_failed_attempts',
    help: `Failed ETA submission attempts in the last ${ALERT_WINDOW_MS / 60_000} minutes`,
    labelNames: ['branch'],
    registers: [registry],
  });
  const alert = new Gauge({ name: 'restoflow_fiscal_alert', help: '1 while ETA submissions keep failing', labelNames: ['branch'], registers: [registry] });
  for (const branchId of branchIds) {
    const at = oldest.get(branchId);
    age.set({ branch: branchId }, at === undefined ? 0 : Math.max(0, (now - at) / 1000));
    const f = failures.get(branchId);
    failed.set({ branch: branchId }, f?.failures ?? 0);
    alert.set({ branch: branchId }, f?.isAlert ? 1 : 0);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
