import { z } from 'zod';
import { PAYMENT_METHODS } from './order';
import { minorSchema } from './common';

/**
 * The branch's audit log as the manager reads it (docs/SPEC.md AUDIT-03): the query of
 * `GET /api/branches/:branchId/audit` and each entry it answers with.
 */

/** Every action the audit log records. `late-change`: a device changed an order after the server had settled it (SYNC-12). */
export const AUDIT_ACTIONS = ['void', 'discount', 'refund', 'pay-in', 'pay-out', 'shift-open', 'shift-close', 'late-change'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Most entries one page answers with; the screen loads more with `before`. */
export const AUDIT_PAGE_MAX = 200;
export const AUDIT_PAGE_DEFAULT = 50;

const instantSchema = z.string().datetime({ offset: true });

/** Audit entry ids are the table's bigserial, sent as digits (a JS number would lose precision past 2^53). */
export const auditEntryIdSchema = z.string().regex(/^[1-9][0-9]{0,18}$/, 'expected an audit entry id');

export const auditQuerySchema = z
  .object({
    /** Entries at or after this instant. */
    from: instantSchema.optional(),
    /** Entries strictly before this instant. */
    to: instantSchema.optional(),
    action: z.enum(AUDIT_ACTIONS).optional(),
    limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(AUDIT_PAGE_DEFAULT),
    /** The id of the last entry already shown: the next page starts after it (newest first). */
    before: auditEntryIdSchema.optional(),
  })
  .strict()
  .refine((q) => q.from === undefined || q.to === undefined || Date.parse(q.from) < Date.parse(q.to), {
    message: 'from must be before to',
    path: ['to'],
  });
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** Who an entry names: a person (staff or manager), a paired device (late changes), or an id we no longer know. */
export const auditPersonSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  kind: z.enum(['person', 'device', 'unknown']),
});
export type AuditPerson = z.infer<typeof auditPersonSchema>;

/** What a device held of an order it changed after settlement: enough to see what it meant, and what to refund. */
export const lateChangeSummarySchema = z.object({
  lines: z.array(
    z.object({
      id: z.string(),
      nameEn: z.string(),
      nameAr: z.string(),
      qty: z.number().int(),
      isVoided: z.boolean(),
      /** Not among the settled order's lines: added on the device after settlement. */
      isLate: z.boolean(),
    }),
  ),
  payments: z.array(
    z.object({
      id: z.string(),
      method: z.enum(PAYMENT_METHODS),
      amountMinor: minorSchema,
      /** Taken after settlement: money the guest paid twice, to give back. */
      isLate: z.boolean(),
    }),
  ),
  /** The device no longer had the order at all (it deleted it). */
  isGone: z.boolean(),
});
export type LateChangeSummary = z.infer<typeof lateChangeSummarySchema>;

export const auditEntrySchema = z.object({
  id: auditEntryIdSchema,
  at: z.string(),
  action: z.enum(AUDIT_ACTIONS),
  actor: auditPersonSchema,
  approvedBy: auditPersonSchema.nullable(),
  reason: z.string().nullable(),
  orderId: z.string().nullable(),
  /** The order's table, when the order is settled and was at a table. */
  tableLabel: z.string().nullable(),
  lineId: z.string().nullable(),
  /** The voided or discounted line's item, as settled. */
  line: z.object({ nameEn: z.string(), nameAr: z.string(), qty: z.number().int() }).nullable(),
  shiftId: z.string().nullable(),
  refundId: z.string().nullable(),
  /** A void's value, a discount's or refund's amount, a float, a close's difference, a late payment. */
  amountMinor: minorSchema.nullable(),
  lateChange: lateChangeSummarySchema.nullable(),
});
export type AuditEntryView = z.infer<typeof auditEntrySchema>;

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next page; null when there is nothing older. */
  nextBefore: auditEntryIdSchema.nullable(),
});
export type AuditPage = z.infer<typeof auditPageSchema>;
