/**
 * The print gateway: one per server process. It renders a station's ticket, sends it to the
 * station's printer through that printer's queue, falls back to the backup printer, and when
 * both fail answers `fallback: 'screen'` so the caller shows the ticket on the station's kitchen
 * screen — a ticket is never dropped. Every attempt is recorded so the tablet and the KDS can say
 * "printer Grill failed: out of paper".
 *
 * One queue per printer (not per station): two stations sharing a printer, or a station falling
 * back onto another station's printer, must not interleave their bytes on one socket, and tickets
 * must come out in the order they were sent.
 */
import type { KitchenTicket } from '../../shared/schemas/order';
import {
  printerKey,
  stationPrinters,
  type BranchPrinterConfig,
  type PrinterEndpoint,
  type StationPrinters,
} from './printer-config';
import { sendToPrinter, type PrintError, type PrintResult, type SendOptions, type SendReceipt } from './printer-transport';
import { stationTicketFor, stationTicketSchema, type StationTicket, type StationTicketInput, type TicketNames } from './ticket-content';
import { renderStationTicket } from './ticket-render';

export type PrinterRole = 'primary' | 'backup' | 'direct';

export interface PrintAttempt {
  ticketId: string;
  stationId: string;
  printerKey: string;
  printer: PrinterEndpoint;
  role: PrinterRole;
  isOk: boolean;
  error: PrintError | null;
  isPaperLow: boolean;
  startedAt: number;
  finishedAt: number;
}

interface OutcomeBase {
  ticketId: string;
  stationId: string;
  attempts: PrintAttempt[];
}

export type StationPrintOutcome =
  | (OutcomeBase & {
      isPrinted: true;
      printedOn: 'primary' | 'backup';
      printer: PrinterEndpoint;
      /** `backup` when the primary failed (or was skipped as recently failed). */
      fallback: 'backup' | null;
    })
  | (OutcomeBase & {
      isPrinted: false;
      /** Show the ticket on the station's kitchen screen. */
      fallback: 'screen';
      reason: 'printers-failed' | 'no-printer' | 'render-failed';
      error: PrintError | null;
    });

/** What the gateway knows about one printer, from its last attempts. */
export interface PrinterStatus {
  printerKey: string;
  printer: PrinterEndpoint;
  isOk: boolean;
  lastError: PrintError | null;
  lastAttemptAt: number;
  consecutiveFailures: number;
  isPaperLow: boolean;
}

export interface PrintGatewayOptions {
  /** Deadline of one attempt on one printer, from connect to confirmation. Default 5 s. */
  timeoutMs?: number;
  /** A primary that failed this recently is tried after the backup, not before. Default 30 s. */
  suspectForMs?: number;
  /** Time zone for `printTicket` calls that name none. Default UTC. */
  timeZone?: string;
  /** Attempts kept in memory for reports. Default 500. */
  maxAttemptsKept?: number;
  /** Called after every attempt; a place to push printer failures to the tablets and the KDS. */
  onAttempt?: (attempt: PrintAttempt) => void;
  now?: () => number;
  /** The transport; tests of the queueing logic may pass a fake. */
  send?: (printer: PrinterEndpoint, bytes: Uint8Array, options: SendOptions) => Promise<PrintResult<SendReceipt>>;
}

export interface PrintGateway {
  /** Prints on exactly this printer, after the tickets already queued for it. No fallback. */
  printTicket(printer: PrinterEndpoint, ticket: StationTicketInput, options?: { timeZone?: string }): Promise<PrintResult<SendReceipt>>;
  /** Primary, then backup, then `fallback: 'screen'`. */
  printForStation(station: StationPrinters, ticket: StationTicketInput, options?: { timeZone?: string }): Promise<StationPrintOutcome>;
  /**
   * Prints a kitchen ticket (one station's part of a send, from its item snapshots) on its
   * station's printers; `fallback: 'screen'` with `no-printer` when the station has none.
   */
  printKitchenTicket(config: BranchPrinterConfig, ticket: KitchenTicket, names: TicketNames): Promise<StationPrintOutcome>;
  /** Recent attempts, oldest first. */
  attempts(): readonly PrintAttempt[];
  /** One entry per printer the gateway has tried. */
  printerStatuses(): PrinterStatus[];
  /** Resolves when every queued ticket has been tried (for shutdown and tests). */
  idle(): Promise<void>;
}

interface SendJob {
  ticket: StationTicket;
  printer: PrinterEndpoint;
  role: PrinterRole;
  bytes: Uint8Array;
}

