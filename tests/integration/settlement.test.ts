import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { listOrders, ordersRoot, readSettlement, settlementRoot } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { startServer, type RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

describe.each(engines())('settlement on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let manager: string;
  let tabletToken: string;
  const clients: TestClient[] = [];

  const boot = async () => {
    db = await testDb.open();
    server = await startServer({ db, log: () => undefined });
  };
  const shutdown = async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
    await db.close();
  };
  const connect = (token: string, doc?: Y.Doc) => {
    const c = connectClient(server.url, 'cairo', token, doc ? { doc } : {});
    clients.push(c);
    return c;
  };
  const countRows = async (table: 'orders' | 'order_lines' | 'payments', orderId: string) => {
    const column = table === 'orders' ? 'id' : 'order_id';
    const { rows } = await db.query<{ n: string | number }>(`select count(*) as n from ${table} where ${column} = $1`, [orderId]);
    return Number(rows[0]!.n);
  };

  beforeAll(async () => {
    testDb = await engine.create();
    await boot();
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(server.url);
    tabletToken = (await pairDevice(server.url, manager, 'cairo', 'pos')).token;
  });
  afterAll(async () => {
    await shutdown();
    await testDb.destroy();
  });

  it('[SET-01] a paid order is written to Postgres once and marked settled in the document', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const orderId = placePaidOrder(tablet.doc, cairo, { items: ['koshari', 'beef-steak', 'karkadeh'] });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    expect(await countRows('orders', orderId)).toBe(1);
    expect(await countRows('order_lines', orderId)).toBe(3);
    expect(await countRows('payments', orderId)).toBe(1);
    const { rows } = await db.query<{ total_minor: string | number; subtotal_minor: string | number; service_minor: string | number; vat_minor: string | number }>(
      'select subtotal_minor, service_minor, vat_minor, total_minor from orders where id = $1', [orderId]);
    // koshari 55 + steak 320 + karkadeh 30 = 405.00; service 48.60; VAT 63.50 (per-line rounding)
    expect(Number(rows[0]!.subtotal_minor)).toBe(40_500);
    expect(Number(rows[0]!.service_minor)).toBe(4_860);
    expect(Number(rows[0]!.total_minor)).toBe(
      Number(rows[0]!.subtotal_minor) + Number(rows[0]!.service_minor) + Number(rows[0]!.vat_minor),
    );
  });

  it('[SET-03] replaying the same settled order 10 times leaves exactly one order row', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 6 });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    const room = await server.relay.room(roomNameForBranch('cairo'));
    // Ten replays at once, as if ten relays or ten resends raced: settlement is keyed on the id.
    settlementRoot(room.doc).delete(orderId);
    const outcomes = await Promise.all(Array.from({ length: 10 }, () => server.settlement.settle(room.doc, 'cairo', orderId)));
    expect(outcomes.filter((o) => o === 'settled')).toHaveLength(0);
    expect(await countRows('orders', orderId)).toBe(1);
    expect(await countRows('order_lines', orderId)).toBe(2);
    expect(await countRows('payments', orderId)).toBe(1);
    // Ten devices re-sending the whole document (as after an outage) change nothing either.
    for (let i = 0; i < 10; i++) {
      const replica = new Y.Doc();
      Y.applyUpdate(replica, Y.encodeStateAsUpdate(tablet.doc));
      const c = connect(tabletToken, replica);
      await waitSynced(c);
    }
    await server.settlement.idle();
    expect(await countRows('orders', orderId)).toBe(1);
  });

  it('[SET-03] a relay restart between the commit and the document write settles nothing twice', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 7 });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'settled');
    // Forget the document's settled mark in storage, as a crash right after the SQL commit would.
    const room = await server.relay.room(roomNameForBranch('cairo'));
    settlementRoot(room.doc).delete(orderId);
    await room.flushed();
    await shutdown();
    await boot();
    const again = connect(tabletToken);
    await waitSynced(again);
    await waitFor(() => readSettlement(again.doc, orderId)?.status === 'settled');
    expect(await countRows('orders', orderId)).toBe(1);
  });

  it('[SYNC-11] the document survives a relay restart intact', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 8, pay: false });
    const before = Y.encodeStateVector(tablet.doc);
    const room = await server.relay.room(roomNameForBranch('cairo'));
    await waitFor(() => Y.encodeStateVector(room.doc).length >= before.length && ordersRoot(room.doc).has(orderId));
    await room.flushed();
    await shutdown();
    await boot();
    const fresh = connect(tabletToken); // a brand-new device: everything it gets comes from Postgres
    await waitSynced(fresh);
    const order = listOrders(fresh.doc).find((o) => o.id === orderId);
    expect(order?.lines).toHaveLength(2);
    expect(order?.status).toBe('open');
  });

  it('[SET-02][SET-07] an order priced below the menu is not dropped: marked rejected and listed for managers', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 9, items: ['kofta'], lineOverrides: { unitPriceMinor: 100 } });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'rejected');
    expect(readSettlement(tablet.doc, orderId)?.reason).toBe('price-mismatch');
    expect(await countRows('orders', orderId)).toBe(0);
    const res = await fetch(`${server.url}/api/branches/cairo/settlement-rejections`, { headers: { authorization: `Bearer ${manager}` } });
    const body = (await res.json()) as { rejections: { orderId: string; code: string }[] };
    expect(body.rejections).toContainEqual(expect.objectContaining({ orderId, code: 'price-mismatch' }));
  });

  it('[SET-04] an order missing a required modifier is rejected with modifier-required', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 10, items: ['koshari'], lineOverrides: { modifiers: [] } });
    await waitFor(() => readSettlement(tablet.doc, orderId)?.status === 'rejected');
    expect(readSettlement(tablet.doc, orderId)?.reason).toBe('modifier-required');
  });

  it('lists settled orders for managers of the branch only', async () => {
    const res = await fetch(`${server.url}/api/branches/cairo/settled-orders`, { headers: { authorization: `Bearer ${manager}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { orders: unknown[] }).orders.length).toBeGreaterThanOrEqual(3);
  });
  it('[SET-09] a menu change (catalog_version bumped) applies to the next settlement; the cached catalog is not reused', async () => {
    const tablet = connect(tabletToken);
    await waitSynced(tablet);
    const first = placePaidOrder(tablet.doc, cairo, { tableIndex: 9, items: ['karkadeh'] });
    await waitFor(() => readSettlement(tablet.doc, first)?.status === 'settled');
    await db.query("update menu_items set price_minor = price_minor + 500 where id = 'cairo-karkadeh'");
    await db.query("update branches set catalog_version = catalog_version + 1 where id = 'cairo'");
    const stale = placePaidOrder(tablet.doc, cairo, { tableIndex: 10, items: ['karkadeh'] });
    await waitFor(() => readSettlement(tablet.doc, stale)?.status === 'rejected');
    expect(readSettlement(tablet.doc, stale)?.reason).toBe('price-mismatch');
    const fresh = placePaidOrder(tablet.doc, (await loadCatalog(db, 'cairo'))!, { tableIndex: 11, items: ['karkadeh'] });
    await waitFor(() => readSettlement(tablet.doc, fresh)?.status === 'settled');
    await db.query("update menu_items set price_minor = price_minor - 500 where id = 'cairo-karkadeh'");
    await db.query("update branches set catalog_version = catalog_version + 1 where id = 'cairo'");
  });
});
