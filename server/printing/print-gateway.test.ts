import { describe, expect, it } from 'vitest';
import { createPrintGateway } from './print-gateway';
import { printerEndpointSchema, stationPrintersSchema } from './printer-config';
import type { PrintResult, SendReceipt } from './printer-transport';
import type { StationTicketInput } from './ticket-content';

const ticket = (n: number): StationTicketInput => ({
  ticketId: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  orderId: '1a2b3c4d-2222-4222-8222-222222222222',
  stationId: 'grill',
  stationName: 'Grill',
  tableLabel: 'T1',
  waiterName: 'Sara',
  sentAt: 0,
  lines: [{ lineId: '3a2b3c4d-2222-4222-8222-222222222222', qty: n, nameEn: `Kofta ${n}`, nameAr: '', modifiers: [], note: '' }],
});

const printer = (host: string) => printerEndpointSchema.parse({ host });
const ok: PrintResult<SendReceipt> = { ok: true, value: { bytesSent: 1, isPaperLow: false } };
const refused: PrintResult<SendReceipt> = { ok: false, error: { code: 'connection-refused', message: 'refused' } };

/** A transport whose answers the test decides, logging when each send starts and ends. */
function fakeTransport(answer: (host: string, call: number) => { result: PrintResult<SendReceipt>; delayMs: number }) {
  const events: string[] = [];
  let calls = 0;
  const send = async (p: { host: string }, bytes: Uint8Array) => {
    const text = Buffer.from(bytes).toString('latin1');
    const label = `${p.host}:${/Kofta (\d+)/.exec(text)?.[1] ?? '?'}`;
    const { result, delayMs } = answer(p.host, calls++);
    events.push(`start ${label}`);
    await new Promise((r) => setTimeout(r, delayMs));
    events.push(`end ${label}`);
    return result;
  };
  return { send, events };
}

describe('print gateway (queueing and fallback logic)', () => {
  it('[PRN-02] sends tickets to one printer one after the other, in the order they were given', async () => {
    // The first ticket is the slow one: without a queue the second would finish first.
    const transport = fakeTransport((_host, call) => ({ result: ok, delayMs: call === 0 ? 60 : 1 }));
    const gateway = createPrintGateway({ send: transport.send });
    const results = await Promise.all([gateway.printTicket(printer('a'), ticket(1)), gateway.printTicket(printer('a'), ticket(2))]);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(transport.events).toEqual(['start a:1', 'end a:1', 'start a:2', 'end a:2']);
  });

  it('does not make one printer wait for another', async () => {
    const transport = fakeTransport((host) => ({ result: ok, delayMs: host === 'slow' ? 60 : 1 }));
    const gateway = createPrintGateway({ send: transport.send });
    await Promise.all([gateway.printTicket(printer('slow'), ticket(1)), gateway.printTicket(printer('fast'), ticket(2))]);
    expect(transport.events.indexOf('end fast:2')).toBeLessThan(transport.events.indexOf('end slow:1'));
  });

  it('[PRN-03] tries a recently failed primary after its backup, so a dead printer does not delay every ticket', async () => {
    let clock = 1_000;
    const transport = fakeTransport((host) => ({ result: host === 'primary' ? refused : ok, delayMs: 1 }));
    const gateway = createPrintGateway({ send: transport.send, now: () => clock, suspectForMs: 30_000 });
    const station = stationPrintersSchema.parse({ stationId: 'grill', primary: { host: 'primary' }, backup: { host: 'backup' } });

    const first = await gateway.printForStation(station, ticket(1));
    expect(first).toMatchObject({ isPrinted: true, printedOn: 'backup', fallback: 'backup' });
    expect(first.attempts.map((a) => a.role)).toEqual(['primary', 'backup']);

    const second = await gateway.printForStation(station, ticket(2));
    expect(second.attempts.map((a) => a.role)).toEqual(['backup']);

    clock += 31_000;
    const third = await gateway.printForStation(station, ticket(3));
    expect(third.attempts.map((a) => a.role)).toEqual(['primary', 'backup']);
  });

  it('[PRN-05] records every attempt and each printer\'s state, and survives a listener that throws', async () => {
    const transport = fakeTransport((host) => ({ result: host === 'primary' ? refused : ok, delayMs: 1 }));
    const seen: string[] = [];
    const gateway = createPrintGateway({
      send: transport.send,
      onAttempt: (a) => {
        seen.push(`${a.printerKey} ${a.isOk ? 'ok' : a.error?.code}`);
        throw new Error('listener bug');
      },
    });
    const station = stationPrintersSchema.parse({ stationId: 'grill', primary: { host: 'primary' }, backup: { host: 'backup' } });
    const outcome = await gateway.printForStation(station, ticket(1));
    expect(outcome.isPrinted).toBe(true);
    expect(seen).toEqual(['primary:9100 connection-refused', 'backup:9100 ok']);
    expect(gateway.attempts()).toHaveLength(2);
    const statuses = Object.fromEntries(gateway.printerStatuses().map((s) => [s.printerKey, s]));
    expect(statuses['primary:9100']).toMatchObject({ isOk: false, consecutiveFailures: 1, lastError: { code: 'connection-refused' } });
    expect(statuses['backup:9100']).toMatchObject({ isOk: true, consecutiveFailures: 0 });
  });

  it('[PRN-04] falls back to the screen when there is no backup and the primary fails', async () => {
    const transport = fakeTransport(() => ({ result: refused, delayMs: 1 }));
    const gateway = createPrintGateway({ send: transport.send });
    const outcome = await gateway.printForStation(stationPrintersSchema.parse({ stationId: 'grill', primary: { host: 'primary' } }), ticket(1));
    expect(outcome).toMatchObject({ isPrinted: false, fallback: 'screen', reason: 'printers-failed', error: { code: 'connection-refused' } });
  });

  it('keeps only the most recent attempts', async () => {
    const transport = fakeTransport(() => ({ result: ok, delayMs: 0 }));
    const gateway = createPrintGateway({ send: transport.send, maxAttemptsKept: 2 });
    for (const n of [1, 2, 3]) await gateway.printTicket(printer('a'), ticket(n));
    expect(gateway.attempts().map((a) => a.ticketId.slice(-1))).toEqual(['2', '3']);
  });
});
