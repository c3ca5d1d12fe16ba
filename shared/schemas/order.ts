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

/** Why and by whom something was taken off or reduced; kept for the audit log. */
export const auditStampSchema = z.object({
  reason: z.string().trim().min(1).max(200),
  by: slugIdSchema,
  at: epochMsSchema,
  /** The manager whose PIN allowed it, when the waiter's own role did not. */
  approvedBy: slugIdSchema.nullable().default(null),
});
export type AuditStamp = z.infer<typeof auditStampSchema>;

export const DISCOUNT_KINDS = ['percent', 'amount'] as const;
/** A discount on a line or on the whole order: a percentage (basis points) or a fixed amount. */
export const discountSchema = auditStampSchema.extend({
  kind: z.enum(DISCOUNT_KINDS),
  /** Basis points for `percent` (1 000 = 10 %), minor units for `amount`. */
  value: z.number().int().positive().safe(),
});
export type Discount = z.infer<typeof discountSchema>;

export const MAX_COURSE = 5;

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
  /** Set when the line went to the kitchen, with the last ticket that carried it. */
  ticketId: clientIdSchema.nullable(),
  /** Seat number at the table (for splitting by seat), when the waiter gave one. */
  seat: z.number().int().min(1).max(99).nullable().default(null),
  /** Course: 1 goes first; later courses can be held and fired. */
  course: z.number().int().min(1).max(MAX_COURSE).default(1),
  /** A held line waits on the tablet until its course is fired. */
  isHeld: z.boolean().default(false),
  /** The quantity the kitchen last heard of (0 = never sent, or its void was sent). */
  sentQty: z.number().int().min(0).max(999).default(0),
  /** A voided line stays in the order, struck through, with who voided it and why. */
  void: auditStampSchema.nullable().default(null),
  discount: discountSchema.nullable().default(null),
});
export type OrderLine = z.infer<typeof orderLineSchema>;
/** What a device passes to `addLine`: the new fields have defaults. */
export type NewOrderLine = z.input<typeof orderLineSchema>;

