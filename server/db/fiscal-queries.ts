/**
 * SQL of the fiscal submission queue (server/fiscal/submission-queue.ts). A batch is claimed in
 * one transaction under its device's row lock (one batch per device in flight, so receipts reach
 * ETA in chain order), and its answer is recorded in one transaction that also writes the log row
 * and advances the attempt counter — only if the batch is still held by the same claim, so a
 * worker that was presumed dead cannot overwrite what another recorded since.
 */
import type { Database, Queryable } from './database';

export const FISCAL_STATES = ['PENDING', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED', 'DEAD_LETTER'] as const;
export type FiscalState = (typeof FISCAL_STATES)[number];

export interface NewFiscalReceipt {
  uuid: string;
  deviceSerial: string;
  branchId: string | null;
  receiptNumber: string;
  receiptType: string;
  previousUuid: string;
  issuedAt: string;
  document: string;
  documentBytes: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Stores receipts (in the order given, which must be each device's issue order); a uuid already
 * stored is left as it is. Returns the uuids that were new. A uuid raced in by another
 * transaction leaves a gap in its device's sequence, which only orders receipts.
 */
export async function insertFiscalReceipts(db: Database, receipts: readonly NewFiscalReceipt[], now: number): Promise<string[]> {
  if (receipts.length === 0) return [];
  return db.transact(async (tx) => {
    const { rows: existing } = await tx.query<{ uuid: string }>('select uuid from fiscal_receipts where uuid = any($1::text[])', [
      receipts.map((r) => r.uuid),
    ]);
    const known = new Set(existing.map((r) => r.uuid));
    const fresh = receipts.filter((r, i) => !known.has(r.uuid) && receipts.findIndex((x) => x.uuid === r.uuid) === i);
    if (fresh.length === 0) return [];
    const seqs = new Map<string, number>();
    for (const serial of new Set(fresh.map((r) => r.deviceSerial))) {
      const count = fresh.filter((r) => r.deviceSerial === serial).length;
      const { rows } = await tx.query<{ next_seq: string | number }>(
        `insert into fiscal_devices (serial, next_seq) values ($1, $2)
         on conflict (serial) do update set next_seq = fiscal_devices.next_seq + $2
         returning next_seq`,
        [serial, count],
      );
      seqs.set(serial, Number(rows[0]!.next_seq) - count);
    }
    const chainSeq = fresh.map((r) => {
      const seq = (seqs.get(r.deviceSerial) ?? 0) + 1;
      seqs.set(r.deviceSerial, seq);
      return seq;
    });
    const column = <K extends keyof NewFiscalReceipt>(key: K) => fresh.map((r) => r[key]);
    const { rows } = await tx.query<{ uuid: string }>(
      `insert into fiscal_receipts (uuid, device_serial, chain_seq, branch_id, receipt_number, receipt_type, previous_uuid,
                                    issued_at, document, document_bytes, next_attempt_at)
       select u.uuid, u.device_serial, u.chain_seq, u.branch_id, u.receipt_number, u.receipt_type, u.previous_uuid,
              u.issued_at::timestamptz, u.document, u.document_bytes, $11::timestamptz
       from unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::integer[])
         as u(uuid, device_serial, chain_seq, branch_id, receipt_number, receipt_type, previous_uuid, issued_at, document, document_bytes)
       order by u.chain_seq
       on conflict (uuid) do nothing
       returning uuid`,
      [column('uuid'), column('deviceSerial'), chainSeq, column('branchId'), column('receiptNumber'), column('receiptType'),
        column('previousUuid'), column('issuedAt'), column('document'), column('documentBytes'), iso(now)],
    );
    return rows.map((r) => r.uuid);
  });
}

/** Start-up: batches a dead process held go back to PENDING, attempts unchanged. */
export async function resetInFlightReceipts(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ uuid: string }>(
    `update fiscal_receipts set state = 'PENDING', claim_id = null, claimed_at = null
     where state = 'IN_PROGRESS' returning uuid`,
  );
  return rows.length;
}

// Each device's next receipt to send: its earliest PENDING one in chain order. Later receipts
// wait for it (chain order), so a device is due when its head is.
const DEVICE_HEADS = `select distinct on (device_serial) device_serial, next_attempt_at
  from fiscal_receipts where state = 'PENDING' order by device_serial, chain_seq`;

/**
 * Devices whose next receipt is due and that have no batch in flight, longest waiting first;
 * only among `serials` when given (a worker restricted to some devices, see `devices` in
 * submission-queue.ts).
 */
export async function dueFiscalDevices(db: Queryable, now: number, limit: number, serials?: readonly string[]): Promise<string[]> {
  const { rows } = await db.query<{ device_serial: string }>(
    `select device_serial from (${DEVICE_HEADS}) heads
     where next_attempt_at <= $1
       and device_serial not in (select device_serial from fiscal_receipts where state = 'IN_PROGRESS')
       ${serials ? 'and device_serial = any($3::text[])' : ''}
     order by next_attempt_at limit $2`,
    serials ? [iso(now), limit, serials] : [iso(now), limit],
  );
  return rows.map((r) => r.device_serial);
}

export interface ClaimedReceipt {
  uuid: string;
  document: string;
  documentBytes: number;
  attempts: number;
}

/**
 * Claims the device's next batch: its earliest PENDING receipts in chain order, while the first
 * of them is due, at most `maxReceipts` and `maxDocumentBytes` of documents. Returns [] when the
 * device is locked by another worker, already has a batch in flight, or is not due.
 */
export async function claimFiscalBatch(
  db: Database,
  serial: string,
  options: { claimId: string; now: number; maxReceipts: number; maxDocumentBytes: number },
): Promise<ClaimedReceipt[]> {
  return db.transact(async (tx) => {
    const locked = await tx.query('select serial from fiscal_devices where serial = $1 for update skip locked', [serial]);
    if (locked.rows.length === 0) return [];
    const inFlight = await tx.query(`select 1 from fiscal_receipts where device_serial = $1 and state = 'IN_PROGRESS' limit 1`, [serial]);
    if (inFlight.rows.length) return [];
    const { rows } = await tx.query<{ uuid: string; document: string; document_bytes: number; attempts: number; next_attempt_at: string | Date }>(
      `select uuid, document, document_bytes, attempts, next_attempt_at from fiscal_receipts
       where device_serial = $1 and state = 'PENDING' order by chain_seq limit $2`,
      [serial, options.maxReceipts],
    );
    const first = rows[0];
    if (!first || new Date(first.next_attempt_at).getTime() > options.now) return [];
    const batch: ClaimedReceipt[] = [];
    let bytes = 0;
    for (const r of rows) {
      if (batch.length > 0 && bytes + r.document_bytes > options.maxDocumentBytes) break;
      bytes += r.document_bytes;
      batch.push({ uuid: r.uuid, document: r.document, documentBytes: r.document_bytes, attempts: r.attempts });
    }
    await tx.query(
      `update fiscal_receipts set state = 'IN_PROGRESS', claim_id = $2, claimed_at = $3 where uuid = any($1::text[])`,
      [batch.map((b) => b.uuid), options.claimId, iso(options.now)],
    );
    return batch;
  });
}

export type FiscalOutcome =
  | { uuid: string; state: 'SUBMITTED'; submissionId: string; longId: string | null }
  | { uuid: string; state: 'REJECTED'; error: unknown }
  /** A failed attempt: PENDING again at `nextAttemptAt`, or DEAD_LETTER once attempts reach the maximum. */
  | { uuid: string; state: 'RETRY'; error: unknown; nextAttemptAt: number };

export interface FiscalAttemptLog {
  claimId: string;
  deviceSerial: string;
  receiptUuids: string[];
  payloadBytes: number;
  startedAt: number;
  finishedAt: number;
  httpStatus: number | null;
  outcome: string;
  submissionId: string | null;
  retryAfterMs: number | null;
  error: string | null;
  details: unknown;
}

/**
 * Records one attempt's answer: the log row, each receipt's new state, attempts + 1 — all in one
 * transaction, and only for receipts still held by `log.claimId`. Returns how many were updated
 * (0: the claim was lost, e.g. reset at a restart, and nothing was written but the log).
 */
export async function recordFiscalAttempt(
  db: Database,
  log: FiscalAttemptLog,
  outcomes: readonly FiscalOutcome[],
  maxAttempts: number,
): Promise<number> {
  return db.transact(async (tx) => {
    await tx.query(
      `insert into fiscal_submission_log (claim_id, device_serial, receipt_uuids, payload_bytes, started_at, finished_at,
                                          http_status, outcome, submission_id, retry_after_ms, error, details)
       values ($1, $2, $3::text[], $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [log.claimId, log.deviceSerial, log.receiptUuids, log.payloadBytes, iso(log.startedAt), iso(log.finishedAt), log.httpStatus,
        log.outcome, log.submissionId, log.retryAfterMs, log.error, log.details === undefined ? null : JSON.stringify(log.details)],
    );
    let updated = 0;
    const finishedAt = iso(log.finishedAt);
    const submitted = outcomes.filter((o) => o.state === 'SUBMITTED');
    if (submitted.length) {
      const { rows } = await tx.query(
        `update fiscal_receipts r set state = 'SUBMITTED', attempts = r.attempts + 1, submission_id = u.submission_id,
                long_id = u.long_id, last_error = null, claim_id = null, finished_at = $4
         from unnest($1::text[], $2::text[], $3::text[]) as u(uuid, submission_id, long_id)
         where r.uuid = u.uuid and r.state = 'IN_PROGRESS' and r.claim_id = $5 returning r.uuid`,
        [submitted.map((o) => o.uuid), submitted.map((o) => o.submissionId), submitted.map((o) => o.longId), finishedAt, log.claimId],
      );
      updated += rows.length;
    }
    const rejected = outcomes.filter((o) => o.state === 'REJECTED');
    if (rejected.length) {
      const { rows } = await tx.query(
        `update fiscal_receipts r set state = 'REJECTED', attempts = r.attempts + 1, last_error = u.error::jsonb,
                claim_id = null, finished_at = $3
         from unnest($1::text[], $2::text[]) as u(uuid, error)
         where r.uuid = u.uuid and r.state = 'IN_PROGRESS' and r.claim_id = $4 returning r.uuid`,
        [rejected.map((o) => o.uuid), rejected.map((o) => JSON.stringify(o.error)), finishedAt, log.claimId],
      );
      updated += rows.length;
    }
    const retry = outcomes.filter((o) => o.state === 'RETRY');
    if (retry.length) {
      const { rows } = await tx.query(
        `update fiscal_receipts r
            set state = case when r.attempts + 1 >= $5 then 'DEAD_LETTER' else 'PENDING' end,
                finished_at = case when r.attempts + 1 >= $5 then $4::timestamptz else null end,
                attempts = r.attempts + 1, last_error = u.error::jsonb, next_attempt_at = u.next_attempt_at::timestamptz,
                claim_id = null
         from unnest($1::text[], $2::text[], $3::text[]) as u(uuid, error, next_attempt_at)
         where r.uuid = u.uuid and r.state = 'IN_PROGRESS' and r.claim_id = $6 returning r.uuid`,
        [retry.map((o) => o.uuid), retry.map((o) => JSON.stringify(o.error)), retry.map((o) => iso(o.nextAttemptAt)), finishedAt,
          maxAttempts, log.claimId],
      );
      updated += rows.length;
    }
    return updated;
  });
}

/**
 * Gives up a PENDING receipt that must never be sent later: DEAD_LETTER with the reason kept.
 * `eta:smoke` does this at its deadline so its test receipt is not submitted by a future worker.
 */
export async function abandonFiscalReceipt(db: Queryable, uuid: string, reason: string, now: number): Promise<boolean> {
  const { rows } = await db.query<{ uuid: string }>(
    `update fiscal_receipts
        set state = 'DEAD_LETTER', finished_at = $3,
            last_error = jsonb_build_object('source', 'abandoned', 'reason', $2::text, 'lastError', last_error)
      where uuid = $1 and state = 'PENDING' returning uuid`,
    [uuid, reason, iso(now)],
  );
  return rows.length === 1;
}

export async function countFiscalReceiptsByState(db: Queryable): Promise<Record<FiscalState, number>> {
  const { rows } = await db.query<{ state: FiscalState; n: string | number }>('select state, count(*) as n from fiscal_receipts group by state');
  const counts: Record<FiscalState, number> = { PENDING: 0, IN_PROGRESS: 0, SUBMITTED: 0, REJECTED: 0, DEAD_LETTER: 0 };
  for (const r of rows) counts[r.state] = Number(r.n);
  return counts;
}

export interface FiscalReceiptRow {
  uuid: string;
  deviceSerial: string;
  chainSeq: number;
  state: FiscalState;
  attempts: number;
  nextAttemptAt: number;
  submissionId: string | null;
  lastError: unknown;
}

export async function getFiscalReceipts(db: Queryable, uuids?: readonly string[]): Promise<FiscalReceiptRow[]> {
  const { rows } = await db.query<{
    uuid: string; device_serial: string; chain_seq: string | number; state: FiscalState; attempts: number;
    next_attempt_at: string | Date; submission_id: string | null; last_error: unknown;
  }>(
    `select uuid, device_serial, chain_seq, state, attempts, next_attempt_at, submission_id, last_error from fiscal_receipts
     ${uuids ? 'where uuid = any($1::text[])' : ''} order by device_serial, chain_seq`,
    uuids ? [uuids] : [],
  );
  return rows.map((r) => ({
    uuid: r.uuid, deviceSerial: r.device_serial, chainSeq: Number(r.chain_seq), state: r.state, attempts: r.attempts,
    nextAttemptAt: new Date(r.next_attempt_at).getTime(), submissionId: r.submission_id, lastError: r.last_error,
  }));
}

export interface FiscalLogRow {
  deviceSerial: string;
  receiptUuids: string[];
  payloadBytes: number;
  httpStatus: number | null;
  outcome: string;
  retryAfterMs: number | null;
  error: string | null;
}

export async function listFiscalLog(db: Queryable): Promise<FiscalLogRow[]> {
  const { rows } = await db.query<{
    device_serial: string; receipt_uuids: string[]; payload_bytes: number; http_status: number | null; outcome: string;
    retry_after_ms: number | null; error: string | null;
  }>('select device_serial, receipt_uuids, payload_bytes, http_status, outcome, retry_after_ms, error from fiscal_submission_log order by id');
  return rows.map((r) => ({
    deviceSerial: r.device_serial, receiptUuids: r.receipt_uuids, payloadBytes: r.payload_bytes, httpStatus: r.http_status,
    outcome: r.outcome, retryAfterMs: r.retry_after_ms, error: r.error,
  }));
}

/** When the next device becomes due (for a worker deciding how long to sleep); null if none. */
export async function nextFiscalAttemptAt(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ at: string | Date | null }>(`select min(next_attempt_at) as at from (${DEVICE_HEADS}) heads`);
  const at = rows[0]?.at;
  return at ? new Date(at).getTime() : null;
}
