/**
 * Cash-drawer shifts over HTTP (SHIFT-*): every endpoint's refusals (401, 403 role, 403 other
 * branch, 403 wrong PIN, 400 with the error body) and the whole day of a drawer, whose X and Z
 * figures must equal raw SQL over the settled tables written here, independently of the server.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettlement } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { shiftReportSchema, shiftSchema, type ShiftReport } from '../../shared/schemas/shift';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient, callJson, type JsonCall } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { placeOrderPaidOn } from '../support/shift-orders';
import { waitFor } from '../support/wait';

const MANAGER_PIN = { 'x-staff-id': 'sara', 'x-approver-id': 'hany', 'x-approver-pin': '8888' };

describe.each(engines())('shifts on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let mona: string;
  let hany: string;
  let tablet: { id: string; token: string };
  let otherTablet: { id: string; token: string };
  let kitchen: string;
  let alexTablet: { id: string; token: string };
  let client: TestClient;

  const call = (path: string, init: JsonCall = {}) => callJson(server.url, path, init);
  const settle = async (orderIds: string[]) => {
    await waitFor(() => orderIds.every((id) => readSettlement(client.doc, id)?.status === 'settled'), { timeoutMs: 15_000 });
  };

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    cairo = (await loadCatalog(db, 'cairo'))!;
    mona = await login(server.url);
    hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    tablet = await pairDevice(server.url, mona, 'cairo', 'pos');
    otherTablet = await pairDevice(server.url, mona, 'cairo', 'pos');
    kitchen = (await pairDevice(server.url, mona, 'cairo', 'kds')).token;
    alexTablet = await pairDevice(server.url, mona, 'alex', 'pos');
    client = connectClient(server.url, 'cairo', tablet.token);
    await waitSynced(client);
  }, 180_000);
  afterAll(async () => {
    client?.destroy();
    await stopTestDatabase({ server, db, testDb });
  });

  it('[SHIFT-07] every shift endpoint refuses without a token, a role, the branch, the PIN or a valid body', async () => {
    const shiftId = randomUUID();
    const base = '/api/branches/cairo/shifts';
    const open = { id: shiftId, floatMinor: 50_000 };
    // 401 without a token, everywhere
    for (const [method, path] of [['GET', `${base}/current`], ['POST', base], ['GET', `${base}/${shiftId}`], ['POST', `${base}/${shiftId}/cash-movements`],
      ['GET', `${base}/${shiftId}/report`], ['POST', `${base}/${shiftId}/close`]] as const) {
      const res = await call(path, { method, json: method === 'POST' ? {} : undefined });
      expect(res.status, `${method} ${path}`).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
    }
    // 403: a waiter tablet alone, a kitchen screen, a wrong PIN, a waiter's PIN as approval
    expect((await call(base, { method: 'POST', token: tablet.token, json: open, headers: { 'x-staff-id': 'sara' } })).body).toMatchObject({
      error: { code: 'forbidden', details: { needsApproval: true } },
    });
    expect((await call(base, { method: 'POST', token: kitchen, json: open, headers: MANAGER_PIN })).status).toBe(403);
    const wrongPin = await call(base, { method: 'POST', token: tablet.token, json: open, headers: { ...MANAGER_PIN, 'x-approver-pin': '1234' } });
    expect(wrongPin.status).toBe(403);
    expect(wrongPin.body).toMatchObject({ error: { code: 'forbidden', details: { wrongPin: true } } });
    const waiterPin = await call(base, { method: 'POST', token: tablet.token, json: open, headers: { ...MANAGER_PIN, 'x-approver-id': 'sara', 'x-approver-pin': '1111' } });
    expect(waiterPin.status).toBe(403);
    // 403 other branch: Hany manages Cairo only; a Cairo tablet can't touch Alexandria
    expect((await call('/api/branches/alex/shifts', { method: 'POST', token: hany, json: { ...open, deviceId: alexTablet.id } })).body).toMatchObject({
      error: { code: 'branch-forbidden' },
    });
    expect((await call('/api/branches/alex/shifts/current', { token: tablet.token })).status).toBe(403);
    // a tablet works on its own drawer only
    expect((await call(base, { method: 'POST', token: tablet.token, json: { ...open, deviceId: otherTablet.id }, headers: MANAGER_PIN })).status).toBe(403);
    // 400 with the error body
    const bad = await call(base, { method: 'POST', token: hany, json: { id: 'nope', floatMinor: -5, deviceId: tablet.id } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation-failed', message: expect.any(String) } });
    expect(((bad.body.error as { details: { path: string }[] }).details.map((d) => d.path)).sort()).toEqual(['floatMinor', 'id']);
    expect((await call(base, { method: 'POST', token: hany, json: { id: shiftId, floatMinor: 0 } })).status).toBe(400); // no device named
    expect((await call(base, { method: 'POST', token: hany, json: { id: shiftId, floatMinor: 0, deviceId: alexTablet.id } })).status).toBe(400);
    expect((await call(`${base}/not-a-uuid/report`, { token: hany })).status).toBe(400);
    expect((await call(`${base}/${randomUUID()}/report`, { token: hany })).status).toBe(404);
  });

  it('[SHIFT-01] [SHIFT-02] [SHIFT-03] [SHIFT-04] [SHIFT-05] [SHIFT-06] [AUDIT-01] [AUDIT-02] a drawer’s day: X and Z figures equal raw SQL over the settled tables', async () => {
    const base = '/api/branches/cairo/shifts';
    const before = Date.now() - 3_600_000;
    // paid an hour before the shift opened: not in it
    const early = placeOrderPaidOn(client.doc, cairo, { deviceId: tablet.id, at: before, tableIndex: 1 });
    await settle([early]);

    const shiftId = randomUUID();
    const opened = await call(base, { method: 'POST', token: tablet.token, json: { id: shiftId, floatMinor: 50_000 }, headers: MANAGER_PIN });
    expect(opened.status).toBe(201);
    const shift = shiftSchema.parse(opened.body.shift);
    expect(shift).toMatchObject({ deviceId: tablet.id, openedBy: 'sara', floatMinor: 50_000, closedAt: null });
    // the same request again is the same shift; another shift on this drawer is refused
    expect((await call(base, { method: 'POST', token: tablet.token, json: { id: shiftId, floatMinor: 50_000 }, headers: MANAGER_PIN })).status).toBe(200);
    expect((await call(base, { method: 'POST', token: hany, json: { id: randomUUID(), floatMinor: 0, deviceId: tablet.id } })).status).toBe(409);
    // the waiter tablet sees its open shift without a PIN
    expect((await call(`${base}/current`, { token: tablet.token })).body).toMatchObject({ shift: { id: shiftId } });

    const orders = [
      placeOrderPaidOn(client.doc, cairo, { deviceId: tablet.id, tableIndex: 2, payments: [{ method: 'cash', tipMinor: 1_000 }] }),
      placeOrderPaidOn(client.doc, cairo, {
        deviceId: tablet.id, tableIndex: 3, qty: 2, voidFirstLine: true, lineDiscountPercentBp: 1_000, orderDiscountAmountMinor: 500,
        payments: [{ method: 'card', share: 0.5, tipMinor: 700 }, { method: 'wallet' }],
      }),
      placeOrderPaidOn(client.doc, cairo, { deviceId: tablet.id, tableIndex: 4, payments: [{ method: 'cash', share: 0.3 }, { method: 'card' }] }),
      // another drawer's sale: not in this shift
      placeOrderPaidOn(client.doc, cairo, { deviceId: otherTablet.id, tableIndex: 5 }),
    ];
    await settle(orders);
    const movement = (kind: 'pay-in' | 'pay-out', amountMinor: number, reason: string) =>
      call(`${base}/${shiftId}/cash-movements`, { method: 'POST', token: tablet.token, headers: MANAGER_PIN, json: { id: randomUUID(), kind, amountMinor, reason } });
    expect((await movement('pay-in', 10_000, 'change from the bank')).status).toBe(201);
    expect((await movement('pay-out', 3_500, 'ice')).status).toBe(201);
    expect((await call(`${base}/${shiftId}/cash-movements`, { method: 'POST', token: tablet.token, headers: MANAGER_PIN, json: { id: randomUUID(), kind: 'pay-out', amountMinor: 0, reason: '' } })).status).toBe(400);
    // a cash refund of one line from this tablet leaves this drawer
    const firstLine = (await db.query<{ line_id: string }>('select line_id from order_lines where order_id = $1 and void_reason is null limit 1', [orders[0]])).rows[0]!;
    const refunded = await call('/api/branches/cairo/refunds', {
      method: 'POST', token: tablet.token, headers: MANAGER_PIN,
      json: { id: randomUUID(), orderId: orders[0], lines: [{ lineId: firstLine.line_id, qty: 1 }], reason: 'cold', method: 'cash' },
    });
    expect(refunded.status).toBe(201);

    const x = await call(`${base}/${shiftId}/report`, { token: tablet.token, headers: MANAGER_PIN });
    expect(x.status).toBe(200);
    const xReport = shiftReportSchema.parse(x.body.report);
    expect(xReport.kind).toBe('X');
    await expectFiguresFromRawSql(xReport);
    expect(xReport.orderCount).toBe(3);
    expect(xReport.voidCount).toBe(1);
    expect(xReport.discountCount).toBe(2);

    // count the drawer: 2 × 200, 1 × 100, 3 × 5, 2 × 0.25 — whatever it is, the difference is recorded
    const counts = { '20000': 2, '10000': 1, '500': 3, '25': 2 };
    const closed = await call(`${base}/${shiftId}/close`, { method: 'POST', token: tablet.token, headers: MANAGER_PIN, json: { counts } });
    expect(closed.status).toBe(200);
    const z = shiftReportSchema.parse(closed.body.report);
    expect(z.kind).toBe('Z');
    await expectFiguresFromRawSql(z);
    expect(z.countedCashMinor).toBe(40_000 + 10_000 + 1_500 + 50);
    expect(z.differenceMinor).toBe(z.countedCashMinor! - z.expectedCashMinor);
    const stored = (await db.query<{ difference_minor: string | number; counted_cash_minor: string | number }>(
      'select difference_minor, counted_cash_minor from shifts where id = $1', [shiftId])).rows[0]!;
    expect(Number(stored.difference_minor)).toBe(z.differenceMinor);
    // the Z report stays as it was at close; closing again is refused; the drawer may open anew
    expect(shiftReportSchema.parse((await call(`${base}/${shiftId}/report`, { token: hany })).body.report)).toEqual(z);
    expect((await call(`${base}/${shiftId}/close`, { method: 'POST', token: hany, json: { counts } })).status).toBe(409);
    expect((await movement('pay-in', 100, 'late')).status).toBe(409);
    expect((await call(`${base}/current`, { token: tablet.token })).body).toEqual({ shift: null });
    // a denomination that does not exist is a bad body
    const shift2 = randomUUID();
    expect((await call(base, { method: 'POST', token: hany, json: { id: shift2, floatMinor: 0, deviceId: tablet.id } })).status).toBe(201);
    expect((await call(`${base}/${shift2}/close`, { method: 'POST', token: hany, json: { counts: { '300': 1 } } })).status).toBe(400);

    // [AUDIT-02] who did it, on whose PIN
    const audit = (await db.query<{ action: string; actor: string; approved_by: string | null; reason: string | null }>(
      'select action, actor, approved_by, reason from audit_log where shift_id = $1 order by id', [shiftId])).rows;
    expect(audit).toEqual([
      { action: 'shift-open', actor: 'sara', approved_by: 'hany', reason: null },
      { action: 'pay-in', actor: 'sara', approved_by: 'hany', reason: 'change from the bank' },
      { action: 'pay-out', actor: 'sara', approved_by: 'hany', reason: 'ice' },
      { action: 'shift-close', actor: 'sara', approved_by: 'hany', reason: null },
    ]);
    const stamps = (await db.query<{ action: string; actor: string; approved_by: string | null }>(
      // The order's lines may share a timestamp, so their stamps are compared as a set.
      'select action, actor, approved_by from audit_log where order_id = $1 order by action, actor', [orders[1]])).rows;
    expect(stamps).toEqual([
      { action: 'discount', actor: 'hany', approved_by: null },
      { action: 'discount', actor: 'sara', approved_by: 'hany' },
      { action: 'void', actor: 'sara', approved_by: null },
    ]);
  });

  /** The report's figures, recomputed with SQL written for this test from the settled tables. */
  async function expectFiguresFromRawSql(report: ShiftReport) {
    const w = [report.deviceId, report.openedAt, report.asOf];
    const one = async (sql: string, params: unknown[] = w) => Number(Object.values((await db.query<Record<string, string | number | null>>(sql, params)).rows[0]!)[0] ?? 0);
    const inWindowPayments = `from payments where device_id = $1 and taken_at >= $2 and taken_at < $3`;
    const inWindowOrders = `from orders where paid_device_id = $1 and paid_at >= $2 and paid_at < $3`;
    const byMethod = async (column: string) => ({
      cash: await one(`select coalesce(sum(${column}), 0) ${inWindowPayments} and method = 'cash'`),
      card: await one(`select coalesce(sum(${column}), 0) ${inWindowPayments} and method = 'card'`),
      wallet: await one(`select coalesce(sum(${column}), 0) ${inWindowPayments} and method = 'wallet'`),
    });
    const sales = await byMethod('amount_minor');
    const tips = await byMethod('tip_minor');
    const refundIn = `from refunds where device_id = $1 and created_at >= $2 and created_at < $3`;
    const cashRefunds = await one(`select coalesce(sum(total_minor), 0) ${refundIn} and method = 'cash'`);
    const payIns = await one(`select coalesce(sum(amount_minor), 0) from cash_movements where shift_id = $1 and kind = 'pay-in'`, [report.shiftId]);
    const payOuts = await one(`select coalesce(sum(amount_minor), 0) from cash_movements where shift_id = $1 and kind = 'pay-out'`, [report.shiftId]);
    const float = await one('select float_minor from shifts where id = $1', [report.shiftId]);
    expect(report.salesByMethod).toEqual(sales);
    expect(report.tipsByMethod).toEqual(tips);
    expect(report.orderCount).toBe(await one(`select count(*) ${inWindowOrders}`));
    expect(report.subtotalMinor).toBe(await one(`select coalesce(sum(subtotal_minor), 0) ${inWindowOrders}`));
    expect(report.discountMinor).toBe(await one(`select coalesce(sum(discount_minor), 0) ${inWindowOrders}`));
    expect(report.serviceMinor).toBe(await one(`select coalesce(sum(service_minor), 0) ${inWindowOrders}`));
    expect(report.vatMinor).toBe(await one(`select coalesce(sum(vat_minor), 0) ${inWindowOrders}`));
    expect(report.totalMinor).toBe(await one(`select coalesce(sum(total_minor), 0) ${inWindowOrders}`));
    expect(report.voidCount).toBe(await one(`select count(*) from order_lines where void_reason is not null and order_id in (select id ${inWindowOrders})`));
    expect(report.voidMinor).toBe(
      await one(`select coalesce(sum(qty * unit_price_minor), 0) from order_lines where void_reason is not null and order_id in (select id ${inWindowOrders})`),
    );
    expect(report.discountCount).toBe(
      (await one(`select count(*) from order_lines where discount_kind is not null and order_id in (select id ${inWindowOrders})`)) +
        (await one(`select count(*) ${inWindowOrders} and discount_kind is not null`)),
    );
    expect(report.refundMinor).toBe(await one(`select coalesce(sum(total_minor), 0) ${refundIn}`));
    expect(report.refundCount).toBe(await one(`select count(*) ${refundIn}`));
    expect(report.refundsByMethod.cash).toBe(cashRefunds);
    expect(report.payInMinor).toBe(payIns);
    expect(report.payOutMinor).toBe(payOuts);
    expect(report.expectedCashMinor).toBe(float + sales.cash + tips.cash + payIns - payOuts - cashRefunds);
    // the sales add up to the orders' totals (every payment of these orders was taken on this drawer)
    expect(sales.cash + sales.card + sales.wallet).toBe(report.totalMinor);
  }
});
