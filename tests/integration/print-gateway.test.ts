/**
 * The print gateway against real TCP listeners on 127.0.0.1 that stand in for network printers:
 * they record every byte and answer status requests the way an ESC/POS printer does (or, for the
 * failure cases, refuse, hang or report no paper). Nothing here talks to any other address.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addLine, openOrder, sendToKitchen } from '../../shared/live-doc';
import { orderLineSchema, type OrderLine } from '../../shared/schemas/order';
import { createPrintGateway } from '../../server/printing/print-gateway';
import { branchPrinterConfigSchema, printerEndpointSchema, stationPrintersSchema } from '../../server/printing/printer-config';
import { PAPER_STATUS_REQUEST } from '../../server/printing/printer-transport';
import type { StationTicketInput } from '../../server/printing/ticket-content';
import { closedPort, closeFakePrinters, HOST, startFakePrinter } from '../support/fake-printer';
import { waitFor } from '../support/wait';

afterEach(closeFakePrinters);

const endpoint = (port: number, extra: { confirm?: 'status' | 'none'; name?: string } = {}) =>
  printerEndpointSchema.parse({ host: HOST, port, ...extra });

function ticket(overrides: Partial<StationTicketInput> = {}): StationTicketInput {
  return {
    ticketId: randomUUID(),
    orderId: randomUUID(),
    stationId: 'hot',
    stationName: 'Hot',
    tableLabel: 'T4',
    waiterName: 'Sara',
    sentAt: Date.UTC(2025, 5, 1, 18, 5),
    lines: [
      { lineId: randomUUID(), qty: 3, nameEn: 'Koshari', nameAr: 'كشري', modifiers: [{ nameEn: 'Large', nameAr: 'كبير' }], note: 'extra crispy onions' },
      { lineId: randomUUID(), qty: 12, nameEn: 'Falafel Plate', nameAr: 'طبق طعمية', modifiers: [], note: '' },
    ],
    ...overrides,
  };
}

const TIMEOUT_MS = 400;

describe('print gateway over TCP', () => {
  it('[PRN-06][PRN-07] prints a ticket: ESC @, names and quantities, Arabic as a GS v 0 raster, cut, framed by status requests', async () => {
    const printer = await startFakePrinter('answers');
    const gateway = createPrintGateway({ timeoutMs: 2_000 });
    const result = await gateway.printTicket(endpoint(printer.port), ticket());
    expect(result).toMatchObject({ ok: true, value: { isPaperLow: false } });

    const bytes = printer.received();
    const text = bytes.toString('latin1');
    // Status request first (nothing printed before we know the printer is there), then the ticket.
    expect([...bytes.subarray(0, 3)]).toEqual([...PAPER_STATUS_REQUEST]);
    expect([...bytes.subarray(3, 5)]).toEqual([0x1b, 0x40]);
    expect(text).toContain('3 x Koshari');
    expect(text).toContain('12 x Falafel Plate');
    expect(text).toContain('+ Large');
    expect(text).toContain('extra crispy onions');
    expect(text).toContain('Table T4');
    expect(bytes.indexOf(Buffer.from([0x1d, 0x76, 0x30, 0x00]))).toBeGreaterThan(0);
    // The cut, then the closing status request that confirms the printer read it all.
    const cut = text.lastIndexOf('\x1dV');
    expect(cut).toBeGreaterThan(text.indexOf('12 x Falafel Plate'));
    expect([...bytes.subarray(bytes.length - 3)]).toEqual([...PAPER_STATUS_REQUEST]);
    expect(result.ok && result.value.bytesSent).toBe(bytes.length - 2 * PAPER_STATUS_REQUEST.length);
  });

  it('[PRN-02] sends two tickets to one printer in order, one connection after the other', async () => {
    // Slow answers make the first ticket's exchange long: the second must still come after it.
    const printer = await startFakePrinter('answers', { answerDelayMs: 50 });
    const gateway = createPrintGateway({ timeoutMs: 2_000 });
    const first = ticket({ tableLabel: 'FIRST-1' });
    const second = ticket({ tableLabel: 'SECOND-2' });
    const results = await Promise.all([gateway.printTicket(endpoint(printer.port), first), gateway.printTicket(endpoint(printer.port), second)]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);

    expect(printer.connections).toHaveLength(2);
    expect(printer.connections[0]?.toString('latin1')).toContain('Table FIRST-1');
    expect(printer.connections[1]?.toString('latin1')).toContain('Table SECOND-2');
    const [a, b] = gateway.attempts();
    expect(b!.startedAt).toBeGreaterThanOrEqual(a!.finishedAt);
    // Many printers serve one connection at a time: the first was closed before the second came.
    expect(printer.maxOpenAtOnce()).toBe(1);
  });

  it('[PRN-03][PRN-05] goes to the backup when the primary refuses the connection', async () => {
    const backup = await startFakePrinter('answers');
    const station = stationPrintersSchema.parse({
      stationId: 'hot',
      primary: { host: HOST, port: await closedPort(), name: 'Hot printer' },
      backup: { host: HOST, port: backup.port, name: 'Bar printer' },
    });
    const gateway = createPrintGateway({ timeoutMs: TIMEOUT_MS });
    const outcome = await gateway.printForStation(station, ticket());

    expect(outcome).toMatchObject({ isPrinted: true, printedOn: 'backup', fallback: 'backup' });
    expect(outcome.attempts.map((a) => [a.role, a.isOk, a.error?.code ?? null])).toEqual([
      ['primary', false, 'connection-refused'],
      ['backup', true, null],
    ]);
    expect(backup.received().toString('latin1')).toContain('3 x Koshari');
    // What a caller shows as "printer Hot printer failed".
    const failed = gateway.printerStatuses().find((s) => !s.isOk);
    expect(failed).toMatchObject({ printer: { name: 'Hot printer' }, lastError: { code: 'connection-refused' }, consecutiveFailures: 1 });
  });

  it('[PRN-03] goes to the backup when the primary accepts but never reads or answers within the timeout', async () => {
    const hung = await startFakePrinter('hangs');
    const backup = await startFakePrinter('answers');
    const station = stationPrintersSchema.parse({ stationId: 'hot', primary: { host: HOST, port: hung.port }, backup: { host: HOST, port: backup.port } });
    const gateway = createPrintGateway({ timeoutMs: TIMEOUT_MS });
    const started = Date.now();
    const outcome = await gateway.printForStation(station, ticket());

    expect(outcome).toMatchObject({ isPrinted: true, printedOn: 'backup', fallback: 'backup' });
    expect(outcome.attempts[0]).toMatchObject({ role: 'primary', isOk: false, error: { code: 'timeout' } });
    expect(Date.now() - started).toBeGreaterThanOrEqual(TIMEOUT_MS - 20);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1_500);
    expect(hung.connections).toHaveLength(1);
    expect(backup.received().toString('latin1')).toContain('12 x Falafel Plate');
  });

  it('[PRN-03] goes to the backup when the primary drops the connection (socket error)', async () => {
    const flaky = await startFakePrinter('drops');
    const backup = await startFakePrinter('answers');
    const station = stationPrintersSchema.parse({ stationId: 'hot', primary: { host: HOST, port: flaky.port }, backup: { host: HOST, port: backup.port } });
    const outcome = await createPrintGateway({ timeoutMs: TIMEOUT_MS }).printForStation(station, ticket());

    expect(outcome).toMatchObject({ isPrinted: true, printedOn: 'backup' });
    expect(outcome.attempts[0]).toMatchObject({ role: 'primary', isOk: false, error: { code: 'socket-error' } });
  });

  it('[PRN-04] says fallback "screen" when both printers fail, and keeps the reason of each', async () => {
    const hung = await startFakePrinter('hangs');
    const station = stationPrintersSchema.parse({ stationId: 'hot', primary: { host: HOST, port: await closedPort() }, backup: { host: HOST, port: hung.port } });
    const gateway = createPrintGateway({ timeoutMs: TIMEOUT_MS });
    const outcome = await gateway.printForStation(station, ticket());

    expect(outcome).toMatchObject({ isPrinted: false, fallback: 'screen', reason: 'printers-failed' });
    expect(outcome.attempts.map((a) => a.error?.code)).toEqual(['connection-refused', 'timeout']);
    expect(gateway.printerStatuses().every((s) => !s.isOk)).toBe(true);
  });

  it('[PRN-06] does not print on a printer that reports no paper, so the backup copy is the only one', async () => {
    const empty = await startFakePrinter('paper-out');
    const backup = await startFakePrinter('answers');
    const station = stationPrintersSchema.parse({ stationId: 'hot', primary: { host: HOST, port: empty.port }, backup: { host: HOST, port: backup.port } });
    const outcome = await createPrintGateway({ timeoutMs: TIMEOUT_MS }).printForStation(station, ticket());

    expect(outcome).toMatchObject({ isPrinted: true, printedOn: 'backup' });
    expect(outcome.attempts[0]?.error?.code).toBe('paper-out');
    await waitFor(() => empty.connections.length === 1);
    expect([...(empty.connections[0] ?? [])]).toEqual([...PAPER_STATUS_REQUEST]);
  });

  it('with confirm "none", succeeds once the bytes are sent to a printer that never answers status', async () => {
    const silent = await startFakePrinter('silent');
    const result = await createPrintGateway({ timeoutMs: TIMEOUT_MS }).printTicket(endpoint(silent.port, { confirm: 'none' }), ticket());
    expect(result.ok).toBe(true);
    await waitFor(() => silent.received().toString('latin1').includes('12 x Falafel Plate'));
    expect([...silent.received().subarray(0, 2)]).toEqual([0x1b, 0x40]);
  });

  it('[PRN-01][PRN-04] prints a kitchen ticket from the live document: each station gets its own lines; a station without a printer goes to the screen', async () => {
    const hot = await startFakePrinter('answers');
    const cold = await startFakePrinter('answers');
    const config = branchPrinterConfigSchema.parse({
      branchId: 'cairo',
      timeZone: 'Africa/Cairo',
      stations: [
        { stationId: 'hot', primary: { host: HOST, port: hot.port } },
        { stationId: 'cold', primary: { host: HOST, port: cold.port } },
      ],
    });

    const doc = new Y.Doc();
    const orderId = randomUUID();
    openOrder(doc, { id: orderId, branchId: 'cairo', type: 'dine-in', tableId: 't7', guests: 2, openedAt: Date.now(), openedBy: 'sara', deviceId: 'pos-1' });
    const line = (nameEn: string, nameAr: string, station: string, qty: number): OrderLine =>
      orderLineSchema.parse({
        id: randomUUID(), itemId: `cairo-${station}-item`, nameEn, nameAr, qty, unitPriceMinor: 5_000, modifiers: [], note: '',
        station, addedBy: 'sara', addedAt: Date.now(), ticketId: null,
      });
    addLine(doc, orderId, line('Koshari', 'كشري', 'hot', 2));
    addLine(doc, orderId, line('Hummus', 'حمص', 'cold', 1));
    addLine(doc, orderId, line('Om Ali', 'أم علي', 'pastry', 4));
    const kitchenTickets = sendToKitchen(doc, { orderId, newTicketId: () => randomUUID(), tableLabel: 'T7', by: 'sara', waiterName: 'Sara', now: Date.now() });
    if (kitchenTickets.length !== 3) throw new Error('order setup failed');

    const gateway = createPrintGateway({ timeoutMs: 2_000 });
    const outcomes = [];
    for (const kitchenTicket of kitchenTickets) {
      outcomes.push(await gateway.printKitchenTicket(config, kitchenTicket, { stationName: (id) => id }));
    }

    expect(outcomes.map((o) => [o.stationId, o.isPrinted, o.fallback]).sort()).toEqual([
      ['cold', true, null],
      ['hot', true, null],
      ['pastry', false, 'screen'],
    ]);
    expect(outcomes.find((o) => o.stationId === 'pastry')).toMatchObject({ reason: 'no-printer' });
    const hotText = hot.received().toString('latin1');
    const coldText = cold.received().toString('latin1');
    expect(hotText).toContain('2 x Koshari');
    expect(hotText).not.toContain('Hummus');
    expect(coldText).toContain('1 x Hummus');
    expect(coldText).not.toContain('Koshari');
    expect(hotText + coldText).not.toContain('Om Ali');
  });
});
