/**
 * Refunds of settled orders over HTTP (REF-*): refusals (401, 403 role, 403 other branch, 403
 * wrong PIN, 400 with the error body), whole and partial refunds with amounts from the settled
 * lines, idempotency by the client's refund id, and the audit entry.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSettlement } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { refundableOrderSchema, refundSchema } from '../../shared/schemas/refund';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient, callJson, type JsonCall } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { placeOrderPaidOn } from '../support/shift-orders';
import { waitFor } from '../support/wait';

const MANAGER_PIN = { 'x-staff-id': 'sara', 'x-approver-id': 'hany', 'x-approver-pin': '8888' };

describe.each(engines())('refunds on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let mona: string;
  let hany: string;
  let tablet: { id: string; token: string };
  let client: TestClient;
  let orderId: string;
  let wholeOrderId: string;

  const call = (path: string, init: JsonCall = {}) => callJson(server.url, path, init);
  const settledLines = async (id: string) =>
    (await db.query<{ line_id: string; qty: number; total_minor: string | number; void_reason: string | null }>(
      'select line_id, qty, total_minor, void_reason from order_lines where order_id = $1 order by line_id', [id])).rows;

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    cairo = (await loadCatalog(db, 'cairo'))!;
    mona = await login(server.url);
    hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    tablet = await pairDevice(server.url, mona, 'cairo', 'pos');
    client = connectClient(server.url, 'cairo', tablet.token);
    await waitSynced(client);
    orderId = placeOrderPaidOn(client.doc, cairo, { deviceId: tablet.id, qty: 3, voidFirstLine: true, orderDiscountAmountMinor: 1_000, tableIndex: 1 });
    wholeOrderId = placeOrderPaidOn(client.doc, cairo, { deviceId: tablet.id, qty: 2, tableIndex: 2, payments: [{ method: 'card' }] });
    await waitFor(() => [orderId, wholeOrderId].every((id) => readSettlement(client.doc, id)?.status === 'settled'), { timeoutMs: 15_000 });
  }, 180_000);
  afterAll(async () => {
    client?.destroy();
    await stopTestDatabase({ server, db, testDb });
  });

  it('[REF-01] refuses without a token, a role, the branch, the PIN or a valid body', async () => {
    const body = { id: randomUUID(), orderId, reason: 'cold', method: 'cash' };
    for (const [method, path] of [['POST', '/api/branches/cairo/refunds'], ['GET', `/api/branches/cairo/refunds/orders/${orderId}`], ['GET', '/api/branches/cairo/refunds/orders']] as const) {
      const res = await call(path, { method, json: method === 'POST' ? body : undefined });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'unauthenticated' } });
      // a waiter's tablet alone may not refund
      const waiter = await call(path, { method, token: tablet.token, json: method === 'POST' ? body : undefined, headers: { 'x-staff-id': 'sara' } });
      expect(waiter.status).toBe(403);
      expect(waiter.body).toMatchObject({ error: { code: 'forbidden', details: { permission: 'orders:refund' } } });
      // Hany manages Cairo only
      expect((await call(path.replace('/cairo/', '/alex/'), { method, token: hany, json: method === 'POST' ? body : undefined })).status).toBe(403);
    }
    const wrongPin = await call('/api/branches/cairo/refunds', { method: 'POST', token: tablet.token, json: body, headers: { ...MANAGER_PIN, 'x-approver-pin': '0000' } });
    expect(wrongPin).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: { wrongPin: true } } } });
    const bad = await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { id: 'x', orderId, reason: ' ', method: 'cheque', lines: [] } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: { code: 'validation-failed', message: expect.any(String) } });
    expect(((bad.body.error as { details: { path: string }[] }).details.map((d) => d.path)).sort()).toEqual(['id', 'lines', 'method', 'reason']);
    expect((await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { ...body, orderId: randomUUID() } })).status).toBe(404);
    expect((await call('/api/branches/cairo/refunds/orders/not-an-id', { token: hany })).status).toBe(400);
    // an order of another branch is not found from this one
    expect((await call(`/api/branches/alex/refunds/orders/${orderId}`, { token: mona })).status).toBe(404);
    // nothing was written by any of these
    expect((await db.query('select 1 from refunds')).rows).toHaveLength(0);
  });

  it('[REF-02] [REF-03] [REF-04] partial refunds by line quantity, exact to the piastre, idempotent, never beyond the order', async () => {
    const lines = await settledLines(orderId);
    const charged = lines.filter((l) => l.void_reason === null);
    const [a, b] = charged;
    const orderTotal = Number((await db.query<{ total_minor: string | number }>('select total_minor from orders where id = $1', [orderId])).rows[0]!.total_minor);

    // the manager app's view: lines with what is left, the voided one not refundable
    const view = refundableOrderSchema.parse((await call(`/api/branches/cairo/refunds/orders/${orderId}`, { token: hany })).body.order);
    expect(view.lines.find((l) => l.isVoided)).toBeDefined();
    expect(view.refundedMinor).toBe(0);
    expect((await call(`/api/branches/cairo/refunds/orders?q=${orderId.slice(0, 8)}`, { token: hany })).body).toMatchObject({ orders: [{ id: orderId }] });

    // all of line a (3 units) → exactly its settled total, service and VAT included
    const first = { id: randomUUID(), orderId, lines: [{ lineId: a!.line_id, qty: 3 }], reason: 'burnt', method: 'cash' };
    const r1 = await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: first });
    expect(r1.status).toBe(201);
    const refund1 = refundSchema.parse(r1.body.refund);
    expect(refund1.totalMinor).toBe(Number(a!.total_minor));
    expect(refund1).toMatchObject({ by: 'hany', approvedBy: null, fiscalReceiptUuid: null });
    // the same refund id again: the same refund, nothing new
    const again = await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: first });
    expect(again.status).toBe(200);
    expect(refundSchema.parse(again.body.refund)).toEqual(refund1);
    // more of line a than is left, or a voided line: refused
    expect((await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { ...first, id: randomUUID() } })).body).toMatchObject({ error: { code: 'conflict' } });
    const voided = lines.find((l) => l.void_reason !== null)!;
    expect((await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { ...first, id: randomUUID(), lines: [{ lineId: voided.line_id, qty: 1 }] } })).status).toBe(400);

    // two units of line b one at a time, the second from the tablet with a manager's PIN
    let refunded = refund1.totalMinor;
    for (let unit = 0; unit < 2; unit++) {
      const res = await call('/api/branches/cairo/refunds', {
        method: 'POST', token: unit === 1 ? tablet.token : hany, headers: unit === 1 ? MANAGER_PIN : {},
        json: { id: randomUUID(), orderId, lines: [{ lineId: b!.line_id, qty: 1 }], reason: 'too salty', method: 'card' },
      });
      expect(res.status).toBe(201);
      const refund = refundSchema.parse(res.body.refund);
      if (unit === 1) expect(refund).toMatchObject({ by: 'sara', approvedBy: 'hany', deviceId: tablet.id });
      refunded += refund.totalMinor;
    }
    expect(refunded).toBeLessThan(Number(a!.total_minor) + Number(b!.total_minor));
    // the rest of the order (whole = what is left: b's last unit) brings the refunds to exactly the order total
    const rest = await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { id: randomUUID(), orderId, reason: 'guest left', method: 'cash' } });
    expect(rest.status).toBe(201);
    refunded += refundSchema.parse(rest.body.refund).totalMinor;
    expect(refunded).toBe(orderTotal);
    expect((await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { id: randomUUID(), orderId, reason: 'again', method: 'cash' } })).status).toBe(409);
    const sum = (await db.query<{ s: string | number }>('select sum(total_minor) as s from refunds where order_id = $1', [orderId])).rows[0]!;
    expect(Number(sum.s)).toBe(orderTotal);
  });

  it('[AUDIT-01] settlement keeps seat, course, void and discount stamps, customer, tips, split parts and the paying device', async () => {
    const id = placeOrderPaidOn(client.doc, cairo, {
      deviceId: tablet.id, tableIndex: 3, seat: 2, course: 2, voidFirstLine: true, lineDiscountPercentBp: 1_500, orderDiscountAmountMinor: 300,
      customer: { id: null, name: 'Nour', phone: '01001234567', address: '5 Tahrir St' },
      payments: [{ method: 'card', share: 0.5, tipMinor: 500 }, { method: 'wallet' }],
    });
    await waitFor(() => readSettlement(client.doc, id)?.status === 'settled', { timeoutMs: 15_000 });
    const order = (await db.query<Record<string, unknown>>(
      `select discount_minor, discount_kind, discount_value, discount_reason, discount_by, customer_name, customer_phone, customer_address,
              tip_minor, paid_device_id from orders where id = $1`, [id])).rows[0]!;
    expect({ ...order, discount_minor: Number(order.discount_minor), discount_value: Number(order.discount_value), tip_minor: Number(order.tip_minor) }).toMatchObject({
      discount_kind: 'amount', discount_value: 300, discount_reason: 'late food', discount_by: 'hany', customer_name: 'Nour',
      customer_phone: '01001234567', customer_address: '5 Tahrir St', tip_minor: 500, paid_device_id: tablet.id,
    });
    expect(Number(order.discount_minor)).toBeGreaterThan(300);
    const lines = (await db.query<{ seat: number; course: number; void_reason: string | null; void_by: string | null; void_minor: string | number; discount_kind: string | null; discount_approved_by: string | null }>(
      'select seat, course, void_reason, void_by, void_minor, discount_kind, discount_approved_by from order_lines where order_id = $1', [id])).rows;
    expect(lines.every((l) => l.seat === 2 && l.course === 2)).toBe(true);
    const voided = lines.filter((l) => l.void_reason !== null);
    expect(voided).toHaveLength(1);
    expect(voided[0]).toMatchObject({ void_reason: 'guest changed mind', void_by: 'sara' });
    expect(Number(voided[0]!.void_minor)).toBeGreaterThan(0);
    expect(lines.filter((l) => l.discount_kind === 'percent')).toEqual([expect.objectContaining({ discount_approved_by: 'hany' })]);
    const payments = (await db.query<{ method: string; tip_minor: string | number; part: string | null; device_id: string }>(
      'select method, tip_minor, part, device_id from payments where order_id = $1 order by part', [id])).rows;
    expect(payments.map((p) => ({ ...p, tip_minor: Number(p.tip_minor) }))).toEqual([
      { method: 'card', tip_minor: 500, part: '1/2', device_id: tablet.id },
      { method: 'wallet', tip_minor: 0, part: '2/2', device_id: tablet.id },
    ]);
  });

  it('[REF-05] a whole refund is the order total and is in the audit log with who, when and why', async () => {
    const id = randomUUID();
    const res = await call('/api/branches/cairo/refunds', { method: 'POST', token: mona, json: { id, orderId: wholeOrderId, reason: 'wrong table charged', method: 'card' } });
    expect(res.status).toBe(201);
    const total = (await db.query<{ total_minor: string | number }>('select total_minor from orders where id = $1', [wholeOrderId])).rows[0]!;
    expect(refundSchema.parse(res.body.refund).totalMinor).toBe(Number(total.total_minor));
    const audit = (await db.query<{ action: string; actor: string; reason: string; amount_minor: string | number; at: Date | string }>(
      'select action, actor, reason, amount_minor, at from audit_log where refund_id = $1', [id])).rows;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'refund', actor: 'mona', reason: 'wrong table charged' });
    expect(Number(audit[0]!.amount_minor)).toBe(Number(total.total_minor));
    expect(Math.abs(new Date(audit[0]!.at).getTime() - Date.now())).toBeLessThan(60_000);
  });
});
