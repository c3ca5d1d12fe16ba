/**
 * Kitchen printing wired to the live rooms: every kitchen ticket that appears in a branch's
 * document is printed once on its station's printer (backup printer, then the kitchen screen),
 * and the outcome is written into the document's server-owned `printJobs` map so the kitchen
 * screen and the waiter's tablet can say "printed on the backup" or "printer Grill failed".
 *
 * Exactly once, across restarts and relays: before printing, the relay claims the ticket id in
 * Postgres (`ticket_prints`); only the claimant prints. A finished ticket is never printed again.
 * A claim left unfinished (the relay died mid-print) may be taken over after `leaseMs` when a
 * room is loaded again — a second paper copy rather than a lost ticket, as the gateway does
 * for a printer that dies before confirming.
 *
 * Hooked in through the relay's `onRoomLoaded` (like settlement): a room's tickets are looked at
 * when it loads and then on every new ticket, whichever device or relay it came from.
 */
import type * as Y from 'yjs';
import { itemInstruction } from '../../shared/kitchen-duplicates';
import { readPrintJobs, ticketsRoot, writePrintJob } from '../../shared/live-doc';
import { kitchenTicketSchema, type KitchenTicket } from '../../shared/schemas/order';
import type { PrintJob } from '../../shared/schemas/print-job';
import type { Station } from '../../shared/schemas/catalog';
import type { Database } from '../db/database';
import { claimTicketPrint, finishedTicketPrints, finishTicketPrint, loadPrintSettings, recordSkippedTicketPrints } from '../db/station-queries';
import { createPrintGateway, type PrintAttempt, type PrintGateway, type StationPrintOutcome } from './print-gateway';
import { branchPrinterConfigSchema, type PrinterEndpoint } from './printer-config';

export interface KitchenPrintingOptions {
  /** Who claims tickets in `ticket_prints` (relay instance id); shows in the table for support. */
  relayId: string;
  gateway?: PrintGateway;
  /** How long a claim of a relay that never finished blocks others. Default 60 s. */
  leaseMs?: number;
  /** Tickets older than this found when a room loads are not printed any more. Default 12 h. */
  maxAgeOnLoadMs?: number;
  log?: (line: string) => void;
  now?: () => number;
}

export interface KitchenPrinting {
  /**
   * Starts printing a room's new tickets, and those of its tickets still waiting to be printed.
   * `flushed` resolves once the room's changes so far are stored: a ticket is printed only once
   * it is durable (never one a relay crash could still take back), and the store's write of a
   * send goes to the database before the printing's queries, so the kitchen screens get it first.
   */
  watch(doc: Y.Doc, branchId: string, flushed?: () => Promise<void>): void;
  /** Resolves when every ticket taken on so far has been printed (or failed) and recorded. */
  idle(): Promise<void>;
  /** Forgets a branch's cached printer settings (a manager changed them on this relay). */
  stationsChanged(branchId: string): void;
  readonly gateway: PrintGateway;
}

/** How long a branch's printer settings are reused when no change was announced on this relay. */
const SETTINGS_TTL_MS = 30_000;
/** Screen-only tickets are recorded together, at most this long after they arrive. */
const SKIPPED_BATCH_MS = 500;

const printerLabel = (printer: PrinterEndpoint): string => printer.name ?? `${printer.host}:${printer.port}`;

/** What the tablets and kitchen screens are told about a ticket's printing. */
export function printJobFor(ticket: KitchenTicket, outcome: StationPrintOutcome, station: Station, at: number): PrintJob {
  const failed = outcome.attempts.filter((a: PrintAttempt) => !a.isOk);
  const firstFailure = failed[0] ?? null;
  if (outcome.isPrinted) {
    return {
      status: 'printed',
      stationId: ticket.station,
      printer: printerLabel(outcome.printer),
      fallback: outcome.fallback,
      error: firstFailure?.error ? { ...firstFailure.error, printer: printerLabel(firstFailure.printer) } : null,
      at,
    };
  }
  const last = failed.at(-1) ?? null;
  return {
    status: 'failed',
    stationId: ticket.station,
    printer: last ? printerLabel(last.printer) : null,
    fallback: station.fallbackToScreen ? 'screen' : null,
    error: outcome.error
      ? { code: outcome.error.code, message: outcome.error.message.slice(0, 300), printer: last ? printerLabel(last.printer) : null }
      : { code: outcome.reason, message: outcome.reason, printer: null },
    at,
  };
}

