/**
 * SQL of the server's verification of tablet-issued receipts (server/fiscal/receipt-verifier.ts)
 * and of the manager's fiscal page (server/routes/fiscal.ts). A received receipt is stored once
 * (uuid and order id both unique) as AWAITING; it leaves that state when it takes its place in
 * its device's chain — `chain_pos`, unique per serial, so two processes can never chain two
 * receipts at one position — as VERIFIED or UNVERIFIABLE, or when it is found to fork the chain.
 */
import type { FiscalState } from './fiscal-queries';
import type { Database, Queryable } from './database';

export const CHECK_STATUSES = ['AWAITING', 'VERIFIED', 'UNVERIFIABLE'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export interface ReceivedReceipt {
  uuid: string;
  orderId: string;
  branchId: string;
  deviceId: string;
  serial: string;
  receiptNumber: string;
  previousUuid: string;
  issuedAt: number;
  document: string;
}

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (value: string | Date) => new Date(value).getTime();

/** Stores receipts not seen before (by uuid or by order); returns how many were new. */
export async function insertReceivedReceipts(db: Queryable, receipts: readonly ReceivedReceipt[]): Promise<number> {
  if (receipts.length === 0) return 0;
  const col = <K extends keyof ReceivedReceipt>(k: K) => receipts.map((r) => r[k]);
  const { rows } = await db.query<{ uuid: string }>(
    `insert into fiscal_receipt_checks (uuid, order_id, branch_id, device_id, device_serial, receipt_number, previous_uuid, issued_at, document)
     select u.uuid, u.order_id::uuid, u.branch_id, u.device_id, u.device_serial, u.receipt_number, u.previous_uuid, u.issued_at::timestamptz, u.document
     from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
       as u(uuid, order_id, branch_id, device_id, device_serial, receipt_number, previous_uuid, issued_at, document)
     on conflict do nothing returning uuid`,
    [col('uuid'), col('orderId'), col('branchId'), col('deviceId'), col('serial'), col('receiptNumber'), col('previousUuid'),
      receipts.map((r) => iso(r.issuedAt)), col('document')],
  );
  return rows.length;
}

interface CheckRow {
  uuid: string; order_id: string; branch_id: string; device_id: string; device_serial: string; receipt_number: string;
  previous_uuid: string; issued_at: string | Date; document: string;
}
const toReceived = (r: CheckRow): ReceivedReceipt => ({
  uuid: r.uuid, orderId: r.order_id, branchId: r.branch_id, deviceId: r.device_id, serial: r.device_serial,
  receiptNumber: r.receipt_number, previousUuid: r.previous_uuid, issuedAt: ms(r.issued_at), document: r.document,
});

/** A branch's receipts still AWAITING, oldest first. */
export async function listAwaitingReceipts(db: Queryable, branchId: string): Promise<ReceivedReceipt[]> {
  const { rows } = await db.query<CheckRow>(
    `select uuid, order_id, branch_id, device_id, device_serial, receipt_number, previous_uuid, issued_at, document
     from fiscal_receipt_checks where branch_id = $1 and status = 'AWAITING' order by received_at, uuid`,
    [branchId],
  );
  return rows.map(toReceived);
}

/** The last receipt in a device's chain, or null before its first. */
export async function chainTip(db: Queryable, serial: string): Promise<{ uuid: string; pos: number } | null> {
  const { rows } = await db.query<{ uuid: string; chain_pos: number }>(
    'select uuid, chain_pos from fiscal_receipt_checks where device_serial = $1 and chain_pos is not null order by chain_pos desc limit 1',
    [serial],
  );
  return rows[0] ? { uuid: rows[0].uuid, pos: Number(rows[0].chain_pos) } : null;
}

export async function isInChain(db: Queryable, serial: string, uuid: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from fiscal_receipt_checks where device_serial = $1 and uuid = $2 and chain_pos is not null', [serial, uuid]);
  return rows.length > 0;
}

export type SettledAmounts = { status: 'settled'; totalMinor: number; vatMinor: number; serviceMinor: number } | { status: 'rejected' } | { status: 'pending' };

/** What settlement made of an order: its settled amounts, refused, or not yet settled. */
export async function settledOrderAmounts(db: Queryable, orderId: string): Promise<SettledAmounts> {
  const { rows } = await db.query<{ total_minor: string | number; vat_minor: string | number; service_minor: string | number }>(
    'select total_minor, vat_minor, service_minor from orders where id = $1::uuid',
    [orderId],
  );
  const r = rows[0];
  if (r) return { status: 'settled', totalMinor: Number(r.total_minor), vatMinor: Number(r.vat_minor), serviceMinor: Number(r.service_minor) };
  const rejected = await db.query('select 1 from settlement_rejections where order_id = $1::uuid', [orderId]);
  return rejected.rows.length ? { status: 'rejected' } : { status: 'pending' };
}

/**
 * Puts a receipt at `pos` in its device's chain with the verdict, if it is still AWAITING and the
 * position is free. False when another process got there first (nothing written).
 */
export async function chainReceipt(
  db: Database,
  uuid: string,
  pos: number,
  verdict: { status: 'VERIFIED' | 'UNVERIFIABLE'; reason: string | null; message: string | null },
  now: number,
): Promise<boolean> {
  try {
    const { rows } = await db.query<{ uuid: string }>(
      `update fiscal_receipt_checks set status = $3, chain_pos = $2, reason = $4, message = $5, checked_at = $6
       where uuid = $1 and status = 'AWAITING' returning uuid`,
      [uuid, pos, verdict.status, verdict.reason, verdict.message, iso(now)],
    );
    return rows.length === 1;
  } catch (error) {
    // unique (device_serial, chain_pos): another process chained a receipt there first
    if (error instanceof Error && /unique|duplicate/i.test(error.message)) return false;
    throw error;
  }
}

/** A receipt that will never be chained or sent (it forks its chain), reason kept. */
export async function markUnverifiable(db: Queryable, uuid: string, reason: string, message: string, now: number): Promise<void> {
  await db.query(
    `update fiscal_receipt_checks set status = 'UNVERIFIABLE', reason = $2, message = $3, checked_at = $4 where uuid = $1 and status = 'AWAITING'`,
    [uuid, reason, message, iso(now)],
  );
}

/** A verified receipt the queue refused after all: UNVERIFIABLE with the queue's reason. */
export async function downgradeToUnverifiable(db: Queryable, uuid: string, reason: string, message: string, now: number): Promise<void> {
  await db.query(
    `update fiscal_receipt_checks set status = 'UNVERIFIABLE', reason = $2, message = $3, checked_at = $4 where uuid = $1`,
    [uuid, reason, message, iso(now)],
  );
}

export async function getReceiptCheck(db: Queryable, uuid: string): Promise<{ status: CheckStatus; reason: string | null; chainPos: number | null } | null> {
  const { rows } = await db.query<{ status: CheckStatus; reason: string | null; chain_pos: number | null }>(
    'select status, reason, chain_pos from fiscal_receipt_checks where uuid = $1',
    [uuid],
  );
  return rows[0] ? { status: rows[0].status, reason: rows[0].reason, chainPos: rows[0].chain_pos === null ? null : Number(rows[0].chain_pos) } : null;
}

// ---- the manager's fiscal page ----

export type ReviewState = FiscalState | 'AWAITING' | 'UNVERIFIABLE';

export interface DeviceCounts {
  branchId: string;
  serial: string;
  counts: Partial<Record<ReviewState, number>>;
}

/**
 * Counts by state per branch and device: the queue's states for receipts that reached it, and
 * AWAITING / UNVERIFIABLE for the ones the server has not verified (never sent).
 */
export async function fiscalCountsByDevice(db: Queryable, branchIds: readonly string[]): Promise<DeviceCounts[]> {
  const { rows } = await db.query<{ branch_id: string; serial: string; state: ReviewState; n: string | number }>(
    `select branch_id, device_serial as serial, state, count(*) as n from fiscal_receipts
       where branch_id = any($1::text[]) group by branch_id, device_serial, state
     union all
     select branch_id, device_serial as serial, status as state, count(*) as n from fiscal_receipt_checks
       where branch_id = any($1::text[]) and status <> 'VERIFIED' group by branch_id, device_serial, status
     order by 1, 2`,
    [branchIds],
  );
  const byDevice = new Map<string, DeviceCounts>();
  for (const r of rows) {
    const key = `${r.branch_id}\u0000${r.serial}`;
    const entry = byDevice.get(key) ?? { branchId: r.branch_id, serial: r.serial, counts: {} };
    entry.counts[r.state] = (entry.counts[r.state] ?? 0) + Number(r.n);
    byDevice.set(key, entry);
  }
  return [...byDevice.values()];
}

/** Issue time of the oldest receipt not yet at ETA (waiting to be verified, or in the queue), per branch. */
export async function oldestPendingIssuedAt(db: Queryable, branchIds: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ branch_id: string; at: string | Date }>(
    `select branch_id, min(at) as at from (
       select branch_id, issued_at as at from fiscal_receipts where branch_id = any($1::text[]) and state in ('PENDING', 'IN_PROGRESS')
       union all
       select branch_id, issued_at as at from fiscal_receipt_checks where branch_id = any($1::text[]) and status = 'AWAITING'
     ) pending group by branch_id`,
    [branchIds],
  );
  return new Map(rows.map((r) => [r.branch_id, ms(r.at)]));
}

