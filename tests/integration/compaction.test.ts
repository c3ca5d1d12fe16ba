/**
 * Background compaction of a live room's stored update log (issue 3, point 3; ROT-07), through
 * the real relay with stock y-websocket clients: the log is compacted while devices keep editing,
 * nothing is lost (a fresh load from the database equals the live document), and rows another
 * relay appends while a compaction runs are kept.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, ordersRoot } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { createPostgresDocumentStore, type DocumentStore } from '../../server/db/document-store';
import type { RotationPolicy } from '../../server/relay/rotation';
import { startServer, type RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { stopTestDatabase } from '../support/server';
import { lineFor, placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

const ROOM = roomNameForBranch('cairo');
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** No rotation in the way: this is about one generation's log. */
const compactOften = (afterRows: number): RotationPolicy => ({
  maxDocumentKB: 65_536,
  maxLogKB: 1_048_576,
  maxSettledOrders: 1_000_000,
  archiveSettled: false,
  checkEveryMs: 50,
  compaction: { afterRows, afterKB: 1_024 },
});

describe.each(engines())('background compaction on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let store: DocumentStore;
  let cairo: Catalog;
  let tabletToken: string;
  const logLines: string[] = [];
  const clients: TestClient[] = [];

  const storedRows = async (room: string) => {
    const { rows } = await db.query<{ n: string | number }>('select count(*) as n from yjs_updates where room = $1', [room]);
    return Number(rows[0]!.n);
  };
  /** The room as a relay starting now would build it: every stored row, applied. */
  const reloaded = async (room: string) => {
    const doc = new Y.Doc();
    for (const update of await store.load(room)) Y.applyUpdate(doc, update);
    return doc;
  };
  const compactions = () => logLines.filter((l) => l.startsWith(`[relay] compacted ${ROOM}:`)).length;

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    store = createPostgresDocumentStore(db);
    server = await startServer({
      db,
      log: (line) => logLines.push(line),
      rotation: compactOften(8),
    });
    cairo = (await loadCatalog(db, 'cairo'))!;
    const manager = await login(server.url);
    tabletToken = (await pairDevice(server.url, manager, 'cairo', 'pos')).token;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  afterAll(async () => {
    await stopTestDatabase({ server, db, testDb });
  });

  it('[ROT-07] a live room’s stored log is compacted in the background while devices keep editing, and nothing is lost', async () => {
    const tablet = connectClient(server.url, 'cairo', tabletToken, { room: ROOM });
    const kitchenSide = connectClient(server.url, 'cairo', tabletToken, { room: ROOM });
    clients.push(tablet, kitchenSide);
    await Promise.all([waitSynced(tablet), waitSynced(kitchenSide)]);
    const live = await server.relay.room(ROOM);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 0, pay: false });
    const lineIds: string[] = [];
    let lowestRowsSeen = Infinity;
    // Edits keep coming in separate batches (one stored row each) while compactions run.
    for (let i = 0; i < 120; i++) {
      const line = lineFor(cairo, i % 2 === 0 ? 'koshari' : 'karkadeh');
      addLine(tablet.doc, orderId, line);
      lineIds.push(line.id);
      if (i % 10 === 9) {
        await live.flushed();
        lowestRowsSeen = Math.min(lowestRowsSeen, await storedRows(ROOM));
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    // Several compactions happened during the edits, not just one at the end.
    await waitFor(() => compactions() >= 3, { timeoutMs: 20_000 });
    expect(lowestRowsSeen).toBeLessThan(120);
    // The other device got every edit: compaction does not stand in the way of forwarding.
    await waitFor(() => expect(ordersRoot(kitchenSide.doc).toJSON()).toEqual(ordersRoot(tablet.doc).toJSON()));
    await live.flushed();
    // Once the last compaction is through, the log is short…
    await waitFor(async () => (await storedRows(ROOM)) < 8 + 2, { timeoutMs: 20_000 });
    // …and a fresh load from the database is exactly the live document.
    const fresh = await reloaded(ROOM);
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(live.doc));
    expect(fresh.getMap('orders').toJSON()).toEqual(live.doc.getMap('orders').toJSON());
    const json = JSON.stringify(fresh.getMap('orders').toJSON());
    for (const id of lineIds) expect(json).toContain(id);
  });

  it('[ROT-07] rows another relay appends while compactions run are kept', async () => {
    const tablet = connectClient(server.url, 'cairo', tabletToken, { room: ROOM });
    clients.push(tablet);
    await waitSynced(tablet);
    const live = await server.relay.room(ROOM);
    // "Another relay": its own replica of the room, storing its changes straight into the log
    // (it would also publish them over Redis; what matters here is the stored log).
    const other = new Y.Doc();
    for (const update of await store.load(ROOM)) Y.applyUpdate(other, update);
    const otherStore = createPostgresDocumentStore(db);
    const appends: Promise<void>[] = [];
    other.on('update', (update: Uint8Array) => appends.push(otherStore.append(ROOM, [update])));
    const before = compactions();
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 1, pay: false });
    for (let i = 0; i < 80; i++) {
      addLine(tablet.doc, orderId, lineFor(cairo, 'hummus'));
      other.getMap('foreign').set(`k${i}`, i); // an unknown root: only the server writes it, the store does not care
      if (i % 4 === 3) await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(appends);
    await waitFor(() => compactions() >= before + 2, { timeoutMs: 20_000 });
    await live.flushed();
    const fresh = await reloaded(ROOM);
    const foreign = fresh.getMap('foreign').toJSON();
    expect(Object.keys(foreign)).toHaveLength(80);
    expect(fresh.getMap('orders').toJSON()).toEqual(live.doc.getMap('orders').toJSON());
  });
});

