/**
 * `npm run bench:busy-day [-- --orders 2000 --database-url postgres://…]`
 *
 * A busy day in one branch (issue 3, point 3): a tablet opens, sends and pays `--orders` orders
 * (2–4 lines each) through the real relay, the kitchen bumps their tickets, and the server
 * settles every one. The relay archives settled orders and rotates the room by the policy of
 * server/config.ts (ROOM_ROTATE_* variables; `ROOM_ROTATION_ENABLED=false` for the old
 * behaviour); the tablet follows each rotation to the next generation as the app does, and the
 * relay compacts each live room's stored log in the background (ROOM_COMPACT_*). Every 100
 * orders it reads the live room back from the database as a restarting (or second) relay would;
 * at the end it prints the size of the branch's live document (the current generation) and how
 * long that room takes to load from the database — the figures that must stay under 256 KB and
 * 50 ms — and what the background compactions did.
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { bumpTicket, listTickets } from '../../shared/live-doc';
import { successorRoom } from '../../shared/live-doc-carry-over';
import { roomNameForBranch } from '../../shared/protocol';
import { loadConfig } from '../../server/config';
import { loadCatalog } from '../../server/db/catalog-queries';
import { createPostgresDocumentStore } from '../../server/db/document-store';
import { loadRoom } from '../../server/relay/room';
import { createMemoryBus } from '../../server/relay/room-bus';
import { startServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { payInCash, placePaidOrder } from '../support/orders';
import { engineFor } from '../support/db';
import { waitFor } from '../support/wait';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '2000' }, 'database-url': { type: 'string' } } });
const ORDERS = Number(values.orders);
const url = values['database-url'];
const rotation = loadConfig(process.env).rotation;
const scratch = await engineFor(url).create();
const db = await scratch.open();
const rotations: string[] = [];
const compactions: { rows: number; ms: number; blockingMs: number; fromMemory: boolean }[] = [];
const server = await startServer({
  db,
  log: (line) => {
    if (line.includes('rotated')) rotations.push(line);
    const compacted = /compacted .*: (\d+) rows, .* in (\d+) ms, ([\d.]+) ms of it merging \((.*)\)/.exec(line);
    if (compacted) {
      compactions.push({ rows: Number(compacted[1]), ms: Number(compacted[2]), blockingMs: Number(compacted[3]), fromMemory: compacted[4] === 'from memory' });
    }
    if (process.env.BENCH_VERBOSE) console.error(line);
  },
  ...(rotation ? { rotation } : {}),
});
const catalog = (await loadCatalog(db, 'cairo'))!;
const manager = await login(server.url);
const token = (await pairDevice(server.url, manager, 'cairo', 'pos')).token;
let room = roomNameForBranch('cairo');
let tablet: TestClient = connectClient(server.url, 'cairo', token, { room });
await waitSynced(tablet);

/** The tablet moves to the next generation the way the app does: once its own changes are stored there. */
const followRotation = async () => {
  for (let next = successorRoom(tablet.doc); next !== null; next = successorRoom(tablet.doc)) {
    await (await server.relay.room(room)).flushed();
    const follower = connectClient(server.url, 'cairo', token, { room: next });
    await waitSynced(follower);
    tablet.destroy();
    tablet = follower;
    room = next;
  }
};

/** The live room as a relay restarting now would load it: every stored row, applied. */
const store = createPostgresDocumentStore(db);
const samples: { orders: number; room: string; documentKB: number; storedRows: number; storedKB: number; loadMs: number; quietLoadMs?: number; quietReadMs?: number }[] = [];
/** The rows of each sample, read back again after the day by a process doing nothing else. */
const sampledRows: Uint8Array[][] = [];
const sample = async (orders: number) => {
  const t = performance.now();
  const rows = await store.load(room);
  sampledRows.push(rows);
  const doc = new Y.Doc();
  doc.transact(() => rows.forEach((update) => Y.applyUpdate(doc, update)));
  const loadMs = performance.now() - t;
  const storedBytes = rows.reduce((sum, update) => sum + update.byteLength, 0);
  samples.push({
    orders, room, documentKB: Number((Y.encodeStateAsUpdate(doc).byteLength / 1024).toFixed(1)),
    storedRows: rows.length, storedKB: Number((storedBytes / 1024).toFixed(1)), loadMs: Number(loadMs.toFixed(1)),
  });
  doc.destroy();
};

