/**
 * What goes on one printed kitchen ticket. A "send to kitchen" makes one `KitchenTicket` per
 * station, holding snapshots of only what was new, changed or voided at that moment, so the
 * printout is built from the ticket alone: the grill never prints the drinks, nothing is printed
 * twice, and a change prints as a change ("was 1, now 3"), a void as a void — never the whole
 * order again.
 */
import { z } from 'zod';
import { clientIdSchema, epochMsSchema, slugIdSchema } from '../../shared/schemas/common';
import { MAX_COURSE, TICKET_ITEM_KINDS, type KitchenTicket } from '../../shared/schemas/order';

export const ticketPrintLineSchema = z.object({
  lineId: clientIdSchema,
  /** `new`: make it; `change`: the quantity changed from `previousQty`; `void`: stop, don't make it. */
  kind: z.enum(TICKET_ITEM_KINDS).default('new'),
  /** The quantity to make now (0 for a void). */
  qty: z.number().int().min(0),
  /** For a change or a void: what the kitchen had been told before. */
  previousQty: z.number().int().min(0).nullable().default(null),
  nameEn: z.string(),
  nameAr: z.string(),
  modifiers: z.array(z.object({ nameEn: z.string(), nameAr: z.string() })),
  note: z.string(),
  seat: z.number().int().min(1).nullable().default(null),
  course: z.number().int().min(1).max(MAX_COURSE).default(1),
  voidReason: z.string().nullable().default(null),
});
export type TicketPrintLine = z.infer<typeof ticketPrintLineSchema>;
export type TicketPrintLineInput = z.input<typeof ticketPrintLineSchema>;

export const stationTicketSchema = z.object({
  ticketId: clientIdSchema,
  orderId: clientIdSchema,
  stationId: slugIdSchema,
  /** As the kitchen calls it ("Grill"); may be Arabic. */
  stationName: z.string().min(1),
  tableLabel: z.string(),
  waiterName: z.string(),
  /** When the waiter sent it (the ticket's `createdAt`). */
  sentAt: epochMsSchema,
  lines: z.array(ticketPrintLineSchema).min(1),
});
/** One station's ticket: the gateway's unit of printing. */
export type StationTicket = z.infer<typeof stationTicketSchema>;
/** A station ticket as callers may write it (line kinds etc. have defaults). */
export type StationTicketInput = z.input<typeof stationTicketSchema>;

export interface TicketNames {
  /** A station's display name; the id itself when the branch has none. */
  stationName(stationId: string): string;
}

/** The printable form of a kitchen ticket, from its item snapshots. */
export function stationTicketFor(ticket: KitchenTicket, names: TicketNames): StationTicket {
  return stationTicketSchema.parse({
    ticketId: ticket.id,
    orderId: ticket.orderId,
    stationId: ticket.station,
    stationName: names.stationName(ticket.station),
    tableLabel: ticket.tableLabel,
    waiterName: ticket.waiterName,
    sentAt: ticket.createdAt,
    lines: ticket.items.map((item) => ({
      lineId: item.lineId,
      kind: item.kind,
      qty: item.qty,
      previousQty: item.previousQty,
      nameEn: item.nameEn,
      nameAr: item.nameAr,
      modifiers: item.modifiers.map((m) => ({ nameEn: m.nameEn, nameAr: m.nameAr })),
      note: item.note,
      seat: item.seat,
      course: item.course,
      voidReason: item.voidReason,
    })),
  });
}
