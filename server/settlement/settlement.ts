/**
 * Settlement: the moment a paid order leaves the live document for Postgres.
 *
 * Whenever an order in a room becomes `paid` (or a room is loaded with such orders, e.g. after a
 * crash), the relay checks it with the same shared rules the tablet used (`checkPaidOrder`)
 * against the server's own catalog, then writes order, lines and payments in one transaction
 * keyed by the order's client-generated id, and finally records the outcome in the document's
 * server-owned `settlement` map, which tells every device the order is done.
 *
 * Exactly once: the primary key on orders.id makes a replay a no-op (the same order arriving
 * again, from another tablet, or after a relay restart between the commit and the document
 * write). Per room, settlements run one at a time — across relays too, under the bus's lock —
 * and each first re-reads the document, so a relay that waited sees the other's `settled`.
 * Nothing is dropped: an order that fails the checks is kept in settlement_rejections and marked
 * `rejected` in the document with the reason, for a manager to see.
 */
import type * as Y from 'yjs';
import { ordersRoot, readOrder, readSettlement, SERVER_ORIGIN, writeSettlement } from '../../shared/live-doc';
import { isRetiredGeneration } from '../../shared/live-doc-carry-over';
import { checkPaidOrder } from '../../shared/settlement-rules';
import type { Catalog } from '../../shared/schemas/catalog';
import type { Database } from '../db/database';
import { loadCatalog, loadCatalogVersion } from '../db/catalog-queries';
import { insertSettledOrder, recordSettlementRejection } from '../db/settlement-queries';

export type SettleOutcome = 'settled' | 'already-settled' | 'rejected' | 'not-paid';

export interface Settlement {
  /**
   * Starts watching a room's document for paid orders, and settles those already there.
   * `flushed` resolves when the room's changes are stored (and published to other relays): the
   * lock is held until then, so a relay waiting for it finds the order already settled.
   */
  watch(doc: Y.Doc, branchId: string, flushed?: () => Promise<void>): void;
  /** Settles one order now (serialised with the room's other settlements). */
  settle(doc: Y.Doc, branchId: string, orderId: string): Promise<SettleOutcome>;
  /** Resolves when every queued settlement has finished. */
  idle(): Promise<void>;
  /** Outcomes so far in this process (orders written, replays found already settled, refusals). */
  counts(): Record<SettleOutcome, number>;
}

export interface SettlementOptions {
  log?: (line: string) => void;
  /** Cross-relay lock: with several relays, one settles a branch's orders at a time. */
  withLock?: <T>(name: string, work: () => Promise<T>) => Promise<T>;
}

/**
 * The key under `root` of the entry that holds `type` (null for `root` itself). Walks up the
 * parents instead of asking for `event.path`, which also works out every array index on the way
 * (an order's lines are an array): the relay asks this for every change a device makes.
 */
function orderHolding(root: object, type: Y.AbstractType<unknown>): string | null {
  for (let t = type; ; ) {
    const item = t._item;
    if (item === null) return null;
    if (item.parent === root) return item.parentSub;
    t = item.parent as Y.AbstractType<unknown>;
  }
}

