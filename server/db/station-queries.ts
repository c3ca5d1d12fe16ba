/**
 * Kitchen stations (migration 004): names, printers and the screen fallback per branch, and the
 * durable record of which kitchen tickets have been taken on for printing.
 */
import { stationSchema, type Station } from '../../shared/schemas/catalog';
import { printJobSchema, type PrintJob } from '../../shared/schemas/print-job';
import type { Database, Queryable } from './database';

interface StationRow {
  id: string;
  name_en: string;
  name_ar: string;
  printer_host: string | null;
  printer_port: number;
  backup_host: string | null;
  backup_port: number;
  fallback_to_screen: boolean;
}

const STATION_COLUMNS = 'id, name_en, name_ar, printer_host, printer_port, backup_host, backup_port, fallback_to_screen';

const toStation = (row: StationRow): Station =>
  stationSchema.parse({
    id: row.id,
    nameEn: row.name_en,
    nameAr: row.name_ar,
    printer: row.printer_host ? { host: row.printer_host, port: row.printer_port } : null,
    backupPrinter: row.backup_host ? { host: row.backup_host, port: row.backup_port } : null,
    fallbackToScreen: row.fallback_to_screen,
  });

export async function listStations(db: Queryable, branchId: string): Promise<Station[]> {
  const { rows } = await db.query<StationRow>(`select ${STATION_COLUMNS} from stations where branch_id = $1 order by sort, id`, [branchId]);
  return rows.map(toStation);
}

/** A branch's stations and its time zone in one round trip (the print path runs it per ticket). */
export async function loadPrintSettings(db: Queryable, branchId: string): Promise<{ stations: Station[]; timeZone: string | null }> {
  const { rows } = await db.query<StationRow & { time_zone: string }>(
    `select ${STATION_COLUMNS.split(', ').map((c) => `s.${c}`).join(', ')}, b.time_zone
       from branches b left join stations s on s.branch_id = b.id
      where b.id = $1 order by s.sort, s.id`,
    [branchId],
  );
  return { stations: rows.filter((r) => r.id !== null).map(toStation), timeZone: rows[0]?.time_zone ?? null };
}

export type StationPrinterSettings = Pick<Station, 'printer' | 'backupPrinter' | 'fallbackToScreen'>;

/**
 * Changes a station's printers and screen fallback, and bumps the branch's catalog version so
 * devices refresh. Null when the branch has no such station.
 */
export async function updateStationPrinters(
  db: Database,
  branchId: string,
  stationId: string,
  settings: StationPrinterSettings,
): Promise<Station | null> {
  return db.transact(async (tx) => {
    const { rows } = await tx.query<StationRow>(
      `update stations set printer_host = $3, printer_port = $4, backup_host = $5, backup_port = $6, fallback_to_screen = $7
        where branch_id = $1 and id = $2 returning ${STATION_COLUMNS}`,
      [
        branchId,
        stationId,
        settings.printer?.host ?? null,
        settings.printer?.port ?? 9100,
        settings.backupPrinter?.host ?? null,
        settings.backupPrinter?.port ?? 9100,
        settings.fallbackToScreen,
      ],
    );
    const row = rows[0];
    if (!row) return null;
    await tx.query('update branches set catalog_version = catalog_version + 1 where id = $1', [branchId]);
    return toStation(row);
  });
}

export interface TicketPrintOutcomeRecord {
  status: 'printed' | 'failed' | 'skipped';
  /** What devices are shown; null when skipped. */
  job: PrintJob | null;
  attempts: number;
}

/**
 * Takes a ticket on for printing. True for exactly one caller: the first to ask, or — when the
 * one that took it never finished within `leaseMs` (its relay died mid-print) — the next one
 * after that. A finished ticket is never taken again.
 */
export async function claimTicketPrint(
  db: Queryable,
  claim: { ticketId: string; branchId: string; stationId: string; claimedBy: string; leaseMs: number },
): Promise<boolean> {
  const { rows } = await db.query<{ ticket_id: string }>(
    `insert into ticket_prints (ticket_id, branch_id, station_id, claimed_by) values ($1, $2, $3, $4)
     on conflict (ticket_id) do update set claimed_at = now(), claimed_by = excluded.claimed_by
       where ticket_prints.finished_at is null
         and ticket_prints.claimed_at < now() - ($5::integer * interval '1 millisecond')
     returning ticket_id`,
    [claim.ticketId, claim.branchId, claim.stationId, claim.claimedBy, claim.leaseMs],
  );
  return rows.length === 1;
}

/**
 * Records tickets of screen-only stations as done, in one statement: nothing is printed, and a
 * printer added to the station later does not print them. Tickets already recorded are left alone.
 */
export async function recordSkippedTicketPrints(
  db: Queryable,
  tickets: readonly { ticketId: string; branchId: string; stationId: string }[],
  claimedBy: string,
): Promise<void> {
  if (tickets.length === 0) return;
  await db.query(
    `insert into ticket_prints (ticket_id, branch_id, station_id, claimed_by, finished_at, status)
     select t.ticket_id, t.branch_id, t.station_id, $4, now(), 'skipped'
       from unnest($1::uuid[], $2::text[], $3::text[]) as t(ticket_id, branch_id, station_id)
     on conflict (ticket_id) do nothing`,
    [tickets.map((t) => t.ticketId), tickets.map((t) => t.branchId), tickets.map((t) => t.stationId), claimedBy],
  );
}

export async function finishTicketPrint(db: Queryable, ticketId: string, outcome: TicketPrintOutcomeRecord): Promise<void> {
  await db.query(
    'update ticket_prints set finished_at = now(), status = $2, job = $3, attempts = $4 where ticket_id = $1',
    [ticketId, outcome.status, outcome.job === null ? null : JSON.stringify(outcome.job), outcome.attempts],
  );
}

/** Of these tickets, the ones whose printing has finished (they are never printed again), with what devices were shown. */
export async function finishedTicketPrints(db: Queryable, ticketIds: readonly string[]): Promise<Map<string, PrintJob | null>> {
  if (ticketIds.length === 0) return new Map();
  const { rows } = await db.query<{ ticket_id: string; job: unknown }>(
    'select ticket_id, job from ticket_prints where ticket_id = any($1::uuid[]) and finished_at is not null',
    [ticketIds],
  );
  return new Map(
    rows.map((r) => {
      // pg returns jsonb parsed; PGlite too. A row that does not parse still counts as finished.
      const job = printJobSchema.safeParse(typeof r.job === 'string' ? JSON.parse(r.job) : r.job);
      return [r.ticket_id, job.success ? job.data : null];
    }),
  );
}
