/**
 * The floor in a real browser (issue 4, points 1 and 8): seating with a guest count, live table
 * states and minutes, transfer, moving a line, merging, and takeaway and delivery orders with
 * a customer looked up by phone — online, and offline from the tablet's customer cache. A second
 * "device" (the stock y-websocket client in Node) edits the same branch room to show that the
 * floor is live. Counts the taps of each flow and saves the README's floor screenshots.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addLine, listOrders, markBillPrinted, openOrder } from '../../shared/live-doc';
import { catalogSchema, type Catalog } from '../../shared/schemas/catalog';
import { DEMO_PASSWORD } from '../../server/db/seed';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { lineFor } from '../support/orders';
import { waitFor } from '../support/wait';
import { launchChromium } from './pages/browser';
import { FloorPage } from './pages/floor-page';
import { ManagerPage } from './pages/manager-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const poll = { timeout: 15_000, interval: 100 };
const NOUR = { phone: '01001234567', name: 'Nour Adel', address: '12 Tahrir St, flat 3' };

describe('floor, takeaway and customers in Chromium', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let server: RunningServer;
  let db: Database;
  let context: BrowserContext;
  let page: Page;
  let pos: PosPage;
  let floor: FloorPage;
  let otherDevice: TestClient;
  let catalog: Catalog;
  const taps: Record<string, number> = {};
  const browserErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
  /** Buttons under `selector` smaller than a 44 × 44 px touch target (their test ids). */
  const smallControls = (selector: string) =>
    page.evaluate((sel) =>
      [...document.querySelectorAll<HTMLElement>(sel)]
        .filter((b) => {
          const box = b.getBoundingClientRect();
          return box.height < 44 || box.width < 44;
        })
        .map((b) => b.dataset.testid ?? b.textContent),
    selector);
  const customerRow = async (phone: string) =>
    (await db.query<{ id: string; name: string; addresses: unknown }>('select id, name, addresses from customers where phone = $1', [phone])).rows[0];

  beforeAll(async () => {
    const startedAt = Date.now();
    product = await startProductServer();
    server = product.server;
    db = product.db;
    const mona = await login(server.url);
    // a customer the branch already has: the tablet caches it and finds it offline too
    const saved = await fetch(`${server.url}/api/branches/cairo/customers`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${mona}` },
      body: JSON.stringify(NOUR),
    });
    expect(saved.status).toBe(201);
    catalog = catalogSchema.parse(
      await (await fetch(`${server.url}/api/branches/cairo/catalog`, { headers: { authorization: `Bearer ${mona}` } })).json(),
    );
    const nodeDevice = await pairDevice(server.url, mona, 'cairo');
    otherDevice = connectClient(server.url, 'cairo', nodeDevice.token);
    await waitSynced(otherDevice);

    const marks: string[] = [`server+api ${Date.now() - startedAt}`];
    browser = await launchChromium();
    context = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    pos = new PosPage(page);
    floor = new FloorPage(page);
    marks.push(`browser ${Date.now() - startedAt}`);
    await page.goto(server.url + '/');
    const manager = new ManagerPage(page);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    marks.push(`paired ${Date.now() - startedAt}`);
    await pos.unlock('1111');
    marks.push(`unlocked ${Date.now() - startedAt}`);
    await waitFor(async () => (await pos.syncStatus().getAttribute('data-state')) === 'online', { timeoutMs: 15_000 });
    console.log(`[floor e2e] set-up took ${Date.now() - startedAt} ms (${marks.join(', ')})`);
  }, 120_000);

  afterAll(async () => {
    console.log(`[floor e2e] taps per flow: ${JSON.stringify(taps)}`);
    otherDevice?.destroy();
    await browser?.close();
    await product?.stop();
  });

  it('[FLR-01] a free table asks for the guest count: two taps from the floor to the menu; "other" takes a big party', async () => {
    await floor.startCountingTaps();
    await pos.openTable('cairo-t1', 4);
    taps.openTable = await floor.taps();
    expect(taps.openTable).toBe(2);
    await pos.addItem('cairo-starters', 'cairo-hummus');
    await pos.sendToKitchen();
    await expect.poll(() => pos.lineStates(), poll).toEqual(['sent']);
    await floor.backToFloor();
    expect(await floor.tableText('cairo-t1', 'guests')).toBe('4 guests');

    await page.getByTestId('table-cairo-t2').click();
    expect(await smallControls('[data-testid="guests-dialog"] button')).toEqual([]);
    await page.getByTestId('guests-cancel').click();
    await floor.startCountingTaps();
    await pos.openTable('cairo-t2', 12);
    taps.openTableOtherCount = await floor.taps();
    await pos.addItem('cairo-drinks', 'cairo-water');
    await floor.backToFloor();
    expect(await floor.tableText('cairo-t2', 'guests')).toBe('12 guests');
    // a tap on an occupied table opens its order at once, no question asked
    await floor.startCountingTaps();
    await pos.openTable('cairo-t2');
    expect(await floor.taps()).toBe(1);
    await floor.backToFloor();
  });

  it('[FLR-02] the map shows each table live: occupied, sent, bill printed, paid-not-settled, settled, and minutes since seated ticking', async () => {
    expect(await floor.tableState('cairo-t1')).toBe('sent');
    expect(await floor.tableState('cairo-t2')).toBe('occupied');
    expect(await floor.tableState('cairo-t4')).toBe('free');

    // another device seats T3 just under 7 minutes ago and prints its bill
    const orderId = randomUUID();
    const seatedAt = Date.now() - 7 * 60_000 + 4_000;
    openOrder(otherDevice.doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: 'cairo-t3', guests: 2, openedAt: seatedAt, openedBy: 'sara', deviceId: 'pos-other' });
    addLine(otherDevice.doc, orderId, lineFor(catalog, 'mint-tea'));
    markBillPrinted(otherDevice.doc, orderId, Date.now());
    await expect.poll(() => floor.tableState('cairo-t3'), poll).toBe('bill');
    expect(await floor.tableText('cairo-t3', 'minutes')).toBe('6 min');
    // the minutes tick on their own (the map refreshes its clock every 15 s)
    await expect.poll(() => floor.tableText('cairo-t3', 'minutes'), { timeout: 25_000, interval: 250 }).toBe('7 min');

    // paid offline: the table reads paid and "not settled yet" until the server has it
    await context.setOffline(true);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('offline');
    await pos.openTable('cairo-t2');
    await pos.payCash('100');
    await pos.confirmPayment();
    await page.getByTestId('receipt-done').click();
    await page.getByTestId('table-map').waitFor();
    expect(await floor.tableState('cairo-t2')).toBe('paid');
    expect(await floor.tableText('cairo-t2', 'settlement')).toBe('Not settled yet');
    await context.setOffline(false);
    await expect.poll(() => floor.tableState('cairo-t2'), poll).toBe('settled');
  }, 60_000);

  it('[FLR-03] transfers a whole table to a free one in three taps', async () => {
    await floor.startCountingTaps();
    await floor.transfer('cairo-t1', 'cairo-t5');
    taps.transferTable = await floor.taps();
    expect(taps.transferTable).toBe(3);
    expect(await floor.tableState('cairo-t1')).toBe('free');
    expect(await floor.tableState('cairo-t5')).toBe('sent');
    expect(await floor.tableText('cairo-t5', 'guests')).toBe('4 guests');
    // the other device sees the same
    await expect.poll(() => listOrders(otherDevice.doc).find((o) => o.status === 'open' && o.tableId === 'cairo-t5')?.lines.length, poll).toBe(1);
  });

  it('[FLR-04] moves a single line to another table; the rest stays', async () => {
    await pos.openTable('cairo-t5');
    await pos.addItem('cairo-drinks', 'cairo-karkadeh');
    await floor.backToFloor();
    await floor.startCountingTaps();
    await floor.moveItems('cairo-t5', ['cairo-hummus'], 'cairo-t6');
    taps.moveOneLine = await floor.taps();
    expect(await floor.tableState('cairo-t6')).toBe('sent');
    expect(await floor.tableState('cairo-t5')).toBe('occupied');
    await pos.openTable('cairo-t6');
    expect(await pos.lines().evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')))).toEqual(['cairo-hummus']);
    await floor.backToFloor();
  });

  it('[FLR-05] merges two tables: the lines and guests add up, the first table is free', async () => {
    await floor.startCountingTaps();
    await floor.merge('cairo-t6', 'cairo-t5');
    taps.mergeTables = await floor.taps();
    expect(taps.mergeTables).toBe(3);
    expect(await floor.tableState('cairo-t6')).toBe('free');
    expect(await floor.tableText('cairo-t5', 'guests')).toBe('5 guests');
    await pos.openTable('cairo-t5');
    expect((await pos.lines().evaluateAll((els) => els.map((e) => e.getAttribute('data-item-id')))).sort()).toEqual(['cairo-hummus', 'cairo-karkadeh']);
    await floor.backToFloor();
  });

  it('[FLR-06][CUS-05] takeaway with a customer found by phone, and a delivery with a new customer saved on the server', async () => {
    await floor.startCountingTaps();
    await floor.newCounterOrder('takeaway');
    await floor.typePhone('0100123');
    expect(await floor.pickMatch(NOUR.phone)).toBe(NOUR.name);
    await shot('pos-customer-lookup');
    expect(await smallControls('[data-testid="customer-dialog"] button')).toEqual([]);
    await floor.attachCustomer();
    taps.takeawayKnownCustomer = await floor.taps();
    await pos.addItem('cairo-mains', 'cairo-hawawshi', { options: [] });
    await floor.backToFloor();
    const takeaway = floor.queueCards().filter({ hasText: NOUR.name });
    await expect.poll(() => takeaway.getAttribute('data-type'), poll).toBe('takeaway');
    expect(await takeaway.getByTestId('queue-customer-phone').textContent()).toBe(NOUR.phone);

    await floor.startCountingTaps();
    await floor.newCounterOrder('delivery');
    await floor.typePhone('0111 222 3334');
    await floor.fillNewCustomer('Karim Said', '5 Nile Corniche, Maadi');
    await floor.attachCustomer();
    taps.deliveryNewCustomer = await floor.taps();
    await pos.addItem('cairo-grills', 'cairo-kofta');
    await floor.backToFloor();
    const delivery = floor.queueCards().filter({ hasText: 'Karim Said' });
    expect(await delivery.getAttribute('data-type')).toBe('delivery');
    expect(await delivery.getByTestId('queue-customer-address').textContent()).toBe('5 Nile Corniche, Maadi');
    await expect.poll(async () => (await customerRow('01112223334'))?.name, poll).toBe('Karim Said');
  });

  it('[CUS-06] offline: a cached customer is found by phone, a new one is attached and reaches the server on reconnect', async () => {
    await context.setOffline(true);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('offline');
    await floor.newCounterOrder('takeaway');
    await floor.typePhone('0100');
    expect(await floor.pickMatch(NOUR.phone)).toBe(NOUR.name);
    await floor.attachCustomer();
    await pos.addItem('cairo-drinks', 'cairo-mango-juice');
    await floor.backToFloor();
    expect(await floor.queueCards().filter({ hasText: NOUR.name }).count()).toBe(2);

    await floor.newCounterOrder('delivery');
    await floor.typePhone('01225556667');
    await floor.fillNewCustomer('Mona Zaki', '9 Road 9, Maadi');
    await floor.attachCustomer();
    await pos.addItem('cairo-drinks', 'cairo-water');
    await floor.backToFloor();
    expect(await floor.queueCards().filter({ hasText: 'Mona Zaki' }).getByTestId('queue-customer-address').textContent()).toBe('9 Road 9, Maadi');
    expect(await customerRow('01225556667')).toBeUndefined();

    await context.setOffline(false);
    await expect.poll(async () => (await customerRow('01225556667'))?.addresses, poll).toEqual(['9 Road 9, Maadi']);
    const serverId = (await customerRow('01225556667'))!.id;
    // the order carries the server's id once the customer is saved there
    await expect
      .poll(() => listOrders(otherDevice.doc).find((o) => o.customer?.phone === '01225556667')?.customer?.id, poll)
      .toBe(serverId);
  }, 60_000);

  it('[FLR-07] the floor and the queue in Arabic, right to left, with touch-sized controls', async () => {
    await shot('pos-floor');
    await floor.queue().screenshot({ path: `${SCREENSHOTS}pos-takeaway-queue.png` });
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dir), poll).toBe('rtl');
    expect(await floor.tableState('cairo-t5')).toBe('sent');
    expect(await page.getByTestId('floor-transfer').textContent()).toBe('نقل طاولة');
    await shot('pos-floor-ar');
    await floor.queue().screenshot({ path: `${SCREENSHOTS}pos-takeaway-queue-ar.png` });
    // every control of the floor and the queue is a touch target of at least 44 × 44 px
    expect(await smallControls('[data-testid="floor"] button')).toEqual([]);
    await page.getByTestId('language-switch').click();
    expect(browserErrors).toEqual([]);
  });
});
