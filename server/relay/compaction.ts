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
 * - the merged row must hold everything the rows it replaces held. Another relay (Redis
 *   scale-out) may have stored rows this relay has not applied yet, so the in-memory document is
 *   used only when it provably contains every row read: rows this relay wrote from it (known by
 *   digest), and any other row only if its structs are within the document's state vector and its
 *   deletions within its delete set (`Y.snapshotContainsUpdate`) — checked and encoded in one
 *   synchronous step. That is the cheap path (no document to rebuild), and what it adds
 *   beyond the rows (changes applied but not yet committed by the write queue) only becomes
 *   durable a little earlier; those are stored again by the queue, which Yjs ignores. Otherwise,
 *   and always for a retired generation (whose changes must not be stored before their carried
 *   copies are, rotation.ts), the merge is built from the rows read;
 * - `store.compact` replaces exactly the rows read, in one transaction; rows appended meanwhile
 *   (by this relay's write queue or another relay) are kept whatever their ids, and a
 *   concurrent compaction of the same rows makes the later one a no-op;
 * - it never touches the room's write queue, so updates keep being stored, forwarded and
 *   acknowledged while it runs; at most one runs per room in this process, and relays sharing
 *   a room take turns through the bus lock `compact:<room>`.
 */
import { hash } from 'node:crypto';
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

/**
 * A room that stopped changing is compacted after this long even below the thresholds, so the
 * log a quiet room leaves (end of service, a branch closed for the night) is one row.
 */
const COMPACT_WHEN_QUIET_MS = 10_000;

/**
 * A compaction reads, encodes and writes the whole document, so its cost is the document's size
 * whatever the number of rows it merges: merging every 32 rows (the first default) cost the relay
 * a sixth of its CPU under the 1,000-client load (each row a few hundred bytes, the document tens
 * of KB), every 128 rows about a tenth, every 256 about a twentieth (docs/PERFORMANCE.md). What a
 * load costs is the bytes, hardly the rows: 257 rows of one line each (70 KB) apply in the same
 * 5–20 ms as their merge in one row. So the byte limit bounds the load, and the row limit only
 * keeps the number of rows read sensible; a room that goes quiet is one row within seconds.
 */
export const DEFAULT_COMPACTION_POLICY: CompactionPolicy = { afterRows: 256, afterKB: 256 };

export interface CompactionOutcome {
  room: string;
  /** Rows replaced by the merged one (0: nothing to do, or another compaction was first). */
  rows: number;
  bytesBefore: number;
  bytesAfter: number;
  /** Whether the merged row was encoded from the in-memory document (else rebuilt from the rows). */
  fromMemory: boolean;
  /** Wall time, database included. */
  ms: number;
  /** Of which merging on this event loop (nothing else runs meanwhile). */
  blockingMs: number;
}

export interface RoomCompaction {
  /** Resolves once no compaction of this room is running or scheduled. */
  idle(): Promise<void>;
  /** Compacts now (tests, tools); resolves with what it did. */
  compactNow(): Promise<CompactionOutcome>;
  stop(): void;
}

/**
 * Reads the room's stored rows, merges them into one, and replaces exactly those rows. `live`:
 * the room's in-memory document, if it may be used when it contains every row read (a current
 * generation's; see the header).
 */
export async function compactStoredLog(
  store: DocumentStore,
  room: string,
  live?: () => Y.Doc | null,
  /**
   * Whether a row is known to be in `live` without checking: one this relay wrote from that
   * document (its own batches, its own last merge — a document only grows, so it still is).
   */
  isKnownRow?: (row: Uint8Array) => boolean,
): Promise<CompactionOutcome & { merged: Uint8Array | null }> {
  const started = performance.now();
  const log = await store.readLog(room);
  const outcome = { room, rows: 0, bytesBefore: log.bytes, bytesAfter: log.bytes, fromMemory: false, merged: null };
  if (log.updates.length < 2) return { ...outcome, ms: performance.now() - started, blockingMs: 0 };
  const blockingFrom = performance.now();
  let merged: Uint8Array | null = null;
  const doc = live?.() ?? null;
  if (doc !== null) {
    // Merging and checking cost in proportion to what is checked: only rows from elsewhere.
    const toCheck = isKnownRow ? log.updates.filter((u) => !isKnownRow(u)) : log.updates;
    const isContained = toCheck.length === 0 || Y.snapshotContainsUpdate(Y.snapshot(doc), toCheck.length === 1 ? toCheck[0]! : Y.mergeUpdates(toCheck));
    if (isContained) {
      merged = Y.encodeStateAsUpdate(doc); // no await since the check: nothing changed in between
      outcome.fromMemory = true;
    }
  }
  if (merged === null) {
    // A garbage-collecting document drops the content of deleted items (archived orders), which
    // Y.mergeUpdates would keep; the ids of what was deleted stay, so re-sent history is ignored.
    const rebuilt = new Y.Doc({ gc: true });
    rebuilt.transact(() => {
      for (const update of log.updates) Y.applyUpdate(rebuilt, update);
    });
    merged = Y.encodeStateAsUpdate(rebuilt);
    rebuilt.destroy();
  }
  const blockingMs = performance.now() - blockingFrom;
  const replaced = await store.compact(room, merged, log.ids);
  return {
    ...outcome,
    rows: replaced ? log.ids.length : 0,
    bytesAfter: replaced ? merged.byteLength : log.bytes,
    merged: replaced ? merged : null,
    ms: performance.now() - started,
    blockingMs,
  };
}

/**
 * Watches a loaded room: counts the rows stored since the last compaction (this relay's batches
 * and, through the bus, other relays' — each is one row) and compacts in the background past
 * the policy's thresholds. `loaded` is what the room's log held when it was loaded.
 */
export function watchCompaction(
  room: Room,
  deps: {
    store: DocumentStore;
    bus: RoomBus;
    policy: CompactionPolicy;
    loaded: { rows: number; bytes: number };
    /** Whether the room is a retired generation now (its in-memory document is then not used). */
    isRetired(): boolean;
    log(line: string): void;
  },
): RoomCompaction {
  // A log of one row is already compact; more than one loaded counts as stored since.
  let rows = deps.loaded.rows > 1 ? deps.loaded.rows : 0;
  let bytes = deps.loaded.rows > 1 ? deps.loaded.bytes : 0;
  let running: Promise<CompactionOutcome> | null = null;
  /**
   * Digests of rows this relay wrote from its in-memory document since the last compaction (with
   * the order they came in): those need no containment check.
   */
  const ownRows = new Map<string, number>();
  let ownRowSeq = 0;
  // One-shot (no Hash object per row): this runs for every batch the relay stores.
  const digest = (row: Uint8Array) => hash('sha1', row, 'base64');
  let isScheduled = false;
  let isStopped = false;

  const isDue = () => rows >= deps.policy.afterRows || bytes >= deps.policy.afterKB * 1024;

  const run = (): Promise<CompactionOutcome> => {
    if (running) return running.then(() => run());
    // What is counted now is stored, so the read below covers it: those are paid off if it works.
    const countedRows = rows;
    const countedBytes = bytes;
    const knownUpTo = ownRowSeq;
    running = deps.bus
      .withLock(`compact:${room.name}`, () =>
        compactStoredLog(deps.store, room.name, () => (deps.isRetired() ? null : room.doc), (row) => ownRows.has(digest(row))),
      )
      .then(({ merged, ...outcome }) => {
        if (merged !== null) {
          // The rows read are gone; what this relay wrote after the read may still be there.
          for (const [key, seq] of ownRows) if (seq <= knownUpTo) ownRows.delete(key);
          if (outcome.fromMemory) ownRows.set(digest(merged), ++ownRowSeq);
        }
        // Whether this one or another relay's did it, what was counted is compacted.
        rows = Math.max(0, rows - countedRows);
        bytes = Math.max(0, bytes - countedBytes);
        if (outcome.rows > 0) {
          deps.log(
            `[relay] compacted ${room.name}: ${outcome.rows} rows, ${Math.round(outcome.bytesBefore / 1024)} KB → 1 row, ${Math.round(outcome.bytesAfter / 1024)} KB in ${Math.round(outcome.ms)} ms, ${outcome.blockingMs.toFixed(1)} ms of it merging (${outcome.fromMemory ? 'from memory' : 'rebuilt'})`,
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

  // One timer per room, re-armed when it fires while the room is still busy, rather than cleared
  // and set again for every stored batch.
  let quietTimer: ReturnType<typeof setTimeout> | null = null;
  let lastStoredAt = 0;
  const onQuietTimer = () => {
    quietTimer = null;
    if (isStopped) return;
    const quietFor = performance.now() - lastStoredAt;
    if (quietFor < COMPACT_WHEN_QUIET_MS) return armQuietTimer(COMPACT_WHEN_QUIET_MS - quietFor);
    if (running || rows === 0) return;
    run().catch((error: unknown) => {
      if (!isStopped) deps.log(`[relay] could not compact ${room.name}: ${(error as Error).message}`);
    });
  };
  const armQuietTimer = (ms: number) => {
    quietTimer = setTimeout(onQuietTimer, ms);
    quietTimer.unref?.();
  };
  room.onStored((updates, row) => {
    rows++; // one committed batch (or one from another relay) is one row
    if (row !== null) ownRows.set(digest(row), ++ownRowSeq);
    for (const { update } of updates) bytes += update.byteLength;
    schedule();
    lastStoredAt = performance.now();
    if (quietTimer === null) armQuietTimer(COMPACT_WHEN_QUIET_MS);
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
      if (quietTimer !== null) clearTimeout(quietTimer);
    },
  };
}
