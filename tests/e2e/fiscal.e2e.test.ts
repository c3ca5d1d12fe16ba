/**
 * ETA e-receipts end to end in Chromium (issue 6, points 3, 4 and 8): a waiter tablet paid
 * offline issues the receipt itself — QR on the receipt, chained in Dexie — and once online the
 * server verifies it and the real queue submits it to the in-process ETA sandbox; the manager's
 * fiscal page shows it. Two tabs of one device paying at the same moment never fork the chain.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPglite, type Database } from '../../server/db/database';
import { DEMO_TAXPAYER_RIN } from '../../server/db/fiscal-device-queries';
import { migrate } from '../../server/db/migrate';
import { DEMO_PASSWORD, seedDemoData } from '../../server/db/seed';
import { startEtaRuntime, type EtaRuntime } from '../../server/fiscal/eta-runtime';
import { createFiscalService } from '../../server/fiscal/fiscal-service';
import { startServer, type RunningServer } from '../../server/server';
import { BillPage } from './pages/bill-page';
import { launchChromium } from './pages/browser';
import { ManagerPage } from './pages/manager-page';
import { PosPage } from './pages/pos-page';
import { DIST, SCREENSHOTS } from './support';

const poll = { timeout: 20_000, interval: 100 };

interface StoredReceipt {
  orderId: string;
  uuid: string;
  previousUUID: string;
  sequence: number;
  serial: string;
}

/** The tablet's Dexie chain, read with the plain IndexedDB API in the page. */
function readChain(page: Page): Promise<{ profiles: number; receipts: StoredReceipt[] }> {
  return page.evaluate(
    () =>
      new Promise<{ profiles: number; receipts: StoredReceipt[] }>((resolve, reject) => {
        const open = indexedDB.open('restoflow-fiscal');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          if (!db.objectStoreNames.contains('receipts')) return resolve({ profiles: 0, receipts: [] });
          const tx = db.transaction(['profile', 'receipts'], 'readonly');
          const profiles = tx.objectStore('profile').count();
          const receipts = tx.objectStore('receipts').getAll();
          tx.oncomplete = () => {
            resolve({ profiles: profiles.result, receipts: (receipts.result as StoredReceipt[]).sort((a, b) => a.sequence - b.sequence) });
            db.close();
          };
        };
      }),
  );
}

