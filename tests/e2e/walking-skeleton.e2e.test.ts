/**
 * The walking skeleton in a real browser (issue 2, points 6–7): a waiter tablet and a kitchen
 * screen, as two Chromium contexts, against the real server on the embedded database.
 * Order → kitchen → ready → cash payment → settled row; then the same offline, across a reload,
 * and the sync on reconnect. Saves the README's screenshots on the way.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/db/seed';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { launchChromium } from './pages/browser';
import { KdsPage } from './pages/kds-page';
import { ManagerPage } from './pages/manager-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const poll = { timeout: 15_000, interval: 100 };

describe('walking skeleton in Chromium', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let server: RunningServer;
  let db: Database;
  let tabletContext: BrowserContext;
  let kitchenContext: BrowserContext;
  let tabletPage: Page;
  let kitchenPage: Page;
  let pos: PosPage;
  let kds: KdsPage;
  const browserErrors: string[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
  const settledOrders = async () =>
    (await db.query<{ id: string; total_minor: string | number; table_id: string }>('select id, total_minor, table_id from orders order by settled_at')).rows;

  beforeAll(async () => {
    product = await startProductServer();
    server = product.server;
    db = product.db;
    browser = await launchChromium();
    tabletContext = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    kitchenContext = await browser.newContext({ viewport: TABLET_VIEWPORT, locale: 'en-US' });
    tabletPage = await tabletContext.newPage();
    kitchenPage = await kitchenContext.newPage();
    for (const page of [tabletPage, kitchenPage]) {
      page.on('pageerror', (error) => browserErrors.push(error.message));
    }
    pos = new PosPage(tabletPage);
    kds = new KdsPage(kitchenPage);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('[E2E-01] a manager pairs a tablet and a kitchen screen; a waiter unlocks with a PIN', async () => {
    await tabletPage.goto(server.url + '/');
    await shot(tabletPage, 'manager-login');
    const manager = new ManagerPage(tabletPage);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await tabletPage.getByTestId('pair-pos-cairo').waitFor();
    await shot(tabletPage, 'manager-home');
    await manager.pairAs('pos', 'cairo');

    await kitchenPage.goto(server.url + '/');
    const kitchenManager = new ManagerPage(kitchenPage);
    await kitchenManager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await kitchenManager.pairAs('kds', 'cairo');

    // a wrong PIN is refused, the right one opens the table map
    for (const d of '0000') await tabletPage.getByTestId(`pin-key-${d}`).click();
    await tabletPage.getByTestId('pin-submit').click();
    await tabletPage.getByTestId('pin-error').waitFor();
    await pos.unlock('1111');
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('online');
    await shot(tabletPage, 'pos-table-map');
  });

  it('[E2E-02] order with a required modifier and a note goes to the kitchen, comes back ready, is paid in cash and settles', async () => {
    await pos.openTable('cairo-t1');
    await tabletPage.getByTestId('category-cairo-mains').click();
    await tabletPage.getByTestId('item-cairo-koshari').click();
    await tabletPage.getByTestId('modifier-dialog').waitFor();
    // the required size must be chosen before the line can be added
    expect(await tabletPage.getByTestId('modifier-confirm').isDisabled()).toBe(true);
    await tabletPage.getByTestId('modifier-cairo-size-cairo-size-large').click();
    await tabletPage.getByTestId('line-note').fill('no garlic');
    await shot(tabletPage, 'pos-modifier-dialog');
    await tabletPage.getByTestId('modifier-confirm').click();
    await pos.addItem('cairo-drinks', 'cairo-karkadeh');
    expect(await pos.lines().count()).toBe(2);
    // koshari 55 + large 15 + karkadeh 30 = 100.00 → service 12.00 → VAT 15.68 → 127.68
    await expect.poll(() => tabletPage.getByTestId('order-total').textContent(), poll).toContain('127.68');
    await pos.sendToKitchen();
    await expect.poll(() => pos.lineStates(), poll).toEqual(['sent', 'sent']);
    await shot(tabletPage, 'pos-order');

    // one ticket per station: the koshari to the hot kitchen, the hibiscus to the bar
    const hot = kds.ticketAt('T1', 'hot');
    const bar = kds.ticketAt('T1', 'bar');
    await hot.waitFor({ timeout: 15_000 });
    await bar.waitFor({ timeout: 15_000 });
    const hotText = (await hot.textContent()) ?? '';
    expect(hotText).toContain('Koshari');
    expect(hotText).toContain('Large');
    expect(hotText).toContain('no garlic');
    expect((await bar.textContent()) ?? '').toContain('Hibiscus');
    await shot(kitchenPage, 'kds-tickets');
    for (const ticket of [hot, bar]) {
      await kds.bump(ticket);
      await ticket.waitFor({ state: 'detached' });
    }
    await expect.poll(() => pos.lineStates(), poll).toEqual(['ready', 'ready']);

    await pos.payCash('200');
    await expect.poll(() => tabletPage.getByTestId('payment-total').textContent(), poll).toContain('127.68');
    await expect.poll(() => tabletPage.getByTestId('change-due').textContent(), poll).toContain('72.32');
    await shot(tabletPage, 'pos-payment');
    await pos.confirmPayment();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    await shot(tabletPage, 'pos-receipt');
    const rows = await settledOrders();
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]!.total_minor)).toBe(12_768);
    expect(rows[0]!.table_id).toBe('cairo-t1');
  });

  it('[E2E-03] offline: orders and payments go on, survive a reload, show pending changes, and sync on reconnect', async () => {
    await tabletPage.getByTestId('receipt-done').click();
    await tabletPage.getByTestId('table-map').waitFor();
    await tabletContext.setOffline(true);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('offline');

    await pos.openTable('cairo-t2');
    await pos.addItem('cairo-starters', 'cairo-hummus');
    await pos.addItem('cairo-grills', 'cairo-beef-steak', { options: [['cairo-doneness', 'cairo-doneness-medium']] });
    await pos.sendToKitchen();
    await pos.payCash('500');
    await pos.confirmPayment();
    expect(await pos.settlementState().getAttribute('data-state')).toBe('pending');
    await expect.poll(() => pos.pendingCount(), poll).toBeGreaterThan(0);
    await shot(tabletPage, 'pos-offline-receipt');

    // Still offline: reload. The service worker serves the app, IndexedDB the data.
    await tabletPage.reload();
    const pin = tabletPage.getByTestId('pin-key-1');
    const map = tabletPage.getByTestId('table-map');
    await Promise.race([pin.waitFor(), map.waitFor()]);
    if (await pin.isVisible()) await pos.unlock('1111');
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('offline');
    const pendingAfterReload = await pos.pendingCount();
    expect(pendingAfterReload).toBeGreaterThan(0);
    await shot(tabletPage, 'pos-offline-after-reload');
    // nothing reached the server or the kitchen yet
    expect(await settledOrders()).toHaveLength(1);
    expect(await kds.ticketFor('T2').count()).toBe(0);

    await tabletContext.setOffline(false);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('online');
    await expect.poll(() => pos.pendingCount(), poll).toBe(0);
    await kds.ticketFor('T2').first().waitFor({ timeout: 15_000 });
    await expect.poll(async () => (await settledOrders()).length, poll).toBe(2);
    const offlineOrder = (await settledOrders())[1]!;
    expect(offlineOrder.table_id).toBe('cairo-t2');
    // hummus 45 + steak 320 = 365.00 → service 43.80 → VAT 57.24 (7.06 + 50.18, per line) → 466.04
    expect(Number(offlineOrder.total_minor)).toBe(46_604);
  });

  it('[E2E-04] Arabic renders right to left with Arabic numerals', async () => {
    await tabletPage.getByTestId('language-switch').click();
    await expect.poll(() => tabletPage.evaluate(() => document.documentElement.dir), poll).toBe('rtl');
    expect(await tabletPage.evaluate(() => document.documentElement.lang)).toBe('ar');
    expect(await tabletPage.getByTestId('pending-count').textContent()).toBe('٠'); // Arabic-Indic zero
    await shot(tabletPage, 'pos-table-map-ar');
    await kitchenPage.getByTestId('language-switch').click();
    await expect.poll(() => kitchenPage.evaluate(() => document.documentElement.dir), poll).toBe('rtl');
    await shot(kitchenPage, 'kds-ar');
    expect(browserErrors).toEqual([]);
  });
});
