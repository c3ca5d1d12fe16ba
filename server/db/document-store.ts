/**
 * Where the relay keeps each room's Yjs updates. The relay needs only two things: every stored
 * update of a room (to rebuild the document before it answers anyone) and appending one more.
 * Two implementations share one contract test (document-store.test.ts): memory (tests, tools)
 * and Postgres/PGlite (the product).
 */
import type { Database } from './database';

export interface DocumentStore {
  /** Every stored update of the room, oldest first. */
  load(room: string): Promise<Uint8Array[]>;
  /** Appends updates durably; resolves only once they are committed. */
  append(room: string, updates: readonly Uint8Array[]): Promise<void>;
  /**
   * Replaces the first `count` stored updates of the room with one merged update, atomically,
   * so the log stays short. Updates appended meanwhile are kept after it.
   */
  compact(room: string, merged: Uint8Array, count: number): Promise<void>;
}

export function createMemoryDocumentStore(): DocumentStore {
  const rooms = new Map<string, Uint8Array[]>();
  return {
    async load(room) {
      return [...(rooms.get(room) ?? [])];
    },
    async append(room, updates) {
      rooms.set(room, [...(rooms.get(room) ?? []), ...updates.map((u) => u.slice())]);
    },
    async compact(room, merged, count) {
      const current = rooms.get(room) ?? [];
      rooms.set(room, [merged.slice(), ...current.slice(count)]);
    },
  };
}

export function createPostgresDocumentStore(db: Database): DocumentStore {
  // Group commit: appends from every room that arrive in the same tick go in one INSERT, so a
  // busy relay with a hundred rooms makes one round trip (and one WAL flush) instead of a hundred.
  let queued: { room: string; update: Uint8Array }[] = [];
  let flushing: Promise<void> | null = null;
  const flush = async () => {
    await new Promise((r) => setImmediate(r));
    const rows = queued;
    queued = [];
    flushing = null;
    const params: unknown[] = [];
    const values = rows.map((row, i) => {
      params.push(row.room, row.update);
      return `($${2 * i + 1}, $${2 * i + 2})`;
    });
    await db.query(`insert into yjs_updates (room, update) values ${values.join(', ')}`, params);
  };
  return {
    async load(room) {
      const { rows } = await db.query<{ update: Uint8Array }>(
        'select update from yjs_updates where room = $1 order by id',
        [room],
      );
      return rows.map((r) => new Uint8Array(r.update));
    },
    append(room, updates) {
      if (updates.length === 0) return Promise.resolve();
      for (const update of updates) queued.push({ room, update });
      flushing ??= flush();
      return flushing;
    },
    async compact(room, merged, count) {
      await db.transact(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          'select id from yjs_updates where room = $1 order by id limit $2',
          [room, count],
        );
        const last = rows.at(-1);
        if (!last) return;
        await tx.query('delete from yjs_updates where room = $1 and id <= $2', [room, last.id]);
        // The merged update takes the place of the first deleted row so it stays oldest.
        await tx.query('insert into yjs_updates (id, room, update) values ($1, $2, $3)', [rows[0]!.id, room, merged]);
      });
    },
  };
}
