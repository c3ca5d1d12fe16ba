/**
 * Two waiters, one table (issue 4, point 3): two tablets, paired separately and unlocked by
 * different waiters, add and change lines on the same order at the same time — online, then both
 * offline and reconnecting, and both changing the very same line. Every line is kept, nothing is
 * overwritten, both tablets and the server converge, and the kitchen hears of each line once
 * (read from the server's copy of the branch document, where kitchen screens and the print
 * gateway read it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { listTickets, readOrder, readSettlement } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import { DEMO_PASSWORD } from '../../server/db/seed';
import { launchChromium } from './pages/browser';
import { ManagerPage } from './pages/manager-page';
import { OrderPage } from './pages/order-page';
import { PosPage } from './pages/pos-page';
import { BillPage } from './pages/bill-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 768 };
const poll = { timeout: 20_000, interval: 100 };
const MANAGER_PIN = '8888';

interface Tablet {
  context: BrowserContext;
  page: Page;
  pos: PosPage;
  entry: OrderPage;
}

/** What a tablet shows: "item ×qty state" per line, sorted (two lines of one item stay two). */
const shownLines = (tablet: Tablet): Promise<string[]> =>
  tablet.entry
    .lines()
    .evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-item-id')} ×${e.getAttribute('data-qty')} ${e.getAttribute('data-kitchen-state')}`).sort(),
    );

