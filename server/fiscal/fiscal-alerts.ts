/**
 * Repeated submission failures raise an alert (FIS-58): a branch whose devices had at least
 * ALERT_FAILURE_THRESHOLD failed attempts (5xx, 429, timeouts, refused tokens — anything but a
 * processed answer) within the last ALERT_WINDOW_MS. It is computed from the submission log
 * whenever the manager's page or a metrics scrape asks, so it shows as soon as the failing
 * attempt is recorded — well within the minute the issue asks for — and clears by itself once
 * the window holds fewer failures.
 */
import { countFailedAttemptsSince } from '../db/fiscal-check-queries';
import type { Queryable } from '../db/database';

export const ALERT_WINDOW_MS = 5 * 60_000;
export const ALERT_FAILURE_THRESHOLD = 3;

export interface BranchFailures {
  branchId: string;
  failures: number;
  isAlert: boolean;
}

export async function fiscalFailuresByBranch(db: Queryable, branchIds: readonly string[], now: number): Promise<Map<string, BranchFailures>> {
  const rows = await countFailedAttemptsSince(db, now - ALERT_WINDOW_MS);
  const out = new Map<string, BranchFailures>(branchIds.map((id) => [id, { branchId: id, failures: 0, isAlert: false }]));
  for (const r of rows) {
    const entry = r.branchId ? out.get(r.branchId) : undefined;
    if (!entry) continue;
    entry.failures += r.failures;
    entry.isAlert = entry.failures >= ALERT_FAILURE_THRESHOLD;
  }
  return out;
}
