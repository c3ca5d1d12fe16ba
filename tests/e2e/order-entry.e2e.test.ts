/**
 * Order entry on the waiter tablet in Chromium (issue 4, points 2, 4 and 9): search and
 * categories, modifiers with required choices and prices, notes, seats, courses held and fired,
 * quantity changes sent as changes, voids and discounts with the manager's PIN on the tablet, and
 * the taps of the common flow. The kitchen side is read from the server's copy of the branch
 * document, so "the kitchen got it once" is checked where the kitchen screens read it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listTickets, readOrder } from '../../shared/live-doc';
import { priceOrderAsIs } from '../../shared/pricing';
import { roomNameForBranch } from '../../shared/protocol';
import type { KitchenTicket, Order } from '../../shared/schemas/order';
import { DEMO_PASSWORD } from '../../server/db/seed';
import { launchChromium } from './pages/browser';
import { ManagerPage } from './pages/manager-page';
import { countTaps, OrderPage } from './pages/order-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const poll = { timeout: 15_000, interval: 100 };
/** Odoo POS restaurant, as documented (docs/WORKFLOWS.md): table, 3 products, Send, table, Payment, Cash, Validate. */
const ODOO_COMMON_FLOW_TAPS = 9;
const MANAGER_PIN = '8888'; // Hany, manager of Cairo
const WAITER_PIN = '1111'; // Sara

