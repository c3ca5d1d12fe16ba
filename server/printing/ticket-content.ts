/**
 * What goes on one printed kitchen ticket. A "send to kitchen" (`KitchenTicket`) holds the new
 * lines of an order for every station at once; each station's printer gets only its own lines,
 * so the grill never prints the drinks and nothing is printed twice.
 */
import { z } from 'zod';
import { clientIdSchema, epochMsSchema, slugIdSchema } from '../../shared/schemas/common';
import type { KitchenTicket, Order } from '../../shared/schemas/order';

export const ticketPrintLineSchema = z.object({
  lineId: clientIdSchema,
  qty: z.number().int().min(1),
  nameEn: z.string(),
  nameAr: z.string(),
  modifiers: z.array(z.object({ nameEn: z.string(), nameAr: z.string() })),
  note: z.string(),
});
export type TicketPrintLine = z.infer<typeof ticketPrintLineSchema>;

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
/** One station's part of a kitchen ticket: the gateway's unit of printing. */
export type StationTicket = z.infer<typeof stationTicketSchema>;

export interface TicketNames {
  /** A station's display name; the id itself when the branch has none. */
  stationName(stationId: string): string;
  /** A staff member's display name; the id itself when unknown. */
  staffName(staffId: string): string;
}

/**
 * Splits a kitchen ticket into one printable ticket per station, in the order the stations first
 * appear among the ticket's lines. Lines the order no longer has are skipped (a line removed
 * before the order was read); a station left with no lines gets no ticket.
 */
export function stationTicketsFor(ticket: KitchenTicket, order: Order, names: TicketNames): StationTicket[] {
  const byStation = new Map<string, TicketPrintLine[]>();
  for (const { lineId } of ticket.items) {
    const line = order.lines.find((l) => l.id === lineId);
    if (!line) continue;
    const lines = byStation.get(line.station) ?? [];
    lines.push({
      lineId: line.id,
      qty: line.qty,
      nameEn: line.nameEn,
      nameAr: line.nameAr,
      modifiers: line.modifiers.map((m) => ({ nameEn: m.nameEn, nameAr: m.nameAr })),
      note: line.note,
    });
    byStation.set(line.station, lines);
  }
  return [...byStation].map(([stationId, lines]) =>
    stationTicketSchema.parse({
      ticketId: ticket.id,
      orderId: ticket.orderId,
      stationId,
      stationName: names.stationName(stationId),
      tableLabel: ticket.tableLabel,
      waiterName: names.staffName(ticket.createdBy),
      sentAt: ticket.createdAt,
      lines,
    }),
  );
}
