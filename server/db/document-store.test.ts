import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { engines, type TestDatabase } from '../../tests/support/db';
import type { Database } from './database';

const docOf = (updates: readonly Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
};
import {
  BUSY_ROWS,
  createMemoryDocumentStore,
  createPostgresDocumentStore,
  DEFAULT_GROUP_COMMIT_MS,
  groupCommitWaitMs,
  MAX_ROWS_PER_INSERT,
  type DocumentStore,
} from './document-store';

/** One contract, every implementation (CONVENTIONS 4). */
function storeContract(name: string, makeStore: () => Promise<DocumentStore>, teardown: () => Promise<void>) {
  describe(`document store: ${name}`, () => {
    let store: DocumentStore;
    beforeAll(async () => {
      store = await makeStore();
    });
    afterAll(teardown);

    const updatesOf = (edit: (doc: Y.Doc) => void, base?: Y.Doc) => {
      const doc = base ?? new Y.Doc();
      const out: Uint8Array[] = [];
      doc.on('update', (u: Uint8Array) => out.push(u));
      edit(doc);
      return { doc, out };
    };

    it('loads nothing for an unknown room', async () => {
      expect(await store.load('branch.none')).toEqual([]);
    });

    it('returns appended updates in order, per room', async () => {
      const { out } = updatesOf((d) => {
        d.getMap('orders').set('a', 1);
        d.getMap('orders').set('b', 2);
      });
      await store.append('branch.one', [out[0]!]);
      await store.append('branch.one', [out[1]!]);
      await store.append('branch.two', [out[1]!]);
      const loaded = await store.load('branch.one');
      expect(loaded.map((u) => [...u])).toEqual(out.map((u) => [...u]));
      expect(await store.load('branch.two')).toHaveLength(1);
    });

    it('[ROT-07] compacts the rows it read into one and keeps a row appended meanwhile', async () => {
      const { doc, out } = updatesOf((d) => {
        for (let i = 0; i < 5; i++) d.getMap('orders').set(`k${i}`, i);
      });
      await store.append('branch.three', out);
      const read = await store.readLog('branch.three');
      expect(read.ids).toHaveLength(5);
      expect(read.bytes).toBe(out.reduce((sum, u) => sum + u.byteLength, 0));
      // Appended between the read and the compaction (another relay, or this one's next batch).
      const late = updatesOf((d) => d.getMap('orders').set('late', true), doc).out;
      await store.append('branch.three', late);
      expect(await store.compact('branch.three', Y.encodeStateAsUpdate(docOf(read.updates)), read.ids)).toBe(true);
      const loaded = await store.load('branch.three');
      expect(loaded).toHaveLength(2);
      expect(docOf(loaded).getMap('orders').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, late: true });
      // The merged row stays first: ids keep their order.
      const again = await store.readLog('branch.three');
      expect(Number(again.ids[0])).toBeLessThan(Number(again.ids[1]));
    });

    it('[ROT-07] a second compaction of rows already replaced changes nothing', async () => {
      const { out } = updatesOf((d) => {
        for (let i = 0; i < 3; i++) d.getMap('orders').set(`k${i}`, i);
      });
      await store.append('branch.four', out);
      const read = await store.readLog('branch.four');
      const merged = Y.encodeStateAsUpdate(docOf(read.updates));
      expect(await store.compact('branch.four', merged, read.ids)).toBe(true);
      // A relay that read the same rows before the first compaction committed.
      expect(await store.compact('branch.four', merged, read.ids)).toBe(false);
      expect(await store.load('branch.four')).toHaveLength(1);
      // Rows of another room are not this room's to replace.
      expect(await store.compact('branch.one', merged, read.ids)).toBe(false);
      expect(await store.load('branch.one')).toHaveLength(2);
      expect(await store.compact('branch.four', merged, [])).toBe(false);
    });

    it('[ROT-07] compactions racing appends lose nothing', async () => {
      const doc = new Y.Doc();
      const pending: Promise<void>[] = [];
      doc.on('update', (u: Uint8Array) => pending.push(store.append('branch.five', [u])));
      const compactions: Promise<boolean>[] = [];
      for (let i = 0; i < 60; i++) {
        doc.getMap('orders').set(`k${i}`, i);
        if (i % 10 === 9) {
          compactions.push(
            (async () => {
              const read = await store.readLog('branch.five');
              return store.compact('branch.five', Y.encodeStateAsUpdate(docOf(read.updates)), read.ids);
            })(),
          );
        }
      }
      await Promise.all(pending);
      await Promise.all(compactions);
      expect(docOf(await store.load('branch.five')).getMap('orders').toJSON()).toEqual(doc.getMap('orders').toJSON());
    });
  });
}

storeContract('memory', async () => createMemoryDocumentStore(), async () => undefined);