describe.each(engines())('background compaction with two relays over Redis on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  const relays: RunningServer[] = [];
  const logLines: string[] = [];
  const clients: TestClient[] = [];

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    const namespace = `rf-test-${randomBytes(4).toString('hex')}`;
    for (let i = 0; i < 2; i++) {
      relays.push(await startServer({ db, log: (line) => logLines.push(line), redisUrl: REDIS_URL, redisNamespace: namespace, rotation: compactOften(6) }));
    }
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const r of relays) await r.close();
    await db?.close();
    await testDb?.destroy();
  });

  it('[ROT-07] both relays compact the room they share while tablets on each keep editing; nothing is lost', async () => {
    const cairo = (await loadCatalog(db, 'cairo'))!;
    const manager = await login(relays[0]!.url);
    const tablets: TestClient[] = [];
    for (const relay of relays) {
      const tablet = connectClient(relay.url, 'cairo', (await pairDevice(relay.url, manager, 'cairo', 'pos')).token, { room: ROOM });
      clients.push(tablet);
      tablets.push(tablet);
    }
    await Promise.all(tablets.map((t) => waitSynced(t)));
    const orders = tablets.map((t, i) => placePaidOrder(t.doc, cairo, { tableIndex: i, pay: false }));
    for (let i = 0; i < 60; i++) {
      tablets.forEach((t, n) => addLine(t.doc, orders[n]!, lineFor(cairo, 'koshari')));
      await new Promise((r) => setTimeout(r, 5));
    }
    const rooms = await Promise.all(relays.map((r) => r.relay.room(ROOM)));
    // Both tablets converge, through both relays.
    await waitFor(() => expect(ordersRoot(tablets[1]!.doc).toJSON()).toEqual(ordersRoot(tablets[0]!.doc).toJSON()), { timeoutMs: 20_000 });
    for (const room of rooms) await waitFor(() => expect(ordersRoot(room.doc).toJSON()).toEqual(ordersRoot(tablets[0]!.doc).toJSON()));
    await Promise.all(rooms.map((r) => r.flushed()));
    expect(logLines.filter((l) => l.startsWith(`[relay] compacted ${ROOM}:`)).length).toBeGreaterThanOrEqual(2);
    const fresh = new Y.Doc();
    for (const update of await createPostgresDocumentStore(db).load(ROOM)) Y.applyUpdate(fresh, update);
    expect(fresh.getMap('orders').toJSON()).toEqual(tablets[0]!.doc.getMap('orders').toJSON());
    expect(Y.encodeStateVector(fresh)).toEqual(Y.encodeStateVector(rooms[0]!.doc));
  });
});