export function createKitchenPrinting(db: Database, options: KitchenPrintingOptions): KitchenPrinting {
  const gateway = options.gateway ?? createPrintGateway();
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAgeOnLoadMs = options.maxAgeOnLoadMs ?? 12 * 60 * 60_000;
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  const inFlight = new Set<Promise<void>>();
  /** Tickets this process has taken on (or found finished); the database decides across processes. */
  const handled = new Set<string>();
  /**
   * Per room document: the kitchen instructions already printed or taken on here. Two tablets
   * sending the same line while cut off from each other make two different tickets carrying it;
   * the second prints without it, so the kitchen makes it once [KDS-27]. Per document, so a
   * retired generation's set goes with it.
   */
  const instructionsTaken = new WeakMap<Y.Doc, Set<string>>();
  const instructionsOf = (doc: Y.Doc) => {
    let set = instructionsTaken.get(doc);
    if (!set) instructionsTaken.set(doc, (set = new Set()));
    return set;
  };
  /** Notes a ticket's instructions; returns the ticket with only those not taken before (null: none left). */
  const withoutRepeats = (doc: Y.Doc, ticket: KitchenTicket): KitchenTicket | null => {
    const taken = instructionsOf(doc);
    const fresh = ticket.items.filter((item) => {
      const key = itemInstruction(ticket.orderId, item);
      if (key === null) return true;
      if (taken.has(key)) return false;
      taken.add(key);
      return true;
    });
    if (fresh.length === 0) return null;
    return fresh.length === ticket.items.length ? ticket : { ...ticket, items: fresh };
  };

  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };

  // During a rush every ticket would cost the database a read of the branch's printers and, for
  // screen-only stations, a write; both are batched so printing adds nothing to a send's latency
  // (the relay shares the database with it). Settings changed on another relay apply within the TTL.
  const settings = new Map<string, { at: number; value: Promise<{ stations: Station[]; timeZone: string | null }> }>();
  const settingsOf = (branchId: string) => {
    const cached = settings.get(branchId);
    if (cached && now() - cached.at < SETTINGS_TTL_MS) return cached.value;
    const value = loadPrintSettings(db, branchId);
    settings.set(branchId, { at: now(), value });
    value.catch(() => settings.delete(branchId));
    return value;
  };
  let skipped: { ticketId: string; branchId: string; stationId: string }[] = [];
  let skipTimer: ReturnType<typeof setTimeout> | null = null;
  const flushSkipped = async () => {
    skipTimer = null;
    const batch = skipped;
    skipped = [];
    await recordSkippedTicketPrints(db, batch, options.relayId).catch((error: unknown) => {
      // Only a note that nothing needs printing: a lost batch costs nothing but a possible print after a restart.
      console.error('[printing] could not record screen-only tickets:', error);
    });
  };

  /** `toPrint` is the ticket without items another ticket already carried (null: nothing left). */
  async function printOne(doc: Y.Doc, branchId: string, ticket: KitchenTicket, toPrint: KitchenTicket | null): Promise<void> {
    const { stations, timeZone } = await settingsOf(branchId);
    const station =
      stations.find((s) => s.id === ticket.station) ??
      ({ id: ticket.station, nameEn: ticket.station, nameAr: ticket.station, printer: null, backupPrinter: null, fallbackToScreen: true } satisfies Station);
    if (!station.printer || toPrint === null) {
      // Also a ticket whose every item another ticket already carried (sent twice offline): the
      // kitchen has it on paper already.
      // A screen-only station: nothing to print and nothing to warn about. Recorded all the
      // same, so a printer configured later does not print the day's old tickets.
      skipped.push({ ticketId: ticket.id, branchId, stationId: ticket.station });
      if (!skipTimer) skipTimer = setTimeout(() => track(flushSkipped()), SKIPPED_BATCH_MS);
      return;
    }
    if (!(await claimTicketPrint(db, { ticketId: ticket.id, branchId, stationId: ticket.station, claimedBy: options.relayId, leaseMs }))) return;

    const config = branchPrinterConfigSchema.parse({
      branchId,
      timeZone: timeZone ?? 'UTC',
      stations: [
        {
          stationId: station.id,
          primary: { ...station.printer, name: `${station.nameEn} printer` },
          ...(station.backupPrinter ? { backup: { ...station.backupPrinter, name: `${station.nameEn} backup printer` } } : {}),
        },
      ],
    });
    const outcome = await gateway.printKitchenTicket(config, toPrint, { stationName: () => station.nameEn });
    const job = printJobFor(ticket, outcome, station, now());
    await finishTicketPrint(db, ticket.id, { status: job.status, job, attempts: outcome.attempts.length });
    // Recorded first, shown second: a crash in between leaves a printed ticket without its note
    // in the document, which the next load repairs from the table — never a second copy.
    writePrintJob(doc, ticket.id, job);
    if (job.status === 'failed' || job.fallback) {
      log(`[printing] ticket ${ticket.id} (${station.id}): ${job.status}${job.fallback ? ` via ${job.fallback}` : ''} — ${job.error?.printer ?? ''} ${job.error?.code ?? ''}`);
    }
  }

  function take(doc: Y.Doc, branchId: string, ticket: KitchenTicket, flushed: () => Promise<void>): void {
    if (handled.has(ticket.id)) return;
    handled.add(ticket.id);
    const toPrint = withoutRepeats(doc, ticket); // now, in the order tickets arrive
    track(
      flushed().then(() => printOne(doc, branchId, ticket, toPrint)).catch((error: unknown) => {
        // Not recorded as finished: the claim's lease lets a later load (here or on another relay) retry.
        handled.delete(ticket.id);
        console.error(`[printing] ticket ${ticket.id} could not be printed:`, error);
      }),
    );
  }

  /** On load: print what was never printed, and show outcomes the document is missing. */
  async function catchUp(doc: Y.Doc, branchId: string, flushed: () => Promise<void>): Promise<void> {
    const tickets = [...ticketsRoot(doc).values()].flatMap((value) => {
      const parsed = kitchenTicketSchema.safeParse(value);
      return parsed.success ? [parsed.data] : [];
    });
    const finished = await finishedTicketPrints(db, tickets.map((t) => t.id));
    const shown = readPrintJobs(doc);
    // Finished ones first (what they carried is on paper), then the rest in the order they were made.
    tickets.sort((a, b) => Number(finished.has(b.id)) - Number(finished.has(a.id)) || a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    for (const ticket of tickets) {
      if (finished.has(ticket.id)) {
        handled.add(ticket.id);
        withoutRepeats(doc, ticket);
        const job = finished.get(ticket.id);
        if (job && !shown.has(ticket.id)) writePrintJob(doc, ticket.id, job);
        continue;
      }
      // Old and done tickets of a room (from before printing existed, or long bumped) stay unprinted.
      if (ticket.status === 'ready' || now() - ticket.createdAt > maxAgeOnLoadMs) continue;
      take(doc, branchId, ticket, flushed);
    }
  }

  return {
    gateway,
    watch(doc, branchId, flushed = () => Promise.resolve()) {
      ticketsRoot(doc).observe((event) => {
        for (const [ticketId, change] of event.changes.keys) {
          if (change.action !== 'add') continue;
          const parsed = kitchenTicketSchema.safeParse(ticketsRoot(doc).get(ticketId));
          if (parsed.success) take(doc, branchId, parsed.data, flushed);
        }
      });
      track(catchUp(doc, branchId, flushed).catch((error: unknown) => console.error(`[printing] could not catch up on ${branchId}:`, error)));
    },
    stationsChanged(branchId) {
      settings.delete(branchId);
    },
    async idle() {
      if (skipTimer) {
        clearTimeout(skipTimer);
        track(flushSkipped());
      }
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      await gateway.idle();
    },
  };
}
