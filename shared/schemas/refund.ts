import { z } from 'zod';
import { PAYMENT_METHODS } from './order';
import { clientIdSchema, minorSchema, slugIdSchema } from './common';

/** Refunds of settled orders (docs/SPEC.md REF-*): the request, and what the manager app reads. */

export const refundBodySchema = z.object({
  /** Made by the client: sending the same refund again returns the first answer ([REF-04]). */
  id: clientIdSchema,
  orderId: clientIdSchema,
  /** Units of lines to give back; left out, every unit not yet refunded (the whole order). */
  lines: z
    .array(z.object({ lineId: clientIdSchema, qty: z.number().int().min(1).max(999) }))
    .min(1)
    .optional(),
  reason: z.string().trim().min(1).max(200),
  method: z.enum(PAYMENT_METHODS),
  /** The drawer the cash leaves, from the manager app; a tablet refunds from itself. */
  deviceId: slugIdSchema.optional(),
});
export type RefundBody = z.infer<typeof refundBodySchema>;

export const refundLineSchema = z.object({
  lineId: z.string(),
  qty: z.number().int(),
  netMinor: minorSchema,
  serviceMinor: minorSchema,
  vatMinor: minorSchema,
  totalMinor: minorSchema,
});

export const refundSchema = z.object({
  id: z.string(),
  orderId: z.string(),
  method: z.enum(PAYMENT_METHODS),
  reason: z.string(),
  by: z.string(),
  approvedBy: z.string().nullable(),
  deviceId: z.string(),
  createdAt: z.string(),
  netMinor: minorSchema,
  serviceMinor: minorSchema,
  vatMinor: minorSchema,
  totalMinor: minorSchema,
  /** Null until the fiscal refund (RC) receipt is issued for it. */
  fiscalReceiptUuid: z.string().nullable(),
  lines: z.array(refundLineSchema),
});
export type Refund = z.infer<typeof refundSchema>;

/** A settled order as the refund screen shows it: lines with what is left to refund. */
export const refundableOrderSchema = z.object({
  id: z.string(),
  branchId: z.string(),
  tableId: z.string().nullable(),
  orderType: z.string(),
  paidAt: z.string(),
  totalMinor: minorSchema,
  refundedMinor: minorSchema,
  paidDeviceId: z.string(),
  methods: z.array(z.enum(PAYMENT_METHODS)),
  lines: z.array(
    z.object({
      lineId: z.string(),
      nameEn: z.string(),
      nameAr: z.string(),
      qty: z.number().int(),
      refundedQty: z.number().int(),
      isVoided: z.boolean(),
      netMinor: minorSchema,
      serviceMinor: minorSchema,
      vatMinor: minorSchema,
      totalMinor: minorSchema,
    }),
  ),
  refunds: z.array(refundSchema),
});
export type RefundableOrder = z.infer<typeof refundableOrderSchema>;
