import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { clientIdSchema, epochMsSchema, minorSchema, nonNegativeMinorSchema, slugIdSchema } from './common';

/**
 * Live order data as it sits in the branch's Y.Doc (see `shared/live-doc.ts` for the layout).
 * Devices write these shapes; the relay and the settlement parse them with these schemas, so a
 * tablet running older code can't slip an odd shape past the server.
 */

export const chosenModifierSchema = z.object({
  groupId: slugIdSchema,
  optionId: slugIdSchema,
  nameEn: z.string(),
  nameAr: z.string(),
  priceMinor: nonNegativeMinorSchema,
});
export type ChosenModifier = z.infer<typeof chosenModifierSchema>;

export const orderLineSchema = z.object({
  id: clientIdSchema,
  itemId: slugIdSchema,
  nameEn: z.string(),
  nameAr: z.string(),
  qty: z.number().int().min(1).max(999),
  /** The item's price when it was added (the server re-checks it against its own catalog). */
  unitPriceMinor: nonNegativeMinorSchema,
  modifiers: z.array(chosenModifierSchema),
  note: z.string().max(200),
  station: slugIdSchema,
  addedBy: slugIdSchema,
  addedAt: epochMsSchema,
  /** Set when the line went to the kitchen, with the ticket that carried it. */
  ticketId: clientIdSchema.nullable(),
});
export type OrderLine = z.infer<typeof orderLineSchema>;

export const PAYMENT_METHODS = ['cash', 'card'] as const;
export const paymentSchema = z.object({
  id: clientIdSchema,
  method: z.enum(PAYMENT_METHODS),
  /** What this payment puts towards the bill. */
  amountMinor: nonNegativeMinorSchema,
  /** Cash handed over (≥ amount); the difference is the change given back. */
  tenderedMinor: nonNegativeMinorSchema,
  changeMinor: nonNegativeMinorSchema,
  at: epochMsSchema,
  by: slugIdSchema,
});
export type Payment = z.infer<typeof paymentSchema>;

export const ORDER_TYPES = ['dine-in', 'takeaway'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const ORDER_STATUSES = ['open', 'paid'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const orderTotalsSchema = z.object({
  subtotalMinor: minorSchema,
  serviceMinor: minorSchema,
  vatMinor: minorSchema,
  totalMinor: minorSchema,
});
export type OrderTotals = z.infer<typeof orderTotalsSchema>;

/** The scalar fields of an order (lines and payments are nested maps beside them). */
export const orderHeaderSchema = z.object({
  id: clientIdSchema,
  branchId: slugIdSchema,
  type: z.enum(ORDER_TYPES),
  tableId: slugIdSchema.nullable(),
  guests: z.number().int().min(1).max(99),
  openedAt: epochMsSchema,
  openedBy: slugIdSchema,
  /** Which device opened it (for the receipt chain later, and for support). */
  deviceId: slugIdSchema,
  status: z.enum(ORDER_STATUSES),
  paidAt: epochMsSchema.nullable(),
  /** Totals the paying device computed with the shared pricing code; the server recomputes. */
  totals: orderTotalsSchema.nullable(),
});
export type OrderHeader = z.infer<typeof orderHeaderSchema>;

export const orderSchema = orderHeaderSchema.extend({
  lines: z.array(orderLineSchema),
  payments: z.array(paymentSchema),
});
/** An order read out of the live document as plain data. */
export type Order = z.infer<typeof orderSchema>;

export const TICKET_STATUSES = ['pending', 'ready'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/** One "send to kitchen": only the lines that were new at that moment. */
export const kitchenTicketSchema = z.object({
  id: clientIdSchema,
  orderId: clientIdSchema,
  tableLabel: z.string(),
  lineIds: z.array(clientIdSchema).min(1),
  createdAt: epochMsSchema,
  createdBy: slugIdSchema,
  status: z.enum(TICKET_STATUSES),
  readyAt: epochMsSchema.nullable(),
});
export type KitchenTicket = z.infer<typeof kitchenTicketSchema>;

/** Written by the server only (root map `settlement`): what became of a paid order. */
export const settlementRecordSchema = z.object({
  status: z.enum(['settled', 'rejected']),
  at: epochMsSchema,
  reason: z.enum(ERROR_CODES).nullable(),
  message: z.string().nullable(),
});
export type SettlementRecord = z.infer<typeof settlementRecordSchema>;
