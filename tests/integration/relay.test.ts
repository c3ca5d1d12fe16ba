import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CLOSE_CODE, MESSAGE_TYPE, REFUSAL_REASON, roomNameForBranch } from '../../shared/protocol';
import { bumpTicket, listOrders, listTickets, readOrder, readSettlement, settlementRoot, ticketsRoot } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { lineFor, placePaidOrder } from '../support/orders';
import { addLine } from '../../shared/live-doc';
import { waitFor } from '../support/wait';

describe.each(engines())('relay on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let manager: string;
  const clients: TestClient[] = [];
  const connect = (...args: Parameters<typeof connectClient>) => {
    const c = connectClient(...args);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(server.url);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });
  afterAll(async () => {
    await stopTestDatabase({ server, db, testDb });
  });

  it('[SYNC-01] the stock y-websocket WebsocketProvider syncs edits between two devices', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const kitchen = await pairDevice(server.url, manager, 'cairo', 'kds');
    const a = connect(server.url, 'cairo', tablet.token);
    const b = connect(server.url, 'cairo', kitchen.token);
    await Promise.all([waitSynced(a), waitSynced(b)]);
    const orderId = placePaidOrder(a.doc, cairo, { pay: false, tableIndex: 1 });
    await waitFor(() => listTickets(b.doc).some((t) => t.orderId === orderId));
    expect(listOrders(b.doc).find((o) => o.id === orderId)?.lines).toHaveLength(2);
  });

  it('[SYNC-02] offline edits sent as SyncStep2 on reconnect reach the other device', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const offlineDoc = new Y.Doc();
    const first = connect(server.url, 'cairo', tablet.token, { doc: offlineDoc });
    await waitSynced(first);
    first.provider.disconnect();
    const orderId = placePaidOrder(offlineDoc, cairo, { pay: false, tableIndex: 2 }); // made while offline
    const observer = connect(server.url, 'cairo', manager);
    await waitSynced(observer);
    expect(listOrders(observer.doc).some((o) => o.id === orderId)).toBe(false);
    first.provider.connect();
    await waitFor(() => listOrders(observer.doc).some((o) => o.id === orderId));
  });

  it('[SYNC-03] refuses a socket without a valid token (4401) and does not send it the document', async () => {
    const seen = new Y.Doc();
    const anonymous = connect(server.url, 'cairo', null, { doc: seen });
    const forged = connect(server.url, 'cairo', 'dev_forged-token-that-is-long-enough');
    await waitFor(() => anonymous.closes.length > 0 && forged.closes.length > 0);
    expect(anonymous.closes[0]!.code).toBe(CLOSE_CODE.unauthorized);
    expect(forged.closes[0]!.code).toBe(CLOSE_CODE.unauthorized);
    expect(ticketsRoot(seen).size).toBe(0);
  });

  it('[SYNC-04] a Branch A device never receives Branch B data and cannot join its room', async () => {
    // something in Cairo's room first
    const cairoTablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const writer = connect(server.url, 'cairo', cairoTablet.token);
    await waitSynced(writer);
    placePaidOrder(writer.doc, cairo, { pay: false, tableIndex: 3 });

    const alexTablet = await pairDevice(server.url, manager, 'alex', 'pos');
    const intruderDoc = new Y.Doc();
    const intruder = connect(server.url, 'alex', alexTablet.token, { doc: intruderDoc, room: roomNameForBranch('cairo') });
    await waitFor(() => intruder.closes.length > 0);
    expect(intruder.closes[0]!.code).toBe(CLOSE_CODE.forbidden);
    expect(intruder.provider.shouldConnect).toBe(false); // the stock client stops on 44xx
    expect(listOrders(intruderDoc)).toHaveLength(0);

    // its own room works, and carries none of Cairo's orders
    const own = connect(server.url, 'alex', alexTablet.token);
    await waitSynced(own);
    expect(listOrders(own.doc).filter((o) => o.branchId === 'cairo')).toHaveLength(0);
  });

  it('[SYNC-05] refuses a room that is not a branch room (4404)', async () => {
    const c = connect(server.url, 'cairo', manager, { room: 'not-a-room' });
    await waitFor(() => c.closes.length > 0);
    expect(c.closes[0]!.code).toBe(CLOSE_CODE.roomNotFound);
  });

  it('[SYNC-06] refuses a device writing the server-owned settlement map (4422), keeping nothing', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const forger = connect(server.url, 'cairo', tablet.token);
    const watcher = connect(server.url, 'cairo', manager);
    await Promise.all([waitSynced(forger), waitSynced(watcher)]);
    settlementRoot(forger.doc).set('00000000-0000-4000-8000-000000000000', {
      status: 'settled', at: 1, reason: null, message: null, lateChanges: [],
    });
    await waitFor(() => forger.closes.length > 0);
    expect(forger.closes[0]!.code).toBe(CLOSE_CODE.writeRefused);
    const room = await server.relay.room(roomNameForBranch('cairo'));
    expect(settlementRoot(room.doc).has('00000000-0000-4000-8000-000000000000')).toBe(false);
    expect(settlementRoot(watcher.doc).has('00000000-0000-4000-8000-000000000000')).toBe(false);
  });

  it('[SYNC-07] a kitchen screen may bump tickets but not change orders (4422)', async () => {
    const kds = await pairDevice(server.url, manager, 'cairo', 'kds');
    const kitchen = connect(server.url, 'cairo', kds.token);
    await waitSynced(kitchen);
    placePaidOrder(kitchen.doc, cairo, { pay: false, tableIndex: 4 });
    await waitFor(() => kitchen.closes.length > 0);
    expect(kitchen.closes[0]!.code).toBe(CLOSE_CODE.writeRefused);
  });

  it('[SYNC-08] malformed bytes close the socket with 4400', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${roomNameForBranch('cairo')}?token=${tablet.token}`);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(new Uint8Array([0, 2, 200, 1, 2, 3])); // an update claiming 200 bytes, carrying 3
    expect(await closed).toBe(CLOSE_CODE.badRequest);
  });

  it('[SYNC-09] unpairing a device closes its open socket', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const c = connect(server.url, 'cairo', tablet.token);
    await waitSynced(c);
    await fetch(`${server.url}/api/devices/${tablet.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${manager}` } });
    await waitFor(() => c.closes.length > 0, { timeoutMs: 1_000 });
    expect(c.closes[0]!.code).toBe(CLOSE_CODE.unauthorized);
  });

  it('[SYNC-10] acknowledges what is stored, so a client can count its pending changes', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const c = connect(server.url, 'cairo', tablet.token, { ack: true });
    const acks: Map<number, number>[] = [];
    c.provider.messageHandlers[MESSAGE_TYPE.persisted] = (_encoder, decoder) => {
      acks.push(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
    };
    await waitSynced(c);
    placePaidOrder(c.doc, cairo, { pay: false, tableIndex: 5 });
    const mine = c.doc.clientID;
    const myClock = Y.decodeStateVector(Y.encodeStateVector(c.doc)).get(mine) ?? 0;
    expect(myClock).toBeGreaterThan(0);
    await waitFor(() => (acks.at(-1)?.get(mine) ?? 0) >= myClock);
    // and it really is in the store: a fresh load of the room's updates contains it
    const stored = new Y.Doc();
    const { rows } = await db.query<{ update: Uint8Array }>('select update from yjs_updates where room = $1', [roomNameForBranch('cairo')]);
    for (const r of rows) Y.applyUpdate(stored, new Uint8Array(r.update));
    expect(Y.decodeStateVector(Y.encodeStateVector(stored)).get(mine)).toBe(myClock);
  });

  it('[SYNC-07] a kitchen screen bumps a ticket through the relay and the tablet sees it', async () => {
    const tablet = connect(server.url, 'cairo', (await pairDevice(server.url, manager, 'cairo', 'pos')).token);
    const kitchen = connect(server.url, 'cairo', (await pairDevice(server.url, manager, 'cairo', 'kds')).token);
    await Promise.all([waitSynced(tablet), waitSynced(kitchen)]);
    const orderId = placePaidOrder(tablet.doc, cairo, { pay: false, tableIndex: 11 });
    const ticket = await waitFor(() => listTickets(kitchen.doc).find((t) => t.orderId === orderId) ?? false);
    bumpTicket(kitchen.doc, ticket.id, Date.now());
    await waitFor(() => listTickets(tablet.doc).find((t) => t.id === ticket.id)?.status === 'ready');
    expect(kitchen.closes).toEqual([]);
  });

  it('[SYNC-12] a late edit to a settled order changes nothing, is recorded for the manager, and does not cut the device off', async () => {
    const tablet = connect(server.url, 'cairo', (await pairDevice(server.url, manager, 'cairo', 'pos')).token);
    const lateDevice = await pairDevice(server.url, manager, 'cairo', 'pos');
    const late = connect(server.url, 'cairo', lateDevice.token);
    await Promise.all([waitSynced(tablet), waitSynced(late)]);
    const orderId = placePaidOrder(tablet.doc, cairo, { tableIndex: 12 });
    await waitFor(() => readSettlement(late.doc, orderId)?.status === 'settled');
    // The late tablet adds to the settled order (it had not heard yet) and opens another table.
    addLine(late.doc, orderId, lineFor(cairo, 'water'));
    const otherOrder = placePaidOrder(late.doc, cairo, { tableIndex: 13, pay: false });
    const room = await server.relay.room(roomNameForBranch('cairo'));
    // The other table arrives: the late tablet was not cut off.
    await waitFor(() => readOrder(room.doc, otherOrder).ok && readOrder(tablet.doc, otherOrder).ok);
    expect(late.closes).toEqual([]);
    // The settled order left the room (it is in Postgres) and the late line shows nowhere.
    await waitFor(() => !readOrder(room.doc, orderId).ok && !readOrder(tablet.doc, orderId).ok && !readOrder(late.doc, orderId).ok);
    const { rows: lines } = await db.query<{ n: number }>('select count(*)::int as n from order_lines where order_id = $1::uuid', [orderId]);
    expect(lines[0]?.n).toBe(2);
    // What the device meant is kept for the manager.
    const audit = await waitFor(async () => {
      const { rows } = await db.query<{ actor: string; details: unknown }>(
        `select actor, details from audit_log where action = 'late-change' and order_id = $1::uuid`,
        [orderId],
      );
      return rows.length > 0 ? rows : false;
    });
    expect(audit[0]!.actor).toBe(lateDevice.id);
    const details = (typeof audit[0]!.details === 'string' ? JSON.parse(audit[0]!.details) : audit[0]!.details) as { orderAsDeviceHasIt: { lines: { itemId: string }[] } };
    expect(details.orderAsDeviceHasIt.lines.map((l) => l.itemId)).toContain('cairo-water');
  });

  it('[SYNC-13] signing out closes the session\'s open sockets within a second', async () => {
    const session = await login(server.url);
    const c = connect(server.url, 'cairo', session);
    await waitSynced(c);
    await fetch(`${server.url}/api/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${session}` } });
    await waitFor(() => c.closes.length > 0, { timeoutMs: 1_000 });
    expect(c.closes[0]).toEqual({ code: CLOSE_CODE.unauthorized, reason: REFUSAL_REASON.sessionEnded });
  });

  it('[SYNC-14] connection attempts are rate-limited per token (HTTP 429 before the upgrade)', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const url = `${server.url.replace('http', 'ws')}/sync/${roomNameForBranch('cairo')}?token=${tablet.token}`;
    const statuses = await Promise.all(
      Array.from({ length: 15 }, () =>
        new Promise<number>((resolve) => {
          const ws = new WebSocket(url);
          ws.on('open', () => {
            ws.close();
            resolve(101);
          });
          ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
          ws.on('error', () => undefined);
        }),
      ),
    );
    expect(statuses.filter((s) => s === 101)).toHaveLength(10); // the per-token burst
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
  });

  it('[SYNC-15] an update that arrives before the items it builds on is held, then applied', async () => {
    const tablet = await pairDevice(server.url, manager, 'cairo', 'pos');
    const offline = new Y.Doc();
    const first: Uint8Array[] = [];
    const second: Uint8Array[] = [];
    let sink = first;
    offline.on('update', (u: Uint8Array) => sink.push(u));
    const orderId = placePaidOrder(offline, cairo, { pay: false, tableIndex: 13 }); // P: the order
    sink = second;
    addLine(offline, orderId, lineFor(cairo, 'water')); // U: builds on P
    const frame = (type: number, update: Uint8Array) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
      encoding.writeVarUint(encoder, type);
      encoding.writeVarUint8Array(encoder, update);
      return encoding.toUint8Array(encoder);
    };
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${roomNameForBranch('cairo')}?token=${tablet.token}`);
    const closes: number[] = [];
    ws.on('close', (code) => closes.push(code));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(frame(2, Y.mergeUpdates(second))); // U first, as an update
    await new Promise((r) => setTimeout(r, 100));
    ws.send(frame(1, Y.mergeUpdates(first))); // then P, as sync step 2
    const room = await server.relay.room(roomNameForBranch('cairo'));
    await waitFor(() => listOrders(room.doc).find((o) => o.id === orderId)?.lines.length === 3);
    expect(closes).toEqual([]);
    ws.close();
  });
});
