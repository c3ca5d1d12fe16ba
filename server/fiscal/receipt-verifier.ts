/**
 * The server's check of the receipts tablets issue (FIS-55, FIS-56). A tablet puts each receipt
 * into the branch's live document (`receipts`); this watcher stores every new one as AWAITING,
 * then walks each device's chain: the receipt whose previousUUID is the device's last chained
 * receipt ("" before the first) takes the next position, once its order is settled — receipts
 * that arrive out of order after an offline stretch simply wait for the gap to fill. At its
 * position it is VERIFIED and handed to the submission queue, or UNVERIFIABLE (never sent) with
 * the reason: the uuid is recomputed from the exact text received, the entry, serial and seller
 * must be this branch's, and the totals must equal the settled order's. A receipt that names a
 * predecessor already followed by another (a fork) is UNVERIFIABLE too.
 *
 * Everything lives in the database, not in the document, so a restart or a rotated room loses
 * nothing: a room loaded again re-offers its entries (stored once), and the walk resumes.
 * Work is serialised per branch in this process; across processes the unique (serial, position)
 * makes one of two racing writers lose, and enqueueing is idempotent.
 */
import type * as Y from 'yjs';
import { etaReceiptSchema, SERVICE_TAX_TYPE, toEtaPropertyErrors, VAT_TAX_TYPE, type EtaReceipt } from '../../shared/eta/receipt-schema';
import { MAX_RECEIPT_AGE_MS } from '../../shared/eta/api';
import { computeReceiptUuidFromText } from '../../shared/eta/uuid';
import { listReceiptEntries, receiptsRoot, settlementRoot } from '../../shared/live-doc';
import type { Database } from '../db/database';
import {
  chainReceipt,
  chainTip,
  downgradeToUnverifiable,
  insertReceivedReceipts,
  isInChain,
  listAwaitingReceipts,
  listVerifiedNotQueued,
  markUnverifiable,
  settledOrderAmounts,
  type ReceivedReceipt,
} from '../db/fiscal-check-queries';
import { findPosSerial, loadBranchFiscalProfile } from '../db/fiscal-device-queries';
import type { EnqueueResult, EnqueueItem } from './submission-queue';

/** Why a receipt is not sent; the manager's page shows them (both languages). */
export const UNVERIFIABLE_REASONS = [
  'invalid-receipt',
  'uuid-mismatch',
  'entry-mismatch',
  'unknown-serial',
  'seller-mismatch',
  'order-not-settled',
  'amount-mismatch',
  'chain-fork',
  'queue-refused',
] as const;
export type UnverifiableReason = (typeof UNVERIFIABLE_REASONS)[number];

type Verdict = { kind: 'verified'; receipt: EtaReceipt } | { kind: 'unverifiable'; reason: UnverifiableReason; message: string } | { kind: 'wait' };

export interface ReceiptVerifierOptions {
  db: Database;
  enqueue: (items: readonly EnqueueItem[]) => Promise<EnqueueResult[]>;
  now?: () => number;
  log?: (line: string) => void;
}

export interface ReceiptVerifier {
  /** Watches a room's document: new receipts, and settlements that may unblock a waiting one. */
  watch(doc: Y.Doc, branchId: string): void;
  /** Stores the receipts in `doc` and verifies what can be; resolves when done. */
  sync(doc: Y.Doc, branchId: string): Promise<void>;
  /** Resolves when nothing is being verified. */
  idle(): Promise<void>;
}

const toMinor = (amount: number) => Math.round(amount * 100);

