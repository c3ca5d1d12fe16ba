/**
 * Kitchen printing wired into the server (issue 5, point 4): tablets send through the real relay,
 * the server prints each ticket on its station's printer — fake printers are real TCP listeners
 * on 127.0.0.1 — and reports the outcome in the room's server-owned `printJobs` map, which the
 * kitchen screens and tablets receive. Printer settings go through the manager's API.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, openOrder, readPrintJobs, sendToKitchen, updateLine, voidLine } from '../../shared/live-doc';
import { catalogSchema, type Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import { createKitchenPrinting } from '../../server/printing/kitchen-printing';
import { createPrintGateway } from '../../server/printing/print-gateway';
import { kitchenBoard } from '../../client/kds/kitchen-tickets';
import { startServer, type RunningServer } from '../../server/server';
import { connectClient, login, pairDevice, waitSynced, type TestClient } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { closedPort, closeFakePrinters, HOST, startFakePrinter, type FakePrinter } from '../support/fake-printer';
import { lineFor } from '../support/orders';
import { waitFor } from '../support/wait';

const PRINT_TIMEOUT_MS = 2_000;

afterEach(closeFakePrinters);

describe.each(engines())('kitchen printing on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let manager: string;
  let tabletToken: string;
  let kitchenToken: string;
  const clients: TestClient[] = [];

  const boot = async () => {
    db = await testDb.open();
    server = await startServer({ db, log: () => undefined, printTimeoutMs: PRINT_TIMEOUT_MS });
  };
  const shutdown = async () => {
    for (const c of clients.splice(0)) c.destroy();
    await server.close();
    await db.close();
  };
  const connect = async (token: string) => {
    const c = connectClient(server.url, 'cairo', token);
    clients.push(c);
    await waitSynced(c);
    return c;
  };
  const api = (path: string, token: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${server.url}/api${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  const setPrinters = async (stationId: string, body: unknown) => {
    const res = await api(`/branches/cairo/stations/${stationId}/printers`, manager, { method: 'PUT', body });
    expect(res.status).toBe(200);
  };
  /** Opens an order on the tablet with these items and sends it; returns the order id and tickets. */
  const send = (doc: Y.Doc, items: string[], tableIndex = 0) => {
    const orderId = randomUUID();
    const table = cairo.tables[tableIndex]!;
    openOrder(doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: table.id, guests: 2, openedAt: Date.now(), openedBy: 'sara', deviceId: 'pos-test' });
    const lineIds = items.map((item) => {
      const line = lineFor(cairo, item);
      addLine(doc, orderId, line);
      return line.id;
    });
    const tickets = sendToKitchen(doc, { orderId, newTicketId: () => randomUUID(), tableLabel: table.label, by: 'sara', waiterName: 'Sara', now: Date.now() });
    return { orderId, lineIds, tickets, tableLabel: table.label };
  };
  /** How many connections to the printer carried this table's ticket. */
  const copiesOn = (printer: FakePrinter, tableLabel: string) =>
    printer.connections.filter((bytes) => bytes.toString('latin1').includes(`Table ${tableLabel}`)).length;

  beforeAll(async () => {
    testDb = await engine.create();
    await boot();
    cairo = (await loadCatalog(db, 'cairo'))!;
    manager = await login(server.url);
    tabletToken = (await pairDevice(server.url, manager, 'cairo', 'pos')).token;
    kitchenToken = (await pairDevice(server.url, manager, 'cairo', 'kds')).token;
  });
  afterAll(async () => {
    await shutdown();
    await testDb.destroy();
  });

  it('[KDS-10] the catalog serves the branch\'s stations and each item\'s prep-time target', async () => {
    const res = await api('/branches/cairo/catalog', tabletToken);
    const catalog = catalogSchema.parse(await res.json());
    expect(catalog.stations?.map((s) => s.id).sort()).toEqual(['bar', 'cold', 'grill', 'hot', 'pastry']);
    expect(catalog.stations?.find((s) => s.id === 'grill')).toMatchObject({ nameEn: 'Grill', nameAr: 'المشويات', printer: null, fallbackToScreen: true });
    expect(catalog.items.find((i) => i.id === 'cairo-beef-steak')?.prepMinutes).toBe(18);
    // every item's station is a station of the branch
    const ids = new Set(catalog.stations?.map((s) => s.id));
    expect(catalog.items.every((i) => ids.has(i.station))).toBe(true);
  });

  it('[KDS-19] station printer settings: refused without the permission, for another branch, or invalid; saved by a manager', async () => {
    const body = { printer: { host: '10.0.0.31', port: 9100 }, backupPrinter: null, fallbackToScreen: true };
    expect((await api('/branches/cairo/stations/grill/printers', tabletToken, { method: 'PUT', body })).status).toBe(403);
    const cairoOnly = await login(server.url, 'cairo.manager@demo.restoflow.test');
    expect((await api('/branches/alex/stations/grill/printers', cairoOnly, { method: 'PUT', body })).status).toBe(403);
    const invalid = await api('/branches/cairo/stations/grill/printers', manager, {
      method: 'PUT',
      body: { printer: null, backupPrinter: { host: '10.0.0.32', port: 9100 }, fallbackToScreen: true },
    });
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({ error: { code: 'validation-failed' } });
    const sameTwice = await api('/branches/cairo/stations/grill/printers', manager, {
      method: 'PUT',
      body: { printer: { host: '10.0.0.31', port: 9100 }, backupPrinter: { host: '10.0.0.31', port: 9100 }, fallbackToScreen: true },
    });
    expect(sameTwice.status).toBe(400);
    expect((await api('/branches/cairo/stations/bad%20host/printers', manager, { method: 'PUT', body: { ...body, printer: { host: 'http://x' } } })).status).toBe(404);
    expect((await api('/branches/cairo/stations/no-such/printers', manager, { method: 'PUT', body })).status).toBe(404);
    expect((await api('/branches/cairo/stations', 'not-a-token')).status).toBe(401);

    const before = (await loadCatalog(db, 'cairo'))!.version;
    const saved = await api('/branches/cairo/stations/pastry/printers', manager, { method: 'PUT', body });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ station: { id: 'pastry', printer: { host: '10.0.0.31', port: 9100 }, backupPrinter: null } });
    const listed = (await (await api('/branches/cairo/stations', kitchenToken)).json()) as { stations: { id: string; printer: unknown }[] };
    expect(listed.stations.find((s) => s.id === 'pastry')?.printer).toEqual({ host: '10.0.0.31', port: 9100 });
    expect((await loadCatalog(db, 'cairo'))!.version).toBe(before + 1);
    await setPrinters('pastry', { printer: null, backupPrinter: null, fallbackToScreen: true });
  });

  it('[KDS-20][PRN-03] a ticket prints once on its station\'s printer; with the printer down it goes to the backup and the failure reaches the KDS', async () => {
    const grill = await startFakePrinter('answers');
    const bar = await startFakePrinter('answers');
    await setPrinters('grill', { printer: { host: HOST, port: grill.port }, backupPrinter: null, fallbackToScreen: true });
    await setPrinters('bar', { printer: { host: HOST, port: await closedPort() }, backupPrinter: { host: HOST, port: bar.port }, fallbackToScreen: true });
    const tablet = await connect(tabletToken);
    const kitchen = await connect(kitchenToken);

    const { tickets, tableLabel } = send(tablet.doc, ['kofta', 'mint-tea', 'hummus'], 1);
    const byStation = new Map(tickets.map((t) => [t.station, t.id]));
    await waitFor(() => readPrintJobs(kitchen.doc).size >= 2, { timeoutMs: 10_000 });
    const jobs = readPrintJobs(kitchen.doc);
    expect(jobs.get(byStation.get('grill')!)).toMatchObject({ status: 'printed', fallback: null, error: null, printer: 'Grill printer' });
    expect(jobs.get(byStation.get('bar')!)).toMatchObject({
      status: 'printed',
      fallback: 'backup',
      printer: 'Bar backup printer',
      error: { code: 'connection-refused', printer: 'Bar printer' },
    });
    // the cold station has no printer: the kitchen screen is its ticket, nothing to report, and
    // it is recorded as done so a printer added later does not print it
    expect(jobs.has(byStation.get('cold')!)).toBe(false);
    await server.printing.idle();
    const { rows } = await db.query<{ status: string }>('select status from ticket_prints where ticket_id = $1', [byStation.get('cold')]);
    expect(rows[0]?.status).toBe('skipped');
    expect(copiesOn(grill, tableLabel)).toBe(1);
    expect(copiesOn(bar, tableLabel)).toBe(1);
    expect(grill.received().toString('latin1')).toContain('1 x Kofta');
    expect(grill.received().toString('latin1')).not.toContain('Tea with Mint');
    // the tablet sees the same report
    await waitFor(() => readPrintJobs(tablet.doc).size >= 2);
  });

  it('[KDS-21][PRN-04] both printers down: the ticket is on the screen, reported as not printed, never lost', async () => {
    const hung = await startFakePrinter('hangs');
    await setPrinters('pastry', { printer: { host: HOST, port: await closedPort() }, backupPrinter: { host: HOST, port: hung.port }, fallbackToScreen: true });
    await setPrinters('hot', { printer: { host: HOST, port: await closedPort() }, backupPrinter: null, fallbackToScreen: false });
    const tablet = await connect(tabletToken);
    const kitchen = await connect(kitchenToken);
    const { tickets } = send(tablet.doc, ['om-ali', 'falafel'], 2);
    const pastry = tickets.find((t) => t.station === 'pastry')!;
    const hot = tickets.find((t) => t.station === 'hot')!;
    await waitFor(() => readPrintJobs(kitchen.doc).has(pastry.id) && readPrintJobs(kitchen.doc).has(hot.id), { timeoutMs: 10_000 });
    expect(readPrintJobs(kitchen.doc).get(pastry.id)).toMatchObject({
      status: 'failed',
      fallback: 'screen',
      error: { code: 'timeout', printer: 'Pastry backup printer' },
    });
    // a station without a screen fallback: the tablet is told to warn the kitchen in person
    expect(readPrintJobs(kitchen.doc).get(hot.id)).toMatchObject({ status: 'failed', fallback: null, error: { code: 'connection-refused' } });
    // and the ticket itself is still there for every screen
    expect(kitchen.doc.getMap('tickets').has(pastry.id)).toBe(true);
  });

  it('[KDS-13][KDS-22] a change and a void print as such on a later ticket, not the whole order again', async () => {
    const grill = await startFakePrinter('answers');
    await setPrinters('grill', { printer: { host: HOST, port: grill.port }, backupPrinter: null, fallbackToScreen: true });
    const tablet = await connect(tabletToken);
    const { orderId, lineIds, tickets, tableLabel } = send(tablet.doc, ['kofta', 'shish-tawook'], 3);
    await waitFor(() => readPrintJobs(tablet.doc).has(tickets[0]!.id), { timeoutMs: 10_000 });
    updateLine(tablet.doc, orderId, lineIds[0]!, { qty: 3 });
    voidLine(tablet.doc, orderId, lineIds[1]!, { reason: 'guest changed mind', by: 'sara', at: Date.now(), approvedBy: 'mona' });
    const [second] = sendToKitchen(tablet.doc, { orderId, newTicketId: () => randomUUID(), tableLabel, by: 'sara', waiterName: 'Sara', now: Date.now() });
    await waitFor(() => readPrintJobs(tablet.doc).has(second!.id), { timeoutMs: 10_000 });
    expect(grill.connections).toHaveLength(2);
    const secondText = grill.connections[1]!.toString('latin1');
    expect(secondText).toContain('CHANGE 1 -> 3 x Kofta');
    expect(secondText).toContain('VOID 1 x Shish Tawook');
    expect(secondText).toContain('guest changed mind');
  });

  it('[KDS-23] exactly once across a relay restart; a print claimed by a relay that died is taken over', async () => {
    const grill = await startFakePrinter('answers');
    await setPrinters('grill', { printer: { host: HOST, port: grill.port }, backupPrinter: null, fallbackToScreen: true });
    let tablet = await connect(tabletToken);
    const printedBefore = send(tablet.doc, ['mixed-grill'], 4);
    const interrupted = send(tablet.doc, ['half-chicken'], 5);
    await waitFor(() => readPrintJobs(tablet.doc).has(printedBefore.tickets[0]!.id) && readPrintJobs(tablet.doc).has(interrupted.tickets[0]!.id), { timeoutMs: 10_000 });
    expect(copiesOn(grill, printedBefore.tableLabel)).toBe(1);

    // As if the relay had claimed the second ticket and died before the printer confirmed it.
    await db.query(
      `update ticket_prints set finished_at = null, status = null, job = null, claimed_at = now() - interval '10 minutes' where ticket_id = $1`,
      [interrupted.tickets[0]!.id],
    );
    await shutdown();
    await boot();
    tablet = await connect(tabletToken);
    await waitFor(() => copiesOn(grill, interrupted.tableLabel) === 2, { timeoutMs: 10_000 });
    await server.printing.idle();
    expect(copiesOn(grill, printedBefore.tableLabel)).toBe(1);
    const { rows } = await db.query<{ status: string }>('select status from ticket_prints where ticket_id = $1', [interrupted.tickets[0]!.id]);
    expect(rows[0]?.status).toBe('printed');
  });

  it('[KDS-23] two relays watching the same ticket print it once', async () => {
    const grill = await startFakePrinter('answers');
    await setPrinters('grill', { printer: { host: HOST, port: grill.port }, backupPrinter: null, fallbackToScreen: true });
    const docs = [new Y.Doc(), new Y.Doc()];
    const relays = docs.map((_, i) => createKitchenPrinting(db, { relayId: `relay-${i}`, gateway: createPrintGateway({ timeoutMs: PRINT_TIMEOUT_MS }), log: () => undefined }));
    relays.forEach((r, i) => r.watch(docs[i]!, 'cairo'));
    const { tableLabel } = send(docs[0]!, ['kofta'], 6);
    Y.applyUpdate(docs[1]!, Y.encodeStateAsUpdate(docs[0]!));
    await Promise.all(relays.map((r) => r.idle()));
    expect(copiesOn(grill, tableLabel)).toBe(1);
    expect(docs.filter((d) => readPrintJobs(d).size === 1)).toHaveLength(1);
  });

  it('[KDS-27] two tablets offline both send the same line with other lines: the printer and the screens get it once', async () => {
    const grill = await startFakePrinter('answers');
    await setPrinters('grill', { printer: { host: HOST, port: grill.port }, backupPrinter: null, fallbackToScreen: true });
    const sara = await connect(tabletToken);
    const kitchen = await connect(kitchenToken);
    const orderId = randomUUID();
    const table = cairo.tables[7]!;
    openOrder(sara.doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: table.id, guests: 2, openedAt: Date.now(), openedBy: 'sara', deviceId: 'pos-test' });
    const kofta = lineFor(cairo, 'kofta');
    addLine(sara.doc, orderId, kofta);
    // Omar's tablet has the order as it was, then loses the network.
    const omar = new Y.Doc();
    Y.applyUpdate(omar, Y.encodeStateAsUpdate(sara.doc));
    // Each adds a grill line of their own and sends: both tickets carry the kofta.
    addLine(sara.doc, orderId, lineFor(cairo, 'shish-tawook'));
    const [saraTicket] = sendToKitchen(sara.doc, { orderId, newTicketId: () => randomUUID(), tableLabel: table.label, by: 'sara', waiterName: 'Sara', now: Date.now() });
    addLine(omar, orderId, lineFor(cairo, 'half-chicken', 'omar'));
    const [omarTicket] = sendToKitchen(omar, { orderId, newTicketId: () => randomUUID(), tableLabel: table.label, by: 'omar', waiterName: 'Omar', now: Date.now() + 1 });
    expect(saraTicket!.items.map((i) => i.nameEn).sort()).toEqual(['Kofta', 'Shish Tawook']);
    expect(omarTicket!.items.map((i) => i.nameEn).sort()).toEqual(['Grilled Half Chicken', 'Kofta']);
    await waitFor(() => readPrintJobs(sara.doc).has(saraTicket!.id), { timeoutMs: 10_000 });

    // Omar's tablet comes back.
    const omarOnline = await connect(tabletToken);
    Y.applyUpdate(omarOnline.doc, Y.encodeStateAsUpdate(omar));
    await waitFor(() => readPrintJobs(kitchen.doc).has(omarTicket!.id), { timeoutMs: 10_000 });
    await server.printing.idle();
    const printed = grill.connections.map((bytes) => bytes.toString('latin1')).filter((text) => text.includes(`Table ${table.label}`));
    expect(printed).toHaveLength(2);
    expect(printed[0]).toContain('Kofta');
    expect(printed[1]).toContain('Grilled Half Chicken');
    expect(printed[1]).not.toContain('Kofta');
    // the kitchen screen's board: the kofta on Omar's ticket is "already sent" and counted once
    const board = kitchenBoard(kitchen.doc, { stations: ['grill'], catalog: null });
    const omarView = board.open.find((v) => v.ticket.id === omarTicket!.id)!;
    expect(omarView.items.find((i) => i.item.lineId === kofta.id)?.duplicateOf).toBe(saraTicket!.id);
    expect(board.open.find((v) => v.ticket.id === saraTicket!.id)!.items.every((i) => i.duplicateOf === null)).toBe(true);
    const koftaToMake = board.open.flatMap((v) => v.items).filter((i) => i.item.lineId === kofta.id && i.duplicateOf === null);
    expect(koftaToMake).toHaveLength(1);
  });

  it('[KDS-24] a device may not write print reports: the relay refuses it', async () => {
    const tablet = await connect(tabletToken);
    tablet.doc.getMap('printJobs').set(randomUUID(), { status: 'printed' });
    await waitFor(() => tablet.closes.some((c) => c.code >= 4400 && c.code < 4500));
  });
});