export interface ProblemReceipt {
  uuid: string;
  branchId: string;
  serial: string;
  receiptNumber: string;
  issuedAt: number;
  state: 'REJECTED' | 'DEAD_LETTER' | 'UNVERIFIABLE' | 'AWAITING';
  reason: string | null;
  details: unknown;
  /** For a rejected receipt: the uuid of its correction, once resubmitted. */
  correctedBy: string | null;
}

/** Receipts a manager must look at: rejected or given up by ETA, unverifiable, or stuck waiting. */
export async function listProblemReceipts(db: Queryable, branchIds: readonly string[], limit = 200): Promise<ProblemReceipt[]> {
  const { rows } = await db.query<{
    uuid: string; branch_id: string; serial: string; receipt_number: string; issued_at: string | Date; state: ProblemReceipt['state'];
    reason: string | null; details: unknown; corrected_by: string | null;
  }>(
    `select * from (
       select r.uuid, r.branch_id, r.device_serial as serial, r.receipt_number, r.issued_at, r.state, null as reason,
              r.last_error as details, c.uuid as corrected_by
       from fiscal_receipts r left join fiscal_receipts c on c.corrects_uuid = r.uuid
       where r.branch_id = any($1::text[]) and r.state in ('REJECTED', 'DEAD_LETTER')
       union all
       select uuid, branch_id, device_serial, receipt_number, issued_at, status, reason, to_jsonb(message), null
       from fiscal_receipt_checks where branch_id = any($1::text[]) and status in ('UNVERIFIABLE', 'AWAITING')
     ) problems order by issued_at desc limit $2`,
    [branchIds, limit],
  );
  return rows.map((r) => ({
    uuid: r.uuid, branchId: r.branch_id, serial: r.serial, receiptNumber: r.receipt_number, issuedAt: ms(r.issued_at), state: r.state,
    reason: r.reason, details: typeof r.details === 'string' ? safeJson(r.details) : r.details, correctedBy: r.corrected_by,
  }));
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Failed submission attempts (anything but a processed answer) since `since`, per branch of the device. */
export async function countFailedAttemptsSince(db: Queryable, since: number): Promise<Array<{ serial: string; branchId: string | null; failures: number }>> {
  const { rows } = await db.query<{ device_serial: string; branch_id: string | null; n: string | number }>(
    `select l.device_serial, s.branch_id, count(*) as n from fiscal_submission_log l
       left join fiscal_pos_serials s on s.serial = l.device_serial
     where l.finished_at >= $1 and l.outcome <> 'processed'
     group by l.device_serial, s.branch_id`,
    [iso(since)],
  );
  return rows.map((r) => ({ serial: r.device_serial, branchId: r.branch_id, failures: Number(r.n) }));
}

/** A stored receipt as the queue holds it (for a correction). */
export async function getQueuedReceipt(db: Queryable, uuid: string): Promise<{ branchId: string | null; state: FiscalState; document: string; correctedBy: string | null } | null> {
  const { rows } = await db.query<{ branch_id: string | null; state: FiscalState; document: string; corrected_by: string | null }>(
    `select r.branch_id, r.state, r.document, c.uuid as corrected_by
     from fiscal_receipts r left join fiscal_receipts c on c.corrects_uuid = r.uuid where r.uuid = $1`,
    [uuid],
  );
  const r = rows[0];
  return r ? { branchId: r.branch_id, state: r.state, document: r.document, correctedBy: r.corrected_by } : null;
}

export async function linkCorrection(db: Queryable, correctionUuid: string, oldUuid: string): Promise<void> {
  await db.query('update fiscal_receipts set corrects_uuid = $2 where uuid = $1', [correctionUuid, oldUuid]);
}

/**
 * VERIFIED receipts the queue does not have (a crash between chaining and enqueueing), in chain
 * order; only recent ones — ETA takes receipts within 24 h of issue anyway.
 */
export async function listVerifiedNotQueued(db: Queryable, branchId: string, since: number): Promise<ReceivedReceipt[]> {
  const { rows } = await db.query<CheckRow>(
    `select c.uuid, c.order_id, c.branch_id, c.device_id, c.device_serial, c.receipt_number, c.previous_uuid, c.issued_at, c.document
     from fiscal_receipt_checks c
     where c.branch_id = $1 and c.status = 'VERIFIED' and c.checked_at >= $2
       and not exists (select 1 from fiscal_receipts r where r.uuid = c.uuid)
     order by c.device_serial, c.chain_pos`,
    [branchId, iso(since)],
  );
  return rows.map(toReceived);
}

/** Which of these receipts (by uuid) the verifier has stored (a rotated room may then drop them). */
export async function storedReceiptUuids(db: Queryable, uuids: readonly string[]): Promise<Set<string>> {
  if (uuids.length === 0) return new Set();
  const { rows } = await db.query<{ uuid: string }>('select uuid from fiscal_receipt_checks where uuid = any($1::text[])', [uuids]);
  return new Set(rows.map((r) => r.uuid));
}
