import { z } from 'zod';
import { PAYMENT_METHODS } from './order';
import { DENOMINATION_VALUES } from '../shift-cash';
import { clientIdSchema, minorSchema, nonNegativeMinorSchema, slugIdSchema } from './common';

/**
 * Cash-drawer shifts over HTTP (online operations, docs/SPEC.md SHIFT-*): bodies the server
 * parses and answers the tablet parses. Ids are made on the device so a retried request is
 * recognised.
 */

const reasonSchema = z.string().trim().min(1).max(200);

export const openShiftBodySchema = z.object({
  id: clientIdSchema,
  /** The POS device (drawer); a tablet may only open its own, so it may leave this out. */
  deviceId: slugIdSchema.optional(),
  floatMinor: nonNegativeMinorSchema.max(100_000_000),
});
export type OpenShiftBody = z.infer<typeof openShiftBodySchema>;

export const CASH_MOVEMENT_KINDS = ['pay-in', 'pay-out'] as const;
export type CashMovementKind = (typeof CASH_MOVEMENT_KINDS)[number];

export const cashMovementBodySchema = z.object({
  id: clientIdSchema,
  kind: z.enum(CASH_MOVEMENT_KINDS),
  amountMinor: nonNegativeMinorSchema.min(1).max(100_000_000),
  reason: reasonSchema,
});
export type CashMovementBody = z.infer<typeof cashMovementBodySchema>;

export const denominationCountsSchema = z
  .record(z.string(), z.number().int().min(0).max(100_000))
  .refine((counts) => Object.keys(counts).every((key) => DENOMINATION_VALUES.includes(Number(key))), {
    message: 'unknown denomination',
  });

export const closeShiftBodySchema = z.object({ counts: denominationCountsSchema });
export type CloseShiftBody = z.infer<typeof closeShiftBodySchema>;

export const cashMovementSchema = z.object({
  id: z.string(),
  kind: z.enum(CASH_MOVEMENT_KINDS),
  amountMinor: minorSchema,
  reason: z.string(),
  by: z.string(),
  approvedBy: z.string().nullable(),
  at: z.string(),
});
export type CashMovement = z.infer<typeof cashMovementSchema>;

export const shiftSchema = z.object({
  id: z.string(),
  branchId: z.string(),
  deviceId: z.string(),
  openedBy: z.string(),
  openedAt: z.string(),
  floatMinor: minorSchema,
  closedBy: z.string().nullable(),
  closedAt: z.string().nullable(),
  movements: z.array(cashMovementSchema),
});
export type Shift = z.infer<typeof shiftSchema>;

const byMethodSchema = z.object(
  Object.fromEntries(PAYMENT_METHODS.map((m) => [m, minorSchema])) as Record<(typeof PAYMENT_METHODS)[number], typeof minorSchema>,
);

/**
 * The X report (any time) and the Z report (at close). [SHIFT-06] Every figure is a sum over the
 * settled tables within the shift's window, for the shift's device.
 */
export const shiftReportSchema = z.object({
  kind: z.enum(['X', 'Z']),
  shiftId: z.string(),
  branchId: z.string(),
  deviceId: z.string(),
  openedBy: z.string(),
  openedAt: z.string(),
  closedAt: z.string().nullable(),
  /** The end of the window the figures cover (the close, or when an X report was made). */
  asOf: z.string(),
  orderCount: z.number().int(),
  salesByMethod: byMethodSchema,
  tipsByMethod: byMethodSchema,
  subtotalMinor: minorSchema,
  discountMinor: minorSchema,
  discountCount: z.number().int(),
  voidCount: z.number().int(),
  voidMinor: minorSchema,
  serviceMinor: minorSchema,
  vatMinor: minorSchema,
  totalMinor: minorSchema,
  refundCount: z.number().int(),
  refundsByMethod: byMethodSchema,
  refundMinor: minorSchema,
  floatMinor: minorSchema,
  payInMinor: minorSchema,
  payOutMinor: minorSchema,
  expectedCashMinor: minorSchema,
  countedCashMinor: minorSchema.nullable(),
  differenceMinor: minorSchema.nullable(),
  counts: z.record(z.string(), z.number().int()).nullable(),
});
export type ShiftReport = z.infer<typeof shiftReportSchema>;

export const currentShiftAnswerSchema = z.object({ shift: shiftSchema.nullable() });
