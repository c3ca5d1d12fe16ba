/**
 * The cash drawer and refunds in Chromium (issue 4 points 4 and 7): on the waiter tablet, a
 * manager's PIN opens a shift with a float, a cash sale goes through the ordinary tablet flow,
 * a pay-out, the X report, the close with notes and coins counted against the expected cash
 * (the difference shown and recorded) and the Z report, in English and Arabic and on paper;
 * then a refund of one line in the manager's browser. Screenshots for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/db/seed';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { launchChromium } from './pages/browser';
import { ManagerPage } from './pages/manager-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const poll = { timeout: 15_000, interval: 100 };

describe('cash drawer and refunds in Chromium', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let server: RunningServer;
  let db: Database;
  let tabletContext: BrowserContext;
  let tablet: Page;
  let pos: PosPage;
  const browserErrors: string[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
  const minorOf = async (page: Page, testId: string) => Number(await page.getByTestId(testId).getAttribute('data-minor'));
  const one = async (sql: string, params: unknown[] = []) =>
    Number(Object.values((await db.query<Record<string, string | number | null>>(sql, params)).rows[0] ?? {})[0] ?? 0);

  /** The drawer screen, behind a manager's PIN (Hany, 8888). */
  const openDrawer = async () => {
    await tablet.getByTestId('shift-button').click();
    await tablet.getByTestId('shift-approval').waitFor();
    for (const d of '8888') await tablet.getByTestId(`shift-pin-${d}`).click();
    await tablet.getByTestId('shift-approval-submit').click();
    await tablet.getByTestId('shift-status').waitFor();
  };

  beforeAll(async () => {
    product = await startProductServer();
    server = product.server;
    db = product.db;
    browser = await launchChromium();
    tabletContext = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    tablet = await tabletContext.newPage();
    tablet.on('pageerror', (error) => browserErrors.push(error.message));
    pos = new PosPage(tablet);
    await tablet.goto(server.url + '/');
    const manager = new ManagerPage(tablet);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    await pos.unlock('1111');
    await tablet.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('[SHIFT-08] open with a float, a cash sale, a pay-out, X report, count and close with the difference, Z report', async () => {
    // a wrong PIN does not open the drawer
    await tablet.getByTestId('shift-button').click();
    for (const d of '1111') await tablet.getByTestId(`shift-pin-${d}`).click();
    await tablet.getByTestId('shift-approval-submit').click();
    await tablet.getByTestId('shift-approval-error').waitFor();
    await tablet.getByTestId('shift-approval-cancel').click();

    await openDrawer();
    expect(await tablet.getByTestId('shift-status').getAttribute('data-state')).toBe('none');
    await tablet.getByTestId('shift-float').fill('500');
    await tablet.getByTestId('shift-open').click();
    await expect.poll(() => tablet.getByTestId('shift-status').getAttribute('data-state'), poll).toBe('open');
    await tablet.getByTestId('shift-back').click();

    // a cash sale through the ordinary tablet flow
    await pos.openTable('cairo-t1');
    await pos.addItem('cairo-drinks', 'cairo-karkadeh');
    await pos.addItem('cairo-starters', 'cairo-hummus');
    await pos.sendToKitchen();
    await pos.payCash('200');
    await pos.confirmPayment();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    const saleTotal = await one('select total_minor from orders');
    await tablet.getByTestId('receipt-done').click();

    await openDrawer();
    await tablet.getByTestId('movement-pay-out').click();
    await tablet.getByTestId('movement-amount').fill('20');
    await tablet.getByTestId('movement-reason').fill('Ice from the kiosk');
    await tablet.getByTestId('movement-submit').click();
    await tablet.getByTestId('shift-movement').waitFor();
    await shot(tablet, 'pos-shift-drawer');

    await tablet.getByTestId('shift-x-report').click();
    await tablet.locator('[data-testid="shift-report"][data-kind="X"]').waitFor();
    expect(await minorOf(tablet, 'report-sales-cash')).toBe(saleTotal);
    expect(await minorOf(tablet, 'report-orders')).toBe(1);
    const expected = 50_000 + saleTotal - 2_000;
    expect(await minorOf(tablet, 'report-expected')).toBe(expected);
    await shot(tablet, 'pos-shift-x-report');
    await tablet.getByTestId('shift-report-done').click();

    // count: 2 × 200, 1 × 100, 3 × 20 and 2 × 0.50
    await tablet.getByTestId('shift-close').click();
    await tablet.getByTestId('denomination-counter').waitFor();
    expect(await minorOf(tablet, 'close-expected')).toBe(expected);
    await tablet.getByTestId('denom-20000-plus').click();
    await tablet.getByTestId('denom-20000-plus').click();
    await tablet.getByTestId('denom-10000-plus').click();
    await tablet.getByTestId('denom-2000-count').fill('3');
    await tablet.getByTestId('denom-50-count').fill('2');
    const counted = 40_000 + 10_000 + 6_000 + 100;
    expect(await minorOf(tablet, 'close-counted')).toBe(counted);
    expect(await minorOf(tablet, 'close-difference')).toBe(counted - expected);
    await shot(tablet, 'pos-shift-count');
    await tablet.getByTestId('shift-close-confirm').click();
    await tablet.locator('[data-testid="shift-report"][data-kind="Z"]').waitFor();
    expect(await minorOf(tablet, 'report-difference')).toBe(counted - expected);
    expect(await one('select difference_minor from shifts')).toBe(counted - expected);
    expect(await one('select count(*) from shifts where closed_at is not null')).toBe(1);
    await shot(tablet, 'pos-shift-z-report');

    // on paper only the 80 mm slip prints
    await tablet.emulateMedia({ media: 'print' });
    expect(await tablet.getByTestId('shift-print').isVisible()).toBe(false);
    expect(await tablet.getByTestId('shift-report').isVisible()).toBe(true);
    const width = await tablet.getByTestId('shift-report').evaluate((el) => el.getBoundingClientRect().width);
    expect(Math.round(width / (96 / 25.4))).toBe(80);
    await tablet.emulateMedia({ media: 'screen' });
    // and in Arabic, right to left
    await tablet.getByTestId('language-switch').click();
    expect(await tablet.evaluate(() => document.documentElement.dir)).toBe('rtl');
    await shot(tablet, 'pos-shift-z-report-ar');
    await tablet.getByTestId('language-switch').click();
    expect(browserErrors).toEqual([]);
  }, 90_000);

  it('[REF-06] a manager refunds one line of the settled order in the browser', async () => {
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(server.url + '/');
    await new ManagerPage(page).signIn('cairo.manager@demo.restoflow.test', DEMO_PASSWORD);
    await page.getByTestId('open-refunds').click();
    await page.getByTestId('refunds-page').waitFor();
    const orderId = (await db.query<{ id: string }>('select id from orders')).rows[0]!.id;
    await page.getByTestId('refund-search').fill(orderId.slice(0, 6));
    await page.getByTestId('refund-search-submit').click();
    await page.locator(`[data-testid="refund-found-order"][data-order-id="${orderId}"]`).click();
    await page.getByTestId('refund-order').waitFor();
    await page.getByTestId('refund-line-plus').first().click();
    await page.getByTestId('refund-reason').fill('Hummus was cold');
    await page.getByTestId('refund-method-cash').click();
    const previewed = await minorOf(page, 'refund-amount');
    expect(previewed).toBeGreaterThan(0);
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-confirm').click();
    await page.getByTestId('refund-done').waitFor();
    expect(await minorOf(page, 'refund-done')).toBe(previewed);
    expect(await one('select total_minor from refunds where order_id = $1', [orderId])).toBe(previewed);
    expect(await one("select count(*) from audit_log where action = 'refund' and actor = 'hany' and reason = 'Hummus was cold'")).toBe(1);
    await expect.poll(() => minorOf(page, 'refund-refunded'), poll).toBe(previewed);
    await shot(page, 'manager-refund');
    await context.close();
  }, 60_000);
});