describe('order entry on the tablet', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let context: BrowserContext;
  let page: Page;
  let pos: PosPage;
  let entry: OrderPage;
  const browserErrors: string[] = [];

  const serverDoc = async () => (await product.server.relay.room(roomNameForBranch('cairo'))).doc;
  const serverOrder = async (orderId: string): Promise<Order | null> => {
    const read = readOrder(await serverDoc(), orderId);
    return read.ok ? read.value : null;
  };
  const serverTickets = async (orderId: string): Promise<KitchenTicket[]> =>
    listTickets(await serverDoc()).filter((ticket) => ticket.orderId === orderId);
  /** What the kitchen heard, per item: "new 2", "change 2→3", "void". */
  const kitchenHeard = async (orderId: string): Promise<Record<string, string[]>> => {
    const heard: Record<string, string[]> = {};
    for (const ticket of await serverTickets(orderId)) {
      for (const item of ticket.items) {
        const text = item.kind === 'new' ? `new ${item.qty}` : item.kind === 'change' ? `change ${item.previousQty}→${item.qty}` : 'void';
        (heard[item.itemId] ??= []).push(text);
      }
    }
    return heard;
  };
  const settledTotal = async (orderId: string): Promise<number | null> => {
    const { rows } = await product.db.query<{ total_minor: string | number }>('select total_minor from orders where id = $1', [orderId]);
    return rows[0] ? Number(rows[0].total_minor) : null;
  };
  const shot = (name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png` });

  /** Pay, Confirm: cash starts at the exact amount owed. */
  const payCashExact = async () => {
    await page.getByTestId('pay-button').click();
    await page.getByTestId('payment-screen').waitFor();
    await page.getByTestId('confirm-payment').click();
    await page.getByTestId('receipt').waitFor();
  };
  const backToTables = async () => {
    await page.getByTestId('receipt-done').click();
    await page.getByTestId('table-map').waitFor();
  };

  beforeAll(async () => {
    product = await startProductServer();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    await countTaps(context);
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    pos = new PosPage(page);
    entry = new OrderPage(page);
    await page.goto(product.server.url + '/');
    const manager = new ManagerPage(page);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    await pos.unlock(WAITER_PIN);
    await page.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('[ENT-05] the common flow — open table, three items, send, pay cash — takes fewer taps than Odoo', async () => {
    await entry.resetTaps();
    await pos.openTable('cairo-t3');
    const afterOpen = await entry.taps();
    // three starters: the first category is open when the order screen opens
    await entry.tapItem('cairo-hummus');
    await entry.tapItem('cairo-baba-ghanoush');
    await entry.tapItem('cairo-falafel');
    await entry.send();
    const afterSend = await entry.taps();
    const orderId = await entry.orderId();
    await payCashExact();
    const taps = await entry.taps();
    console.log(`[ENT-05] taps: open table ${afterOpen}, + 3 items + send = ${afterSend}, + pay cash = ${taps} (Odoo: ${ODOO_COMMON_FLOW_TAPS})`);
    expect(taps).toBe(8);
    expect(taps).toBeLessThan(ODOO_COMMON_FLOW_TAPS);
    expect(await kitchenHeard(orderId)).toEqual({ 'cairo-hummus': ['new 1'], 'cairo-baba-ghanoush': ['new 1'], 'cairo-falafel': ['new 1'] });
    // 45 + 45 + 40 = 130.00 → service 15.60 → VAT 20.39 (per line) → 165.99
    await expect.poll(() => settledTotal(orderId), poll).toBe(16_599);
    await backToTables();
  });

  it('[ENT-06] search, required and priced modifiers, seats, notes, courses held and fired, quantity changes sent as changes', async () => {
    await pos.openTable('cairo-t4');
    const orderId = await entry.orderId();

    // seat 2, found by search; the size is required, extras are priced
    await entry.setSeat(2);
    await entry.search('kosh');
    await entry.tapItem('cairo-koshari');
    await page.getByTestId('modifier-dialog').waitFor();
    expect(await page.getByTestId('modifier-confirm').isDisabled()).toBe(true);
    await page.getByTestId('modifier-cairo-size-cairo-size-large').click();
    await page.getByTestId('modifier-cairo-extras-cairo-extras-extra-onions').click();
    await page.getByTestId('modifier-cairo-extras-cairo-extras-extra-cheese').click();
    // 55 + large 15 + onions 5 + cheese 15
    expect(await page.getByTestId('modifier-unit-price').textContent()).toContain('90.00');
    await entry.chooseModifiers([]);
    expect(await entry.lineAttr('cairo-koshari', 'seat')).toBe('2');

    // Arabic search finds the hummus; two of them, with a note
    await entry.setSeat(null);
    await entry.search('حمص');
    await entry.tapItem('cairo-hummus');
    await entry.plus('cairo-hummus');
    await entry.setLineNote('cairo-hummus', 'no oil');
    await entry.closeLine('cairo-hummus');
    expect(await entry.lineAttr('cairo-hummus', 'qty')).toBe('2');

    // dessert as course 2: it waits for "Fire course 2"
    await entry.setCourse(2);
    await entry.search('om ali');
    await entry.tapItem('cairo-om-ali');
    await entry.clearSearch();
    await entry.setCourse(1);
    expect(await entry.kitchenStates()).toEqual({ 'cairo-koshari': 'unsent', 'cairo-hummus': 'unsent', 'cairo-om-ali': 'held' });
    expect(await page.getByTestId('send-to-kitchen').getAttribute('data-count')).toBe('2');
    await shot('pos-order-courses');

    await entry.send();
    await expect.poll(() => kitchenHeard(orderId), poll).toEqual({ 'cairo-koshari': ['new 1'], 'cairo-hummus': ['new 2'] });
    const hummusTicket = (await serverTickets(orderId)).find((t) => t.items.some((i) => i.itemId === 'cairo-hummus'));
    expect(hummusTicket?.items[0]).toMatchObject({ note: 'no oil', course: 1 });
    const koshariTicket = (await serverTickets(orderId)).find((t) => t.items.some((i) => i.itemId === 'cairo-koshari'));
    expect(koshariTicket?.items[0]).toMatchObject({ seat: 2, modifiers: [{ optionId: 'cairo-size-large' }, { optionId: 'cairo-extras-extra-onions' }, { optionId: 'cairo-extras-extra-cheese' }] });
    expect(await entry.kitchenStates()).toEqual({ 'cairo-koshari': 'pending', 'cairo-hummus': 'pending', 'cairo-om-ali': 'held' });
    expect(await page.getByTestId('send-to-kitchen').isDisabled()).toBe(true);

    // a third hummus: a change for the kitchen; below what it has, only a void takes it off
    await entry.plus('cairo-hummus');
    expect(await entry.lineAttr('cairo-hummus', 'kitchen-state')).toBe('unsent');
    await entry.minus('cairo-hummus');
    expect(await entry.lineAttr('cairo-hummus', 'kitchen-state')).toBe('pending');
    expect(await entry.line('cairo-hummus').getByTestId('line-minus').isDisabled()).toBe(true);
    await entry.plus('cairo-hummus');
    await entry.send();
    await expect.poll(async () => (await kitchenHeard(orderId))['cairo-hummus'], poll).toEqual(['new 2', 'change 2→3']);

    await entry.fire(2);
    await expect.poll(async () => (await kitchenHeard(orderId))['cairo-om-ali'], poll).toEqual(['new 1']);
    expect(await entry.lineAttr('cairo-om-ali', 'kitchen-state')).toBe('pending');
    expect(await page.getByTestId('fire-course-2').count()).toBe(0);
    // every line reached the kitchen exactly once as new
    expect(await kitchenHeard(orderId)).toEqual({
      'cairo-koshari': ['new 1'],
      'cairo-hummus': ['new 2', 'change 2→3'],
      'cairo-om-ali': ['new 1'],
    });
  });

  it('[ENT-07] voids and discounts: reason always, a manager PIN for sent lines and discounts, stamped who/when/why, and the server settles it', async () => {
    const orderId = await entry.orderId();
    // void before sending: the waiter alone, with a reason
    await entry.tapItem('cairo-water', 'cairo-drinks');
    await entry.voidLine('cairo-water', 'mistake');
    expect(await entry.lineAttr('cairo-water', 'kitchen-state')).toBe('voided');
    expect(await entry.line('cairo-water').getByTestId('line-void-info').textContent()).toContain('Entered by mistake');
    expect(await page.getByTestId('send-to-kitchen').isDisabled()).toBe(true); // the kitchen never had it

    // void after sending: the waiter's own PIN does not approve, the manager's does
    const koshari = await entry.openLine('cairo-koshari');
    await koshari.getByTestId('line-void').click();
    await page.getByTestId('void-needs-manager').waitFor();
    await page.getByTestId('void-reason-changed').click();
    await page.getByTestId('void-confirm').click();
    await entry.approve(WAITER_PIN, { expectWrong: true });
    await shot('pos-manager-approval');
    await entry.approve(MANAGER_PIN);
    expect(await entry.lineAttr('cairo-koshari', 'kitchen-state')).toBe('voided');
    const stamp = entry.line('cairo-koshari').getByTestId('stamp');
    expect(await stamp.getAttribute('data-by')).toBe('sara');
    expect(await stamp.getAttribute('data-approved-by')).toBe('hany');
    await entry.send();
    await expect.poll(async () => (await kitchenHeard(orderId))['cairo-koshari'], poll).toEqual(['new 1', 'void']);

    // a line discount (percent) and an order discount (amount), each approved by the manager
    await entry.discount({ itemId: 'cairo-hummus' }, 'percent', '10', 'regular', MANAGER_PIN);
    await entry.line('cairo-hummus').getByTestId('line-discount-info').waitFor();
    await entry.discount('order', 'amount', '5', 'complaint', MANAGER_PIN);
    await page.getByTestId('order-discount-info').waitFor();
    await shot('pos-order-entry');

    // the document carries who, when, why and who approved; the tablet's total is the server's
    await expect.poll(async () => (await serverOrder(orderId))?.discount?.approvedBy, poll).toBe('hany');
    const order = (await serverOrder(orderId))!;
    const byItem = new Map(order.lines.map((line) => [line.itemId, line]));
    expect(byItem.get('cairo-water')?.void).toMatchObject({ reason: 'Entered by mistake', by: 'sara', approvedBy: null });
    expect(byItem.get('cairo-koshari')?.void).toMatchObject({ reason: 'Guest changed their mind', by: 'sara', approvedBy: 'hany' });
    expect(byItem.get('cairo-hummus')?.discount).toMatchObject({ kind: 'percent', value: 1_000, reason: 'Regular guest', by: 'sara', approvedBy: 'hany' });
    expect(order.discount).toMatchObject({ kind: 'amount', value: 500, reason: 'Complaint', by: 'sara', approvedBy: 'hany' });
    for (const stamped of [byItem.get('cairo-koshari')?.void, order.discount]) expect(Date.now() - (stamped?.at ?? 0)).toBeLessThan(60_000);
    const expected = priceOrderAsIs(order, { vatRateBp: 1_400, serviceChargeRateBp: 1_200 });
    expect(await entry.totalMinor()).toBe(expected.totalMinor);
    // hummus 3 × 45 = 135 − 10 % = 121.50; om ali 65 → 186.50 − 5.00 = 181.50 → service 21.78 → VAT 28.46 → 231.74
    expect(expected.totalMinor).toBe(23_174);

    // SET-08 at the server: the approvals make it settle
    await payCashExact();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    expect(await settledTotal(orderId)).toBe(23_174);
    await backToTables();
  });

  it('[ENT-08] offline: the whole order entry — search, modifiers, courses, void with the manager PIN, discount — then sync once', async () => {
    await context.setOffline(true);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('offline');
    await pos.openTable('cairo-t5');
    const orderId = await entry.orderId();
    await entry.search('coffee');
    await entry.tapItem('cairo-turkish-coffee');
    await entry.chooseModifiers([['cairo-sugar', 'cairo-sugar-medium-sugar']]);
    await entry.clearSearch();
    await entry.tapItem('cairo-kofta', 'cairo-grills');
    await entry.plus('cairo-kofta');
    await entry.setCourse(2);
    await entry.tapItem('cairo-konafa', 'cairo-desserts');
    await entry.setCourse(1);
    await entry.send();
    expect(await entry.kitchenStates()).toEqual({ 'cairo-turkish-coffee': 'pending', 'cairo-kofta': 'pending', 'cairo-konafa': 'held' });
    // the manager's PIN is checked on the tablet, with no network
    await entry.voidLine('cairo-turkish-coffee', 'quality', MANAGER_PIN);
    await entry.discount({ itemId: 'cairo-kofta' }, 'amount', '20', 'staff', MANAGER_PIN);
    await entry.fire(2);
    expect(await entry.kitchenStates()).toEqual({ 'cairo-turkish-coffee': 'voided', 'cairo-kofta': 'pending', 'cairo-konafa': 'pending' });
    // nothing reached the server yet
    expect(await serverOrder(orderId)).toBeNull();
    const tabletTotal = await entry.totalMinor();
    await payCashExact();
    expect(await pos.settlementState().getAttribute('data-state')).toBe('pending');

    await context.setOffline(false);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('online');
    await expect.poll(() => settledTotal(orderId), poll).toBe(tabletTotal);
    // kofta 2 × 160 − 20 = 300; konafa 60 → 360.00 → service 43.20 → VAT 56.45 → 459.65
    expect(tabletTotal).toBe(45_965);
    expect(await kitchenHeard(orderId)).toEqual({
      'cairo-turkish-coffee': ['new 1', 'void'],
      'cairo-kofta': ['new 2'],
      'cairo-konafa': ['new 1'],
    });
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    await backToTables();
  });

  it('[ENT-09] Arabic: the order screen right to left, with Arabic numerals', async () => {
    await pos.openTable('cairo-t6');
    await entry.setSeat(1);
    await entry.tapItem('cairo-hummus');
    await entry.setCourse(2);
    await entry.tapItem('cairo-basbousa', 'cairo-desserts');
    await entry.send();
    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dir), poll).toBe('rtl');
    expect(await page.getByTestId('fire-course-2').textContent()).toContain('٢');
    expect(await entry.line('cairo-hummus').getByTestId('line-kitchen-state').textContent()).toBe('أُرسل');
    await shot('pos-order-entry-ar');
    // every control of the order screen is at least 44 px in both directions
    const small = await page.getByTestId('order-screen').evaluate((root) =>
      [...root.querySelectorAll('button, input')]
        .map((el) => ({ id: el.getAttribute('data-testid'), box: el.getBoundingClientRect() }))
        .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
        .map(({ id, box }) => `${id} ${Math.round(box.width)}×${Math.round(box.height)}`),
    );
    expect(small).toEqual([]);
    await page.getByTestId('language-switch').click();
    expect(browserErrors).toEqual([]);
  });
});
