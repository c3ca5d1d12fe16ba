/**
 * Business-day rotation (ROT-08) and retention of retired generations (ROT-09) through the real
 * relay with stock y-websocket clients, on an injected clock (no waiting for 04:00).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, listOrders, ordersRoot, readSettlement } from '../../shared/live-doc';
import { readRotation, successorRoom } from '../../shared/live-doc-carry-over';
import { roomNameForBranch } from '../../shared/protocol';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { createPostgresDocumentStore, type DocumentStore } from '../../server/db/document-store';
import { PRUNED_AT_KEY } from '../../server/relay/retention';
import type { RotationPolicy } from '../../server/relay/rotation';
import { startServer, type RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { stopTestDatabase } from '../support/server';
import { lineFor, placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(engines())('business-day rotation and retention on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let store: DocumentStore;
  let cairo: Catalog;
  let manager: string;
  let tabletToken: string;
  /** The injected clock: Cairo is UTC+2 in December, so 04:00 there is 02:00 UTC. */
  let now = Date.parse('2026-12-01T10:00:00Z');
  const rotated: string[] = [];
  const clients: TestClient[] = [];
  const connect = (...args: Parameters<typeof connectClient>) => {
    const c = connectClient(...args);
    clients.push(c);
    return c;
  };
  const policy: RotationPolicy = {
    maxDocumentKB: 65_536,
    maxLogKB: 1_048_576,
    maxSettledOrders: 1_000_000,
    archiveSettled: true,
    checkEveryMs: 20,
    dailyAt: '04:00',
    timeZone: 'Africa/Cairo',
    retainRetiredDays: 7,
    sweepEveryMs: 50,
    clock: () => now,
  };
  const start = async (p: RotationPolicy) => {
    server = await startServer({ db, log: (line) => line.includes('rotated') && rotated.push(line), rotation: p });
  };
  const currentRoom = async () => {
    let name = roomNameForBranch('cairo');
    for (let next = successorRoom((await server.relay.room(name)).doc); next !== null; next = successorRoom((await server.relay.room(name)).doc)) {
      name = next;
    }
    return name;
  };
  const storedDoc = async (room: string) => {
    const doc = new Y.Doc();
    for (const update of await store.load(room)) Y.applyUpdate(doc, update);
    return doc;
  };
  /** Lets a few sweeps and checks run (they are 20–50 ms apart) for a "nothing happens" claim. */
  const severalSweeps = () => new Promise((r) => setTimeout(r, 400));

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    store = createPostgresDocumentStore(db);
    await start(policy);
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(server.url);
    tabletToken = (await pairDevice(server.url, manager, 'cairo', 'pos')).token;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  afterAll(async () => {
    await stopTestDatabase({ server, db, testDb });
  });

  it('[ROT-08] a room rotates once per business day at the local hour, carrying its open orders', async () => {
    const first = await currentRoom();
    const tablet = connect(server.url, 'cairo', tabletToken, { room: first });
    await waitSynced(tablet);
    const open = placePaidOrder(tablet.doc, cairo, { tableIndex: 0, pay: false });
    const paid = placePaidOrder(tablet.doc, cairo, { tableIndex: 1 });
    await waitFor(() => readSettlement(tablet.doc, paid)?.status === 'settled');

    // 03:59 in Cairo the next morning: still the same business day.
    now = Date.parse('2026-12-02T01:59:00Z');
    addLine(tablet.doc, open, lineFor(cairo, 'karkadeh'));
    await severalSweeps();
    expect(successorRoom(tablet.doc)).toBeNull();

    // 04:01: a new business day; the next change (or the sweep) rotates the room.
    now = Date.parse('2026-12-02T02:01:00Z');
    await waitFor(() => successorRoom(tablet.doc) !== null);
    const second = successorRoom(tablet.doc)!;
    const follower = connect(server.url, 'cairo', tabletToken, { room: second });
    await waitSynced(follower);
    expect(listOrders(follower.doc).map((o) => o.id)).toEqual([open]);
    expect(readRotation(follower.doc)).toMatchObject({ previous: first, startedAt: now });

    // Later the same day: no second rotation, however much happens.
    now = Date.parse('2026-12-02T20:00:00Z');
    addLine(follower.doc, open, lineFor(cairo, 'hummus'));
    await severalSweeps();
    expect(successorRoom(follower.doc)).toBeNull();

    // The next business day: a room nobody changes rotates too (the periodic sweep).
    now = Date.parse('2026-12-03T02:30:00Z');
    await waitFor(() => successorRoom(follower.doc) !== null);
    expect(await currentRoom()).toBe(successorRoom(follower.doc));
  });

  it('[ROT-08] with dailyAt off, days pass without a rotation', async () => {
    await server.close();
    await start({ ...policy, dailyAt: null });
    const room = await currentRoom();
    const tablet = connect(server.url, 'cairo', tabletToken, { room });
    await waitSynced(tablet);
    now += 3 * DAY_MS;
    placePaidOrder(tablet.doc, cairo, { tableIndex: 2, pay: false });
    await severalSweeps();
    expect(successorRoom(tablet.doc)).toBeNull();
    await server.close();
    await start(policy);
  });

  it('[ROT-09] retired generations are pruned to a one-row tombstone after the retention period, never the current one nor one in use', async () => {
    // No daily rotation in the way while days pass; rotate twice by hand, half a day apart.
    await server.close();
    await start({ ...policy, dailyAt: null });
    const g1 = await currentRoom();
    const early = connect(server.url, 'cairo', tabletToken, { room: g1 });
    await waitSynced(early);
    const carried = placePaidOrder(early.doc, cairo, { tableIndex: 3, pay: false });
    const settled = placePaidOrder(early.doc, cairo, { tableIndex: 4 });
    await waitFor(() => readSettlement(early.doc, settled)?.status === 'settled');
    const oldCopy = new Y.Doc(); // a device's copy of the generation, kept for later
    Y.applyUpdate(oldCopy, Y.encodeStateAsUpdate(early.doc));
    const g2 = await server.relay.rotate(g1);
    early.destroy();
    now += DAY_MS / 2;
    const g3 = await server.relay.rotate(g2);
    const rowsOf = async (room: string) => (await store.load(room)).length;
    // A stock client stays on g2 (it cannot move).
    const stuck = connect(server.url, 'cairo', tabletToken, { room: g2 });
    await waitSynced(stuck);

    // Six days on: too young.
    now += 6 * DAY_MS;
    await severalSweeps();
    expect(readRotation(await storedDoc(g1)).next).toBe(g2);
    expect((await storedDoc(g1)).getMap('rotation').get(PRUNED_AT_KEY)).toBeUndefined();

    // Eight days on: g1 becomes a tombstone; g2 is in use; g3 is current.
    now += 2 * DAY_MS;
    await waitFor(async () => (await storedDoc(g1)).getMap('rotation').has(PRUNED_AT_KEY));
    expect(await rowsOf(g1)).toBe(1);
    const tombstone = await storedDoc(g1);
    expect(readRotation(tombstone)).toMatchObject({ next: g2 });
    expect(ordersRoot(tombstone).size).toBe(0);
    expect(tombstone.getMap('settlement').size).toBe(0);
    expect(Y.encodeStateAsUpdate(tombstone).byteLength).toBeLessThan(2_048);
    await severalSweeps();
    expect((await storedDoc(g2)).getMap('rotation').has(PRUNED_AT_KEY)).toBe(false);
    expect(await rowsOf(g3)).toBeGreaterThanOrEqual(1);
    expect(readRotation(await storedDoc(g3)).next).toBeNull();
    expect(ordersRoot(await storedDoc(g3)).has(carried)).toBe(true);

    // The client leaves g2: the next sweep prunes it too; the current generation stays whole.
    stuck.destroy();
    await waitFor(async () => (await storedDoc(g2)).getMap('rotation').has(PRUNED_AT_KEY));
    expect(ordersRoot(await storedDoc(g3)).has(carried)).toBe(true);
    expect(readRotation(await storedDoc(g3)).next).toBeNull();

    // A device coming back to g1 after a restart with its old copy: the pointer is there, and
    // its re-sent history (an order settled a week ago) is not taken as new.
    await server.close();
    await start({ ...policy, dailyAt: null, retainRetiredDays: 0 });
    const back = connect(server.url, 'cairo', tabletToken, { room: g1, doc: oldCopy });
    await waitSynced(back);
    expect(successorRoom(back.doc)).toBe(g2);
    await (await server.relay.room(g1)).flushed();
    const g1Now = await storedDoc(g1);
    expect(ordersRoot(g1Now).has(settled)).toBe(false);
    expect(ordersRoot(await storedDoc(g3)).has(settled)).toBe(false);
    const current = await server.relay.room(g3);
    expect(ordersRoot(current.doc).has(settled)).toBe(false);
  });
});
