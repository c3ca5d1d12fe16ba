/**
 * What the manager's fiscal page reads and sends (GET /api/fiscal/overview, POST …/resubmit):
 * receipts by state per branch and device, the oldest one not yet at ETA against the 24-hour
 * limit, the failure alert, and the receipts that need a person (FIS-57, FIS-58).
 */
import { z } from 'zod';

export const REVIEW_STATES = ['AWAITING', 'UNVERIFIABLE', 'PENDING', 'IN_PROGRESS', 'SUBMITTED', 'REJECTED', 'DEAD_LETTER'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export const fiscalOverviewSchema = z.object({
  now: z.number(),
  limitMs: z.number(),
  alertWindowMs: z.number(),
  branches: z.array(
    z.object({
      branchId: z.string(),
      devices: z.array(z.object({ serial: z.string(), counts: z.partialRecord(z.enum(REVIEW_STATES), z.number().int().nonnegative()) })),
      oldestPendingIssuedAt: z.number().nullable(),
      oldestPendingAgeMs: z.number().nullable(),
      isOverdue: z.boolean(),
      failedAttempts: z.number().int().nonnegative(),
      isAlert: z.boolean(),
    }),
  ),
  problems: z.array(
    z.object({
      uuid: z.string(),
      branchId: z.string(),
      serial: z.string(),
      receiptNumber: z.string(),
      issuedAt: z.number(),
      state: z.enum(['REJECTED', 'DEAD_LETTER', 'UNVERIFIABLE', 'AWAITING']),
      reason: z.string().nullable(),
      details: z.unknown(),
      correctedBy: z.string().nullable(),
    }),
  ),
});
export type FiscalOverview = z.infer<typeof fiscalOverviewSchema>;

export const resubmitAnswerSchema = z.object({ uuid: z.string(), correctsUuid: z.string() });
export type ResubmitAnswer = z.infer<typeof resubmitAnswerSchema>;

/** ETA's reasons for a rejected receipt, as short lines (`propertyPath: message`). */
export function rejectionLines(details: unknown): string[] {
  const parsed = z
    .object({ message: z.string().optional(), details: z.array(z.object({ propertyPath: z.string().optional(), message: z.string() })).optional() })
    .passthrough()
    .safeParse(details);
  if (!parsed.success) return typeof details === 'string' ? [details] : details === null || details === undefined ? [] : [JSON.stringify(details).slice(0, 300)];
  const lines = (parsed.data.details ?? []).map((d) => (d.propertyPath ? `${d.propertyPath}: ${d.message}` : d.message));
  return lines.length ? lines : parsed.data.message ? [parsed.data.message] : [JSON.stringify(details).slice(0, 300)];
}