export function createReceiptVerifier(options: ReceiptVerifierOptions): ReceiptVerifier {
  const { db } = options;
  const now = options.now ?? Date.now;
  const log = options.log ?? (() => undefined);
  const queues = new Map<string, Promise<void>>();

  async function verdictFor(r: ReceivedReceipt): Promise<Verdict> {
    let value: unknown;
    try {
      value = JSON.parse(r.document);
    } catch {
      return { kind: 'unverifiable', reason: 'invalid-receipt', message: 'the document is not JSON' };
    }
    const parsed = etaReceiptSchema.safeParse(value);
    if (!parsed.success) {
      const first = toEtaPropertyErrors(parsed.error).slice(0, 3).map((e) => `${e.propertyPath}: ${e.message}`).join('; ');
      return { kind: 'unverifiable', reason: 'invalid-receipt', message: first };
    }
    const receipt = parsed.data;
    const uuid = await computeReceiptUuidFromText(r.document);
    if (uuid !== receipt.header.uuid || uuid !== r.uuid) {
      return { kind: 'unverifiable', reason: 'uuid-mismatch', message: `the document hashes to ${uuid}, not ${r.uuid}` };
    }
    if (receipt.header.previousUUID !== r.previousUuid || receipt.header.receiptNumber !== r.receiptNumber || receipt.seller.deviceSerialNumber !== r.serial) {
      return { kind: 'unverifiable', reason: 'entry-mismatch', message: 'the entry and its document disagree (previousUUID, number or serial)' };
    }
    const serial = await findPosSerial(db, r.serial);
    if (!serial || serial.branchId !== r.branchId || serial.deviceId !== r.deviceId) {
      return { kind: 'unverifiable', reason: 'unknown-serial', message: `serial ${r.serial} is not registered to device ${r.deviceId} of this branch` };
    }
    const profile = await loadBranchFiscalProfile(db, r.branchId);
    const s = receipt.seller;
    if (!profile || s.rin !== profile.rin || s.branchCode !== profile.branchCode || s.activityCode !== profile.activityCode) {
      return { kind: 'unverifiable', reason: 'seller-mismatch', message: 'the seller is not this branch as registered' };
    }
    if (receipt.documentType.receiptType !== 'SC') {
      return { kind: 'unverifiable', reason: 'invalid-receipt', message: 'a tablet issues sales (SC) only' };
    }
    const settled = await settledOrderAmounts(db, r.orderId);
    if (settled.status === 'pending') return { kind: 'wait' };
    if (settled.status === 'rejected') {
      return { kind: 'unverifiable', reason: 'order-not-settled', message: 'the server refused to settle this order' };
    }
    const tax = (type: string) => toMinor(receipt.taxTotals?.find((t) => t.taxType === type)?.amount ?? 0);
    const got = { total: toMinor(receipt.totalAmount), vat: tax(VAT_TAX_TYPE), service: tax(SERVICE_TAX_TYPE) };
    if (got.total !== settled.totalMinor || got.vat !== settled.vatMinor || got.service !== settled.serviceMinor) {
      return {
        kind: 'unverifiable',
        reason: 'amount-mismatch',
        message: `receipt total/T1/T9 ${got.total}/${got.vat}/${got.service} ≠ settled ${settled.totalMinor}/${settled.vatMinor}/${settled.serviceMinor} (piastres)`,
      };
    }
    return { kind: 'verified', receipt };
  }

  async function enqueueVerified(branchId: string, verified: readonly ReceivedReceipt[]): Promise<void> {
    const results = await options.enqueue(verified.map((r) => ({ receipt: r.document, branchId })));
    for (const [i, result] of results.entries()) {
      if (result.status !== 'invalid') continue;
      const why = result.problems.slice(0, 3).map((p) => `${p.propertyPath}: ${p.message}`).join('; ');
      await downgradeToUnverifiable(db, verified[i]!.uuid, 'queue-refused', why, now());
      log(`[fiscal] receipt ${verified[i]!.uuid} refused by the queue: ${why}`);
    }
  }

  /** Walks one branch's waiting receipts along each device's chain as far as it goes. */
  async function advance(branchId: string): Promise<void> {
    // A crash between chaining receipts and enqueueing them leaves them VERIFIED outside the queue.
    const stranded = await listVerifiedNotQueued(db, branchId, now() - 2 * MAX_RECEIPT_AGE_MS);
    if (stranded.length > 0) await enqueueVerified(branchId, stranded);
    const waiting = await listAwaitingReceipts(db, branchId);
    const bySerial = new Map<string, ReceivedReceipt[]>();
    for (const r of waiting) bySerial.set(r.serial, [...(bySerial.get(r.serial) ?? []), r]);

    for (const [serial, rows] of bySerial) {
      let left = rows;
      // Verified receipts are enqueued together after the walk, in chain order (FIS-40 wants issue order).
      const verified: ReceivedReceipt[] = [];
      for (;;) {
        const tip = await chainTip(db, serial);
        const next = left.find((r) => r.previousUuid === (tip?.uuid ?? ''));
        if (!next) break;
        const verdict = await verdictFor(next);
        if (verdict.kind === 'wait') break; // its order is not settled yet: the chain waits with it
        const pos = (tip?.pos ?? 0) + 1;
        const chained = await chainReceipt(
          db,
          next.uuid,
          pos,
          verdict.kind === 'verified'
            ? { status: 'VERIFIED', reason: null, message: null }
            : { status: 'UNVERIFIABLE', reason: verdict.reason, message: verdict.message },
          now(),
        );
        left = left.filter((r) => r !== next);
        if (!chained) continue; // another process placed it (or its rival) first; re-read the tip
        if (verdict.kind === 'verified') verified.push(next);
        else log(`[fiscal] receipt ${next.uuid} (${serial}) not verified: ${verdict.reason} — ${verdict.message}`);
      }
      if (verified.length > 0) await enqueueVerified(branchId, verified);
      // What is left either waits for a missing predecessor, or forks a chain that went on without it.
      for (const r of left) {
        const tip = await chainTip(db, serial);
        const forks = tip !== null && (r.previousUuid === '' || (r.previousUuid !== tip.uuid && (await isInChain(db, serial, r.previousUuid))));
        if (forks) {
          await markUnverifiable(db, r.uuid, 'chain-fork', `previousUUID ${r.previousUuid || '""'} is already followed by another receipt of ${serial}`, now());
          log(`[fiscal] receipt ${r.uuid} forks the chain of ${serial}`);
        }
      }
    }
  }

  function entriesOf(doc: Y.Doc, branchId: string): ReceivedReceipt[] {
    const out: ReceivedReceipt[] = [];
    for (const { entry: e } of listReceiptEntries(doc)) {
      out.push({
        uuid: e.uuid, orderId: e.orderId, branchId, deviceId: e.deviceId, serial: e.serial, receiptNumber: e.receiptNumber,
        previousUuid: e.previousUUID, issuedAt: e.issuedAt, document: e.document,
      });
    }
    return out;
  }

  const known = new WeakMap<Y.Doc, Set<string>>();

  function schedule(branchId: string, work: () => Promise<void>): Promise<void> {
    const next = (queues.get(branchId) ?? Promise.resolve()).then(work).catch((error: unknown) => {
      log(`[fiscal] verifying receipts of ${branchId} failed, will retry on the next change: ${error instanceof Error ? error.message : String(error)}`);
    });
    queues.set(branchId, next);
    void next.finally(() => {
      if (queues.get(branchId) === next) queues.delete(branchId);
    });
    return next;
  }

  function sync(doc: Y.Doc, branchId: string): Promise<void> {
    return schedule(branchId, async () => {
      const seen = known.get(doc) ?? new Set<string>();
      known.set(doc, seen);
      const fresh = entriesOf(doc, branchId).filter((r) => !seen.has(r.uuid));
      await insertReceivedReceipts(db, fresh);
      for (const r of fresh) seen.add(r.uuid);
      await advance(branchId);
    });
  }

  return {
    watch(doc, branchId) {
      receiptsRoot(doc).observe(() => void sync(doc, branchId));
      // A settlement (written by the server itself) may be what a waiting receipt needs.
      settlementRoot(doc).observe(() => void sync(doc, branchId));
      void sync(doc, branchId);
    },
    sync,
    async idle() {
      while (queues.size > 0) await Promise.allSettled([...queues.values()]);
    },
  };
}
