/**
 * The fiscal side of a running server (FIS-59): the submission queue working against the ETA
 * the settings name (the in-process sandbox by default), the verifier that feeds it from the
 * live documents, and corrections of rejected receipts. server.ts starts one per process.
 */
import { etaDateTime } from '../../shared/eta/receipt-builder';
import type { JsonObject, JsonValue } from '../../shared/eta/serializer';
import { computeReceiptUuid } from '../../shared/eta/uuid';
import type { Database } from '../db/database';
import { getQueuedReceipt, linkCorrection } from '../db/fiscal-check-queries';
import type { EtaClient } from './eta-client';
import { createReceiptVerifier, type ReceiptVerifier } from './receipt-verifier';
import { createSubmissionQueue, type SubmissionQueue, type SubmissionQueueOptions } from './submission-queue';

export interface FiscalServiceOptions {
  db: Database;
  client: EtaClient;
  /** ETA portal base URL, for the receipts' QR links. */
  portalUrl: string;
  queue?: Omit<SubmissionQueueOptions, 'db' | 'client'>;
  now?: () => number;
  log?: (line: string) => void;
}

export type CorrectionResult =
  | { ok: true; uuid: string; correctsUuid: string }
  | { ok: false; code: 'not-found' | 'not-rejected' | 'already-corrected' | 'invalid'; message: string };

export interface FiscalService {
  queue: SubmissionQueue;
  verifier: ReceiptVerifier;
  portalUrl: string;
  /** Re-issues a REJECTED receipt as a correction (new uuid, same previousUUID, referenceOldUUID). */
  correct(uuid: string, branchId: string): Promise<CorrectionResult>;
  /** Start-up recovery of batches a previous run left in flight, then the worker. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The correction of a receipt: its document with a new issue time and `referenceOldUUID` set to
 * the old uuid (after previousUUID / referenceUUID, as the schema orders the header), hashed anew.
 * Everything else — number, previousUUID, lines — is the old receipt's, as ETA's rule wants.
 */
export async function correctionOf(document: string, oldUuid: string, issuedAt: number): Promise<{ text: string; uuid: string }> {
  const receipt = JSON.parse(document) as JsonObject;
  const header = receipt.header;
  if (header === null || typeof header !== 'object' || Array.isArray(header)) throw new Error('the receipt has no header');
  const entries: Array<[string, JsonValue]> = [];
  for (const [key, value] of Object.entries(header)) {
    if (key === 'referenceOldUUID') continue;
    if (key === 'currency') entries.push(['referenceOldUUID', oldUuid]);
    if (value === undefined) continue;
    entries.push([key, key === 'dateTimeIssued' ? etaDateTime(issuedAt) : key === 'uuid' ? '' : value]);
  }
  const corrected: JsonObject = Object.fromEntries(Object.entries(receipt).map(([k, v]) => [k, k === 'header' ? Object.fromEntries(entries) : v]));
  const uuid = await computeReceiptUuid(corrected);
  (corrected.header as JsonObject).uuid = uuid;
  return { text: JSON.stringify(corrected), uuid };
}

export function createFiscalService(options: FiscalServiceOptions): FiscalService {
  const { db } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.log(line));
  const queue = createSubmissionQueue({ db, client: options.client, log, ...options.queue });
  const verifier = createReceiptVerifier({ db, enqueue: (items) => queue.enqueue(items), now, log });

  return {
    queue,
    verifier,
    portalUrl: options.portalUrl,
    async correct(uuid, branchId) {
      const old = await getQueuedReceipt(db, uuid);
      if (!old || old.branchId !== branchId) return { ok: false, code: 'not-found', message: 'No such receipt in this branch.' };
      if (old.state !== 'REJECTED') return { ok: false, code: 'not-rejected', message: `Only a rejected receipt is corrected (this one is ${old.state}).` };
      if (old.correctedBy) return { ok: false, code: 'already-corrected', message: `Already corrected by ${old.correctedBy}.` };
      const correction = await correctionOf(old.document, uuid, now());
      const [result] = await queue.enqueue([{ receipt: correction.text, branchId }]);
      if (!result || result.status === 'invalid') {
        const why = result?.status === 'invalid' ? result.problems.map((p) => `${p.propertyPath}: ${p.message}`).join('; ') : 'not stored';
        return { ok: false, code: 'invalid', message: `The correction does not pass the ETA rules: ${why}` };
      }
      await linkCorrection(db, correction.uuid, uuid);
      log(`[fiscal] receipt ${uuid} corrected by ${correction.uuid}`);
      return { ok: true, uuid: correction.uuid, correctsUuid: uuid };
    },
    async start() {
      const recovered = await queue.recoverInFlight();
      if (recovered > 0) log(`[fiscal] ${recovered} receipt(s) left in flight by the last run are pending again`);
      queue.start();
    },
    async stop() {
      await verifier.idle();
      await queue.stop();
    },
  };
}
