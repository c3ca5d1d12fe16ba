/**
 * The manager's audit log in Chromium (issue 4 point 4, AUDIT-04): a waiter voids a line the
 * kitchen already has with the manager's PIN on the tablet and takes payment; a second tablet that
 * held an offline copy of the order changes it after settlement (a late change, SYNC-12); the
 * manager opens the audit log in the browser and sees the void with who, who approved and why,
 * the late change highlighted with the money to give back, filters by action, and reads it all
 * in Arabic, right to left. Screenshots for the README.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import * as Y from 'yjs';
import { addLine, readSettlement } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import { loadCatalog } from '../../server/db/catalog-queries';
import { DEMO_PASSWORD } from '../../server/db/seed';
import { connectClient, login, pairDevice, type TestClient } from '../support/clients';
import { lineFor, payInCash } from '../support/orders';
import { waitFor } from '../support/wait';
import { AuditPage } from './pages/audit-page';
import { launchChromium } from './pages/browser';
import { ManagerPage } from './pages/manager-page';
import { OrderPage } from './pages/order-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const MANAGER_PIN = '8888'; // Hany, manager of Cairo
const poll = { timeout: 15_000, interval: 100 };

describe('the manager’s audit log in Chromium', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let tabletContext: BrowserContext;
  let tablet: Page;
  let lateClient: TestClient | null = null;
  const browserErrors: string[] = [];

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });

  beforeAll(async () => {
    product = await startProductServer();
    browser = await launchChromium();
    tabletContext = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    tablet = await tabletContext.newPage();
    tablet.on('pageerror', (error) => browserErrors.push(error.message));
    await tablet.goto(product.server.url + '/');
    const manager = new ManagerPage(tablet);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    await new PosPage(tablet).unlock('1111');
    await tablet.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    lateClient?.destroy();
    await browser?.close();
    await product?.stop();
  });

  it('[AUDIT-04] [AUDIT-01] a void on the manager’s PIN and a late change, seen by the manager with who, approved by, why — in English and Arabic', async () => {
    const { server, db } = product;
    const pos = new PosPage(tablet);
    const entry = new OrderPage(tablet);

    // Sara sends two starters, then voids the falafel the kitchen already has: Hany's PIN.
    await pos.openTable('cairo-t2');
    const orderId = await entry.orderId();
    await entry.tapItem('cairo-hummus');
    await entry.tapItem('cairo-falafel');
    await entry.send();
    await entry.voidLine('cairo-falafel', 'changed', MANAGER_PIN);
    expect(await entry.lineAttr('cairo-falafel', 'kitchen-state')).toBe('voided');
    await entry.send();

    // A second tablet holds an offline copy of the order as it is now (before payment).
    const room = await server.relay.room(roomNameForBranch('cairo'));
    await waitFor(() => readSettlement(room.doc, orderId) === null && room.doc.getMap('orders').has(orderId), { timeoutMs: 15_000 });
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(room.doc));

    // Sara takes the cash; the server settles.
    await tablet.getByTestId('pay-button').click();
    await tablet.getByTestId('payment-screen').waitFor();
    await tablet.getByTestId('cash-exact').click();
    await tablet.getByTestId('confirm-payment').click();
    await tablet.getByTestId('receipt').waitFor();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');

    // The other tablet, still offline, adds a water and takes the money again, then reconnects.
    const cairo = (await loadCatalog(db, 'cairo'))!;
    addLine(offline, orderId, lineFor(cairo, 'water'));
    payInCash(offline, cairo, orderId);
    const lateDevice = await pairDevice(server.url, await login(server.url), 'cairo', 'pos');
    lateClient = connectClient(server.url, 'cairo', lateDevice.token, { doc: offline });
    const lateMinor = await waitFor(async () => {
      const { rows } = await db.query<{ amount_minor: string | number | null }>(
        `select amount_minor from audit_log where action = 'late-change' and order_id = $1`, [orderId]);
      return rows[0] ? Number(rows[0].amount_minor) : false;
    }, { timeoutMs: 15_000 });
    expect(lateMinor).toBeGreaterThan(0);

    // Hany opens the audit log in his browser.
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(server.url + '/');
    await new ManagerPage(page).signIn('cairo.manager@demo.restoflow.test', DEMO_PASSWORD);
    const audit = new AuditPage(page);
    await audit.open();

    const table = (await db.query<{ label: string }>(`select label from dining_tables where id = 'cairo-t2'`)).rows[0]!.label;
    const voided = audit.entryOf('void', orderId);
    await voided.waitFor();
    const who = voided.getByTestId('audit-who');
    expect(await who.getAttribute('data-actor')).toBe('sara');
    expect(await who.getAttribute('data-approved-by')).toBe('hany');
    expect(await who.textContent()).toBe('By Sara · approved by Hany');
    expect(await voided.getByTestId('audit-reason').textContent()).toBe('Why: Guest changed their mind');
    const ref = await voided.getByTestId('audit-ref').textContent();
    expect(ref).toContain(`Order ${orderId.slice(0, 8)}`);
    expect(ref).toContain(`table ${table}`);
    expect(ref).toContain('Falafel');
    const voidMinor = Number((await db.query<{ amount_minor: string | number }>(`select amount_minor from audit_log where action = 'void' and order_id = $1`, [orderId])).rows[0]!.amount_minor);
    expect(Number(await voided.getByTestId('audit-amount').getAttribute('data-minor'))).toBe(voidMinor);
    expect(voidMinor).toBeGreaterThan(0);

    // The late change stands out, names the tablet and the money to give back.
    const late = audit.entryOf('late-change', orderId);
    expect(await late.getByTestId('audit-late').textContent()).toContain('Changed after the order was settled — not applied');
    expect(Number(await late.getByTestId('audit-late-refund').getAttribute('data-minor'))).toBe(lateMinor);
    expect(await late.getByTestId('audit-who').textContent()).toBe('By tablet “pos test”');
    expect(await late.locator('[data-testid="audit-late-line"][data-late="true"]').textContent()).toContain('Water');
    expect(await late.evaluate((el) => getComputedStyle(el).borderInlineStartWidth)).toBe('8px');
    // newest first: the late change came after the void
    const actions = await audit.actions();
    expect(actions.indexOf('late-change')).toBeLessThan(actions.indexOf('void'));
    expect(await page.getByTestId('audit-end').isVisible()).toBe(true);
    await shot(page, 'manager-audit-log');

    // touch targets: every chip and button at least 44 px high
    const heights = await page.locator('.audit__chip, .audit .button').evaluateAll((els) => els.map((el) => el.getBoundingClientRect().height));
    expect(heights.length).toBeGreaterThan(8);
    for (const h of heights) expect(h).toBeGreaterThanOrEqual(44);

    // filter chips: voids only, then late changes only, then everything again
    await audit.filter('void');
    await expect.poll(() => audit.actions(), poll).toEqual(['void']);
    await audit.filter('late-change');
    await expect.poll(() => audit.actions(), poll).toEqual(['late-change']);
    await audit.filter('refund');
    await page.getByTestId('audit-empty').waitFor();
    expect(await page.getByTestId('audit-empty').textContent()).toBe('Nothing recorded of this kind.');
    await audit.filter('all');
    await expect.poll(async () => (await audit.actions()).length, poll).toBe(actions.length);

    // Arabic, right to left
    await page.getByTestId('language-switch').click();
    expect(await page.evaluate(() => document.documentElement.dir)).toBe('rtl');
    expect(await audit.entryOf('void', orderId).getByTestId('audit-action').textContent()).toBe('إلغاء صنف');
    expect(await audit.entryOf('void', orderId).getByTestId('audit-who').textContent()).toBe('بواسطة Sara · بموافقة Hany');
    expect(await audit.entryOf('late-change', orderId).getByTestId('audit-late').textContent()).toContain('عُدِّل بعد تسوية الطلب — لم يُطبَّق');
    // the late change's thick edge is on the right in Arabic
    const edge = await audit.entryOf('late-change', orderId).evaluate((el) => {
      const style = getComputedStyle(el);
      return { right: style.borderRightWidth, left: style.borderLeftWidth };
    });
    expect(edge).toEqual({ right: '8px', left: '2px' });
    await shot(page, 'manager-audit-log-ar');
    await page.getByTestId('language-switch').click();
    await context.close();
    expect(browserErrors).toEqual([]);
  }, 120_000);

  it('[AUDIT-04] an error with a retry, then more than a page: "Load more" until the end', async () => {
    const { server, db } = product;
    // 17 drawer shifts opened and closed by Hany: 34 more entries, more than one page (30)
    const hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    const drawer = await pairDevice(server.url, hany, 'cairo', 'pos');
    const send = async (path: string, body: unknown) => {
      const res = await fetch(server.url + path, {
        method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${hany}` }, body: JSON.stringify(body),
      });
      expect(res.status, path).toBeLessThan(300);
    };
    for (let i = 0; i < 17; i++) {
      const id = crypto.randomUUID();
      await send('/api/branches/cairo/shifts', { id, floatMinor: 1_000 * (i + 1), deviceId: drawer.id });
      await send(`/api/branches/cairo/shifts/${id}/close`, { counts: { '1000': i + 1 } });
    }
    const total = Number((await db.query<{ n: string | number }>(`select count(*) as n from audit_log where branch_id = 'cairo'`)).rows[0]!.n);
    expect(total).toBeGreaterThan(30);

    const context = await browser.newContext({ viewport: { width: 1100, height: 900 }, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(server.url + '/');
    await new ManagerPage(page).signIn('cairo.manager@demo.restoflow.test', DEMO_PASSWORD);
    // the server cannot be reached: the error state, and a retry once it can
    const auditUrl = '**/api/branches/cairo/audit?**';
    await page.route(auditUrl, (route) => route.abort());
    await page.getByTestId('open-audit').click();
    await page.getByTestId('audit-error').waitFor();
    expect(await page.getByTestId('audit-list').count()).toBe(0);
    await page.unroute(auditUrl);
    await page.getByTestId('audit-retry').click();
    const audit = new AuditPage(page);
    await audit.waitLoaded();

    expect(await audit.entries().count()).toBe(30);
    expect(await page.getByTestId('audit-end').count()).toBe(0);
    await page.getByTestId('audit-load-more').click();
    await expect.poll(() => audit.entries().count(), poll).toBe(total);
    await page.getByTestId('audit-end').waitFor();
    // every entry once, newest first, the same order the database has
    const shown = await audit.entries().evaluateAll((els) => els.map((el) => el.getAttribute('data-entry-id')));
    const { rows } = await db.query<{ id: string | number }>(`select id from audit_log where branch_id = 'cairo' order by at desc, id desc`);
    expect(shown).toEqual(rows.map((r) => String(r.id)));
    // a filter starts again from its first page
    await audit.filter('shift-close');
    await expect.poll(() => audit.entries().count(), poll).toBe(17);
    expect(await page.getByTestId('audit-end').isVisible()).toBe(true);
    await context.close();
    expect(browserErrors).toEqual([]);
  }, 120_000);
});
