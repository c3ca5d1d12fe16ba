/**
 * `npx tsx tests/bench/fiscal-pipeline.bench.ts [-- --receipts 300 --devices 3 --database-url postgres://…]`
 *
 * Issue 6: how fast tablet-issued receipts go from the live document to SUBMITTED at the
 * (in-process) ETA sandbox, through the real relay, verifier and queue. Each device pays its
 * orders (settled by the server), issues its receipts, then delivers them all at once in REVERSE
 * issue order — the worst case after an offline stretch: every receipt waits for its predecessor
 * until the first arrives. Prints the time to verify and drain them and the receipts per second.
 */
import { parseArgs } from 'node:util';
import { posFiscalProfileSchema } from '../../shared/eta/receipt-entry';
import { issueSaleReceipt, type ChainPosition } from '../../shared/eta/receipt-issue';
import { readOrder, readSettlement, receiptsRoot, writeReceipt } from '../../shared/live-doc';
import { loadCatalog } from '../../server/db/catalog-queries';
import { startEtaRuntime } from '../../server/fiscal/eta-runtime';
import { createFiscalService } from '../../server/fiscal/fiscal-service';
import { startServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced } from '../support/clients';
import { engineFor } from '../support/db';
import { placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

const { values } = parseArgs({ options: { receipts: { type: 'string', default: '300' }, devices: { type: 'string', default: '3' }, 'database-url': { type: 'string' } } });
const RECEIPTS = Number(values.receipts);
const DEVICES = Number(values.devices);
const scratch = await engineFor(values['database-url']).create();
const db = await scratch.open();
const eta = await startEtaRuntime({});
const fiscal = createFiscalService({ db, client: eta.client, portalUrl: eta.config.portalUrl, log: () => undefined, queue: { pollIntervalMs: 50 } });
const server = await startServer({ db, fiscal, log: () => undefined });
const catalog = (await loadCatalog(db, 'cairo'))!;
const manager = await login(server.url);

const devices = await Promise.all(
  Array.from({ length: DEVICES }, async () => {
    const creds = await pairDevice(server.url, manager, 'cairo', 'pos');
    const res = await fetch(`${server.url}/api/fiscal/pos-profile`, { headers: { authorization: `Bearer ${creds.token}` } });
    const client = connectClient(server.url, 'cairo', creds.token);
    await waitSynced(client);
    return { client, profile: posFiscalProfileSchema.parse(await res.json()), position: { previousUUID: '', nextSequence: 1 } as ChainPosition };
  }),
);

const perDevice = Math.ceil(RECEIPTS / DEVICES);
const entries = devices.map(() => [] as Awaited<ReturnType<typeof issueSaleReceipt>>[]);
for (const [d, device] of devices.entries()) {
  const ids = Array.from({ length: perDevice }, (_, i) => placePaidOrder(device.client.doc, catalog, { tableIndex: i % catalog.tables.length }));
  await waitFor(() => ids.every((id) => readSettlement(device.client.doc, id)?.status === 'settled'), { timeoutMs: 120_000 });
  for (const id of ids) {
    const order = readOrder(device.client.doc, id);
    if (!order.ok) throw new Error(order.error);
    const issued = await issueSaleReceipt(order.value, catalog.tax, device.profile, device.position, Date.now());
    if (!issued.ok) throw new Error(issued.message);
    device.position = { previousUUID: issued.entry.uuid, nextSequence: device.position.nextSequence + 1 };
    entries[d]!.push(issued);
  }
}

const total = entries.flat().length;
const started = performance.now();
for (const [d, device] of devices.entries()) {
  device.client.doc.transact(() => {
    for (const issued of [...entries[d]!].reverse()) if (issued.ok) writeReceipt(device.client.doc, issued.entry);
  });
}
await waitFor(async () => (await fiscal.queue.counts()).SUBMITTED === total, { timeoutMs: 600_000, intervalMs: 50 });
const seconds = (performance.now() - started) / 1000;
console.log(`[fiscal-pipeline] ${db.engine}: ${total} receipts from ${DEVICES} devices, delivered in reverse order, all SUBMITTED in ${seconds.toFixed(2)} s (${(total / seconds).toFixed(0)} receipts/s); sandbox max acceptances per uuid ${eta.sandbox!.stats().maxAcceptancesPerUuid}; receipts root entries ${receiptsRoot(devices[0]!.client.doc).size}`);

for (const d of devices) d.client.destroy();
await server.close();
await eta.close();
await db.close();
await scratch.destroy();
process.exit(0);