export function createPrintGateway(options: PrintGatewayOptions = {}): PrintGateway {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const suspectForMs = options.suspectForMs ?? 30_000;
  const defaultTimeZone = options.timeZone ?? 'UTC';
  const maxAttemptsKept = options.maxAttemptsKept ?? 500;
  const now = options.now ?? Date.now;
  const send = options.send ?? sendToPrinter;

  const log: PrintAttempt[] = [];
  const statuses = new Map<string, PrinterStatus>();
  /** The last job queued on each printer; the next one starts when it settles. */
  const tails = new Map<string, Promise<unknown>>();

  function record(attempt: PrintAttempt): void {
    log.push(attempt);
    if (log.length > maxAttemptsKept) log.splice(0, log.length - maxAttemptsKept);
    const previous = statuses.get(attempt.printerKey);
    statuses.set(attempt.printerKey, {
      printerKey: attempt.printerKey,
      printer: attempt.printer,
      isOk: attempt.isOk,
      lastError: attempt.error,
      lastAttemptAt: attempt.finishedAt,
      consecutiveFailures: attempt.isOk ? 0 : (previous?.consecutiveFailures ?? 0) + 1,
      isPaperLow: attempt.isPaperLow,
    });
    try {
      options.onAttempt?.(attempt);
    } catch {
      // A failing listener must not turn a printed ticket into an unprinted one.
    }
  }

  function enqueue<T>(key: string, job: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(job);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  }

  /** Sends on the printer's queue and records the attempt; never rejects. */
  function sendQueued(job: SendJob): Promise<{ result: PrintResult<SendReceipt>; attempt: PrintAttempt }> {
    const key = printerKey(job.printer);
    return enqueue(key, async () => {
      const startedAt = now();
      let result: PrintResult<SendReceipt>;
      try {
        result = await send(job.printer, job.bytes, { timeoutMs, confirm: job.printer.confirm });
      } catch (error) {
        result = { ok: false, error: { code: 'socket-error', message: error instanceof Error ? error.message : String(error) } };
      }
      const attempt: PrintAttempt = {
        ticketId: job.ticket.ticketId,
        stationId: job.ticket.stationId,
        printerKey: key,
        printer: job.printer,
        role: job.role,
        isOk: result.ok,
        error: result.ok ? null : result.error,
        isPaperLow: result.ok && result.value.isPaperLow,
        startedAt,
        finishedAt: now(),
      };
      record(attempt);
      return { result, attempt };
    });
  }

  function render(ticket: StationTicket, timeZone: string): PrintResult<Uint8Array> {
    try {
      return { ok: true, value: renderStationTicket(ticket, { timeZone }) };
    } catch (error) {
      return { ok: false, error: { code: 'render-failed', message: error instanceof Error ? error.message : String(error) } };
    }
  }

  function isSuspect(printer: PrinterEndpoint): boolean {
    const status = statuses.get(printerKey(printer));
    return !!status && !status.isOk && now() - status.lastAttemptAt < suspectForMs;
  }

  async function printForStation(
    station: StationPrinters,
    input: StationTicketInput,
    callOptions: { timeZone?: string } = {},
  ): Promise<StationPrintOutcome> {
    const base = { ticketId: input.ticketId, stationId: input.stationId };
    const parsed = stationTicketSchema.safeParse(input);
    if (!parsed.success) {
      return { ...base, attempts: [], isPrinted: false, fallback: 'screen', reason: 'render-failed', error: { code: 'render-failed', message: parsed.error.message } };
    }
    const ticket = parsed.data;
    const bytes = render(ticket, callOptions.timeZone ?? defaultTimeZone);
    if (!bytes.ok) return { ...base, attempts: [], isPrinted: false, fallback: 'screen', reason: 'render-failed', error: bytes.error };

    const candidates: { printer: PrinterEndpoint; role: 'primary' | 'backup' }[] = [{ printer: station.primary, role: 'primary' }];
    if (station.backup) {
      const backup = { printer: station.backup, role: 'backup' as const };
      // A primary that just failed would make every ticket wait out its timeout before the
      // backup gets it; during a rush that delay adds up. It is still tried, second.
      if (isSuspect(station.primary) && !isSuspect(station.backup)) candidates.unshift(backup);
      else candidates.push(backup);
    }

    const attempts: PrintAttempt[] = [];
    for (const candidate of candidates) {
      const { result, attempt } = await sendQueued({ ticket, printer: candidate.printer, role: candidate.role, bytes: bytes.value });
      attempts.push(attempt);
      if (result.ok) {
        return {
          ...base,
          attempts,
          isPrinted: true,
          printedOn: candidate.role,
          printer: candidate.printer,
          fallback: candidate.role === 'backup' ? 'backup' : null,
        };
      }
    }
    return { ...base, attempts, isPrinted: false, fallback: 'screen', reason: 'printers-failed', error: attempts.at(-1)?.error ?? null };
  }

  return {
    async printTicket(printer, input, callOptions = {}) {
      const parsed = stationTicketSchema.safeParse(input);
      if (!parsed.success) return { ok: false, error: { code: 'render-failed', message: parsed.error.message } };
      const ticket = parsed.data;
      const bytes = render(ticket, callOptions.timeZone ?? defaultTimeZone);
      if (!bytes.ok) return bytes;
      const { result } = await sendQueued({ ticket, printer, role: 'direct', bytes: bytes.value });
      return result;
    },

    printForStation,

    async printKitchenTicket(config, ticket, names) {
      const part = stationTicketFor(ticket, names);
      const station = stationPrinters(config, part.stationId);
      if (!station) {
        return { ticketId: part.ticketId, stationId: part.stationId, attempts: [], isPrinted: false, fallback: 'screen', reason: 'no-printer', error: null };
      }
      return printForStation(station, part, { timeZone: config.timeZone });
    },

    attempts: () => [...log],

    printerStatuses: () => [...statuses.values()],

    async idle() {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
