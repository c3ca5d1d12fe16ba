/**
 * The tablet app follows a killed relay to another one (issue 3, point 5; SCALE-05), in
 * Chromium. Two product server processes share a scratch schema of the real Postgres and the real
 * Redis (SOCKET_REDIS_ENABLED=true), each configured with both addresses in RELAY_URLS. The
 * tablet is served by relay 1, the kitchen screen by relay 2. Relay 1 is killed with SIGKILL:
 * its sockets drop with no close frame, as when a machine dies. The tablet's page (already
 * loaded, and cached by its service worker) keeps running, moves its socket to relay 2, and the
 * order goes on there: a line added during the move reaches the kitchen, nothing stays pending,
 * and the payment is settled exactly once. Then the tablet restarts (reload) with relay 1 still
 * dead: the app comes from the service worker, the relay list from the device's cache. Each
 * settlement rotates the room (ROOM_ROTATE_SETTLED_ORDERS=1), so the tablet and the kitchen also
 * follow new generations (docs/PROTOCOL.md "Rotation") through relay 2. REST calls follow as well
 * (client/sync/api-failover.ts): with relay 1 still dead, the cash drawer reads and opens a shift
 * through relay 2's API, called across origins (CORS from RELAY_URLS).
 *
 * Needs TEST_DATABASE_URL (two processes cannot share an embedded PGlite) and Redis on
 * 127.0.0.1:6379 (TEST_REDIS_URL to change it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPostgres, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { DEMO_PASSWORD, seedDemoData } from '../../server/db/seed';
import { launchChromium } from './pages/browser';
import { KdsPage } from './pages/kds-page';
import { ManagerPage } from './pages/manager-page';
import { PosPage } from './pages/pos-page';
import { DIST } from './support';

const DATABASE_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const TABLET_VIEWPORT = { width: 1024, height: 768 };
const poll = { timeout: 20_000, interval: 100 };

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

/** A product server process (tests/support/product-process.ts), started and killable. */
interface RelayProcess {
  url: string;
  child: ChildProcess;
  kill(signal: NodeJS.Signals): Promise<void>;
}

async function startRelayProcess(options: { port: number; relayUrls: string[]; schema: string; namespace: string; databaseUrl: string }): Promise<RelayProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'tests/support/product-process.ts', '--schema', options.schema, '--static-dir', DIST, '--redis-namespace', options.namespace],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        NODE_ENV: 'test',
        PORT: String(options.port),
        DATABASE_URL: options.databaseUrl,
        SOCKET_REDIS_ENABLED: 'true',
        SOCKET_REDIS_URL: REDIS_URL,
        RELAY_URLS: options.relayUrls.join(','),
        // Rotate the room after each settled order, so the tablet also follows a generation on relay 2.
        ROOM_ROTATE_SETTLED_ORDERS: '1',
      },
    },
  );
  const errors: string[] = [];
  child.stderr?.on('data', (d: Buffer) => errors.push(d.toString()));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`relay exited during start (${code}): ${errors.join('')}`)));
  });
  return {
    url: `http://127.0.0.1:${options.port}`,
    child,
    async kill(signal) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      // A graceful stop that hangs must not hang the run: it is killed after 10 s.
      const hung = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(hung);
    },
  };
}