describe('two waiters, one table', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let sara: Tablet;
  let nour: Tablet;
  let orderId = '';
  const browserErrors: string[] = [];

  const serverDoc = async () => (await product.server.relay.room(roomNameForBranch('cairo'))).doc;
  /** The server's view in the tablets' words, for lines not voided; voided lines as "item void". */
  const serverLines = async (): Promise<string[]> => {
    const read = readOrder(await serverDoc(), orderId);
    if (!read.ok) return [];
    return read.value.lines.map((l) => (l.void ? `${l.itemId} void` : `${l.itemId} ×${l.qty}`)).sort();
  };
  /** Every ticket item the kitchen got for the order, as "item new 2" / "item change 1→2" / "item void". */
  const kitchenHeard = async (): Promise<string[]> =>
    listTickets(await serverDoc())
      .filter((ticket) => ticket.orderId === orderId)
      .flatMap((ticket) =>
        ticket.items.map((i) =>
          i.kind === 'new' ? `${i.itemId} new ${i.qty}` : i.kind === 'change' ? `${i.itemId} change ${i.previousQty}→${i.qty}` : `${i.itemId} void`,
        ),
      )
      .sort();
  const withoutState = (lines: string[]) => lines.map((l) => l.split(' ').slice(0, 2).join(' '));

  const openTablet = async (pin: string): Promise<Tablet> => {
    const context = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    const page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    await page.goto(product.server.url + '/');
    const manager = new ManagerPage(page);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    const pos = new PosPage(page);
    await pos.unlock(pin);
    await page.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 20_000 });
    return { context, page, pos, entry: new OrderPage(page) };
  };

  beforeAll(async () => {
    product = await startProductServer();
    browser = await launchChromium();
    sara = await openTablet('1111');
    nour = await openTablet('5555');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
  });

  it('[ENT-11] online: both add and change lines at once, both send at once — every line kept, converged, each sent once', async () => {
    await sara.pos.openTable('cairo-t8');
    orderId = await sara.entry.orderId();
    await sara.entry.tapItem('cairo-hummus');
    // Nour opens the same table from her tablet: the same order
    await nour.page.locator('[data-testid="table-cairo-t8"]:not([data-state="free"])').waitFor({ timeout: 20_000 });
    await nour.pos.openTable('cairo-t8');
    expect(await nour.entry.orderId()).toBe(orderId);
    expect(await nour.page.getByTestId('current-user').textContent()).toBe('Nour');

    // at the same time: both add (one item both pick), both change their own lines
    await Promise.all([
      (async () => {
        await sara.entry.tapItem('cairo-kofta', 'cairo-grills');
        await sara.entry.tapItem('cairo-karkadeh', 'cairo-drinks');
        await sara.entry.tapItem('cairo-mint-tea');
        await sara.entry.plus('cairo-kofta');
      })(),
      (async () => {
        await nour.entry.tapItem('cairo-falafel');
        await nour.entry.tapItem('cairo-mint-tea', 'cairo-drinks');
        await nour.entry.plus('cairo-falafel');
      })(),
    ]);
    const expected = ['cairo-falafel ×2', 'cairo-hummus ×1', 'cairo-karkadeh ×1', 'cairo-kofta ×2', 'cairo-mint-tea ×1', 'cairo-mint-tea ×1'];
    await expect.poll(async () => withoutState(await shownLines(sara)), poll).toEqual(expected);
    await expect.poll(async () => withoutState(await shownLines(nour)), poll).toEqual(expected);
    await expect.poll(serverLines, poll).toEqual(expected);

    // each changes the other's line at the same moment: different lines, both changes kept
    await Promise.all([sara.entry.plus('cairo-falafel'), nour.entry.plus('cairo-kofta')]);
    const changed = expected.map((l) => l.replace('cairo-falafel ×2', 'cairo-falafel ×3').replace('cairo-kofta ×2', 'cairo-kofta ×3'));
    await expect.poll(async () => withoutState(await shownLines(sara)), poll).toEqual(changed);
    await expect.poll(async () => withoutState(await shownLines(nour)), poll).toEqual(changed);

    // both press "send" at once: the kitchen hears of each line once
    await Promise.all([
      sara.page.getByTestId('send-to-kitchen').click({ force: true }),
      nour.page.getByTestId('send-to-kitchen').click({ force: true }),
    ]);
    const heard = [
      'cairo-falafel new 3',
      'cairo-hummus new 1',
      'cairo-karkadeh new 1',
      'cairo-kofta new 3',
      'cairo-mint-tea new 1',
      'cairo-mint-tea new 1',
    ];
    await expect.poll(kitchenHeard, poll).toEqual(heard);
    const sent = changed.map((l) => `${l} pending`);
    await expect.poll(() => shownLines(sara), poll).toEqual(sent);
    await expect.poll(() => shownLines(nour), poll).toEqual(sent);
    // give any late echo time to show up, then check again: still once each
    await sara.page.waitForTimeout(500);
    expect(await kitchenHeard()).toEqual(heard);
  });

  it('[ENT-12] both offline: each adds, changes, voids and sends; on reconnect every line is kept, both converge, the kitchen hears each once', async () => {
    await Promise.all([sara.context.setOffline(true), nour.context.setOffline(true)]);
    for (const tablet of [sara, nour]) {
      await tablet.page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor({ timeout: 20_000 });
    }
    await Promise.all([
      (async () => {
        await sara.entry.tapItem('cairo-shish-tawook', 'cairo-grills');
        await sara.entry.plus('cairo-hummus'); // sent 1 → 2
        await sara.entry.send();
      })(),
      (async () => {
        await nour.entry.tapItem('cairo-water', 'cairo-drinks');
        await nour.entry.plus('cairo-karkadeh'); // Sara's line, sent 1 → 2
        await nour.entry.setCourse(2);
        await nour.entry.tapItem('cairo-basbousa', 'cairo-desserts');
        await nour.entry.setCourse(1);
        await nour.entry.voidLine('cairo-falafel', 'changed', MANAGER_PIN); // sent: the manager's PIN, offline
        await nour.entry.send();
      })(),
    ]);
    const saraOffline = await shownLines(sara);
    const nourOffline = await shownLines(nour);
    expect(saraOffline).toContain('cairo-shish-tawook ×1 pending');
    expect(nourOffline).toContain('cairo-basbousa ×1 held');
    expect(nourOffline).toContain('cairo-falafel ×3 voided');
    // nothing of it reached the server
    expect(await serverLines()).not.toContain('cairo-shish-tawook ×1');

    await Promise.all([sara.context.setOffline(false), nour.context.setOffline(false)]);
    const converged = [
      'cairo-basbousa ×1 held',
      'cairo-falafel ×3 voided',
      'cairo-hummus ×2 pending',
      'cairo-karkadeh ×2 pending',
      'cairo-kofta ×3 pending',
      'cairo-mint-tea ×1 pending',
      'cairo-mint-tea ×1 pending',
      'cairo-shish-tawook ×1 pending',
      'cairo-water ×1 pending',
    ];
    await expect.poll(() => shownLines(sara), poll).toEqual(converged);
    await expect.poll(() => shownLines(nour), poll).toEqual(converged);
    await expect.poll(serverLines, poll).toEqual(
      converged.map((l) => (l.endsWith('voided') ? 'cairo-falafel void' : l.split(' ').slice(0, 2).join(' '))).sort(),
    );
    expect(await kitchenHeard()).toEqual(
      [
        'cairo-falafel new 3',
        'cairo-falafel void',
        'cairo-hummus change 1→2',
        'cairo-hummus new 1',
        'cairo-karkadeh change 1→2',
        'cairo-karkadeh new 1',
        'cairo-kofta new 3',
        'cairo-mint-tea new 1',
        'cairo-mint-tea new 1',
        'cairo-shish-tawook new 1',
        'cairo-water new 1',
      ].sort(),
    );
    // the void carries who did it and the manager who approved it, on both tablets
    const falafel = nour.entry.line('cairo-falafel').getByTestId('stamp');
    expect(await falafel.getAttribute('data-by')).toBe('nour');
    expect(await falafel.getAttribute('data-approved-by')).toBe('hany');
    expect(await sara.entry.line('cairo-falafel').getByTestId('stamp').getAttribute('data-approved-by')).toBe('hany');
    // nothing left to send on either tablet but the held dessert
    for (const tablet of [sara, nour]) expect(await tablet.page.getByTestId('send-to-kitchen').isDisabled()).toBe(true);

    // either waiter fires the dessert course: once
    await sara.entry.fire(2);
    await expect.poll(async () => (await kitchenHeard()).filter((i) => i.startsWith('cairo-basbousa')), poll).toEqual(['cairo-basbousa new 1']);
    await expect.poll(async () => (await shownLines(nour)).find((l) => l.startsWith('cairo-basbousa')), poll).toBe('cairo-basbousa ×1 pending');
    expect(browserErrors).toEqual([]);
  });

  it('[ENT-13] both offline, the SAME line at once: both "+1"s count, a note and a quantity both stay, a send does not swallow a change', async () => {
    // an unsent line both tablets see
    await sara.entry.tapItem('cairo-mint-lemonade', 'cairo-drinks');
    await expect.poll(async () => (await shownLines(nour)).includes('cairo-mint-lemonade ×1 unsent'), poll).toBe(true);
    await Promise.all([sara.context.setOffline(true), nour.context.setOffline(true)]);
    for (const tablet of [sara, nour]) {
      await tablet.page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor({ timeout: 20_000 });
    }
    await Promise.all([
      (async () => {
        await sara.entry.plus('cairo-kofta'); // sent 3: 3 → 4 on Sara's tablet
        await sara.entry.plus('cairo-mint-lemonade'); // 1 → 2
      })(),
      (async () => {
        await nour.entry.plus('cairo-kofta'); // the same line: 3 → 4 on Nour's tablet
        await nour.entry.setLineNote('cairo-mint-lemonade', 'no ice'); // the same line, another field
        await nour.entry.closeLine('cairo-mint-lemonade');
        await nour.entry.send(); // Nour tells the kitchen: kofta 3 → 4, lemonade 1 "no ice"
      })(),
    ]);
    expect(await shownLines(sara)).toContain('cairo-kofta ×4 unsent');
    expect(await shownLines(nour)).toContain('cairo-kofta ×4 pending');

    await Promise.all([sara.context.setOffline(false), nour.context.setOffline(false)]);
    // Both "+1"s count (5, not 4); Sara's lemonade "+1" is still to send after Nour's send of 1;
    // Nour's note is on the line Sara changed.
    for (const tablet of [sara, nour]) {
      await expect.poll(async () => (await shownLines(tablet)).filter((l) => /kofta|lemonade/.test(l)), poll).toEqual([
        'cairo-kofta ×5 unsent',
        'cairo-mint-lemonade ×2 unsent',
      ]);
      expect(await tablet.entry.lineAttr('cairo-mint-lemonade', 'note')).toBe('no ice');
    }
    await expect.poll(async () => (await serverLines()).filter((l) => /kofta|lemonade/.test(l)), poll).toEqual([
      'cairo-kofta ×5',
      'cairo-mint-lemonade ×2',
    ]);
    await sara.entry.send();
    await expect
      .poll(async () => (await kitchenHeard()).filter((i) => /kofta|lemonade/.test(i)), poll)
      .toEqual(['cairo-kofta change 3→4', 'cairo-kofta change 4→5', 'cairo-kofta new 3', 'cairo-mint-lemonade change 1→2', 'cairo-mint-lemonade new 1'].sort());
    for (const tablet of [sara, nour]) {
      await expect.poll(async () => (await shownLines(tablet)).filter((l) => /kofta|lemonade/.test(l)), poll).toEqual([
        'cairo-kofta ×5 pending',
        'cairo-mint-lemonade ×2 pending',
      ]);
    }
    expect(browserErrors).toEqual([]);
  });

  it('[ENT-14][SYNC-12] a change made offline to a table another tablet has since closed: not applied, the tablet says so and keeps syncing', async () => {
    for (const tablet of [sara, nour]) {
      await tablet.page.getByTestId('back-to-tables').first().click();
      await tablet.page.getByTestId('table-map').waitFor();
    }
    await sara.pos.openTable('cairo-t5');
    const closedOrder = await sara.entry.orderId();
    await sara.entry.tapItem('cairo-water', 'cairo-drinks');
    await sara.entry.send();
    await nour.page.locator('[data-testid="table-cairo-t5"]:not([data-state="free"])').waitFor({ timeout: 20_000 });
    await nour.pos.openTable('cairo-t5');
    // Nour loses the network and adds to the table; meanwhile Sara takes the payment and it settles.
    await nour.context.setOffline(true);
    await nour.page.locator('[data-testid="sync-status"][data-state="offline"]').waitFor({ timeout: 20_000 });
    await nour.entry.tapItem('cairo-karkadeh', 'cairo-drinks');
    const bill = new BillPage(sara.page);
    await bill.openPayment();
    await bill.payCash('exact');
    await bill.waitForReceipt();
    await expect.poll(async () => readSettlement(await serverDoc(), closedOrder)?.status ?? null, poll).toBe('settled');
    await bill.done();
    // Nour comes back: not cut off, told what happened, the closed table stays as it was settled.
    await nour.context.setOffline(false);
    const alert = nour.page.getByTestId('late-change-item');
    await alert.waitFor({ timeout: 20_000 });
    expect(await alert.getAttribute('data-order-id')).toBe(closedOrder);
    expect(await alert.textContent()).toContain('T5');
    await nour.page.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 20_000 });
    const { rows } = await product.db.query<{ item_id: string }>('select item_id from order_lines where order_id = $1::uuid', [closedOrder]);
    expect(rows.map((r) => r.item_id)).toEqual(['cairo-water']);
    await nour.page.screenshot({ path: `${SCREENSHOTS}pos-late-change.png` });
    // and Nour's tablet goes on working: a new table reaches the server
    await nour.page.getByTestId('late-change-dismiss').click();
    await nour.page.getByTestId('back-to-tables').first().click();
    await nour.pos.openTable('cairo-t6');
    const next = await nour.entry.orderId();
    await nour.entry.tapItem('cairo-water', 'cairo-drinks');
    await expect.poll(async () => readOrder(await serverDoc(), next).ok, poll).toBe(true);
    expect(browserErrors).toEqual([]);
  }, 90_000);
});
