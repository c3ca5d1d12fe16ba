/**
 * Several relays serving the same rooms through the real Redis on 127.0.0.1:6379
 * (TEST_REDIS_URL to change it). Each run uses its own Redis namespace.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { bumpTicket, listOrders, listTickets, readSettlement } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { startServer, type RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

describe.each(engines())('two relays over Redis on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let relay1: RunningServer;
  let relay2: RunningServer;
  let cairo: Catalog;
  let manager: string;
  const clients: TestClient[] = [];
  const namespace = `rf-test-${randomBytes(4).toString('hex')}`;
  const connect = (...args: Parameters<typeof connectClient>) => {
    const c = connectClient(...args);
    clients.push(c);
    return c;
  };
  const settledRows = async (orderId: string) =>
    Number((await db.query<{ n: string | number }>('select count(*) as n from orders where id = $1', [orderId])).rows[0]!.n);

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    const options = { db, log: () => undefined, redisUrl: REDIS_URL, redisNamespace: namespace };
    relay1 = await startServer(options);
    relay2 = await startServer(options);
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(relay1.url);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await relay1?.close().catch(() => undefined);
    await relay2?.close();
    await db?.close();
    await testDb?.destroy();
  });

  it('[SCALE-01] a tablet on relay 1 and a kitchen screen on relay 2 see each other\'s edits', async () => {
    const tablet = connect(relay1.url, 'cairo', (await pairDevice(relay1.url, manager, 'cairo', 'pos')).token);
    const kitchen = connect(relay2.url, 'cairo', (await pairDevice(relay2.url, manager, 'cairo', 'kds')).token);
    await Promise.all([waitSynced(tablet), waitSynced(kitchen)]);
    const orderId = placePaidOrder(tablet.doc, cairo, { pay: false });
    const ticket = await waitFor(() => listTickets(kitchen.doc).find((t) => t.orderId === orderId) ?? false);
    bumpTicket(kitchen.doc, ticket.id, Date.now());
    await waitFor(() => listTickets(tablet.doc).find((t) => t.id === ticket.id)?.status === 'ready');
  });

  it('[SCALE-02] an order paid with both relays holding the room is settled exactly once', async () => {
    const onRelay1 = connect(relay1.url, 'cairo', (await pairDevice(relay1.url, manager, 'cairo', 'pos')).token);
    const onRelay2 = connect(relay2.url, 'cairo', (await pairDevice(relay2.url, manager, 'cairo', 'pos')).token);
    await Promise.all([waitSynced(onRelay1), waitSynced(onRelay2)]);
    const settledBefore = relay1.settlement.counts().settled + relay2.settlement.counts().settled;
    const ids = Array.from({ length: 5 }, (_, i) => placePaidOrder(onRelay1.doc, cairo, { tableIndex: 1 + i }));
    await waitFor(() => ids.every((id) => readSettlement(onRelay2.doc, id)?.status === 'settled'));
    await Promise.all([relay1.settlement.idle(), relay2.settlement.idle()]);
    for (const id of ids) expect(await settledRows(id)).toBe(1);
    // each order written by exactly one relay; the other, if it looked, found it already settled
    expect(relay1.settlement.counts().settled + relay2.settlement.counts().settled - settledBefore).toBe(ids.length);
  });

  it('[SCALE-03] realtime health reports the Redis adapter and the counts', async () => {
    const health = (await (await fetch(`${relay2.url}/api/ops/realtime-health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ ok: true, adapter: 'redis', redisConnected: true, rooms: 1 });
    expect(health.connections).toBeGreaterThanOrEqual(2);
  });

  it('[SCALE-04] killing relay 1 moves its clients to relay 2 with nothing lost', async () => {
    const token = (await pairDevice(relay1.url, manager, 'cairo', 'pos')).token;
    const tablet = connect(relay1.url, 'cairo', token, { failoverUrls: [relay2.url] });
    const kitchen = connect(relay2.url, 'cairo', (await pairDevice(relay2.url, manager, 'cairo', 'kds')).token);
    await Promise.all([waitSynced(tablet), waitSynced(kitchen)]);
    const before = placePaidOrder(tablet.doc, cairo, { tableIndex: 8, pay: false });
    await waitFor(() => listOrders(kitchen.doc).some((o) => o.id === before));

    await relay1.close(); // every socket of relay 1 drops at once
    const during = placePaidOrder(tablet.doc, cairo, { tableIndex: 9 }); // made while moving over
    await waitFor(() => tablet.provider.serverUrl.startsWith(relay2.url.replace('http', 'ws')) && tablet.provider.synced, {
      timeoutMs: 15_000,
    });
    await waitFor(() => readSettlement(kitchen.doc, during)?.status === 'settled', { timeoutMs: 15_000 });
    expect(await settledRows(during)).toBe(1);
    // relay 2's copy, and a brand-new device loading from Postgres, both have everything
    const fresh = connect(relay2.url, 'cairo', (await pairDevice(relay2.url, manager, 'cairo', 'pos')).token, { doc: new Y.Doc() });
    await waitSynced(fresh);
    expect(listOrders(fresh.doc).map((o) => o.id)).toEqual(expect.arrayContaining([before, during]));
  });
});
