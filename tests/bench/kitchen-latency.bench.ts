/**
 * `npm run bench:kitchen-latency [-- --sends 1000 --database-url postgres://…]`
 *
 * Issue 5, point 6: the time from a waiter's "send to kitchen" on a tablet to the ticket being
 * in a kitchen screen's document, through the real relay (real sockets, stock y-websocket
 * clients, the relay storing each change before forwarding it). 3 tablets and 2 kitchen screens
 * share one branch room; the tablets take turns sending, `--sends` in all, about 25 a second;
 * both kitchen screens time every ticket. Target: p95 under 50 ms.
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openOrder, sendToKitchen, addLine, ticketsRoot } from '../../shared/live-doc';
import { loadCatalog } from '../../server/db/catalog-queries';
import { startServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced } from '../support/clients';
import { lineFor } from '../support/orders';
import { engineFor } from '../support/db';
import { waitFor } from '../support/wait';

const { values } = parseArgs({ options: { sends: { type: 'string', default: '1000' }, 'database-url': { type: 'string' } } });
const SENDS = Number(values.sends);
const url = values['database-url'];
const scratch = await engineFor(url).create();
const db = await scratch.open();
const server = await startServer({ db, log: () => undefined });
const catalog = (await loadCatalog(db, 'cairo'))!;
const manager = await login(server.url);
const tablets = await Promise.all([0, 1, 2].map(async () => connectClient(server.url, 'cairo', (await pairDevice(server.url, manager, 'cairo', 'pos')).token)));
const kitchens = await Promise.all([0, 1].map(async () => connectClient(server.url, 'cairo', (await pairDevice(server.url, manager, 'cairo', 'kds')).token)));
await Promise.all([...tablets, ...kitchens].map((c) => waitSynced(c)));

const sentAt = new Map<string, number>();
const latencies: number[] = [];
for (const kitchen of kitchens) {
  ticketsRoot(kitchen.doc).observe((event, tr) => {
    if (tr.local) return;
    const t = performance.now();
    for (const [ticketId, change] of event.changes.keys) {
      const sent = sentAt.get(ticketId);
      if (change.action === 'add' && sent !== undefined) latencies.push(t - sent);
    }
  });
}

// One open order per tablet; each send adds a line and sends it, as a waiter does.
const orders = tablets.map((tablet, i) => {
  const orderId = randomUUID();
  openOrder(tablet.doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: catalog.tables[i]!.id, guests: 2, openedAt: Date.now(), openedBy: 'sara', deviceId: 'bench' });
  return orderId;
});
await new Promise((r) => setTimeout(r, 500));
for (let n = 0; n < SENDS; n++) {
  const i = n % tablets.length;
  const tablet = tablets[i]!;
  addLine(tablet.doc, orders[i]!, lineFor(catalog, 'mint-tea'));
  const ticketId = randomUUID();
  sentAt.set(ticketId, performance.now());
  // one item, one station: exactly one ticket, under this id
  sendToKitchen(tablet.doc, { orderId: orders[i]!, newTicketId: () => ticketId, tableLabel: catalog.tables[i]!.label, by: 'sara', waiterName: 'Sara', now: Date.now() });
  await new Promise((r) => setTimeout(r, 40));
}
await waitFor(() => latencies.length >= SENDS * kitchens.length, { timeoutMs: 30_000 }).catch(() => undefined);

latencies.sort((a, b) => a - b);
const at = (p: number) => Number((latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? NaN).toFixed(1));
console.log(JSON.stringify({
  engine: db.engine,
  tablets: tablets.length,
  kitchenScreens: kitchens.length,
  sends: SENDS,
  ticketsTimed: latencies.length,
  ticketsMissing: SENDS * kitchens.length - latencies.length,
  latencyMs: { p50: at(50), p95: at(95), p99: at(99), max: at(100) },
  targetP95Ms: 50,
}, null, 2));
for (const c of [...tablets, ...kitchens]) c.destroy();
await server.close();
await db.close();
await scratch.destroy();
process.exit(0);
