/**
 * The durable ETA submission queue. Receipts are stored (as the exact JSON text that was hashed)
 * in Postgres as PENDING; a worker claims one batch per POS serial at a time — the device's
 * earliest pending receipts in chain order, ≤ 500 and ≤ 1.5 MB — submits it, and records the
 * answer: SUBMITTED, REJECTED (with ETA's reasons), or PENDING again after an exponential,
 * jittered backoff that honours Retry-After; DEAD_LETTER once the attempts run out, error kept.
 *
 * Why it cannot lose or double a receipt:
 *   - the answer, the log row and `attempts + 1` are written in one transaction, and only while
 *     the batch is still held by the same claim; a crash before that leaves the batch
 *     IN_PROGRESS, and `recoverInFlight()` at start-up puts it back to PENDING, attempts unchanged;
 *   - a resubmission ETA has already processed (its answer was lost) comes back as 422
 *     DuplicateSubmission, or as per-receipt `DuplicateReceipt` when the batch grew; either way the
 *     queue asks ETA for each receipt's status and only a `Valid` receipt counts as SUBMITTED;
 *   - one batch per device in flight keeps each device's receipts in previousUUID order.
 *
 * With several server processes on one database, start-up recovery would also reset the batches
 * another live process holds; their late answers are then ignored (claim check) and the receipts
 * resubmitted, which the duplicate handling above makes harmless.
 */
import { randomUUID } from 'node:crypto';
import { MAX_RECEIPTS_PER_SUBMISSION, MAX_SUBMISSION_BYTES } from '../../shared/eta/api';
import { etaReceiptSchema, toEtaPropertyErrors, type EtaPropertyError, type EtaReceipt } from '../../shared/eta/receipt-schema';
import { computeReceiptUuidFromText } from '../../shared/eta/uuid';
import type { Database } from '../db/database';
import {
  claimFiscalBatch,
  countFiscalReceiptsByState,
  dueFiscalDevices,
  insertFiscalReceipts,
  nextFiscalAttemptAt,
  recordFiscalAttempt,
  resetInFlightReceipts,
  type ClaimedReceipt,
  type FiscalOutcome,
  type FiscalState,
  type NewFiscalReceipt,
} from '../db/fiscal-queries';
import type { EtaClient, SubmitAnswer } from './eta-client';

const SUBMISSION_SIGNATURES = '[{"signatureType":"I","value":""}]';
/** Room for the envelope and the commas between documents. */
const ENVELOPE_ALLOWANCE_BYTES = 1024 + MAX_RECEIPTS_PER_SUBMISSION;
/** A cached token is renewed this long before ETA would let it expire. */
const TOKEN_RENEWAL_MARGIN_MS = 60_000;

export interface SubmissionQueueOptions {
  db: Database;
  client: EtaClient;
  /** Attempts before a receipt goes to DEAD_LETTER (default 10). */
  maxAttempts?: number;
  /** Backoff after the n-th failed attempt: min(maxMs, baseMs × 2^(n−1)), half of it jittered. */
  backoff?: { baseMs?: number; maxMs?: number };
  /** How long the running worker sleeps when nothing is due (default 1 s). */
  pollIntervalMs?: number;
  /**
   * Only these POS serials are submitted (default: every device). `eta:smoke` works on its own
   * test device only, so it never sends the restaurant's real receipts to a sandbox.
   */
  devices?: readonly string[];
  /** Batches (devices) submitted at once (default 4). */
  concurrency?: number;
  maxReceiptsPerBatch?: number;
  maxBatchBytes?: number;
  now?: () => number;
  random?: () => number;
  log?: (line: string) => void;
}

export interface EnqueueItem {
  /** The receipt as built, or the exact JSON text it was hashed as. */
  receipt: EtaReceipt | string;
  branchId?: string | null;
}

export type EnqueueResult =
  | { uuid: string; status: 'queued' | 'already-queued' }
  | { uuid: string; status: 'invalid'; problems: EtaPropertyError[] };

export interface CycleSummary {
  batches: number;
  submitted: number;
  rejected: number;
  retried: number;
}

