/**
 * Retention of retired generations (issue 3, point 3; ROT-09): once a branch's room has rotated,
 * the retired generation's stored log is only needed for devices that come back to it late. After
 * the retention period its log is replaced by a one-row tombstone.
 *
 * Why a tombstone and not no row at all: a room is never reset under the same name. A device
 * that comes back after the retention period still opens the room it knew (the first generation
 * is where every new device starts and walks the pointers from). An empty room would take the
 * device's whole old copy back as new content — a second live document, week-old orders
 * re-opened. The tombstone keeps the generation's `rotation` record (its pointers, so the walk
 * still works) and, as Yjs ids without content, everything the generation ever held: what an old
 * device re-sends is then recognised as known and ignored; only a genuinely new change is applied
 * (and carried into the successor as for any retired generation). All other content is deleted
 * and garbage-collected, so the row is a few hundred bytes.
 *
 * A generation is pruned only when it is retired (never the current one), retired for at least
 * the retention period, has no device connected on this relay, and each of its orders is settled
 * there or present in its successor (carried). The walk goes from the current generation back
 * along `previous`; what it learnt about a generation that cannot change any more (its
 * retirement time, its predecessor, that it is a tombstone) is remembered, so a sweep costs no
 * database reads until a generation becomes old enough.
 */
import * as Y from 'yjs';
import { ordersRoot, readSettlement, settlementRoot } from '../../shared/live-doc';
import { readRotation, ROTATION_ROOT } from '../../shared/live-doc-carry-over';
import type { DocumentStore } from '../db/document-store';

/** Key in a tombstone's `rotation` root: when its content was dropped. */
export const PRUNED_AT_KEY = 'prunedAt';

const DAY_MS = 24 * 60 * 60 * 1000;

interface KnownGeneration {
  previous: string | null;
  retiredAt: number | null;
  isPruned: boolean;
}

export interface RetentionSweep {
  /** Walks back from a current generation and prunes what may be pruned; returns the rooms pruned. */
  sweep(current: { name: string; doc: Y.Doc }, options: { now: number; retainDays: number; isInUse(room: string): boolean }): Promise<string[]>;
}

/** Orders a generation holds or has a settlement record for (what it "has" for its predecessor). */
function ordersKnownTo(doc: Y.Doc): Set<string> {
  return new Set([...ordersRoot(doc).keys(), ...settlementRoot(doc).keys()]);
}

export const isPrunedGeneration = (doc: Y.Doc): boolean => typeof doc.getMap<unknown>(ROTATION_ROOT).get(PRUNED_AT_KEY) === 'number';

export function createRetention(deps: { store: DocumentStore; log(line: string): void }): RetentionSweep {
  const known = new Map<string, KnownGeneration>();

  const read = async (room: string): Promise<{ doc: Y.Doc; ids: string[] } | null> => {
    const log = await deps.store.readLog(room);
    if (log.updates.length === 0) return null;
    const doc = new Y.Doc({ gc: true });
    doc.transact(() => {
      for (const update of log.updates) Y.applyUpdate(doc, update);
    });
    const record = readRotation(doc);
    // Only a retired generation's record is final (`next` and `retiredAt` are set once).
    if (record.next !== null) known.set(room, { previous: record.previous, retiredAt: record.retiredAt, isPruned: isPrunedGeneration(doc) });
    return { doc, ids: log.ids };
  };

  return {
    async sweep(current, { now, retainDays, isInUse }) {
      const pruned: string[] = [];
      // The orders of the generation after the one looked at (loaded only when needed).
      let successor: { name: string; orders: Set<string> | 'pruned' | null } = { name: current.name, orders: ordersKnownTo(current.doc) };
      const successorOrders = async () => {
        if (successor.orders === null) {
          const loaded = await read(successor.name);
          successor.orders = loaded === null ? new Set() : isPrunedGeneration(loaded.doc) ? 'pruned' : ordersKnownTo(loaded.doc);
          loaded?.doc.destroy();
        }
        return successor.orders;
      };
      let name = readRotation(current.doc).previous;
      const seen = new Set<string>([current.name]);
      while (name !== null && !seen.has(name)) {
        seen.add(name);
        let info = known.get(name);
        const isOldEnough = (retiredAt: number | null) => retiredAt !== null && now - retiredAt >= retainDays * DAY_MS;
        if (info && (info.isPruned || !isOldEnough(info.retiredAt) || isInUse(name))) {
          successor = { name, orders: info.isPruned ? 'pruned' : null };
          name = info.previous;
          continue;
        }
        const loaded = await read(name);
        if (loaded === null) break; // a name nobody stored: the walk has left the known chain
        info = known.get(name);
        if (!info) break; // not retired: never pruned (and nothing before it is reachable safely)
        const { doc, ids } = loaded;
        const ordersHere = ordersKnownTo(doc);
        let isPrunedNow = info.isPruned;
        if (!info.isPruned && isOldEnough(info.retiredAt) && !isInUse(name)) {
          const next = await successorOrders();
          // A tombstoned successor passed this same check against its own successor, and the
          // orders carried into it were among those it checked.
          const isCarriedOrSettled = (orderId: string) =>
            readSettlement(doc, orderId)?.status === 'settled' || next === 'pruned' || next.has(orderId);
          if ([...ordersRoot(doc).keys()].every(isCarriedOrSettled)) {
            const bytesBefore = Y.encodeStateAsUpdate(doc).byteLength;
            doc.transact(() => {
              for (const root of [...doc.share.keys()]) {
                if (root === ROTATION_ROOT) continue;
                const map = doc.getMap<unknown>(root);
                for (const key of [...map.keys()]) map.delete(key);
              }
              doc.getMap<unknown>(ROTATION_ROOT).set(PRUNED_AT_KEY, now);
            });
            const tombstone = Y.encodeStateAsUpdate(doc);
            if (await deps.store.compact(name, tombstone, ids)) {
              isPrunedNow = true;
              known.set(name, { ...info, isPruned: true });
              pruned.push(name);
              deps.log(`[relay] pruned retired ${name}: ${ids.length} rows, ${Math.round(bytesBefore / 1024)} KB → ${tombstone.byteLength} bytes`);
            }
          }
        }
        doc.destroy();
        successor = { name, orders: isPrunedNow ? 'pruned' : ordersHere };
        name = info.previous;
      }
      return pruned;
    },
  };
}
