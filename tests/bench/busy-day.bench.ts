/**
 * `npm run bench:busy-day [-- --orders 2000 --database-url postgres://…]`
 *
 * A busy day in one branch (issue 3, point 3): a tablet opens, sends and pays `--orders` orders
 * (2–4 lines each) through the real relay; the server settles every one. Then it prints the size
 * of the branch's live document and how long the room takes to load from the database — the two
 * figures that must stay under 256 KB and 50 ms.
 */
import { parseArgs } from 'node:util';
import * as Y from 'yjs';
import { readSettlement } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import { loadCatalog } from '../../server/db/catalog-queries';
import { createPostgresDocumentStore } from '../../server/db/document-store';
import { loadRoom } from '../../server/relay/room';
import { createMemoryBus } from '../../server/relay/room-bus';
import { startServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced } from '../support/clients';
import { placePaidOrder } from '../support/orders';
import { engineFor } from '../support/db';
import { waitFor } from '../support/wait';

const { values } = parseArgs({ options: { orders: { type: 'string', default: '2000' }, 'database-url': { type: 'string' } } });
const ORDERS = Number(values.orders);
const url = values['database-url'];
const scratch = await engineFor(url).create();
const db = await scratch.open();
const server = await startServer({ db, log: () => undefined });
const catalog = (await loadCatalog(db, 'cairo'))!;
const manager = await login(server.url);
const tablet = connectClient(server.url, 'cairo', (await pairDevice(server.url, manager, 'cairo', 'pos')).token);
await waitSynced(tablet);

const started = performance.now();
const ids: string[] = [];
for (let i = 0; i < ORDERS; i++) {
  const items = ['koshari', 'karkadeh', 'hummus', 'kofta'].slice(0, 2 + (i % 3));
  ids.push(placePaidOrder(tablet.doc, catalog, { tableIndex: i % catalog.tables.length, items }));
  if (i % 50 === 49) {
    await waitFor(() => readSettlement(tablet.doc, ids.at(-1)!)?.status === 'settled', { timeoutMs: 60_000 });
  }
}
await waitFor(() => ids.every((id) => readSettlement(tablet.doc, id)?.status === 'settled'), { timeoutMs: 120_000 });
const dayMs = performance.now() - started;
const room = await server.relay.room(roomNameForBranch('cairo'));
await room.flushed();
const liveBytes = Y.encodeStateAsUpdate(room.doc).byteLength;
tablet.destroy();
await server.close();

// Load the room as a relay does after a restart (compaction included), five times.
const store = createPostgresDocumentStore(db);
const loadTimes: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const loaded = await loadRoom(store, roomNameForBranch('cairo'), 'cairo', createMemoryBus());
  loadTimes.push(performance.now() - t);
  loaded.destroy();
}
const { rows } = await db.query<{ n: string | number }>('select count(*) as n from orders');
console.log(JSON.stringify({
  engine: db.engine,
  orders: ORDERS,
  settledRows: Number(rows[0]!.n),
  secondsForTheDay: Number((dayMs / 1000).toFixed(1)),
  liveDocumentKB: Number((liveBytes / 1024).toFixed(1)),
  roomLoadMs: loadTimes.map((t) => Number(t.toFixed(1))),
  targets: { liveDocumentKB: 256, roomLoadMs: 50 },
}, null, 2));
await db.close();
await scratch.destroy();
process.exit(0);
