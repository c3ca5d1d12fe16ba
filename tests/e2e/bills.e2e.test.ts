/**
 * Bills and receipts in a real browser (issue 4, points 5 and 6): a waiter tablet splits bills by
 * item, seat, equal shares, amount and mixed, pays the parts with cash, card and wallet (split
 * tender, change, tips), prints the bill and the receipts on 80 mm, online and offline; every
 * settled order is compared with the rows the server wrote. Taps per flow are counted (see
 * docs/WORKFLOWS.md) and the README's bill screenshots are saved on the way.
 */
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from '../../server/db/seed';
import { DEMO_TAXPAYER_RIN } from '../../server/db/fiscal-device-queries';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { BillPage, countPrintCalls } from './pages/bill-page';
import { launchChromium } from './pages/browser';
import { ManagerPage } from './pages/manager-page';
import { PosPage } from './pages/pos-page';
import { SCREENSHOTS, startProductServer } from './support';

const TABLET_VIEWPORT = { width: 1024, height: 900 };
const poll = { timeout: 15_000, interval: 100 };
/** 80 mm at the CSS 96 px per inch. */
const SLIP_PX = (80 / 25.4) * 96;

// Line totals with service 12 % and VAT 14 % (dine-in), per shared/pricing.ts:
const KOFTA = 20_429; // 160.00 → 19.20 → 25.09
const HUMMUS = 5_746; // 45.00 → 5.40 → 7.06
const KARKADEH = 3_830; // 30.00 → 3.60 → 4.70
const MINT_TEA = 2_554; // 20.00 → 2.40 → 3.14
const OM_ALI = 8_299; // 65.00 → 7.80 → 10.19

interface SettledPayment {
  method: string;
  amount: number;
  tendered: number;
  change: number;
  tip: number;
  part: string | null;
}

