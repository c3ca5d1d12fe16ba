/**
 * Where the relay keeps each room's Yjs updates. The relay needs every stored update of a room
 * (to rebuild the document before it answers anyone), appending one more, and — so the log stays
 * short — replacing rows it has read by their merge. Two implementations share one contract test
 * (document-store.test.ts): memory (tests, tools) and Postgres/PGlite (the product).
 *
 * Compaction names the exact rows it replaces (their ids, as read), never "the first N" or "all
 * up to id X": on Postgres an id is taken when a row is inserted but the row becomes visible
 * only at commit, so a row with a smaller id than one already read can still appear (another
 * relay's append, committed a moment later). Such a row is not in the merge and must survive.
 */
import type { Database } from './database';

/** A room's stored rows as read at one moment: their updates, and which rows they are. */
export interface StoredLog {
  updates: Uint8Array[];
  /** Row ids, in the order of `updates` (opaque; only for `compact`). */
  ids: string[];
  /** Total size of `updates`. */
  bytes: number;
}

export interface DocumentStore {
  /** Every stored update of the room, oldest first. */
  load(room: string): Promise<Uint8Array[]>;
  /** Every stored update of the room with its row id, oldest first (what compaction reads). */
  readLog(room: string): Promise<StoredLog>;
  /** Appends updates durably; resolves only once they are committed. */
  append(room: string, updates: readonly Uint8Array[]): Promise<void>;
  /**
   * Replaces exactly the rows `ids` (as returned by `readLog`) with one update, `merged`, in one
   * transaction. `merged` must contain everything those rows held. Rows not named — appended
   * meanwhile by this or another process, whatever their ids — are kept. The merged row sorts
   * where the first replaced one was. Returns false and changes nothing if any named row is gone
   * already (another compaction replaced it first).
   */
  compact(room: string, merged: Uint8Array, ids: readonly string[]): Promise<boolean>;
}

/** Thrown inside the compaction transaction to roll it back when another one got there first. */
class RowsGone extends Error {}

export function createMemoryDocumentStore(): DocumentStore {
  const rooms = new Map<string, { id: number; update: Uint8Array }[]>();
  let lastId = 0;
  return {
    async load(room) {
      return (rooms.get(room) ?? []).map((row) => row.update);
    },
    async readLog(room) {
      const rows = rooms.get(room) ?? [];
      return {
        updates: rows.map((row) => row.update),
        ids: rows.map((row) => String(row.id)),
        bytes: rows.reduce((sum, row) => sum + row.update.byteLength, 0),
      };
    },
    async append(room, updates) {
      rooms.set(room, [...(rooms.get(room) ?? []), ...updates.map((u) => ({ id: ++lastId, update: u.slice() }))]);
    },
    async compact(room, merged, ids) {
      const current = rooms.get(room) ?? [];
      const replaced = new Set(ids.map(Number));
      if (replaced.size === 0 || current.filter((row) => replaced.has(row.id)).length !== replaced.size) return false;
      const first = Math.min(...replaced);
      const kept = current.filter((row) => !replaced.has(row.id));
      rooms.set(room, [...kept, { id: first, update: merged.slice() }].sort((a, b) => a.id - b.id));
      return true;
    },
  };
}

/**
 * How long appends may wait to share one INSERT when they come fast. An append to a store that
 * has not written for this long goes out at once (the next tick), so a quiet relay adds no
 * latency; a busy one writes at most once per window, with everything that arrived meanwhile.
 * The insert's round trip is most of what storing costs the relay per update (issue 3, point 6,
 * docs/PERFORMANCE.md).
 *
 * Waiting pays only when several rooms write in the same window (their rows then share the
 * INSERT); a lone room's row goes alone however long it waits. So, like Postgres's own
 * `commit_delay` with `commit_siblings`, the full window is used only while the previous INSERT
 * carried at least `BUSY_ROWS` rows, and half of it otherwise (see `groupCommitWaitMs`):
 * - one busy branch (the kitchen bench: a ticket, then the server's print record) keeps the
 *   10 ms wait: p95 from "send" to the kitchen screen 20 ms, as before;
 * - a relay with a hundred busy rooms (the 1,000-client load, ≈ 3 rows per 10 ms) moves to 20 ms:
 *   twice the rows per INSERT and fewer, larger bursts of forwarding, ≈ 8 % less relay CPU per
 *   edit side by side, with p99 propagation still 35–45 ms against the 100 ms target.
 */
export const DEFAULT_GROUP_COMMIT_MS = 20;
/** Rows in one INSERT (two parameters each, far below Postgres's 65,535 per statement). */
export const MAX_ROWS_PER_INSERT = 1_000;
/** Rows in the previous INSERT from which the next one waits the full window. */
export const BUSY_ROWS = 3;

