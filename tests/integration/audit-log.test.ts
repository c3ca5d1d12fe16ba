/**
 * The manager's audit log over HTTP (AUDIT-03): entries produced for real — a settled order with
 * a void and discounts stamped on the tablet, a refund, a shift opened on a manager's PIN with a
 * pay-out and closed, and a late change (a tablet with an offline copy of an order adds a line
 * and pays it again after another tablet's payment was settled, SYNC-12) — read back newest
 * first with names, filtered by action and date, paged by keyset; and every refusal.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, readSettlement } from '../../shared/live-doc';
import { auditPageSchema, type AuditEntryView } from '../../shared/schemas/audit';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { callJson, connectClient, login, pairDevice, waitSynced, type JsonCall, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { lineFor, payInCash, placePaidOrder } from '../support/orders';
import { placeOrderPaidOn } from '../support/shift-orders';
import { waitFor } from '../support/wait';

const MANAGER_PIN = { 'x-staff-id': 'sara', 'x-approver-id': 'hany', 'x-approver-pin': '8888' };
const DAY = 86_400_000;

describe.each(engines())('audit log on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let mona: string;
  let hany: string;
  let tablet: { id: string; token: string };
  let lateTablet: { id: string; token: string };
  let kitchen: string;
  let alexTablet: { id: string; token: string };
  const clients: TestClient[] = [];
  /** Paid yesterday with a void, a line discount and an order discount. */
  let stampedOrderId: string;
  let stampedAt: number;
  let refundId: string;
  let refundTotal: number;
  let shiftId: string;
  let lateOrderId: string;
  let latePaymentMinor: number;
  let alexEntryId: string;

  const call = (path: string, init: JsonCall = {}) => callJson(server.url, path, init);
  const audit = async (query = '', token = hany) => {
    const res = await call(`/api/branches/cairo/audit${query}`, { token });
    expect(res.status).toBe(200);
    return auditPageSchema.parse(res.body);
  };
  const everything = async () => (await audit('?limit=200')).entries;

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    cairo = (await loadCatalog(db, 'cairo'))!;
    mona = await login(server.url);
    hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    tablet = await pairDevice(server.url, mona, 'cairo', 'pos');
    lateTablet = await pairDevice(server.url, mona, 'cairo', 'pos');
    kitchen = (await pairDevice(server.url, mona, 'cairo', 'kds')).token;
    alexTablet = await pairDevice(server.url, mona, 'alex', 'pos');
    const client = connectClient(server.url, 'cairo', tablet.token);
    clients.push(client);
    await waitSynced(client);

    // A settled order from yesterday: Sara voided a line, Hany approved her line discount, Hany discounted the order.
    stampedAt = Date.now() - DAY;
    stampedOrderId = placeOrderPaidOn(client.doc, cairo, {
      deviceId: tablet.id, tableIndex: 2, voidFirstLine: true, lineDiscountPercentBp: 1_000, orderDiscountAmountMinor: 500, at: stampedAt,
    });
    await waitFor(() => readSettlement(client.doc, stampedOrderId)?.status === 'settled', { timeoutMs: 15_000 });

    // Hany refunds what is left of it in the browser.
    refundId = randomUUID();
    const refund = await call('/api/branches/cairo/refunds', { method: 'POST', token: hany, json: { id: refundId, orderId: stampedOrderId, reason: 'cold food', method: 'cash' } });
    expect(refund.status).toBe(201);
    refundTotal = (refund.body.refund as { totalMinor: number }).totalMinor;

    // The tablet's drawer: opened by Sara on Hany's PIN, a pay-out, closed by Hany in the browser.
    shiftId = randomUUID();
    const base = '/api/branches/cairo/shifts';
    expect((await call(base, { method: 'POST', token: tablet.token, headers: MANAGER_PIN, json: { id: shiftId, floatMinor: 50_000 } })).status).toBe(201);
    expect((await call(`${base}/${shiftId}/cash-movements`, {
      method: 'POST', token: tablet.token, headers: MANAGER_PIN, json: { id: randomUUID(), kind: 'pay-out', amountMinor: 2_000, reason: 'ice' },
    })).status).toBe(201);
    expect((await call(`${base}/${shiftId}/close`, { method: 'POST', token: hany, json: { counts: { '20000': 2 } } })).status).toBe(200);

    // A late change, for real: the late tablet holds an offline copy of an open order, the first
    // tablet pays it and the server settles it, then the late tablet adds a line, takes the
    // money a second time and comes back online.
    lateOrderId = placePaidOrder(client.doc, cairo, { tableIndex: 4, pay: false });
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(client.doc));
    payInCash(client.doc, cairo, lateOrderId);
    await waitFor(() => readSettlement(client.doc, lateOrderId)?.status === 'settled', { timeoutMs: 15_000 });
    addLine(offline, lateOrderId, lineFor(cairo, 'water'));
    payInCash(offline, cairo, lateOrderId);
    const late = connectClient(server.url, 'cairo', lateTablet.token, { doc: offline });
    clients.push(late);
    await waitFor(async () => {
      const { rows } = await db.query<{ amount_minor: string | number | null }>(
        `select amount_minor from audit_log where action = 'late-change' and order_id = $1::uuid`, [lateOrderId]);
      if (!rows[0]) return false;
      latePaymentMinor = Number(rows[0].amount_minor);
      return true;
    }, { timeoutMs: 15_000 });

    // One entry in the other branch, to be sure it never shows in Cairo's log.
    const alexShift = randomUUID();
    expect((await call('/api/branches/alex/shifts', { method: 'POST', token: mona, json: { id: alexShift, floatMinor: 1_000, deviceId: alexTablet.id } })).status).toBe(201);
    alexEntryId = String((await db.query<{ id: string | number }>(`select id from audit_log where shift_id = $1::uuid`, [alexShift])).rows[0]!.id);
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await stopTestDatabase({ server, db, testDb });
  });

  it('[AUDIT-03] refuses without a token, from a tablet or kitchen screen, for another branch, and a bad query with the error body', async () => {
    const path = '/api/branches/cairo/audit';
    const none = await call(path);
    expect(none).toMatchObject({ status: 401, body: { error: { code: 'unauthenticated', message: expect.any(String) } } });
    // a waiter tablet, even with a manager's PIN, and a kitchen screen may not read the log
    for (const [token, headers] of [[tablet.token, { 'x-staff-id': 'sara' }], [tablet.token, MANAGER_PIN], [kitchen, {}]] as const) {
      const res = await call(path, { token, headers });
      expect(res).toMatchObject({ status: 403, body: { error: { code: 'forbidden', details: { permission: 'audit:review' } } } });
    }
    // Hany manages Cairo only; an unknown branch is refused the same way as a foreign one (no existence leak)
    for (const branch of ['alex', 'nowhere']) {
      expect((await call(`/api/branches/${branch}/audit`, { token: hany })).body).toMatchObject({ error: { code: 'branch-forbidden', details: { branchId: branch } } });
    }
    expect((await call('/api/branches/alex/audit', { token: hany })).status).toBe(403);
    expect((await call('/api/branches/alex/audit', { token: alexTablet.token })).status).toBe(403);

    const bad = async (query: string, paths: string[]) => {
      const res = await call(`${path}?${query}`, { token: hany });
      expect(res.status, query).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'validation-failed', message: expect.any(String) } });
      expect([...new Set((res.body.error as { details: { path: string }[] }).details.map((d) => d.path))].sort(), query).toEqual(paths);
    };
    await bad('limit=0', ['limit']);
    await bad('limit=201', ['limit']);
    await bad('limit=ten&action=explode', ['action', 'limit']);
    await bad('from=yesterday&to=2026-13-01T00:00:00Z', ['from', 'to']);
    await bad('from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z', ['to']);
    await bad('before=abc', ['before']);
    await bad('sort=asc', ['']);
    // a cursor that is no entry of this branch (unknown, or Alex's)
    await bad('before=999999999', ['before']);
    await bad(`before=${alexEntryId}`, ['before']);
  });

  it('[AUDIT-03] [AUDIT-01] [AUDIT-02] every entry with who, the approving manager, why, the order and table, the amount — newest first', async () => {
    const entries = await everything();
    const ats = entries.map((e) => Date.parse(e.at));
    expect(ats).toEqual([...ats].sort((a, b) => b - a));
    expect(entries.map((e) => e.id)).not.toContain(alexEntryId);
    expect(new Set(entries.map((e) => e.action))).toEqual(new Set(['void', 'discount', 'refund', 'shift-open', 'pay-out', 'shift-close', 'late-change']));
    // every entry's amount is the stored one
    const stored = new Map((await db.query<{ id: string | number; amount_minor: string | number | null }>(
      `select id, amount_minor from audit_log where branch_id = 'cairo'`)).rows.map((r) => [String(r.id), r.amount_minor === null ? null : Number(r.amount_minor)]));
    expect(entries).toHaveLength(stored.size);
    for (const e of entries) expect(e.amountMinor).toBe(stored.get(e.id));

    const table = cairo.tables[2]!.label;
    const ofOrder = entries.filter((e) => e.orderId === stampedOrderId);
    const voided = ofOrder.find((e) => e.action === 'void')!;
    expect(voided).toMatchObject({
      actor: { id: 'sara', name: 'Sara', kind: 'person' }, approvedBy: null, reason: 'guest changed mind', tableLabel: table,
      line: { nameEn: expect.any(String), nameAr: expect.any(String), qty: 1 },
    });
    expect(voided.amountMinor).toBeGreaterThan(0);
    expect(Date.parse(voided.at)).toBe(stampedAt);
    const lineDiscount = ofOrder.find((e) => e.action === 'discount' && e.lineId !== null)!;
    expect(lineDiscount).toMatchObject({ actor: { id: 'sara', name: 'Sara' }, approvedBy: { id: 'hany', name: 'Hany', kind: 'person' }, reason: 'regular', tableLabel: table });
    const orderDiscount = ofOrder.find((e) => e.action === 'discount' && e.lineId === null)!;
    expect(orderDiscount).toMatchObject({ actor: { id: 'hany', name: 'Hany' }, approvedBy: null, reason: 'late food', amountMinor: 500, line: null });
    const refund = ofOrder.find((e) => e.action === 'refund')!;
    expect(refund).toMatchObject({ actor: { id: 'hany', name: 'Hany' }, reason: 'cold food', refundId, amountMinor: refundTotal, tableLabel: table });

    const ofShift = entries.filter((e) => e.shiftId === shiftId);
    expect(ofShift.map((e) => e.action)).toEqual(['shift-close', 'pay-out', 'shift-open']);
    expect(ofShift[2]).toMatchObject({ actor: { id: 'sara', name: 'Sara' }, approvedBy: { id: 'hany', name: 'Hany' }, amountMinor: 50_000, orderId: null });
    expect(ofShift[1]).toMatchObject({ actor: { id: 'sara' }, approvedBy: { id: 'hany' }, reason: 'ice', amountMinor: 2_000 });
    expect(ofShift[0]).toMatchObject({ actor: { id: 'hany', name: 'Hany' }, approvedBy: null });
    for (const e of entries) expect(e.lateChange === null).toBe(e.action !== 'late-change');
  });

  it('[AUDIT-03] [SYNC-12] a late change names the device, what it held of the order, and the money taken after settlement', async () => {
    const [entry] = (await audit('?action=late-change')).entries;
    expect(entry).toMatchObject({
      action: 'late-change', orderId: lateOrderId, tableLabel: cairo.tables[4]!.label,
      actor: { id: lateTablet.id, name: 'pos test', kind: 'device' }, approvedBy: null,
    });
    expect(latePaymentMinor).toBeGreaterThan(0);
    expect(entry!.amountMinor).toBe(latePaymentMinor);
    const summary = entry!.lateChange!;
    expect(summary.isGone).toBe(false);
    // the water was added after settlement; the other lines are the settled ones
    expect(summary.lines.filter((l) => l.isLate).map((l) => l.nameEn)).toEqual([cairo.items.find((i) => i.id === 'cairo-water')!.nameEn]);
    expect(summary.lines.filter((l) => !l.isLate)).toHaveLength(2);
    // the device heard of the settled payment when it synced; its own second one is the money to give back
    const settledTotal = Number((await db.query<{ total_minor: string | number }>('select total_minor from orders where id = $1::uuid', [lateOrderId])).rows[0]!.total_minor);
    const latePayments = summary.payments.filter((p) => p.isLate);
    expect(latePayments).toEqual([expect.objectContaining({ method: 'cash' })]);
    // the second payment paid for the water too
    expect(latePayments[0]!.amountMinor).toBeGreaterThan(settledTotal);
    expect(summary.payments.filter((p) => !p.isLate).map((p) => p.amountMinor)).toEqual([settledTotal]);
    // and nothing of it reached the settled order
    const { rows } = await db.query<{ n: number }>('select count(*)::int as n from order_lines where order_id = $1::uuid', [lateOrderId]);
    expect(rows[0]!.n).toBe(2);
  });

  it('[AUDIT-03] filters by action and by date, both together', async () => {
    const all = await everything();
    const voids = (await audit('?action=void')).entries;
    expect(voids.length).toBeGreaterThan(0);
    expect(voids.every((e) => e.action === 'void')).toBe(true);
    expect(voids.map((e) => e.id)).toEqual(all.filter((e) => e.action === 'void').map((e) => e.id));

    // yesterday's stamps only: the void and the two discounts
    const from = new Date(stampedAt - 60_000).toISOString();
    const to = new Date(stampedAt + 60_000).toISOString();
    const yesterday = (await audit(`?from=${from}&to=${to}`)).entries;
    expect(yesterday.map((e) => e.action).sort()).toEqual(['discount', 'discount', 'void']);
    expect(yesterday.every((e) => e.orderId === stampedOrderId)).toBe(true);
    expect((await audit(`?from=${from}&to=${to}&action=discount`)).entries).toHaveLength(2);
    // `to` is exclusive, `from` inclusive
    const at = new Date(stampedAt).toISOString();
    expect((await audit(`?to=${at}&action=void`)).entries).toHaveLength(0);
    expect((await audit(`?from=${at}&to=${to}&action=void`)).entries).toHaveLength(1);
    // today's entries: everything but yesterday's
    expect((await audit(`?from=${to}`)).entries).toHaveLength(all.length - 3);
    // an empty action (a form's "all") is no filter
    expect((await audit('?action=&limit=200')).entries).toHaveLength(all.length);
  });

  it('[AUDIT-03] pages newest first by keyset: every entry once, in order, and the last page says so', async () => {
    const all = await everything();
    expect(all.length).toBeGreaterThan(5);
    const seen: AuditEntryView[] = [];
    let before: string | null = null;
    let pages = 0;
    do {
      const page = await audit(`?limit=2${before ? `&before=${before}` : ''}`);
      expect(page.entries.length).toBeLessThanOrEqual(2);
      seen.push(...page.entries);
      before = page.nextBefore;
      if (before !== null) expect(before).toBe(page.entries.at(-1)!.id);
      pages += 1;
    } while (before !== null && pages < 50);
    expect(seen.map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(pages).toBe(Math.ceil(all.length / 2));
    // a page exactly as long as what is left says there is nothing more
    expect((await audit(`?limit=${all.length}`)).nextBefore).toBeNull();
    expect((await audit(`?limit=${all.length - 1}`)).nextBefore).toBe(all.at(-2)!.id);
    // paging within a filter keeps the filter
    const firstDiscount = (await audit('?action=discount&limit=1'));
    const nextDiscount = await audit(`?action=discount&limit=1&before=${firstDiscount.nextBefore!}`);
    expect(nextDiscount.entries.map((e) => e.action)).toEqual(['discount']);
    expect(nextDiscount.entries[0]!.id).not.toBe(firstDiscount.entries[0]!.id);
    // an entry written after the first page was read does not shift the later pages
    const first = await audit('?limit=3');
    expect((await call('/api/branches/cairo/shifts', { method: 'POST', token: hany, json: { id: randomUUID(), floatMinor: 0, deviceId: tablet.id } })).status).toBe(201);
    const second = await audit(`?limit=3&before=${first.nextBefore!}`);
    expect(second.entries.map((e) => e.id)).toEqual(all.slice(3, 6).map((e) => e.id));
  });
});