describe('bills and receipts in Chromium', () => {
  let browser: Browser;
  let product: Awaited<ReturnType<typeof startProductServer>>;
  let server: RunningServer;
  let db: Database;
  let context: BrowserContext;
  let page: Page;
  let pos: PosPage;
  let bill: BillPage;
  const taps: Record<string, { taps: number; entries: number }> = {};
  const browserErrors: string[] = [];

  const record = (flow: string) => {
    taps[flow] = { taps: bill.taps, entries: bill.entries };
  };

  /** Opens a table (choosing the guest count when the floor asks) and adds items. */
  const order = async (tableId: string, items: [category: string, item: string, seat?: number | null][]) => {
    await page.getByTestId(`table-${tableId}`).click();
    const twoGuests = page.getByTestId('guests-2');
    const orderScreen = page.getByTestId('order-screen');
    await Promise.race([twoGuests.waitFor(), orderScreen.waitFor()]);
    if (await twoGuests.isVisible()) await twoGuests.click();
    await orderScreen.waitFor();
    for (const [category, item, seat] of items) {
      if (seat !== undefined) await page.getByTestId(`entry-seat-${seat ?? 'none'}`).click();
      await pos.addItem(category, item);
    }
    await expect.poll(() => pos.lines().count(), poll).toBe(items.length);
  };

  const settled = async (orderId: string) => {
    await expect
      .poll(async () => (await db.query('select 1 from orders where id = $1', [orderId])).rows.length, poll)
      .toBe(1);
    const head = (
      await db.query<{ total_minor: string; paid_minor: string; change_minor: string; tip_minor: string }>(
        'select total_minor, paid_minor, change_minor, tip_minor from orders where id = $1',
        [orderId],
      )
    ).rows[0]!;
    const payments = (
      await db.query<{ method: string; amount_minor: string; tendered_minor: string; change_minor: string; tip_minor: string; part: string | null }>(
        'select method, amount_minor, tendered_minor, change_minor, tip_minor, part from payments where order_id = $1 order by taken_at, payment_id',
        [orderId],
      )
    ).rows.map(
      (r): SettledPayment => ({
        method: r.method,
        amount: Number(r.amount_minor),
        tendered: Number(r.tendered_minor),
        change: Number(r.change_minor),
        tip: Number(r.tip_minor),
        part: r.part,
      }),
    );
    return {
      total: Number(head.total_minor),
      paid: Number(head.paid_minor),
      change: Number(head.change_minor),
      tip: Number(head.tip_minor),
      payments,
    };
  };

  /** The slip as it prints: print media, the slip alone, 80 mm wide. Saves a screenshot. */
  const checkPrintLayout = async (testId: string, screenshot: string) => {
    await page.emulateMedia({ media: 'print' });
    try {
      const slip = page.getByTestId(testId);
      await slip.waitFor();
      const box = await slip.boundingBox();
      expect(box).not.toBeNull();
      expect(Math.abs(box!.width - SLIP_PX)).toBeLessThan(2);
      // at the start edge of the paper: the left in English, the right in Arabic
      const isRtl = await page.evaluate(() => document.documentElement.dir === 'rtl');
      expect(isRtl ? Math.abs(box!.x + box!.width - TABLET_VIEWPORT.width) : box!.x).toBeLessThan(1);
      // nothing of the screen around it prints
      expect(await page.getByTestId('sync-status').isVisible()).toBe(false);
      await slip.screenshot({ path: `${SCREENSHOTS}${screenshot}.png` });
      const pdf = await page.pdf({ width: '80mm', height: `${Math.ceil(box!.height) + 4}px`, printBackground: true });
      expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
      writeFileSync(`/tmp/${screenshot}.pdf`, pdf);
    } finally {
      await page.emulateMedia({ media: 'screen' });
    }
  };

  beforeAll(async () => {
    product = await startProductServer();
    server = product.server;
    db = product.db;
    browser = await launchChromium();
    context = await browser.newContext({ viewport: TABLET_VIEWPORT, hasTouch: true, locale: 'en-US' });
    await context.addInitScript(countPrintCalls);
    page = await context.newPage();
    page.on('pageerror', (error) => browserErrors.push(error.message));
    pos = new PosPage(page);
    bill = new BillPage(page);
    await page.goto(server.url + '/');
    const manager = new ManagerPage(page);
    await manager.signIn('manager@demo.restoflow.test', DEMO_PASSWORD);
    await manager.pairAs('pos', 'cairo');
    await pos.unlock('1111');
    await page.locator('[data-testid="sync-status"][data-state="online"]').waitFor({ timeout: 15_000 });
  }, 120_000);

  afterAll(async () => {
    console.log(`[bills] taps per flow (from "Pay" to the receipt): ${JSON.stringify(taps)}`);
    await browser?.close();
    await product?.stop();
  });

  it('[BIL-07] the simple path is as short as before: Pay, a banknote (or Exact), Confirm — the walking skeleton\'s test ids', async () => {
    await order('cairo-t1', [
      ['cairo-starters', 'cairo-hummus'],
      ['cairo-drinks', 'cairo-karkadeh'],
    ]);
    await pos.payCash('200');
    await expect.poll(() => page.getByTestId('payment-total').getAttribute('data-amount'), poll).toBe(String(HUMMUS + KARKADEH));
    await expect.poll(() => page.getByTestId('change-due').getAttribute('data-amount'), poll).toBe(String(20_000 - HUMMUS - KARKADEH));
    await pos.confirmPayment();
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    expect(await page.getByTestId('receipt-change').getAttribute('data-amount')).toBe(String(20_000 - HUMMUS - KARKADEH));
    await bill.done();

    await order('cairo-t1', [['cairo-starters', 'cairo-hummus']]);
    bill.resetCount();
    await bill.openPayment();
    await bill.payCash('exact');
    const orderId = await bill.waitForReceipt();
    record('whole bill, cash exact');
    expect(bill.taps).toBe(3);
    expect((await settled(orderId)).payments).toEqual([
      { method: 'cash', amount: HUMMUS, tendered: HUMMUS, change: 0, tip: 0, part: null },
    ]);
    await bill.done();
  });

  it('[BIL-05] by item: the bill prints at 80 mm and marks the order, each guest pays their own items, each guest gets a receipt', async () => {
    await order('cairo-t3', [
      ['cairo-grills', 'cairo-kofta'],
      ['cairo-drinks', 'cairo-karkadeh'],
      ['cairo-starters', 'cairo-hummus'],
      ['cairo-drinks', 'cairo-mint-tea'],
    ]);
    bill.resetCount();
    await bill.openPayment();
    // the bill, before payment: printed through the browser's dialog, and the order marked
    // (not counted as a tap of the payment flow)
    await page.getByTestId('print-bill').click();
    expect(await bill.printCalls()).toBe(1);
    await page.getByTestId('bill-printed-at').waitFor();
    await checkPrintLayout('bill-slip', 'bill-print');
    // the seller's tax details, as registered for the branch
    const slip = page.getByTestId('bill-slip');
    expect(await slip.getByTestId('slip-tax-number').textContent()).toContain(DEMO_TAXPAYER_RIN);
    expect(await slip.getByTestId('slip-address').textContent()).toBe('12 Talaat Harb, Downtown, Cairo');

    await bill.tap('split-mode-items');
    await bill.setCount('guests', 2);
    await bill.giveItem('cairo-kofta', 1);
    await bill.giveItem('cairo-karkadeh', 1);
    await bill.giveItem('cairo-hummus', 2);
    await bill.giveItem('cairo-mint-tea', 2);
    expect(await bill.partAmounts()).toEqual([
      { label: 'guest 1', amount: KOFTA + KARKADEH, covered: false },
      { label: 'guest 2', amount: HUMMUS + MINT_TEA, covered: false },
    ]);
    await page.screenshot({ path: `${SCREENSHOTS}pos-payment-split.png` });
    // every control of the payment screen is a comfortable touch target
    const smallest = await page
      .getByTestId('payment-screen')
      .locator('button, input')
      .evaluateAll((els) => Math.min(...els.map((e) => e.getBoundingClientRect().height)));
    expect(smallest).toBeGreaterThanOrEqual(44);
    expect(await bill.payingPart()).toBe('guest 1');
    await bill.payCash('250');
    await expect.poll(() => page.getByTestId('last-change').getAttribute('data-amount'), poll).toBe(String(25_000 - KOFTA - KARKADEH));
    expect(await bill.payingPart()).toBe('guest 2');
    await bill.payBy('card');
    const orderId = await bill.waitForReceipt();
    record('by item, 2 guests, 4 items (cash + card)');

    // a receipt per part, and a reprint marked as a copy
    await page.getByTestId('receipt-view-guest-1').click();
    expect(await page.getByTestId('receipt-part-total').getAttribute('data-amount')).toBe(String(KOFTA + KARKADEH));
    await page.getByTestId('print-receipt').click();
    expect(await bill.printCalls()).toBe(2);
    await checkPrintLayout('receipt', 'receipt-print-en');
    await page.getByTestId('print-receipt').click();
    expect(await page.getByTestId('receipt').getAttribute('data-prints')).toBe('2');
    expect(await page.getByTestId('slip-subtitle').textContent()).toContain('Copy');

    const row = await settled(orderId);
    expect(row).toMatchObject({ total: KOFTA + KARKADEH + HUMMUS + MINT_TEA, paid: KOFTA + KARKADEH + HUMMUS + MINT_TEA, change: 741, tip: 0 });
    expect(row.payments).toEqual([
      { method: 'cash', amount: KOFTA + KARKADEH, tendered: 25_000, change: 741, tip: 0, part: 'guest 1' },
      { method: 'card', amount: HUMMUS + MINT_TEA, tendered: HUMMUS + MINT_TEA, change: 0, tip: 0, part: 'guest 2' },
    ]);
    await bill.done();
  });

  it('[BIL-05] by seat: each seat pays its lines, the line without a seat is shared', async () => {
    await order('cairo-t4', [
      ['cairo-grills', 'cairo-kofta', 1],
      ['cairo-starters', 'cairo-hummus', 2],
      ['cairo-drinks', 'cairo-karkadeh', null],
    ]);
    // the printed bill shows on the floor
    await bill.openPayment();
    await page.getByTestId('print-bill').click();
    await page.getByTestId('payment-back').click();
    await page.getByTestId('back-to-tables').click();
    await expect.poll(() => page.getByTestId('table-cairo-t4').getAttribute('data-state'), poll).toBe('bill');
    await page.getByTestId('table-cairo-t4').click();
    await page.getByTestId('order-screen').waitFor();

    bill.resetCount();
    await bill.openPayment();
    await bill.splitBy('seat');
    const half = KARKADEH / 2;
    expect(await bill.partAmounts()).toEqual([
      { label: 'seat 1', amount: KOFTA + half, covered: false },
      { label: 'seat 2', amount: HUMMUS + half, covered: false },
    ]);
    await bill.payCash('exact');
    await bill.payCash('exact');
    const orderId = await bill.waitForReceipt();
    record('by seat, 2 seats (cash exact each)');
    const row = await settled(orderId);
    expect(row.payments.map((p) => [p.part, p.amount])).toEqual([
      ['seat 1', KOFTA + half],
      ['seat 2', HUMMUS + half],
    ]);
    expect(row.total).toBe(KOFTA + HUMMUS + KARKADEH);
    await bill.done();
  });

  it('[BIL-05] mixed: one guest takes an item, the rest is shared equally; wallet and cash', async () => {
    await order('cairo-t5', [
      ['cairo-grills', 'cairo-kofta'],
      ['cairo-starters', 'cairo-hummus'],
      ['cairo-drinks', 'cairo-karkadeh'],
    ]);
    bill.resetCount();
    await bill.openPayment();
    await bill.splitBy('items');
    await bill.giveItem('cairo-kofta', 1);
    const shared = (HUMMUS + KARKADEH) / 2;
    expect(await bill.partAmounts()).toEqual([
      { label: 'guest 1', amount: KOFTA + shared, covered: false },
      { label: 'guest 2', amount: shared, covered: false },
    ]);
    await bill.payBy('wallet');
    await bill.payCash('exact');
    const orderId = await bill.waitForReceipt();
    record('mixed, 1 item to guest 1, rest shared by 2 (wallet + cash)');
    const row = await settled(orderId);
    expect(row.payments.map((p) => [p.method, p.part, p.amount])).toEqual([
      ['wallet', 'guest 1', KOFTA + shared],
      ['cash', 'guest 2', shared],
    ]);
    await bill.done();
  });

  it('[BIL-05] equal shares differ by at most a piastre; by amount leaves the rest as the last part', async () => {
    await order('cairo-t6', [
      ['cairo-desserts', 'cairo-om-ali'],
      ['cairo-grills', 'cairo-kofta'],
      ['cairo-drinks', 'cairo-mint-tea'],
    ]);
    bill.resetCount();
    await bill.openPayment();
    await bill.splitBy('equal');
    await bill.setCount('shares', 3);
    const total = OM_ALI + KOFTA + MINT_TEA; // 312.82 → 104.28 + 104.27 + 104.27
    expect((await bill.partAmounts()).map((p) => p.amount)).toEqual([10_428, 10_427, 10_427]);
    for (let i = 0; i < 3; i++) await bill.payCash('exact');
    const equalId = await bill.waitForReceipt();
    record('equal shares, 3 (cash exact each)');
    expect((await settled(equalId)).payments.map((p) => [p.part, p.amount])).toEqual([
      ['share 1/3', 10_428],
      ['share 2/3', 10_427],
      ['share 3/3', 10_427],
    ]);
    expect((await settled(equalId)).total).toBe(total);
    await bill.done();

    await order('cairo-t7', [['cairo-grills', 'cairo-kofta']]);
    bill.resetCount();
    await bill.openPayment();
    await bill.splitBy('amount');
    await bill.addAmountPart('100');
    expect(await bill.partAmounts()).toEqual([
      { label: 'amount 1', amount: 10_000, covered: false },
      { label: 'rest', amount: KOFTA - 10_000, covered: false },
    ]);
    await bill.payBy('card');
    await bill.payCash('exact');
    const amountId = await bill.waitForReceipt();
    record('by amount, 100.00 then the rest (card + cash)');
    expect((await settled(amountId)).payments.map((p) => [p.method, p.part, p.amount])).toEqual([
      ['card', 'amount 1', 10_000],
      ['cash', 'rest', KOFTA - 10_000],
    ]);
    await bill.done();
  });

  it('[BIL-04] split tender: card with a tip, then cash with change; the tip is on top of the bill', async () => {
    await order('cairo-t8', [
      ['cairo-starters', 'cairo-hummus'],
      ['cairo-drinks', 'cairo-karkadeh'],
    ]);
    bill.resetCount();
    await bill.openPayment();
    await bill.payBy('card', '50', '5');
    expect(Number(await page.getByTestId('payment-screen').getAttribute('data-owed'))).toBe(HUMMUS + KARKADEH - 5_000);
    await bill.method('cash');
    await bill.type('cash-tendered', '100');
    await expect.poll(() => page.getByTestId('change-due').getAttribute('data-amount'), poll).toBe(String(10_000 - (HUMMUS + KARKADEH - 5_000)));
    await bill.tap('confirm-payment');
    const orderId = await bill.waitForReceipt();
    record('whole bill, card 50.00 + tip, cash for the rest');
    expect(await page.getByTestId('receipt-tip').getAttribute('data-amount')).toBe('500');
    const row = await settled(orderId);
    expect(row).toMatchObject({ total: HUMMUS + KARKADEH, paid: HUMMUS + KARKADEH, change: 5_424, tip: 500 });
    expect(row.payments).toEqual([
      { method: 'card', amount: 5_000, tendered: 5_000, change: 0, tip: 500, part: null },
      { method: 'cash', amount: 4_576, tendered: 10_000, change: 5_424, tip: 0, part: null },
    ]);
    await bill.done();
  });

  it('[BIL-06] offline: split and paid without the server, Arabic receipt, settled on reconnect', async () => {
    await context.setOffline(true);
    await expect.poll(() => pos.syncStatus().getAttribute('data-state'), poll).toBe('offline');
    await order('cairo-t2', [
      ['cairo-drinks', 'cairo-karkadeh'],
      ['cairo-drinks', 'cairo-mint-tea'],
    ]);
    bill.resetCount();
    await bill.openPayment();
    await bill.splitBy('equal');
    await bill.setCount('shares', 2);
    await bill.payCash('exact');
    await bill.payCash('exact', '10');
    const orderId = await bill.waitForReceipt();
    record('offline, equal shares, 2 (cash exact each, one tip)');
    expect(await pos.settlementState().getAttribute('data-state')).toBe('pending');

    await page.getByTestId('language-switch').click();
    await expect.poll(() => page.evaluate(() => document.documentElement.dir), poll).toBe('rtl');
    await checkPrintLayout('receipt', 'receipt-print-ar');
    expect(await page.getByTestId('slip-title').textContent()).toBe('إيصال');
    await page.getByTestId('language-switch').click();

    await context.setOffline(false);
    await expect.poll(() => pos.settlementState().getAttribute('data-state'), poll).toBe('settled');
    const row = await settled(orderId);
    const each = (KARKADEH + MINT_TEA) / 2;
    expect(row.payments).toEqual([
      { method: 'cash', amount: each, tendered: each, change: 0, tip: 0, part: 'share 1/2' },
      { method: 'cash', amount: each, tendered: each, change: 0, tip: 1_000, part: 'share 2/2' },
    ]);
    expect(row.tip).toBe(1_000);
    await bill.done();
    expect(browserErrors).toEqual([]);
  });
});