/** The longest wait before the next INSERT, given how many rows the previous one carried. */
export function groupCommitWaitMs(previousRows: number, windowMs: number): number {
  return previousRows >= BUSY_ROWS ? windowMs : windowMs / 2;
}

export function createPostgresDocumentStore(db: Database, options: { groupCommitMs?: number } = {}): DocumentStore {
  const groupCommitMs = options.groupCommitMs ?? DEFAULT_GROUP_COMMIT_MS;
  // PGlite passes bytea through its text protocol with a per-byte JavaScript codec: a 300 KB row
  // took 90–150 ms to read and 200–550 ms to write here, against 8–20 ms and 30–70 ms as base64
  // text decoded natively (Buffer) and by Postgres (`decode`). pg's bytea codec is native already.
  const isBase64 = db.engine === 'pglite';
  const updateColumn = isBase64 ? "encode(update, 'base64') as update" : 'update';
  const updateParam = (n: number) => (isBase64 ? `decode($${n}, 'base64')` : `$${n}`);
  const toParam = (update: Uint8Array): unknown => (isBase64 ? Buffer.from(update.buffer, update.byteOffset, update.byteLength).toString('base64') : update);
  const fromColumn = (value: Uint8Array | string): Uint8Array =>
    typeof value === 'string' ? new Uint8Array(Buffer.from(value, 'base64')) : new Uint8Array(value);
  // Group commit: appends from every room that arrive in the same window go in one INSERT, so a
  // busy relay with a hundred rooms makes one round trip (and one WAL flush) instead of a hundred.
  let queued: { room: string; update: Uint8Array }[] = [];
  const appender = db.dedicated();
  let flushing: Promise<void> | null = null;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  let lastFlushRows = 0;
  const flush = async () => {
    const wait = lastFlushAt + groupCommitWaitMs(lastFlushRows, groupCommitMs) - performance.now();
    await new Promise((r) => (wait > 0 ? setTimeout(r, wait) : setImmediate(r)));
    lastFlushAt = performance.now();
    const rows = queued;
    queued = [];
    flushing = null;
    lastFlushRows = rows.length;
    // One INSERT per MAX_ROWS_PER_INSERT rows: a statement takes at most 65,535 parameters, and
    // one over it would fail every retry of the same rows, holding every room of the relay. If a
    // later chunk fails, every room re-sends its rows and the earlier chunk's are stored twice,
    // which is harmless (applying a Yjs update again changes nothing).
    for (let start = 0; start < rows.length; start += MAX_ROWS_PER_INSERT) {
      const chunk = rows.slice(start, start + MAX_ROWS_PER_INSERT);
      const params: unknown[] = [];
      const values = chunk.map((row, i) => {
        params.push(row.room, toParam(row.update));
        return `($${2 * i + 1}, ${updateParam(2 * i + 2)})`;
      });
      await appender.query(`insert into yjs_updates (room, update) values ${values.join(', ')}`, params);
    }
  };
  return {
    async load(room) {
      const { rows } = await db.query<{ update: Uint8Array | string }>(
        `select ${updateColumn} from yjs_updates where room = $1 order by id`,
        [room],
      );
      return rows.map((r) => fromColumn(r.update));
    },
    async readLog(room) {
      const { rows } = await db.query<{ id: string | number | bigint; update: Uint8Array | string }>(
        `select id, ${updateColumn} from yjs_updates where room = $1 order by id`,
        [room],
      );
      const updates = rows.map((r) => fromColumn(r.update));
      return { updates, ids: rows.map((r) => String(r.id)), bytes: updates.reduce((sum, u) => sum + u.byteLength, 0) };
    },
    append(room, updates) {
      if (updates.length === 0) return Promise.resolve();
      for (const update of updates) queued.push({ room, update });
      flushing ??= flush();
      return flushing;
    },
    async compact(room, merged, ids) {
      if (ids.length === 0) return false;
      try {
        await db.transact(async (tx) => {
          // Row locks: a second compaction of the same rows waits here, then finds them gone.
          const { rows } = await tx.query<{ id: string | number | bigint }>(
            'delete from yjs_updates where room = $1 and id = any($2::bigint[]) returning id',
            [room, ids],
          );
          if (rows.length !== new Set(ids).size) throw new RowsGone();
          const first = ids.reduce((a, b) => (BigInt(a) < BigInt(b) ? a : b));
          await tx.query(`insert into yjs_updates (id, room, update) values ($1, $2, ${updateParam(3)})`, [first, room, toParam(merged)]);
        });
        return true;
      } catch (error) {
        if (error instanceof RowsGone) return false;
        throw error;
      }
    },
  };
}
