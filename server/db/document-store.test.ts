import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { engines, type TestDatabase } from '../../tests/support/db';
import type { Database } from './database';
import { createMemoryDocumentStore, createPostgresDocumentStore, type DocumentStore } from './document-store';

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

    it('compacts the first N updates into one and keeps later ones', async () => {
      const { doc, out } = updatesOf((d) => {
        for (let i = 0; i < 5; i++) d.getMap('orders').set(`k${i}`, i);
      });
      await store.append('branch.three', out);
      const merged = Y.encodeStateAsUpdate(doc);
      const late = updatesOf((d) => d.getMap('orders').set('late', true), doc).out;
      await store.append('branch.three', late);
      await store.compact('branch.three', merged, 5);
      const loaded = await store.load('branch.three');
      expect(loaded).toHaveLength(2);
      const rebuilt = new Y.Doc();
      for (const u of loaded) Y.applyUpdate(rebuilt, u);
      expect(rebuilt.getMap('orders').toJSON()).toEqual({ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, late: true });
    });
  });
}

storeContract('memory', async () => createMemoryDocumentStore(), async () => undefined);

for (const engine of engines()) {
  let testDb: TestDatabase;
  let db: Database;
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
