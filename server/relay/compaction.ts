/**
 * Background compaction of a live room's stored update log (issue 3, point 3).
 *
 * Every committed batch of a room is one row in `yjs_updates`, so a busy generation's log grows
 * to hundreds of rows and megabytes during the day, and reading it back — what a restarting
 * relay, or a second relay joining the room, does before answering anyone — grows with it. This
 * job replaces the stored rows by one merged row whenever enough has been stored since the last
 * time (docs/PROTOCOL.md, "Rotation"; ROT-07).
 *
 * Why it is safe beside writers:
 * - the merge is built from the rows read from the store, not from the relay's in-memory
 *   document: another relay (Redis scale-out) may have stored rows this one has not applied
 *   yet, and the in-memory document may hold changes not stored yet;
 * - `store.compact` replaces exactly the rows read, in one transaction; rows appended meanwhile
 *   (by this relay's write queue or another relay) are kept whatever their ids, and a
 *   concurrent compaction of the same rows makes the later one a no-op;
 * - it never touches the room's write queue, so updates keep being stored, forwarded and
 *   acknowledged while it runs; at most one runs per room in this process, and relays sharing
 *   a room take turns through the bus lock `compact:<room>`.
 */
import * as Y from 'yjs';
import type { DocumentStore } from '../db/document-store';
import type { Room } from './room';
import type { RoomBus } from './room-bus';

/** When a room's stored log is compacted (server/config.ts: ROOM_COMPACT_*). */
export interface CompactionPolicy {
  /** Compact once this many rows were stored since the last compaction… */
  afterRows: number;
  /** …or once they add up to this many KB. */
  afterKB: number;
}

export const DEFAULT_COMPACTION_POLICY: CompactionPolicy = { afterRows: 64, afterKB: 256 };

export interface CompactionOutcome {
  room: string;
  /** Rows replaced by the merged one (0: nothing to do, or another compaction was first). */
  rows: number;
  bytesBefore: number;
  bytesAfter: number;
  ms: number;
}

export interface RoomCompaction {
  /** Resolves once no compaction of this room is running or scheduled. */
  idle(): Promise<void>;
  /** Compacts now (tests, tools); resolves with what it did. */
  compactNow(): Promise<CompactionOutcome>;
  stop(): void;
}

/** Reads the room's stored rows, merges them into one, and replaces exactly those rows. */
export async function compactStoredLog(store: DocumentStore, room: string): Promise<CompactionOutcome> {
  const started = performance.now();
  const log = await store.readLog(room);
  if (log.updates.length < 2) return { room, rows: 0, bytesBefore: log.bytes, bytesAfter: log.bytes, ms: performance.now() - started };
  // A garbage-collecting document drops the content of deleted items (archived orders), which
  // Y.mergeUpdates would keep; the ids of what was deleted stay, so re-sent history is ignored.
  const doc = new Y.Doc({ gc: true });
  doc.transact(() => {
    for (const update of log.updates) Y.applyUpdate(doc, update);
  });
  const merged = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  const replaced = await store.compact(room, merged, log.ids);
  return {
    room,
    rows: replaced ? log.ids.length : 0,
    bytesBefore: log.bytes,
    bytesAfter: replaced ? merged.byteLength : log.bytes,
    ms: performance.now() - started,
  };
}

/**
 * Watches a loaded room: counts the rows stored since the last compaction (this relay's batches
 * and, through the bus, other relays' — each is one row) and compacts in the background past
 * the policy's thresholds. `loaded` is what the room's log held when it was loaded.
 */
export function watchCompaction(
  room: Room,
  deps: { store: DocumentStore; bus: RoomBus; policy: CompactionPolicy; loaded: { rows: number; bytes: number }; log(line: string): void },
): RoomCompaction {
  // A log of one row is already compact; more than one loaded counts as stored since.
  let rows = deps.loaded.rows > 1 ? deps.loaded.rows : 0;
  let bytes = deps.loaded.rows > 1 ? deps.loaded.bytes : 0;
  let running: Promise<CompactionOutcome> | null = null;
  let isScheduled = false;
  let isStopped = false;

  const isDue = () => rows >= deps.policy.afterRows || bytes >= deps.policy.afterKB * 1024;

  const run = (): Promise<CompactionOutcome> => {
    if (running) return running.then(() => run());
    // What is counted now is stored, so the read below covers it: those are paid off if it works.
    const countedRows = rows;
    const countedBytes = bytes;
    running = deps.bus
      .withLock(`compact:${room.name}`, () => compactStoredLog(deps.store, room.name))
      .then((outcome) => {
        // Whether this one or another relay's did it, what was counted is compacted.
        rows = Math.max(0, rows - countedRows);
        bytes = Math.max(0, bytes - countedBytes);
        if (outcome.rows > 0) {
          deps.log(
            `[relay] compacted ${room.name}: ${outcome.rows} rows, ${Math.round(outcome.bytesBefore / 1024)} KB → 1 row, ${Math.round(outcome.bytesAfter / 1024)} KB in ${Math.round(outcome.ms)} ms`,
          );
        }
        return outcome;
      })
      .finally(() => (running = null));
    return running;
  };

  const schedule = () => {
    if (isScheduled || running || isStopped || !isDue()) return;
    isScheduled = true;
    // Off the commit path: the batch that crossed the threshold is forwarded and acknowledged first.
    setImmediate(() => {
      isScheduled = false;
      if (isStopped) return;
      run()
        .catch((error: unknown) => {
          if (!isStopped) deps.log(`[relay] could not compact ${room.name}: ${(error as Error).message}`);
        })
        .finally(() => schedule()); // rows stored meanwhile may be due already
    });
  };

  room.onStored((updates) => {
    rows++; // one committed batch (or one from another relay) is one row
    for (const { update } of updates) bytes += update.byteLength;
    schedule();
  });
  schedule();

  return {
    async idle() {
      while (running || isScheduled) {
        if (running) await running.catch(() => undefined);
        else await new Promise((r) => setImmediate(r));
      }
    },
    compactNow: run,
    stop() {
      isStopped = true;
    },
  };
}
