/**
 * The tablet app's sync (client/sync/branch-sync.ts) fails over between relays (SCALE-05):
 * served by relay 1 and told about relay 2 by GET /api/relays, it moves to relay 2 when relay 1
 * goes away, sends what it made meanwhile, and its order settles once. Runs the real client
 * module in Node like rotation-tablet.test.ts (fake-indexeddb, `ws`, a few stubbed browser
 * globals), against two in-process relays sharing the database and the real Redis, so it runs on
 * PGlite too. The same in Chromium, with relay 1 SIGKILLed: tests/e2e/relay-failover.e2e.test.ts.
 */
import 'fake-indexeddb/auto';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { addLine, readSettlement } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { startServer, type RunningServer } from '../../server/server';
import { acquireBranchSync, type BranchSyncSnapshot } from '../../client/sync/branch-sync';
import { login, pairDevice } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { lineFor, payInCash, placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const storage = new Map<string, string>();
/** Every socket the sync opens, by address, to see where it goes (and that it stops). */
const socketsOpened: string[] = [];
class RecordingWebSocket extends WebSocket {
  constructor(address: string, protocols?: string | string[]) {
    super(address, protocols);
    socketsOpened.push(address);
  }
}
const nodeFetch = globalThis.fetch;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** A browser page served by `origin`: relative fetches and the sync's own origin go there. */
const stubBrowser = (origin: string) => {
  vi.stubGlobal('window', new EventTarget());
  vi.stubGlobal('navigator', { onLine: true });
  vi.stubGlobal('location', { protocol: 'http:', host: new URL(origin).host });
  vi.stubGlobal('WebSocket', RecordingWebSocket);
  vi.stubGlobal('fetch', (input: string, init?: RequestInit) => nodeFetch(new URL(input, origin), init));
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  });
};

describe.each(engines())('tablet sync fails over between relays on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let relay1: RunningServer;
  let relay2: RunningServer;
  let relayUrls: string[];
  let cairo: Catalog;
  let manager: string;
  let device: { id: string; token: string };
  let held: ReturnType<typeof acquireBranchSync> | null = null;
  const count = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string | number }>(sql, params)).rows[0]!.n);

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    const ports = [await freePort(), await freePort()];
    relayUrls = ports.map((p) => `ws://127.0.0.1:${p}`);
    const namespace = `rf-test-${randomBytes(4).toString('hex')}`;
    [relay1, relay2] = await Promise.all(
      ports.map((port) => startServer({ db, port, log: () => undefined, redisUrl: REDIS_URL, redisNamespace: namespace, relayUrls })),
    ) as [RunningServer, RunningServer];
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(relay1.url);
    device = await pairDevice(relay1.url, manager, 'cairo', 'pos');
    stubBrowser(relay1.url);
    // Each engine is a new database: the previous run's local copies and lists must go.
    storage.clear();
    for (const { name } of await indexedDB.databases()) {
      if (name?.startsWith('branch.')) {
        await new Promise((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = resolve;
          request.onerror = reject;
        });
      }
    }
  }, 120_000);
  afterAll(async () => {
    if (held) {
      held.release();
      // The sync is torn down 2 s after its last user leaves (RELEASE_DELAY_MS); let it go first.
      await new Promise((r) => setTimeout(r, 2_500));
    }
    vi.unstubAllGlobals();
    await relay1?.close().catch(() => undefined);
    await relay2?.close();
    await db?.close();
    await testDb?.destroy();
  });

  it('[SCALE-05] the tablet moves to relay 2 when relay 1 goes, sends what it made meanwhile, and its order settles once; a 4401 from relay 2 still stops it', async () => {
    const sync = acquireBranchSync('cairo', device.token);
    held = sync;
    const snap = (): BranchSyncSnapshot => sync.sync.getSnapshot();
    await waitFor(() => snap().isReady && snap().status === 'online');
    // the list from GET /api/relays is remembered for a start with no server
    await waitFor(() => storage.get('restoflow.relays') === JSON.stringify(relayUrls));
    expect(relay1.relay.stats().connections).toBe(1);
    expect(relay2.relay.stats().connections).toBe(0);
    const orderId = placePaidOrder(snap().doc, cairo, { tableIndex: 2, pay: false });
    await waitFor(() => snap().pendingCount === 0);

    await relay1.close();
    const lineMeanwhile = lineFor(cairo, 'hummus');
    addLine(snap().doc, orderId, lineMeanwhile);
    await waitFor(() => relay2.relay.stats().connections === 1 && snap().status === 'online' && snap().pendingCount === 0, {
      timeoutMs: 15_000,
    });
    payInCash(snap().doc, cairo, orderId);
    await waitFor(() => readSettlement(snap().doc, orderId)?.status === 'settled', { timeoutMs: 15_000 });
    await relay2.settlement.idle();
    expect(await count('select count(*) as n from orders where id = $1', [orderId])).toBe(1);
    expect(await count('select count(*) as n from order_lines where order_id = $1', [orderId])).toBe(3);

    expect(socketsOpened.some((a) => a.startsWith(`${relayUrls[1]}/sync/`))).toBe(true);

    // A permanent refusal is not a reason to try another relay: unpairing shows "refused", and
    // no socket is opened afterwards. (A retry would come within 250 ms: the backoff restarts
    // once a connection has synced. Timers fire in order, so waiting 1 s is conclusive.)
    const unpaired = await nodeFetch(`${relay2.url}/api/devices/${device.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${manager}` } });
    expect(unpaired.status).toBe(204);
    await waitFor(() => snap().status === 'refused');
    expect(snap().refusedCode).toBe(4401);
    const openedBefore = socketsOpened.length;
    await new Promise((r) => setTimeout(r, 1_000));
    expect(socketsOpened.slice(openedBefore)).toEqual([]);
    expect(snap().status).toBe('refused');
  });
});