const started = performance.now();
const ids: string[] = [];
for (let i = 0; i < ORDERS; i++) {
  const items = ['koshari', 'karkadeh', 'hummus', 'kofta'].slice(0, 2 + (i % 3));
  const orderId = placePaidOrder(tablet.doc, catalog, { tableIndex: i % catalog.tables.length, items, pay: false });
  // The kitchen finishes the order before the guests pay.
  for (const ticket of listTickets(tablet.doc)) if (ticket.orderId === orderId) bumpTicket(tablet.doc, ticket.id, Date.now());
  payInCash(tablet.doc, catalog, orderId);
  ids.push(orderId);
  if (i % 50 === 49) {
    await waitFor(() => server.settlement.counts().settled >= ids.length - 25, { timeoutMs: 60_000 });
    await followRotation();
    if (i % 100 === 99) {
      await sample(i + 1);
      console.error(`${i + 1} orders, ${Math.round((performance.now() - started) / 1000)} s, ${JSON.stringify(samples.at(-1))}`);
    }
  }
}
await waitFor(() => server.settlement.counts().settled >= ids.length, { timeoutMs: 120_000 });
await new Promise((r) => setTimeout(r, 2 * (rotation?.checkEveryMs ?? 0) + 100)); // the last archive and rotation check
await followRotation();
const dayMs = performance.now() - started;
const live = await server.relay.room(room);
await live.flushed();
const liveBytes = Y.encodeStateAsUpdate(live.doc).byteLength;
const rowsOfLiveRoom = async () => (await store.readLog(room)).ids.length;
const rowsAtTheEnd = await rowsOfLiveRoom();
// The end of service: once the room is quiet, the relay compacts what is left of its log.
const quietFrom = performance.now();
await waitFor(async () => (await rowsOfLiveRoom()) === 1, { timeoutMs: 60_000 });
const secondsUntilOneRow = Number(((performance.now() - quietFrom) / 1000).toFixed(1));
tablet.destroy();
await server.close();

// Load the room as a relay does after a restart, five times.
const loadTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const loaded = await loadRoom(store, room, 'cairo', createMemoryBus());
  loadTimes.push(performance.now() - t);
  loaded.destroy();
}
// The samples above ran inside this busy process (relay, settlement and tablet on one event
// loop). Each sampled log, stored again under a scratch name and read back (read + apply) now
// that nothing else runs, is what a relay starting at that moment would pay; median of three.
for (const [i, rowsThen] of sampledRows.entries()) {
  const scratchRoom = `bench.readback.${i}`;
  await store.append(scratchRoom, rowsThen);
  const times: { total: number; read: number }[] = [];
  for (let n = 0; n < 3; n++) {
    const t = performance.now();
    const doc = new Y.Doc();
    const rowsNow = await store.load(scratchRoom);
    const read = performance.now() - t;
    doc.transact(() => rowsNow.forEach((update) => Y.applyUpdate(doc, update)));
    times.push({ total: performance.now() - t, read });
    doc.destroy();
  }
  const median = times.sort((a, b) => a.total - b.total)[1]!;
  samples[i]!.quietLoadMs = Number(median.total.toFixed(1));
  samples[i]!.quietReadMs = Number(median.read.toFixed(1)); // of which reading the rows from the database
}
const { rows } = await db.query<{ n: string | number }>('select count(*) as n from orders');
const { rows: logRows } = await db.query<{ n: string | number; bytes: string | number | null }>(
  'select count(*) as n, sum(length(update)) as bytes from yjs_updates where room = $1',
  [room],
);
console.log(JSON.stringify({
  engine: db.engine,
  orders: ORDERS,
  settledRows: Number(rows[0]!.n),
  secondsForTheDay: Number((dayMs / 1000).toFixed(1)),
  rotation: rotation ?? 'off',
  rotations: rotations.length,
  liveRoom: room,
  liveDocumentKB: Number((liveBytes / 1024).toFixed(1)),
  liveRoomStoredRowsAtTheEnd: rowsAtTheEnd,
  secondsUntilOneRow,
  liveRoomStoredRows: Number(logRows[0]!.n),
  liveRoomStoredKB: Number((Number(logRows[0]!.bytes ?? 0) / 1024).toFixed(1)),
  roomLoadMs: loadTimes.map((t) => Number(t.toFixed(1))),
  backgroundCompactions: {
    count: compactions.length,
    fromMemory: compactions.filter((c) => c.fromMemory).length,
    rowsReplaced: compactions.reduce((sum, c) => sum + c.rows, 0),
    // Wall time of each (database included), and the part that held the event loop (merging).
    msEach: compactions.length === 0 ? null : {
      median: [...compactions].sort((a, b) => a.ms - b.ms)[Math.floor(compactions.length / 2)]!.ms,
      max: Math.max(...compactions.map((c) => c.ms)),
    },
    blockingMsEach: compactions.length === 0 ? null : {
      median: [...compactions].sort((a, b) => a.blockingMs - b.blockingMs)[Math.floor(compactions.length / 2)]!.blockingMs,
      max: Math.max(...compactions.map((c) => c.blockingMs)),
    },
  },
  // Through the day (every 100 orders): the live room as stored, and reading it back.
  duringTheDay: {
    maxDocumentKB: Math.max(...samples.map((x) => x.documentKB)),
    maxStoredKB: Math.max(...samples.map((x) => x.storedKB)),
    maxStoredRows: Math.max(...samples.map((x) => x.storedRows)),
    maxLoadMs: Math.max(...samples.map((x) => x.loadMs)),
    medianLoadMs: [...samples].sort((a, b) => a.loadMs - b.loadMs)[Math.floor(samples.length / 2)]!.loadMs,
    maxQuietLoadMs: Math.max(...samples.map((x) => x.quietLoadMs ?? 0)),
    medianQuietLoadMs: [...samples].sort((a, b) => (a.quietLoadMs ?? 0) - (b.quietLoadMs ?? 0))[Math.floor(samples.length / 2)]!.quietLoadMs,
    samples,
  },
  targets: { liveDocumentKB: 256, roomLoadMs: 50 },
}, null, 2));
await db.close();
await scratch.destroy();
process.exit(0);
