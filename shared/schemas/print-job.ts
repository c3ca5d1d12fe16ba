import { z } from 'zod';
import { epochMsSchema } from './common';

/**
 * What became of printing one kitchen ticket, written by the server only (root map `printJobs`
 * of the live document, keyed by ticket id), so the kitchen screen and the waiter's tablet can
 * show "printed on the backup" or "printer Grill failed: out of paper".
 */
export const PRINT_JOB_STATUSES = ['printed', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

export const printJobSchema = z.object({
  status: z.enum(PRINT_JOB_STATUSES),
  stationId: z.string().max(64),
  /** The printer that printed it (name or host:port), or the last one tried. */
  printer: z.string().max(300).nullable(),
  /**
   * `backup`: the primary failed and the backup printed it. `screen`: no printer took it, the
   * kitchen screen is where the station sees it. Null: printed where it should be (or, with
   * status `failed`, the station has no screen fallback and the waiter must tell the kitchen).
   */
  fallback: z.enum(['backup', 'screen']).nullable(),
  /** Why the primary (or, when nothing printed, the last printer) failed; null when no printer failed. */
  error: z.object({ code: z.string().max(40), message: z.string().max(300), printer: z.string().max(300).nullable() }).nullable(),
  at: epochMsSchema,
});
export type PrintJob = z.infer<typeof printJobSchema>;