for (const engine of engines()) {
  let testDb: TestDatabase;
  let db: Database;
  if (engine.name === 'postgres') {
    // Only a server has concurrent transactions (PGlite runs one at a time).
    describe('document store: postgres, a row committed late with a smaller id', () => {
      let store: DocumentStore;
      let own: TestDatabase;
      let odb: Database;
      beforeAll(async () => {
        own = await engine.create({ seed: false });
        odb = await own.open();
        store = createPostgresDocumentStore(odb);
      });
      afterAll(async () => {
        await odb.close();
        await own.destroy();
      });

      it('[ROT-07] keeps a row that took its id before the rows read but committed after the read', async () => {
        const doc = new Y.Doc();
        const updates: Uint8Array[] = [];
        doc.on('update', (u: Uint8Array) => updates.push(u));
        doc.getMap('orders').set('first', 1);
        doc.getMap('orders').set('slow', 2);
        doc.getMap('orders').set('fast', 3);
        await store.append('branch.race', [updates[0]!]);
        let release!: () => void;
        const released = new Promise<void>((r) => (release = r));
        let inserted!: () => void;
        const hasInserted = new Promise<void>((r) => (inserted = r));
        // Another relay: its insert takes an id now and commits later.
        const slow = odb.transact(async (tx) => {
          await tx.query('insert into yjs_updates (room, update) values ($1, $2)', ['branch.race', updates[1]!]);
          inserted();
          await released;
        });
        await hasInserted;
        await store.append('branch.race', [updates[2]!]); // a larger id, committed first
        const read = await store.readLog('branch.race');
        expect(read.ids).toHaveLength(2); // the slow row is not visible yet
        release();
        await slow;
        expect(await store.compact('branch.race', Y.encodeStateAsUpdate(docOf(read.updates)), read.ids)).toBe(true);
        const loaded = await store.load('branch.race');
        expect(loaded).toHaveLength(2);
        expect(docOf(loaded).getMap('orders').toJSON()).toEqual({ first: 1, slow: 2, fast: 3 });
      });
    });
  }
  storeContract(
    engine.name,
    async () => {
      testDb = await engine.create({ seed: false });
      db = await testDb.open();
      return createPostgresDocumentStore(db);
    },
    async () => {
      await db.close();
      await testDb.destroy();
    },
  );
}

describe('document store: group commit', () => {
  it('waits the full window only after an INSERT that several rooms shared', () => {
    for (let rows = 0; rows < BUSY_ROWS; rows++) expect(groupCommitWaitMs(rows, DEFAULT_GROUP_COMMIT_MS)).toBe(DEFAULT_GROUP_COMMIT_MS / 2);
    expect(groupCommitWaitMs(BUSY_ROWS, DEFAULT_GROUP_COMMIT_MS)).toBe(DEFAULT_GROUP_COMMIT_MS);
    expect(groupCommitWaitMs(100, DEFAULT_GROUP_COMMIT_MS)).toBe(DEFAULT_GROUP_COMMIT_MS);
    expect(groupCommitWaitMs(100, 0)).toBe(0); // ROOM_GROUP_COMMIT_MS=0: never waits
  });

  for (const engine of engines()) {
    it(`${engine.name}: appends of five rooms in the same window go in one INSERT, on the dedicated connection; over MAX_ROWS_PER_INSERT, in several`, async () => {
      const testDb = await engine.create({ seed: false });
      const db = await testDb.open();
      const inserts: string[] = [];
      // The real database, with its dedicated connection's statements noted on the way through.
      const counted: Database = {
        ...db,
        dedicated: () => {
          const own = db.dedicated();
          return {
            query: (sql, params) => {
              inserts.push(sql);
              return own.query(sql, params);
            },
          };
        },
      };
      try {
        const store = createPostgresDocumentStore(counted);
        const rooms = ['a', 'b', 'c', 'd', 'e'].map((r) => `branch.${r}`);
        const docs = rooms.map((room) => {
          const doc = new Y.Doc();
          doc.getMap('orders').set('o', room);
          return { room, update: Y.encodeStateAsUpdate(doc) };
        });
        await Promise.all(docs.map(({ room, update }) => store.append(room, [update])));
        expect(inserts).toHaveLength(1);
        for (const room of rooms) expect(docOf(await store.load(room)).getMap('orders').get('o')).toBe(room);

        // More rooms in one window than one statement may carry: split, and every row stored.
        inserts.length = 0;
        const many = Array.from({ length: MAX_ROWS_PER_INSERT + 1 }, (_, i) => `branch.many-${i}`);
        const one = new Y.Doc();
        one.getMap('orders').set('o', 1);
        const update = Y.encodeStateAsUpdate(one);
        await Promise.all(many.map((room) => store.append(room, [update])));
        expect(inserts).toHaveLength(2);
        const { rows } = await db.query<{ n: string | number }>(`select count(*) as n from yjs_updates where room like 'branch.many-%'`);
        expect(Number(rows[0]!.n)).toBe(MAX_ROWS_PER_INSERT + 1);
      } finally {
        await db.close();
        await testDb.destroy();
      }
    });
  }
});