export const PAYMENT_METHODS = ['cash', 'card', 'wallet'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const paymentSchema = z.object({
  id: clientIdSchema,
  method: z.enum(PAYMENT_METHODS),
  /** What this payment puts towards the bill. */
  amountMinor: nonNegativeMinorSchema,
  /** Cash handed over (≥ amount); the difference is the change given back. */
  tenderedMinor: nonNegativeMinorSchema,
  changeMinor: nonNegativeMinorSchema,
  /** Tip on top of the bill (not taxed, not part of the order total). */
  tipMinor: nonNegativeMinorSchema.default(0),
  /** Which part of a split bill this pays ("seat 2", "1/3"), or null for the whole bill. */
  part: z.string().max(40).nullable().default(null),
  /** The POS device (cash drawer) that took it; absent from older tablets (the order's device then). */
  deviceId: slugIdSchema.nullable().optional(),
  at: epochMsSchema,
  by: slugIdSchema,
});
export type Payment = z.infer<typeof paymentSchema>;
export type NewPayment = z.input<typeof paymentSchema>;

export const ORDER_TYPES = ['dine-in', 'takeaway', 'delivery'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export const ORDER_STATUSES = ['open', 'paid'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The customer on a takeaway or delivery order (or a known guest on dine-in). */
export const orderCustomerSchema = z.object({
  /** The server's customer id once known; null for one typed in offline. */
  id: z.string().max(64).nullable(),
  name: z.string().trim().min(1).max(80),
  phone: z.string().regex(/^\+?[0-9]{6,15}$/, 'expected a phone number'),
  address: z.string().max(300).nullable(),
});
export type OrderCustomer = z.infer<typeof orderCustomerSchema>;

export const orderTotalsSchema = z.object({
  subtotalMinor: minorSchema,
  /** Line and order discounts together (already taken off the subtotal's lines). */
  discountMinor: minorSchema.default(0),
  serviceMinor: minorSchema,
  vatMinor: minorSchema,
  totalMinor: minorSchema,
});
export type OrderTotals = z.infer<typeof orderTotalsSchema>;
export type NewOrderTotals = z.input<typeof orderTotalsSchema>;

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
  customer: orderCustomerSchema.nullable().default(null),
  /** A discount on the whole order, spread over the lines before service and VAT. */
  discount: discountSchema.nullable().default(null),
  /** When the bill was last printed (the table shows "bill printed"). */
  billPrintedAt: epochMsSchema.nullable().default(null),
});
export type OrderHeader = z.infer<typeof orderHeaderSchema>;

export const orderSchema = orderHeaderSchema.extend({
  lines: z.array(orderLineSchema),
  payments: z.array(paymentSchema),
});
/** An order read out of the live document as plain data. */
export type Order = z.infer<typeof orderSchema>;

export const TICKET_STATUSES = ['pending', 'started', 'ready'] as const;
export type TicketStatus = (typeof TICKET_STATUSES)[number];

export const TICKET_ITEM_KINDS = ['new', 'change', 'void'] as const;
export type TicketItemKind = (typeof TICKET_ITEM_KINDS)[number];

/** A line as the kitchen was told about it at one send: a snapshot, so later edits show as changes. */
export const ticketItemSchema = z.object({
  lineId: clientIdSchema,
  itemId: slugIdSchema,
  nameEn: z.string(),
  nameAr: z.string(),
  kind: z.enum(TICKET_ITEM_KINDS),
  /** The quantity to make now (0 for a void). */
  qty: z.number().int().min(0).max(999),
  /** For a change or a void: what the kitchen had been told before. */
  previousQty: z.number().int().min(0).max(999).nullable(),
  modifiers: z.array(chosenModifierSchema),
  note: z.string().max(200),
  seat: z.number().int().min(1).max(99).nullable(),
  course: z.number().int().min(1).max(MAX_COURSE),
  voidReason: z.string().max(200).nullable(),
  /**
   * The ticket that last carried the line when this one was made (null for a new line): two
   * items with the same line, starting point and quantities are one instruction sent twice
   * (shared/kitchen-duplicates.ts). Absent on tickets from older tablets.
   */
  afterTicketId: clientIdSchema.nullable().default(null),
});
export type TicketItem = z.infer<typeof ticketItemSchema>;

/**
 * One station's part of one "send to kitchen": only what was new, changed or voided at that
 * moment. A send that touches three stations makes three tickets.
 */
export const kitchenTicketSchema = z.object({
  id: clientIdSchema,
  orderId: clientIdSchema,
  tableLabel: z.string(),
  station: slugIdSchema,
  items: z.array(ticketItemSchema).min(1),
  createdAt: epochMsSchema,
  createdBy: slugIdSchema,
  waiterName: z.string().max(80),
  status: z.enum(TICKET_STATUSES),
  startedAt: epochMsSchema.nullable(),
  readyAt: epochMsSchema.nullable(),
  /** Set when a bumped ticket was called back to the screen. */
  recalledAt: epochMsSchema.nullable(),
});
export type KitchenTicket = z.infer<typeof kitchenTicketSchema>;

/** The ticket fields a kitchen screen may change; everything else is the waiter's. */
export const KITCHEN_WRITABLE_TICKET_FIELDS = ['status', 'startedAt', 'readyAt', 'recalledAt'] as const;

/**
 * A device's change that reached the server after it had settled the order (the device was
 * offline meanwhile): taken, applied to nothing, and told back to that device (SYNC-12).
 */
export const lateChangeSchema = z.object({
  /** The device (or signed-in person) that made it. */
  by: z.string().min(1).max(64),
  at: epochMsSchema,
  /** The order's table, for the tablet's message (null for takeaway and delivery). */
  tableId: slugIdSchema.nullable(),
  /** Money that device took for the order after it was settled (to hand to the manager). */
  latePaymentMinor: nonNegativeMinorSchema,
});
export type LateChange = z.infer<typeof lateChangeSchema>;

/** Written by the server only (root map `settlement`): what became of a paid order. */
export const settlementRecordSchema = z.object({
  status: z.enum(['settled', 'rejected']),
  at: epochMsSchema,
  reason: z.enum(ERROR_CODES).nullable(),
  message: z.string().nullable(),
  lateChanges: z.array(lateChangeSchema).default([]),
});
export type SettlementRecord = z.infer<typeof settlementRecordSchema>;
/** What the server passes to `writeSettlement` (no late changes yet, usually). */
export type NewSettlementRecord = z.input<typeof settlementRecordSchema>;