export function createSettlement(db: Database, options: SettlementOptions = {}): Settlement {
  const log = options.log ?? ((line: string) => console.log(line));
  const withLock = options.withLock ?? (<T>(_name: string, work: () => Promise<T>) => work());
  const queues = new WeakMap<Y.Doc, Promise<unknown>>();
  const flushers = new WeakMap<Y.Doc, () => Promise<void>>();
  const inFlight = new Set<Promise<unknown>>();
  const counts: Record<SettleOutcome, number> = { settled: 0, 'already-settled': 0, rejected: 0, 'not-paid': 0 };

  // A busy branch settles an order every few seconds; the catalog (8 queries) changes rarely,
  // so it is reloaded only when the branch's catalog_version moved.
  const catalogs = new Map<string, Catalog>();
  const catalogFor = async (branchId: string): Promise<Catalog> => {
    const version = await loadCatalogVersion(db, branchId);
    const cached = catalogs.get(branchId);
    if (cached && cached.version === version) return cached;
    const catalog = await loadCatalog(db, branchId);
    if (!catalog) throw new Error(`no branch ${branchId}`);
    catalogs.set(branchId, catalog);
    return catalog;
  };

  const settleNow = async (doc: Y.Doc, branchId: string, orderId: string): Promise<SettleOutcome> => {
    if (readSettlement(doc, orderId)?.status === 'settled') return 'already-settled';
    // A retired generation's copy may be stale: its changes are carried into the current one,
    // which settles them (server/relay/rotation.ts).
    if (isRetiredGeneration(doc)) return 'not-paid';
    const rawStatus = (ordersRoot(doc).get(orderId) as Y.Map<unknown> | undefined)?.get('status');
    if (rawStatus !== 'paid') return 'not-paid';
    const read = readOrder(doc, orderId);
    if (!read.ok) {
      // Can't even be parsed: keep a note in the document; there is no order to snapshot in SQL.
      writeSettlement(doc, orderId, { status: 'rejected', at: Date.now(), reason: 'invalid-order', message: read.error.slice(0, 500) });
      log(`[settlement] order ${orderId} refused: unreadable (${read.error.slice(0, 120)})`);
      return 'rejected';
    }
    const order = read.value;
    const check = checkPaidOrder(order, await catalogFor(branchId));
    if (!check.ok) {
      await recordSettlementRejection(db, order, check.problem);
      const previous = readSettlement(doc, orderId);
      if (previous?.status !== 'rejected' || previous.reason !== check.problem.code) {
        writeSettlement(doc, orderId, { status: 'rejected', at: Date.now(), reason: check.problem.code, message: check.problem.message });
      }
      log(`[settlement] order ${orderId} refused: ${check.problem.code} (${check.problem.message})`);
      return 'rejected';
    }
    const written = await insertSettledOrder(db, order, check.value);
    writeSettlement(doc, orderId, { status: 'settled', at: Date.now(), reason: null, message: null });
    return written === 'inserted' ? 'settled' : 'already-settled';
  };

  const settle = (doc: Y.Doc, branchId: string, orderId: string): Promise<SettleOutcome> => {
    const previous = queues.get(doc) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined)
      .then(() =>
        withLock(`settle:${branchId}`, async () => {
          const outcome = await settleNow(doc, branchId, orderId);
          counts[outcome]++;
          if (outcome !== 'not-paid') await flushers.get(doc)?.();
          return outcome;
        }),
      );
    queues.set(doc, next);
    inFlight.add(next);
    next
      .catch((error: unknown) => console.error(`[settlement] order ${orderId} failed, will retry on next change:`, error))
      .finally(() => inFlight.delete(next));
    return next;
  };

  const settleIfPaid = (doc: Y.Doc, branchId: string, orderId: string) => {
    const order = ordersRoot(doc).get(orderId) as Y.Map<unknown> | undefined;
    if (order?.get('status') === 'paid' && readSettlement(doc, orderId)?.status !== 'settled' && !isRetiredGeneration(doc)) {
      settle(doc, branchId, orderId).catch(() => undefined);
    }
  };

  return {
    watch(doc, branchId, flushed) {
      if (flushed) flushers.set(doc, flushed);
      const orders = ordersRoot(doc);
      orders.observeDeep((events, transaction) => {
        if (transaction.origin === SERVER_ORIGIN) return;
        const touched = new Set<string>();
        for (const event of events) {
          // A nested change belongs to the order holding it; top-level changes list their keys.
          const orderId = orderHolding(orders, event.target);
          if (orderId !== null) touched.add(orderId);
          else for (const key of event.keys.keys()) touched.add(key);
        }
        for (const orderId of touched) settleIfPaid(doc, branchId, orderId);
      });
      for (const orderId of ordersRoot(doc).keys()) settleIfPaid(doc, branchId, orderId);
    },
    settle,
    counts: () => ({ ...counts }),
    async idle() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}
