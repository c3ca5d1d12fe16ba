/**
 * The kitchen in Chromium (issue 5, points 1–5): three waiter tablets and two kitchen screens as
 * five browser contexts in one branch room, against the real server. Routing by station, the expo
 * view, changes highlighted and voids struck through, start/bump/recall with the waiter's line
 * states following, a kitchen printer that fails reported on tablet and screen, then everyone
 * offline for a stretch, back online with nothing lost, and a kitchen screen that reloads showing
 * exactly the open tickets. Saves the README's kitchen screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listTickets } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import { DEMO_PASSWORD } from '../../server/db/seed';
import { launchChromium } from './pages/browser';
import { KdsPage } from './pages/kds-page';
import { ManagerPage } from './pages/manager-page';
import { OrderPage } from './pages/order-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const KITCHEN_VIEWPORT = { width: 1280, height: 800 };
const poll = { timeout: 15_000, interval: 100 };
const MANAGER_PIN = '8888'; // Hany, manager of Cairo

interface Tablet {
  context: BrowserContext;
  page: Page;
  pos: PosPage;
  entry: OrderPage;
}
interface Kitchen {
  context: BrowserContext;
  page: Page;
  kds: KdsPage;
}

describe('kitchen: 3 tablets and 2 kitchen screens in Chromium', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  const tablets: Tablet[] = [];
  const kitchens: Kitchen[] = [];
  const browserErrors: string[] = [];
  /** Ticket ids by "<table>/<station>" as the kitchen screens showed them. */
  const tickets = new Map<string, string>();

  const shot = (page: Page, name: string) => page.screenshot({ path: `${SCREENSHOTS}${name}.png` });
  const serverOpenTickets = async (stations: string[]) =>
    listTickets((await product.server.relay.room(roomNameForBranch('cairo'))).doc)
      .filter((t) => t.status !== 'ready' && stations.includes(t.station))
      .map((t) => t.id)
      .sort();
  const pair = async (page: Page, kind: 'pos' | 'kds') => {
    await page.goto(product.server.url + '/');
    const manager = new ManagerPage(page);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs(kind, 'cairo');
  };
  const online = (page: Page) => page.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  const rememberTicket = async (kitchen: Kitchen, table: string, station: string) => {
    const ticket = kitchen.kds.ticketAt(table, station);
    await ticket.waitFor({ timeout: 15_000 });
    const id = (await ticket.getAttribute('data-ticket-id')) ?? '';
    tickets.set(`${table}/${station}`, id);
    return ticket;
  };

  beforeAll(async () => {
    product = await startProductServer();
    // The bar's printer is down and has no backup: its tickets must be reported, not lost.
    const login = await fetch(`${product.server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'manager@demo.restoflow.test', password: DEMO_PASSWORD }),
    });
    const { token } = (await login.json()) as { token: string };
    const setPrinter = await fetch(`${product.server.url}/api/branches/cairo/stations/bar/printers`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ printer: { host: '127.0.0.1', port: 9 }, backupPrinter: null, fallbackToScreen: true }),
    });
    expect(setPrinter.status).toBe(200);

    browser = await launchChromium();
    for (let i = 0; i < 3; i++) {
      const context = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
      const page = await context.newPage();
      page.on('pageerror', (error) => browserErrors.push(`tablet ${i}: ${error.message}`));
      tablets.push({ context, page, pos: new PosPage(page), entry: new OrderPage(page) });
    }
    for (let i = 0; i < 2; i++) {
      const context = await browser.newContext({ viewport: KITCHEN_VIEWPORT, locale: 'en-US' });
      const page = await context.newPage();
      page.on('pageerror', (error) => browserErrors.push(`kitchen ${i}: ${error.message}`));
      kitchens.push({ context, page, kds: new KdsPage(page) });
    }
    // A manager pairs each browser (Sara, Hany and Mona then unlock the three tablets).
    await Promise.all([...tablets.map((d) => pair(d.page, 'pos')), ...kitchens.map((d) => pair(d.page, 'kds'))]);
    await Promise.all(['1111', '8888', '9999'].map((pin, i) => tablets[i]!.pos.unlock(pin)));
    await Promise.all([...tablets, ...kitchens].map((d) => online(d.page)));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('[KDS-11][KDS-12][KDS-15] tickets reach only their stations\' screens, with table, waiter, seat, modifiers and notes; held courses wait', async () => {
    const [sara, hany, mona] = tablets as [Tablet, Tablet, Tablet];
    const [grillScreen, allScreen] = kitchens as [Kitchen, Kitchen];
    // the first screen is the grill's; the choice is kept on the device
    await grillScreen.kds.showStations(['grill']);

    await sara.pos.openTable('cairo-t3');
    await sara.entry.tapItem('cairo-kofta', 'cairo-grills');
    await sara.entry.tapItem('cairo-mint-tea', 'cairo-drinks');
    await sara.entry.send();

    await hany.pos.openTable('cairo-t4');
    await hany.entry.setSeat(2);
    await hany.entry.tapItem('cairo-beef-steak', 'cairo-grills');
    await hany.entry.chooseModifiers([['cairo-doneness', 'cairo-doneness-medium']], 'no salt');
    await hany.entry.setSeat(null);
    await hany.entry.tapItem('cairo-hummus', 'cairo-starters');
    await hany.entry.send();

    await mona.pos.openTable('cairo-t5');
    await mona.entry.tapItem('cairo-karkadeh', 'cairo-drinks');
    await mona.entry.setCourse(2);
    await mona.entry.tapItem('cairo-om-ali', 'cairo-desserts');
    await mona.entry.setCourse(1);
    await mona.entry.send();

    const steak = await rememberTicket(grillScreen, 'T4', 'grill');
    await rememberTicket(grillScreen, 'T3', 'grill');
    const steakText = (await steak.textContent()) ?? '';
    for (const expected of ['Beef Steak', 'Medium', 'no salt', 'Seat 2', 'Hany']) expect(steakText).toContain(expected);
    // the grill screen shows grill tickets only
    await expect.poll(() => grillScreen.kds.tickets().evaluateAll((els) => els.map((e) => e.getAttribute('data-station'))), poll).toEqual(['grill', 'grill']);

    for (const [table, station] of [['T3', 'grill'], ['T3', 'bar'], ['T4', 'grill'], ['T4', 'cold'], ['T5', 'bar']] as const) {
      await rememberTicket(allScreen, table, station);
    }
    // Om Ali is held for course 2: no screen has it yet
    expect(await allScreen.page.getByText('Om Ali').count()).toBe(0);
    expect(await allScreen.kds.allDay()).toMatchObject({ 'cairo-kofta': 1, 'cairo-beef-steak': 1, 'cairo-mint-tea': 1, 'cairo-hummus': 1, 'cairo-karkadeh': 1 });

    await mona.entry.fire(2);
    const fired = await rememberTicket(allScreen, 'T5', 'pastry');
    expect(await fired.getByTestId('kds-course').textContent()).toBe('Course 2');
    await shot(grillScreen.page, 'kds-station-grill');
  }, 60_000);

  it('[KDS-13] a quantity change is highlighted old → new; a voided line is struck through at once and its void arrives as such', async () => {
    const [sara] = tablets as [Tablet];
    const [grillScreen, allScreen] = kitchens as [Kitchen, Kitchen];
    await sara.entry.plus('cairo-kofta');
    await sara.entry.send();
    await expect.poll(() => grillScreen.kds.ticketAt('T3', 'grill').count(), poll).toBe(2);
    const change = grillScreen.kds.ticketAt('T3', 'grill').filter({ has: grillScreen.page.locator('[data-kind="change"]') });
    expect(await grillScreen.kds.linesOf(change)).toEqual([expect.stringMatching(/^change: 1 → 2×\s*Kofta/)]);

    await sara.entry.voidLine('cairo-mint-tea', 'changed', MANAGER_PIN);
    // before it is even sent, the bar's ticket shows the tea struck through — not removed
    const barTicket = allScreen.page.locator(`[data-ticket-id="${tickets.get('T3/bar')}"]`);
    await expect.poll(() => allScreen.kds.linesOf(barTicket), poll).toEqual([expect.stringMatching(/^new struck: 1×\s*Tea with Mint/)]);
    await sara.entry.send();
    await expect.poll(() => allScreen.kds.ticketAt('T3', 'bar').count(), poll).toBe(2);
    const voidTicket = allScreen.kds.ticketAt('T3', 'bar').filter({ has: allScreen.page.locator('[data-kind="void"]') });
    expect(await allScreen.kds.linesOf(voidTicket)).toEqual([expect.stringMatching(/^void struck: 1×\s*Tea with Mint.*Void/)]);
    // all day: two kofta to make, the tea no longer
    await expect.poll(() => allScreen.kds.allDay(), poll).toMatchObject({ 'cairo-kofta': 2 });
    expect((await allScreen.kds.allDay())['cairo-mint-tea']).toBeUndefined();
    await shot(allScreen.page, 'kds-changes-voids');
  });

  it('[KDS-14][KDS-17] start, bump and recall on the kitchen screen; the waiter\'s tablet follows each line live', async () => {
    const [, hany] = tablets as [Tablet, Tablet];
    const [grillScreen, allScreen] = kitchens as [Kitchen, Kitchen];
    const steakId = tickets.get('T4/grill')!;
    const steak = grillScreen.page.locator(`[data-ticket-id="${steakId}"]`);
    await grillScreen.kds.start(steak);
    await expect.poll(() => hany.entry.lineAttr('cairo-beef-steak', 'kitchen-state'), poll).toBe('started');
    expect(await hany.entry.lineAttr('cairo-hummus', 'kitchen-state')).toBe('pending');
    // the other screen sees the same ticket started
    await expect.poll(() => allScreen.page.locator(`[data-ticket-id="${steakId}"]`).getAttribute('data-status'), poll).toBe('started');

    await grillScreen.kds.bump(steak);
    await expect.poll(() => hany.entry.lineAttr('cairo-beef-steak', 'kitchen-state'), poll).toBe('ready');
    await grillScreen.page.getByTestId(`recall-${steakId}`).waitFor();
    await grillScreen.kds.recall(steakId);
    await expect.poll(() => hany.entry.lineAttr('cairo-beef-steak', 'kitchen-state'), poll).toBe('started');
    await expect.poll(() => steak.getAttribute('data-status'), poll).toBe('started');
    await shot(hany.page, 'pos-line-kitchen-states');
  });

  it('[KDS-18][KDS-21] expo shows whole orders with each station\'s state; the failed bar printer is reported on the tablet and the screen', async () => {
    const [sara] = tablets as [Tablet];
    const [, allScreen] = kitchens as [Kitchen, Kitchen];
    // the bar's printer refuses: its tickets are marked "not printed" on the screen…
    const barTicket = allScreen.page.locator(`[data-ticket-id="${tickets.get('T5/bar')}"]`);
    await expect.poll(() => barTicket.getByTestId('kds-print-trouble').getAttribute('data-print-status'), poll).toBe('failed');
    expect(await barTicket.getByTestId('kds-print-trouble').textContent()).toContain('Bar printer');
    // …and the waiter is told
    await sara.page.getByTestId('printer-alert').waitFor({ timeout: 15_000 });
    expect(await sara.page.getByTestId('printer-alert').textContent()).toContain('kitchen screen');
    await shot(sara.page, 'pos-printer-alert');

    await allScreen.kds.mode('expo');
    const t4 = allScreen.kds.expoOrder('T4');
    await t4.waitFor();
    const parts = await t4.getByTestId('kds-ticket').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-station')}:${e.getAttribute('data-status')}`).sort());
    expect(parts).toEqual(['cold:pending', 'grill:started']);
    expect(await allScreen.kds.expoOrder('T3').getByTestId('kds-ticket').count()).toBe(4);
    await shot(allScreen.page, 'kds-expo');
    await allScreen.kds.mode('tickets');
  });

  it('[KDS-25] offline: tablets and screens keep working without the network; back online nothing is lost', async () => {
    const [sara, hany] = tablets as [Tablet, Tablet];
    const [grillScreen, allScreen] = kitchens as [Kitchen, Kitchen];
    const everyone = [...tablets, ...kitchens];
    await Promise.all(everyone.map((d) => d.context.setOffline(true)));
    await Promise.all(everyone.map((d) => d.page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor({ timeout: 15_000 })));

    // a new table and a send on a tablet; a bump on a kitchen screen — each on its own
    await sara.page.getByTestId('back-to-tables').click();
    await sara.pos.openTable('cairo-t6');
    await sara.entry.tapItem('cairo-shish-tawook', 'cairo-grills');
    await sara.entry.send();
    expect(await sara.entry.lineAttr('cairo-shish-tawook', 'kitchen-state')).toBe('pending');
    const hummusId = tickets.get('T4/cold')!;
    await allScreen.kds.bump(allScreen.page.locator(`[data-ticket-id="${hummusId}"]`));
    expect(await hany.entry.lineAttr('cairo-hummus', 'kitchen-state')).toBe('pending'); // not heard yet
    expect(await grillScreen.kds.ticketAt('T6', 'grill').count()).toBe(0);

    await Promise.all(everyone.map((d) => d.context.setOffline(false)));
    await Promise.all(everyone.map((d) => online(d.page)));
    await rememberTicket(grillScreen, 'T6', 'grill');
    await expect.poll(() => hany.entry.lineAttr('cairo-hummus', 'kitchen-state'), poll).toBe('ready');
    await expect.poll(() => allScreen.kds.ticketAt('T4', 'cold').count(), poll).toBe(0);
    for (const device of everyone) {
      await expect.poll(() => device.page.getByTestId('pending-count').getAttribute('data-count'), poll).toBe('0');
    }
    // the server has the offline ticket exactly once
    await expect.poll(async () => (await serverOpenTickets(['grill'])).filter((id) => id === tickets.get('T6/grill')).length, poll).toBe(1);
  });

  it('[KDS-26] a kitchen screen that reloads shows exactly the open tickets of its stations, and keeps its station choice', async () => {
    const [grillScreen] = kitchens as [Kitchen];
    const before = await grillScreen.kds.ticketIds();
    await grillScreen.page.reload();
    await grillScreen.page.getByTestId('kds-tickets').waitFor({ timeout: 15_000 });
    expect(await grillScreen.page.getByTestId('kds-station-grill').getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => grillScreen.kds.ticketIds(), poll).toEqual(before);
    expect(before).toEqual(await serverOpenTickets(['grill']));
    expect(browserErrors).toEqual([]);
  });
});
