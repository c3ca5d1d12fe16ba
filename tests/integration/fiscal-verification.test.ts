/**
 * Receipts issued by a tablet travel through the live document, are verified by the server and
 * submitted to the (in-process) ETA sandbox by the real queue; the manager's fiscal API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { fiscalOverviewSchema } from '../../shared/eta/fiscal-review';
import { posFiscalProfileSchema, type FiscalReceiptEntry, type PosFiscalProfile } from '../../shared/eta/receipt-entry';
import { issueSaleReceipt, type ChainPosition } from '../../shared/eta/receipt-issue';
import { readOrder, readReceipts, readSettlement, receiptsRoot, writeReceipt } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { getReceiptCheck } from '../../server/db/fiscal-check-queries';
import { getFiscalReceipts } from '../../server/db/fiscal-queries';
import { startEtaRuntime, type EtaRuntime } from '../../server/fiscal/eta-runtime';
import { createFiscalService } from '../../server/fiscal/fiscal-service';
import { startServer, type RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { payInCash, placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

describe.each(engines())('fiscal verification and review on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let eta: EtaRuntime;
  let server: RunningServer;
  let cairo: Catalog;
  let manager: string;
  let device: { id: string; token: string };
  let profile: PosFiscalProfile;
  let tablet: TestClient;
  const position: ChainPosition = { previousUUID: '', nextSequence: 1 };

  const api = (path: string, token: string | null, init: RequestInit = {}) =>
    fetch(`${server.url}/api/fiscal${path}`, { ...init, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...init.headers } });

  /** Plays the tablet's issuer: the next receipt of this device's chain for a paid order. */
  const issue = async (doc: Y.Doc, orderId: string, at = position): Promise<FiscalReceiptEntry> => {
    const order = readOrder(doc, orderId);
    if (!order.ok) throw new Error(order.error);
    const issued = await issueSaleReceipt(order.value, cairo.tax, profile, at, Date.now());
    if (!issued.ok) throw new Error(issued.message);
    if (at === position) {
      position.previousUUID = issued.entry.uuid;
      position.nextSequence++;
    }
    return issued.entry;
  };
  const checkOf = async (uuid: string) => (await getReceiptCheck(db, uuid))?.status ?? null;
  const queueState = async (uuid: string) => (await getFiscalReceipts(db, [uuid]))[0]?.state ?? null;

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    eta = await startEtaRuntime({});
    const fiscal = createFiscalService({
      db, client: eta.client, portalUrl: eta.config.portalUrl, log: () => undefined,
      queue: { backoff: { baseMs: 20, maxMs: 200 }, pollIntervalMs: 50 },
    });
    server = await startServer({ db, fiscal, log: () => undefined });
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(server.url);
    device = await pairDevice(server.url, manager, 'cairo', 'pos');
    tablet = connectClient(server.url, 'cairo', device.token);
    await waitSynced(tablet);
  });
  afterAll(async () => {
    tablet.destroy();
    await server.close();
    await eta.close();
    await db.close();
    await testDb.destroy();
  });

  it('[FIS-50] a paired waiter tablet gets its own ETA serial of the branch, the same each time; others are refused', async () => {
    const first = posFiscalProfileSchema.parse(await (await api('/pos-profile', device.token)).json());
    profile = first;
    expect(first.serial).toMatch(/^RF-CAIRO-POS-\d\d$/);
    expect(first.seller.deviceSerialNumber).toBe(first.serial);
    expect(first.seller.rin).toBe(eta.config.taxpayerRin);
    expect(posFiscalProfileSchema.parse(await (await api('/pos-profile', device.token)).json()).serial).toBe(first.serial);
    const other = await pairDevice(server.url, manager, 'cairo', 'pos');
    expect(posFiscalProfileSchema.parse(await (await api('/pos-profile', other.token)).json()).serial).not.toBe(first.serial);
    const kitchen = await pairDevice(server.url, manager, 'cairo', 'kds');
    expect((await api('/pos-profile', kitchen.token)).status).toBe(403);
    expect((await api('/pos-profile', manager)).status).toBe(403);
    expect((await api('/pos-profile', null)).status).toBe(401);
  });

  it('[FIS-55][FIS-59] a receipt issued for a paid order is verified and SUBMITTED to ETA once', async () => {
    const orderId = placePaidOrder(tablet.doc, cairo, { items: ['koshari', 'beef-steak'] });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    const entry = await issue(tablet.doc, orderId);
    expect(entry.previousUUID).toBe('');
    writeReceipt(tablet.doc, entry);
    await waitFor(async () => (await queueState(entry.uuid)) === 'SUBMITTED', { timeoutMs: 15_000 });
    expect(await checkOf(entry.uuid)).toBe('VERIFIED');
    expect(eta.sandbox!.acceptedCount(entry.uuid)).toBe(1);
  });

  it('[FIS-56] receipts arriving out of order after an offline stretch wait for the gap, then chain and submit in order', async () => {
    const ids = [1, 2, 3].map((i) => placePaidOrder(tablet.doc, cairo, { tableIndex: i }));
    await waitFor(() => ids.every((id) => readSettlement(tablet.doc, id)?.status === 'settled'));
    const entries: FiscalReceiptEntry[] = [];
    for (const id of ids) entries.push(await issue(tablet.doc, id));
    writeReceipt(tablet.doc, entries[2]!);
    writeReceipt(tablet.doc, entries[1]!);
    await waitFor(async () => (await checkOf(entries[1]!.uuid)) === 'AWAITING' && (await checkOf(entries[2]!.uuid)) === 'AWAITING');
    await new Promise((r) => setTimeout(r, 300));
    expect(await checkOf(entries[2]!.uuid)).toBe('AWAITING');
    expect(await queueState(entries[2]!.uuid)).toBeNull();
    writeReceipt(tablet.doc, entries[0]!);
    for (const e of entries) await waitFor(async () => (await queueState(e.uuid)) === 'SUBMITTED', { timeoutMs: 15_000 });
    expect(entries.map((e) => eta.sandbox!.acceptedCount(e.uuid))).toEqual([1, 1, 1]);
  });

  it('[FIS-56] a receipt naming a predecessor another receipt already follows forks the chain: unverifiable, not sent', async () => {
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 5 });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    // Issued from a stale chain position: the one before the last receipt.
    const { rows } = await db.query<{ previous_uuid: string }>('select previous_uuid from fiscal_receipt_checks where uuid = $1', [position.previousUUID]);
    const fork = await issue(tablet.doc, orderId, { previousUUID: rows[0]!.previous_uuid, nextSequence: 99 });
    writeReceipt(tablet.doc, fork);
    await waitFor(async () => (await checkOf(fork.uuid)) === 'UNVERIFIABLE');
    expect((await getReceiptCheck(db, fork.uuid))!.reason).toBe('chain-fork');
    expect(await queueState(fork.uuid)).toBeNull();
  });

  it('[FIS-55] a receipt whose amounts differ from the settled order is unverifiable, kept with the reason, and not sent', async () => {
    const small = placePaidOrder(tablet.doc, cairo, { tableIndex: 6, items: ['karkadeh'] });
    const big = placePaidOrder(tablet.doc, cairo, { tableIndex: 7, items: ['beef-steak'] });
    await waitFor(() => readSettlement(tablet.doc, big)?.status === 'settled' && readSettlement(tablet.doc, small)?.status === 'settled');
    const bigOrder = readOrder(tablet.doc, big);
    if (!bigOrder.ok) throw new Error(bigOrder.error);
    // The small order's receipt carrying the big order's lines and totals.
    const issued = await issueSaleReceipt({ ...bigOrder.value, id: small }, cairo.tax, profile, position, Date.now());
    if (!issued.ok) throw new Error(issued.message);
    position.previousUUID = issued.entry.uuid;
    position.nextSequence++;
    writeReceipt(tablet.doc, issued.entry);
    await waitFor(async () => (await checkOf(issued.entry.uuid)) === 'UNVERIFIABLE');
    expect((await getReceiptCheck(db, issued.entry.uuid))!.reason).toBe('amount-mismatch');
    expect(await queueState(issued.entry.uuid)).toBeNull();
    expect(eta.sandbox!.acceptedCount(issued.entry.uuid)).toBe(0);
  });

  it('[FIS-57] the fiscal overview: counts per branch and device, oldest pending, problems with reasons; refusals', async () => {
    const res = await api('/overview', manager);
    expect(res.status).toBe(200);
    const overview = fiscalOverviewSchema.parse(await res.json());
    const branch = overview.branches.find((b) => b.branchId === 'cairo')!;
    const mine = branch.devices.find((d) => d.serial === profile.serial)!;
    expect(mine.counts.SUBMITTED).toBe(4);
    expect(mine.counts.UNVERIFIABLE).toBe(2);
    expect(overview.problems.map((p) => p.reason).sort()).toEqual(['amount-mismatch', 'chain-fork']);
    expect(overview.limitMs).toBe(24 * 3600 * 1000);

    const hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    expect((await api('/overview', null)).status).toBe(401);
    expect((await api('/overview', device.token)).status).toBe(403);
    expect((await api('/overview?branchId=alex', hany)).status).toBe(403);
    expect((await api('/overview?branchId=NOT%20A%20BRANCH', manager)).status).toBe(400);
    expect(fiscalOverviewSchema.parse(await (await api('/overview', hany)).json()).branches.map((b) => b.branchId)).toEqual(['cairo']);
  });

  it('[FIS-57] a rejected receipt is resubmitted as a correction (referenceOldUUID, same previousUUID) and submitted; refusals', async () => {
    eta.sandbox!.setFaults({ rejectionRate: 1 });
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 8 });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    const entry = await issue(tablet.doc, orderId);
    writeReceipt(tablet.doc, entry);
    await waitFor(async () => (await queueState(entry.uuid)) === 'REJECTED', { timeoutMs: 15_000 });
    eta.sandbox!.setFaults({ rejectionRate: 0 });
    const overview = fiscalOverviewSchema.parse(await (await api('/overview', manager)).json());
    expect(overview.problems.find((p) => p.uuid === entry.uuid)?.state).toBe('REJECTED');

    const path = `/branches/cairo/receipts/${entry.uuid}/resubmit`;
    const hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    expect((await api(path, null, { method: 'POST' })).status).toBe(401);
    expect((await api(path, device.token, { method: 'POST' })).status).toBe(403);
    expect((await api(`/branches/alex/receipts/${entry.uuid}/resubmit`, manager, { method: 'POST' })).status).toBe(404);
    expect((await api(`/branches/cairo/receipts/nope/resubmit`, manager, { method: 'POST' })).status).toBe(400);
    expect((await api(`/branches/cairo/receipts/${'f'.repeat(64)}/resubmit`, manager, { method: 'POST' })).status).toBe(404);
    const submitted = (await getFiscalReceipts(db)).find((r) => r.state === 'SUBMITTED')!;
    expect((await api(`/branches/cairo/receipts/${submitted.uuid}/resubmit`, manager, { method: 'POST' })).status).toBe(409);

    const ok = await api(path, hany, { method: 'POST' });
    expect(ok.status).toBe(201);
    const { uuid } = (await ok.json()) as { uuid: string };
    await waitFor(async () => (await queueState(uuid)) === 'SUBMITTED', { timeoutMs: 15_000 });
    const { rows } = await db.query<{ document: string }>('select document from fiscal_receipts where uuid = $1', [uuid]);
    const header = (JSON.parse(rows[0]!.document) as { header: Record<string, string> }).header;
    expect(header.referenceOldUUID).toBe(entry.uuid);
    expect(header.previousUUID).toBe(entry.previousUUID);
    expect(eta.sandbox!.acceptedCount(uuid)).toBe(1);
    expect((await api(path, manager, { method: 'POST' })).status).toBe(409);
  });

  it('[FIS-56] a rotated room drops the receipts the verifier has stored', async () => {
    const stored = [...receiptsRoot(tablet.doc).keys()];
    expect(stored.length).toBeGreaterThan(0);
    await waitFor(async () => {
      const { rows } = await db.query<{ n: string | number }>('select count(*) as n from fiscal_receipt_checks');
      return Number(rows[0]!.n) === stored.length;
    });
    const next = await server.relay.rotate(roomNameForBranch('cairo'));
    expect(next).not.toBe(roomNameForBranch('cairo'));
    const room = await server.relay.room(next);
    expect([...receiptsRoot(room.doc).keys()].filter((id) => stored.includes(id))).toEqual([]);
  });

  it('[FIS-58] repeated submission failures raise the alert on the manager API and as a metric within a minute', async () => {
    expect((await api('/metrics', null)).status).toBe(401);
    expect((await api('/metrics', device.token)).status).toBe(403);
    const before = await (await api('/metrics', manager)).text();
    expect(before).toContain('restoflow_fiscal_alert{branch="cairo"} 0');
    eta.sandbox!.setFaults({ serverErrorRate: 1 });
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 9 });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    writeReceipt(tablet.doc, await issue(tablet.doc, orderId));
    const started = Date.now();
    await waitFor(async () => fiscalOverviewSchema.parse(await (await api('/overview', manager)).json()).branches.find((b) => b.branchId === 'cairo')!.isAlert, { timeoutMs: 60_000, intervalMs: 200 });
    expect(Date.now() - started).toBeLessThan(60_000);
    const metrics = await (await api('/metrics', manager)).text();
    expect(metrics).toContain('restoflow_fiscal_alert{branch="cairo"} 1');
    expect(metrics).toMatch(/restoflow_fiscal_oldest_pending_seconds\{branch="cairo"\} [0-9.]+/);
    eta.sandbox!.setFaults({ serverErrorRate: 0 });
  });
  it('[FIS-60] two tablets take payment for one order while cut off from each other: neither is refused, both receipts are kept', async () => {
    const second = await pairDevice(server.url, manager, 'cairo', 'pos');
    const secondProfile = posFiscalProfileSchema.parse(await (await api('/pos-profile', second.token)).json());
    const other = connectClient(server.url, 'cairo', second.token);
    try {
      await waitSynced(other);
      const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 9, pay: false });
      await waitFor(() => JSON.stringify(readOrder(other.doc, orderId)) === JSON.stringify(readOrder(tablet.doc, orderId)));
      // Both lose the network, both take the payment and issue the receipt into their own chain.
      const offlineA = new Y.Doc();
      Y.applyUpdate(offlineA, Y.encodeStateAsUpdate(tablet.doc));
      const offlineB = new Y.Doc();
      Y.applyUpdate(offlineB, Y.encodeStateAsUpdate(other.doc));
      payInCash(offlineA, cairo, orderId);
      payInCash(offlineB, cairo, orderId);
      const fromA = await issue(offlineA, orderId);
      const readB = readOrder(offlineB, orderId);
      if (!readB.ok) throw new Error(readB.error);
      const issuedB = await issueSaleReceipt(readB.value, cairo.tax, secondProfile, { previousUUID: '', nextSequence: 1 }, Date.now());
      if (!issuedB.ok) throw new Error(issuedB.message);
      const fromB = issuedB.entry;
      expect(writeReceipt(offlineA, fromA)).toBe(true);
      expect(writeReceipt(offlineB, fromB)).toBe(true);
      // Back online: the first tablet's payment reaches the relay and is settled; then the other's.
      Y.applyUpdate(tablet.doc, Y.encodeStateAsUpdate(offlineA));
      await waitFor(() => readSettlement(other.doc, orderId)?.status === 'settled');
      Y.applyUpdate(other.doc, Y.encodeStateAsUpdate(offlineB));
      await waitFor(async () => (await checkOf(fromA.uuid)) !== null && (await checkOf(fromB.uuid)) !== null, { timeoutMs: 15_000 });
      // Neither tablet was refused (a refusal would stop its sync for good, stranding its other work).
      expect([...tablet.closes, ...other.closes].filter((c) => c.code >= 4400 && c.code < 4500)).toEqual([]);
      // Both receipts are in the document on both tablets, and stored by the server.
      await waitFor(() => readReceipts(tablet.doc, orderId).length === 2 && readReceipts(other.doc, orderId).length === 2);
      expect(readReceipts(tablet.doc, orderId).map((r) => r.serial).sort()).toEqual([profile.serial, secondProfile.serial].sort());
      const { rows } = await db.query<{ n: number }>('select count(*)::int as n from fiscal_receipt_checks where order_id = $1::uuid', [orderId]);
      expect(rows[0]?.n).toBe(2);
      // Settled once, with the payment that reached the server first; the other device's payment
      // came after the settlement: recorded for the manager as a late change with its amount.
      const { rows: orderRows } = await db.query<{ n: number }>('select count(*)::int as n from orders where id = $1::uuid', [orderId]);
      expect(orderRows[0]?.n).toBe(1);
      const { rows: late } = await db.query<{ actor: string; amount_minor: string | number | null }>(
        `select actor, amount_minor from audit_log where action = 'late-change' and order_id = $1::uuid`,
        [orderId],
      );
      expect(late.map((r) => ({ actor: r.actor, amount: Number(r.amount_minor) }))).toEqual([{ actor: second.id, amount: readB.value.payments.reduce((sum, p) => sum + p.amountMinor, 0) }]);
      // and the second tablet is told, through the settlement record, to hand the money over
      await waitFor(() => (readSettlement(other.doc, orderId)?.lateChanges.length ?? 0) > 0);
      expect(readSettlement(other.doc, orderId)?.lateChanges).toMatchObject([
        { by: second.id, latePaymentMinor: readB.value.payments.reduce((sum, p) => sum + p.amountMinor, 0) },
      ]);
      // Both receipts are legal documents of their device's chain: both are verified against the
      // settled order (same amounts) and go to ETA; the manager refunds the second payment.
      await waitFor(async () => (await checkOf(fromA.uuid)) === 'VERIFIED' && (await checkOf(fromB.uuid)) === 'VERIFIED', { timeoutMs: 15_000 });
    } finally {
      other.destroy();
    }
  });
});