describe.skipIf(!DATABASE_URL)('relay failover in Chromium (two relays over Redis, real Postgres)', () => {
  const databaseUrl = DATABASE_URL ?? '';
  const schema = `rf_e2e_failover_${process.pid}_${randomBytes(3).toString('hex')}`;
  const namespace = `rf-e2e-failover-${randomBytes(4).toString('hex')}`;
  let db: Database;
  let relay1: RelayProcess;
  let relay2: RelayProcess;
  let relayAddresses: string[];
  let browser: Browser;
  let tabletContext: BrowserContext;
  let kitchenContext: BrowserContext;
  let tabletPage: Page;
  let kitchenPage: Page;
  let pos: PosPage;
  let kds: KdsPage;
  const browserErrors: string[] = [];

  const countRows = async (sql: string, params: unknown[]) => Number((await db.query<{ n: string | number }>(sql, params)).rows[0]!.n);

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
    // Migrated and seeded here, once: two processes migrating the same schema at once would race.
    db = await openPostgres(databaseUrl, { searchPath: schema });
    await migrate(db);
    await seedDemoData(db);

    const ports = [await freePort(), await freePort()];
    relayAddresses = ports.map((p) => `ws://127.0.0.1:${p}`);
    // One after the other, so a failed start never leaves the other process running unowned.
    const start = (port: number) => startRelayProcess({ port, relayUrls: relayAddresses, schema, namespace, databaseUrl });
    relay1 = await start(ports[0]!);
    relay2 = await start(ports[1]!);

    browser = await launchChromium();
    tabletContext = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    kitchenContext = await browser.newContext({ viewport: TABLET_VIEWPORT, locale: 'en-US' });
    tabletPage = await tabletContext.newPage();
    kitchenPage = await kitchenContext.newPage();
    for (const page of [tabletPage, kitchenPage]) page.on('pageerror', (error) => browserErrors.push(error.message));
    pos = new PosPage(tabletPage);
    kds = new KdsPage(kitchenPage);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await relay1?.kill('SIGKILL');
    await relay2?.kill('SIGTERM');
    await db?.close();
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    await admin.query(`drop schema if exists ${schema} cascade`);
    await admin.end();
  });

  it('[SCALE-05] a tablet served by relay 1 learns both relays; a kitchen screen on relay 2 sees its order', async () => {
    await tabletPage.goto(relay1.url + '/');
    const manager = new ManagerPage(tabletPage);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    await pos.unlock('1111');
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('online');
    // GET /api/relays answered and was cached: the tablet can go on without relay 1's help
    await expect
      .poll(() => tabletPage.evaluate(() => localStorage.getItem('restoflow.relays')), poll)
      .toBe(JSON.stringify(relayAddresses));

    await kitchenPage.goto(relay2.url + '/');
    const kitchenManager = new ManagerPage(kitchenPage);
    await kitchenManager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await kitchenManager.pairAs('kds', 'cairo');

    await pos.openTable('cairo-t1');
    await pos.addItem('cairo-starters', 'cairo-hummus');
    await pos.sendToKitchen();
    await kds.ticketAt('T1', 'cold').waitFor({ timeout: 20_000 });
    await expect.poll(() => pos.pendingCount(), poll).toBe(0);
  });

  it('[SCALE-05] relay 1 is SIGKILLed: the tablet moves to relay 2, a line added meanwhile reaches the kitchen, nothing stays pending, the payment settles once', async () => {
    const orderId = await tabletPage.getByTestId('order-screen').getAttribute('data-order-id');
    expect(orderId).toBeTruthy();
    const relay2Connections = async () =>
      ((await (await fetch(`${relay2.url}/api/ops/realtime-health`)).json()) as { adapter: string; connections: number });
    const before = await relay2Connections();
    expect(before.adapter).toBe('redis');
    // Every state the tablet's sync badge shows from now on, to see the drop and the return.
    await tabletPage.evaluate(() => {
      const badge = document.querySelector('[data-testid="sync-status"]')!;
      const seen: string[] = [];
      (window as unknown as { syncStatesSeen: string[] }).syncStatesSeen = seen;
      new MutationObserver(() => seen.push(badge.getAttribute('data-state') ?? '')).observe(badge, { attributes: true, attributeFilter: ['data-state'] });
    });
    await relay1.kill('SIGKILL');

    // Edited at once, while the socket is dropping or moving: kept locally, sent to relay 2.
    await pos.addItem('cairo-drinks', 'cairo-karkadeh');
    await pos.sendToKitchen();
    // the tablet's socket dropped, and it came back online on relay 2 (one more socket there)
    await expect.poll(() => relay2Connections().then((h) => h.connections), poll).toBe(before.connections + 1);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('online');
    const seen = await tabletPage.evaluate(() => (window as unknown as { syncStatesSeen: string[] }).syncStatesSeen);
    expect(seen).toContain('connecting');
    expect(seen.at(-1)).toBe('online');

    await kds.ticketAt('T1', 'bar').waitFor({ timeout: 20_000 });
    expect((await kds.ticketAt('T1', 'bar').textContent()) ?? '').toContain('Hibiscus');
    await expect.poll(() => pos.pendingCount(), poll).toBe(0);

    await pos.payCash('500');
    await pos.confirmPayment();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    await expect.poll(() => pos.pendingCount(), poll).toBe(0);

    // exactly one settled order for the table, with both lines and one payment
    expect(await countRows(`select count(*) as n from orders where table_id = 'cairo-t1'`, [])).toBe(1);
    const settledId = (await db.query<{ id: string }>(`select id from orders where table_id = 'cairo-t1'`)).rows[0]!.id;
    expect(settledId).toBe(orderId);
    expect(await countRows('select count(*) as n from order_lines where order_id = $1', [settledId])).toBe(2);
    expect(await countRows('select count(*) as n from payments where order_id = $1', [settledId])).toBe(1);
    // the settlement rotated the room (ROOM_ROTATE_SETTLED_ORDERS=1): the tablet followed on relay 2
    await expect.poll(() => tabletPage.evaluate(() => localStorage.getItem('restoflow.liveRoom.cairo')), poll).toBe('branch.cairo.g2');
  });

  it('[SCALE-05] restarted while relay 1 is still dead: the service worker serves the app, the cached list leads to relay 2, and a new order settles once', async () => {
    await tabletPage.getByTestId('receipt-done').click();
    await tabletPage.getByTestId('table-map').waitFor();
    // The page's own server is gone: the reload is answered by the service worker's cache.
    await tabletPage.reload();
    const pin = tabletPage.getByTestId('pin-key-1');
    const map = tabletPage.getByTestId('table-map');
    await Promise.race([pin.waitFor(), map.waitFor()]);
    if (await pin.isVisible()) await pos.unlock('1111');
    // it tries its origin (relay 1, refused) first, then the cached relay 2
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('online');

    await pos.openTable('cairo-t2');
    await pos.addItem('cairo-starters', 'cairo-hummus');
    await pos.sendToKitchen();
    await kds.ticketAt('T2', 'cold').waitFor({ timeout: 20_000 });
    await pos.payCash('500');
    await pos.confirmPayment();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    await expect.poll(() => pos.pendingCount(), poll).toBe(0);
    expect(await countRows(`select count(*) as n from orders where table_id = 'cairo-t2'`, [])).toBe(1);
    expect(await countRows(`select count(*) as n from orders`, [])).toBe(2);
    await expect.poll(() => tabletPage.evaluate(() => localStorage.getItem('restoflow.liveRoom.cairo')), poll).toBe('branch.cairo.g3');
    expect(browserErrors).toEqual([]);
  });

  it('[SCALE-05] REST calls follow too: with relay 1 dead, the cash drawer reads and opens a shift through relay 2', async () => {
    // Every API request the page makes, with the relay it went to (a refused one included).
    const apiRequests: string[] = [];
    tabletPage.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/api/')) apiRequests.push(`${request.method()} ${request.url()}`);
    });
    await tabletPage.getByTestId('receipt-done').click();
    await tabletPage.getByTestId('table-map').waitFor();
    // The drawer is online only (never cached, never queued): each step is one REST call.
    await tabletPage.getByTestId('shift-button').click();
    await tabletPage.getByTestId('shift-approval').waitFor();
    for (const d of '8888') await tabletPage.getByTestId(`shift-pin-${d}`).click();
    await tabletPage.getByTestId('shift-approval-submit').click();
    // GET …/shifts/current answered (relay 1 would have left the screen at "must be online")
    await tabletPage.getByTestId('shift-status').waitFor({ timeout: 20_000 });
    expect(await tabletPage.getByTestId('shift-status').getAttribute('data-state')).toBe('none');
    await tabletPage.getByTestId('shift-float').fill('500');
    await tabletPage.getByTestId('shift-open').click();
    await expect.poll(() => tabletPage.getByTestId('shift-status').getAttribute('data-state'), poll).toBe('open');

    // one open shift with its float, in the database both relays share; the POST went to relay 2
    expect(await countRows('select count(*) as n from shifts where closed_at is null and float_minor = 50000', [])).toBe(1);
    expect(apiRequests).toContain(`POST ${relay2.url}/api/branches/cairo/shifts`);
    expect(browserErrors).toEqual([]);
  });
});
