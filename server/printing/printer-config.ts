/**
 * Which network printer prints each kitchen station's tickets, per branch. Kept beside the print
 * gateway for now (shared/ is being reworked in parallel); it belongs with the other reference
 * data in shared/schemas once printers are configured from the manager pages.
 */
import { z } from 'zod';
import { slugIdSchema } from '../../shared/schemas/common';

/** The raw-TCP ("JetDirect", "port 9100") port of virtually every network receipt printer. */
export const DEFAULT_PRINTER_PORT = 9100;

/**
 * How the gateway knows a printer took a ticket.
 * - `status`: ask the printer's real-time status (`DLE EOT 4`) before and after the ticket. A
 *   printer that is hung, or out of paper, is detected and the ticket goes to the backup.
 * - `none`: for printers that never answer status requests. Success then only means the bytes
 *   left this machine: a printer that accepts the connection but never prints is not detected.
 */
export const PRINTER_CONFIRM_MODES = ['status', 'none'] as const;
export type PrinterConfirmMode = (typeof PRINTER_CONFIRM_MODES)[number];

export const printerEndpointSchema = z.object({
  /** IP address or LAN host name; no scheme, no port. */
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, 'expected a host name or an IP address'),
  port: z.number().int().min(1).max(65_535).default(DEFAULT_PRINTER_PORT),
  /** What staff call it ("Grill printer"); used in "printer … failed" reports. */
  name: z.string().min(1).max(64).optional(),
  confirm: z.enum(PRINTER_CONFIRM_MODES).default('status'),
});
export type PrinterEndpoint = z.infer<typeof printerEndpointSchema>;
export type PrinterEndpointInput = z.input<typeof printerEndpointSchema>;

/** A printer's identity for queues and reports: two stations sharing a printer share its queue. */
export const printerKey = (printer: Pick<PrinterEndpoint, 'host' | 'port'>): string =>
  `${printer.host.toLowerCase()}:${printer.port}`;

export const stationPrintersSchema = z
  .object({
    stationId: slugIdSchema,
    primary: printerEndpointSchema,
    backup: printerEndpointSchema.optional(),
  })
  .refine((s) => !s.backup || printerKey(s.backup) !== printerKey(s.primary), {
    message: 'the backup printer must differ from the primary',
    path: ['backup'],
  });
export type StationPrinters = z.infer<typeof stationPrintersSchema>;

export const branchPrinterConfigSchema = z
  .object({
    branchId: slugIdSchema,
    /** IANA zone the ticket's time is printed in (the branch's wall clock). */
    timeZone: z
      .string()
      .refine((zone) => isTimeZone(zone), 'unknown time zone')
      .default('UTC'),
    stations: z.array(stationPrintersSchema),
  })
  .refine((c) => new Set(c.stations.map((s) => s.stationId)).size === c.stations.length, {
    message: 'a station is listed twice',
    path: ['stations'],
  });
export type BranchPrinterConfig = z.infer<typeof branchPrinterConfigSchema>;
export type BranchPrinterConfigInput = z.input<typeof branchPrinterConfigSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The printers of one station, or null when the branch has none for it (the screen shows it). */
export function stationPrinters(config: BranchPrinterConfig, stationId: string): StationPrinters | null {
  return config.stations.find((s) => s.stationId === stationId) ?? null;
}