export interface SubmissionQueue {
  /** Verifies and stores receipts; give each device's receipts in the order they were issued. */
  enqueue(items: readonly EnqueueItem[]): Promise<EnqueueResult[]>;
  /** Start-up: IN_PROGRESS batches of a previous run go back to PENDING. Returns how many. */
  recoverInFlight(): Promise<number>;
  /** Submits one batch for each device that is due. */
  runOnce(): Promise<CycleSummary>;
  /** Runs `runOnce` until `stop()`. */
  start(): void;
  stop(): Promise<void>;
  counts(): Promise<Record<FiscalState, number>>;
}

interface CachedToken {
  accessToken: string;
  expiresAt: number;
}

export function createSubmissionQueue(options: SubmissionQueueOptions): SubmissionQueue {
  const { db, client } = options;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const log = options.log ?? (() => undefined);
  const maxAttempts = options.maxAttempts ?? 10;
  const baseMs = options.backoff?.baseMs ?? 2_000;
  const maxMs = options.backoff?.maxMs ?? 10 * 60_000;
  const concurrency = options.concurrency ?? 4;
  const maxReceipts = Math.min(options.maxReceiptsPerBatch ?? MAX_RECEIPTS_PER_SUBMISSION, MAX_RECEIPTS_PER_SUBMISSION);
  const maxBytes = Math.min(options.maxBatchBytes ?? MAX_SUBMISSION_BYTES, MAX_SUBMISSION_BYTES) - ENVELOPE_ALLOWANCE_BYTES;
  const workerId = randomUUID();
  const tokens = new Map<string, CachedToken>();

  const backoffMs = (attemptsAfter: number, retryAfterMs: number | null) => {
    const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsAfter - 1));
    return Math.max(ceiling / 2 + random() * (ceiling / 2), retryAfterMs ?? 0);
  };
  const retryAll = (batch: readonly ClaimedReceipt[], error: unknown, retryAfterMs: number | null, immediate = false): FiscalOutcome[] =>
    batch.map((r) => ({
      uuid: r.uuid, state: 'RETRY', error, nextAttemptAt: now() + (immediate ? 0 : backoffMs(r.attempts + 1, retryAfterMs)),
    }));

  async function token(serial: string): Promise<{ ok: true; accessToken: string } | { ok: false; error: string; status: number | null }> {
    const cached = tokens.get(serial);
    if (cached && cached.expiresAt - TOKEN_RENEWAL_MARGIN_MS > now()) return { ok: true, accessToken: cached.accessToken };
    const answer = await client.requestToken(serial);
    if (answer.kind !== 'token') {
      return { ok: false, status: answer.status, error: answer.kind === 'refused' ? `token refused: ${answer.error}` : `token failed: ${answer.message}` };
    }
    tokens.set(serial, { accessToken: answer.accessToken, expiresAt: now() + answer.expiresInSeconds * 1000 });
    return { ok: true, accessToken: answer.accessToken };
  }

  /** Asks ETA what became of receipts it says it already has: only Valid counts as submitted. */
  async function settleByStatus(
    accessToken: string,
    batch: readonly ClaimedReceipt[],
    retryAfterMs: number | null,
  ): Promise<FiscalOutcome[]> {
    const outcomes: FiscalOutcome[] = [];
    for (const r of batch) {
      const status = await client.receiptStatus(accessToken, r.uuid);
      if (status.kind === 'found' && status.details.status === 'Valid') {
        outcomes.push({ uuid: r.uuid, state: 'SUBMITTED', submissionId: status.details.submissionUuid, longId: null });
      } else if (status.kind === 'found' && status.details.status === 'Invalid') {
        outcomes.push({ uuid: r.uuid, state: 'REJECTED', error: { source: 'status-check', errors: status.details.errors ?? [] } });
      } else {
        const why = status.kind === 'found' ? status.details.status : status.kind;
        outcomes.push(...retryAll([r], { source: 'status-check', status: why }, retryAfterMs));
      }
    }
    return outcomes;
  }

  async function outcomesOf(answer: SubmitAnswer, accessToken: string, batch: readonly ClaimedReceipt[], serial: string): Promise<FiscalOutcome[]> {
    switch (answer.kind) {
      case 'processed': {
        const { response } = answer;
        const accepted = new Map(response.acceptedDocuments.map((d) => [d.uuid, d]));
        const rejected = new Map(response.rejectedDocuments.map((d) => [d.uuid, d]));
        const outcomes: FiscalOutcome[] = [];
        const alreadyThere: ClaimedReceipt[] = [];
        for (const r of batch) {
          const ok = accepted.get(r.uuid);
          const no = rejected.get(r.uuid);
          if (ok) outcomes.push({ uuid: r.uuid, state: 'SUBMITTED', submissionId: response.submissionId, longId: ok.longId });
          else if (no?.error.details.some((d) => d.code === 'DuplicateReceipt')) alreadyThere.push(r);
          else if (no) outcomes.push({ uuid: r.uuid, state: 'REJECTED', error: { submissionId: response.submissionId, ...no.error } });
          else outcomes.push(...retryAll([r], { message: 'receipt missing from the answer', submissionId: response.submissionId }, null));
        }
        return [...outcomes, ...(await settleByStatus(accessToken, alreadyThere, null))];
      }
      case 'duplicate-submission':
        return settleByStatus(accessToken, batch, answer.retryAfterMs);
      case 'unauthorized':
        // The cached token died early: drop it and try again at once with a new one.
        tokens.delete(serial);
        return retryAll(batch, { status: 401, message: 'token refused' }, null, true);
      case 'throttled':
      case 'server-error':
        return retryAll(batch, { status: answer.status, kind: answer.kind }, answer.retryAfterMs);
      case 'network-error':
        return retryAll(batch, { kind: answer.kind, message: answer.message }, null);
      case 'refused':
        return retryAll(batch, { status: answer.status, kind: answer.kind, error: answer.error }, null);
    }
  }

  async function submitDevice(serial: string): Promise<CycleSummary> {
    const summary: CycleSummary = { batches: 0, submitted: 0, rejected: 0, retried: 0 };
    const claimId = `${workerId}:${randomUUID()}`;
    const batch = await claimFiscalBatch(db, serial, { claimId, now: now(), maxReceipts, maxDocumentBytes: maxBytes });
    if (batch.length === 0) return summary;
    summary.batches = 1;
    const body = `{"receipts":[${batch.map((r) => r.document).join(',')}],"signatures":${SUBMISSION_SIGNATURES}}`;
    const startedAt = now();
    const base = { claimId, deviceSerial: serial, receiptUuids: batch.map((r) => r.uuid), payloadBytes: Buffer.byteLength(body), startedAt };

    let outcomes: FiscalOutcome[];
    let entry: { httpStatus: number | null; outcome: string; submissionId: string | null; retryAfterMs: number | null; error: string | null; details: unknown };
    const auth = await token(serial);
    if (!auth.ok) {
      outcomes = retryAll(batch, { kind: 'token', message: auth.error }, null);
      entry = { httpStatus: auth.status, outcome: 'token-failed', submissionId: null, retryAfterMs: null, error: auth.error, details: null };
    } else {
      const answer = await client.submit(auth.accessToken, body);
      outcomes = await outcomesOf(answer, auth.accessToken, batch, serial);
      entry = {
        httpStatus: answer.status,
        outcome: answer.kind,
        submissionId: answer.kind === 'processed' ? answer.response.submissionId : null,
        retryAfterMs: 'retryAfterMs' in answer ? answer.retryAfterMs : null,
        error: answer.kind === 'network-error' ? answer.message : null,
        details:
          answer.kind === 'processed'
            ? { accepted: answer.response.acceptedDocuments.length, rejected: answer.response.rejectedDocuments.length }
            : answer.kind === 'refused'
              ? answer.error
              : null,
      };
    }
    const recorded = await recordFiscalAttempt(db, { ...base, ...entry, finishedAt: now() }, outcomes, maxAttempts);
    if (recorded < batch.length) log(`[fiscal] ${serial}: claim ${claimId} lost for ${batch.length - recorded} receipt(s); their answer was not applied`);
    for (const o of outcomes) {
      if (o.state === 'SUBMITTED') summary.submitted++;
      else if (o.state === 'REJECTED') summary.rejected++;
      else summary.retried++;
    }
    return summary;
  }

  async function runOnce(): Promise<CycleSummary> {
    const devices = await dueFiscalDevices(db, now(), concurrency * 4, options.devices);
    const total: CycleSummary = { batches: 0, submitted: 0, rejected: 0, retried: 0 };
    let next = 0;
    const lane = async () => {
      while (next < devices.length) {
        const serial = devices[next++]!;
        try {
          const s = await submitDevice(serial);
          total.batches += s.batches;
          total.submitted += s.submitted;
          total.rejected += s.rejected;
          total.retried += s.retried;
        } catch (error) {
          // A database error: the batch stays IN_PROGRESS until start-up recovery.
          log(`[fiscal] ${serial}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, devices.length) }, lane));
    return total;
  }

  let running: Promise<void> | null = null;
  let stopping = false;
  let wake: (() => void) | null = null;

  return {
    async enqueue(items) {
      const results: EnqueueResult[] = [];
      const fresh: NewFiscalReceipt[] = [];
      for (const item of items) {
        const text = typeof item.receipt === 'string' ? item.receipt : JSON.stringify(item.receipt);
        let value: unknown;
        try {
          value = JSON.parse(text);
        } catch {
          results.push({ uuid: '', status: 'invalid', problems: [{ propertyPath: '', message: 'not JSON' }] });
          continue;
        }
        const parsed = etaReceiptSchema.safeParse(value);
        if (!parsed.success) {
          const uuid = typeof item.receipt === 'string' ? '' : item.receipt.header.uuid;
          results.push({ uuid, status: 'invalid', problems: toEtaPropertyErrors(parsed.error) });
          continue;
        }
        const receipt = parsed.data;
        if ((await computeReceiptUuidFromText(text)) !== receipt.header.uuid) {
          results.push({ uuid: receipt.header.uuid, status: 'invalid', problems: [{ propertyPath: 'header.uuid', message: 'uuid does not match the hash of the receipt' }] });
          continue;
        }
        results.push({ uuid: receipt.header.uuid, status: 'queued' });
        fresh.push({
          uuid: receipt.header.uuid,
          deviceSerial: receipt.seller.deviceSerialNumber,
          branchId: item.branchId ?? null,
          receiptNumber: receipt.header.receiptNumber,
          receiptType: receipt.documentType.receiptType,
          previousUuid: receipt.header.previousUUID,
          issuedAt: receipt.header.dateTimeIssued,
          document: text,
          documentBytes: Buffer.byteLength(text),
        });
      }
      const inserted = new Set(await insertFiscalReceipts(db, fresh, now()));
      return results.map((r) => (r.status === 'queued' && !inserted.has(r.uuid) ? { uuid: r.uuid, status: 'already-queued' } : r));
    },

    recoverInFlight: () => resetInFlightReceipts(db),
    runOnce,

    start() {
      if (running) return;
      stopping = false;
      running = (async () => {
        while (!stopping) {
          let summary: CycleSummary = { batches: 0, submitted: 0, rejected: 0, retried: 0 };
          try {
            summary = await runOnce();
          } catch (error) {
            log(`[fiscal] cycle failed: ${error instanceof Error ? error.message : String(error)}`);
          }
          if (summary.batches > 0 || stopping) continue;
          const due = await nextFiscalAttemptAt(db).catch(() => null);
          // Sleep until the next receipt is due, at most one poll interval (a past "due" that was
          // not claimable — its device has a batch in flight — waits the full interval).
          const poll = options.pollIntervalMs ?? 1_000;
          const pause = due === null || due <= now() ? poll : Math.min(poll, due - now());
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pause);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
      })();
    },

    async stop() {
      stopping = true;
      wake?.();
      await running;
      running = null;
    },

    counts: () => countFiscalReceiptsByState(db),
  };
}