describe('fiscal e-receipts in Chromium', () => {
  let dir: string;
  let db: Database;
  let eta: EtaRuntime;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const browserErrors: string[] = [];

  const queueState = async (uuid: string) =>
    (await db.query<{ state: string }>('select state from fiscal_receipts where uuid = $1', [uuid])).rows[0]?.state ?? null;

  const order = async (p: Page, tableId: string, items: [string, string][]) => {
    await p.getByTestId(`table-${tableId}`).click();
    const twoGuests = p.getByTestId('guests-2');
    const orderScreen = p.getByTestId('order-screen');
    await Promise.race([twoGuests.waitFor(), orderScreen.waitFor()]);
    if (await twoGuests.isVisible()) await twoGuests.click();
    await orderScreen.waitFor();
    const pos = new PosPage(p);
    for (const [category, item] of items) await pos.addItem(category, item);
    await expect.poll(() => pos.lines().count(), poll).toBe(items.length);
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rf-e2e-fiscal-'));
    db = await openPglite(dir);
    await migrate(db);
    await seedDemoData(db);
    eta = await startEtaRuntime({});
    const fiscal = createFiscalService({
      db, client: eta.client, portalUrl: eta.config.portalUrl, log: () => undefined,
      queue: { backoff: { baseMs: 50, maxMs: 500 }, pollIntervalMs: 100 },
    });
    server = await startServer({ db, staticDir: DIST, fiscal, log: () => undefined });
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1024, height: 900 }, hasTouch: true, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(server.url + '/');
    const manager = new ManagerPage(page);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    await new PosPage(page).unlock('1111');
    await page.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
    // The fiscal profile (serial, seller, portal) is fetched once online and kept for offline use.
    const deadline = Date.now() + 20_000;
    while ((await readChain(page)).profiles !== 1) {
      if (Date.now() > deadline) throw new Error('the tablet never stored its fiscal profile');
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await eta?.close();
    await db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('[FIS-51][FIS-53][FIS-55][FIS-59][FIS-57] paid offline: receipt with QR, chained in Dexie across a reload; online: verified, SUBMITTED, on the manager page', async () => {
    await context.setOffline(true);
    await expect.poll(() => new PosPage(page).syncStatus().getAttribute('data-state'), poll).toBe('offline');
    const bill = new BillPage(page);
    const orderIds: string[] = [];
    for (const table of ['cairo-t3', 'cairo-t4']) {
      await order(page, table, [['cairo-starters', 'cairo-hummus'], ['cairo-drinks', 'cairo-karkadeh']]);
      await bill.openPayment();
      await bill.payCash('exact');
      orderIds.push(await bill.waitForReceipt());
      const qr = page.getByTestId('fiscal-qr');
      await qr.waitFor({ timeout: 10_000 });
      await page.getByTestId('fiscal-qr-image').waitFor();
      const uuid = (await qr.getAttribute('data-uuid'))!;
      expect(uuid).toMatch(/^[0-9a-f]{64}$/);
      const link = (await qr.getAttribute('data-link'))!;
      expect(link).toContain(`/receipts/search/${uuid}/share/`);
      expect(link).toMatch(new RegExp(`#Total:[0-9.]+,IssuerRIN:${DEMO_TAXPAYER_RIN}$`));
      expect(await page.getByTestId('fiscal-qr-image').getAttribute('src')).toMatch(/^data:image\/png;base64,/);
      expect(await new PosPage(page).settlementState().getAttribute('data-state')).toBe('pending');
      if (table === 'cairo-t4') await page.getByTestId('receipt').screenshot({ path: `${SCREENSHOTS}pos-receipt-fiscal-qr.png` });
      await bill.done();
    }
    // Still offline: reload. The chain is in Dexie, so the next receipt continues it.
    await page.reload();
    const pin = page.getByTestId('pin-key-1');
    const map = page.getByTestId('table-map');
    await Promise.race([pin.waitFor(), map.waitFor()]);
    if (await pin.isVisible()) await new PosPage(page).unlock('1111');
    await expect.poll(() => new PosPage(page).syncStatus().getAttribute('data-state'), poll).toBe('offline');
    await order(page, 'cairo-t7', [['cairo-drinks', 'cairo-karkadeh']]);
    await bill.openPayment();
    await bill.payCash('exact');
    orderIds.push(await bill.waitForReceipt());
    await page.getByTestId('fiscal-qr').waitFor({ timeout: 10_000 });
    await bill.done();

    const { receipts } = await readChain(page);
    expect(receipts.map((r) => r.orderId)).toEqual(orderIds);
    expect(receipts[0]!.previousUUID).toBe('');
    expect(receipts[1]!.previousUUID).toBe(receipts[0]!.uuid);
    expect(receipts[2]!.previousUUID).toBe(receipts[1]!.uuid);

    await context.setOffline(false);
    for (const r of receipts) await expect.poll(() => queueState(r.uuid), poll).toBe('SUBMITTED');
    expect(receipts.map((r) => eta.sandbox!.acceptedCount(r.uuid))).toEqual([1, 1, 1]);

    const managerPage = await context.newPage();
    await managerPage.goto(server.url + '/manage');
    // The manager's session lives in the tab (sessionStorage): sign in again in this one.
    await new ManagerPage(managerPage).signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await managerPage.getByTestId('open-fiscal').click();
    await managerPage.getByTestId('fiscal-page').waitFor();
    const device = managerPage.locator(`[data-testid="fiscal-device"][data-serial="${receipts[0]!.serial}"]`);
    await expect.poll(async () => (await device.getByTestId('fiscal-count-SUBMITTED').textContent())?.trim(), poll).toBe('3');
    await managerPage.screenshot({ path: `${SCREENSHOTS}manage-fiscal.png` });
    await managerPage.close();
    expect(browserErrors).toEqual([]);
  }, 90_000);

  it('[FIS-51] two tabs of one device paying at the same moment never issue two receipts with the same previousUUID', async () => {
    const second = await context.newPage();
    second.on('pageerror', (error) => browserErrors.push(error.message));
    await second.goto(server.url + '/pos');
    await new PosPage(second).unlock('1111');
    await second.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
    const before = (await readChain(page)).receipts.length;

    await order(page, 'cairo-t5', [['cairo-drinks', 'cairo-karkadeh']]);
    await order(second, 'cairo-t6', [['cairo-drinks', 'cairo-mint-tea']]);
    const bills = [new BillPage(page), new BillPage(second)];
    for (const b of bills) {
      await b.openPayment();
      await b.method('cash');
      await b.tap('cash-exact');
    }
    // Both confirm together: both tabs issue the next receipt of the one chain at once.
    await Promise.all(bills.map((b) => b.page.getByTestId('confirm-payment').click()));
    const paid = await Promise.all(bills.map((b) => b.waitForReceipt()));

    await expect.poll(async () => (await readChain(page)).receipts.length, poll).toBe(before + 2);
    const { receipts } = await readChain(second);
    expect(receipts.filter((r) => paid.includes(r.orderId))).toHaveLength(2);
    expect(new Set(receipts.map((r) => r.previousUUID)).size).toBe(receipts.length);
    receipts.forEach((r, i) => expect(r.previousUUID).toBe(i === 0 ? '' : receipts[i - 1]!.uuid));
    // ETA's own chain check agrees: every receipt accepted once, none ChainBroken.
    for (const r of receipts) await expect.poll(() => queueState(r.uuid), poll).toBe('SUBMITTED');
    expect(receipts.every((r) => eta.sandbox!.acceptedCount(r.uuid) === 1)).toBe(true);
    await second.close();
    expect(browserErrors).toEqual([]);
  }, 90_000);
});
