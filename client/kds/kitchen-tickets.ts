import type * as Y from 'yjs';
import { listTickets, readOrder } from '../../shared/live-doc';
import type { KitchenTicket, OrderLine } from '../../shared/schemas/order';

/** A ticket with its lines, looked up in the order (tickets carry only line ids). */
export interface TicketView {
  ticket: KitchenTicket;
  /** Null when the order can no longer be read (for example removed once settled). */
  lines: OrderLine[] | null;
}

const RECENTLY_READY_COUNT = 6;

function withLines(doc: Y.Doc, ticket: KitchenTicket): TicketView {
  const order = readOrder(doc, ticket.orderId);
  if (!order.ok) return { ticket, lines: null };
  const byId = new Map(order.value.lines.map((line) => [line.id, line]));
  return { ticket, lines: ticket.items.flatMap((item) => byId.get(item.lineId) ?? []) };
}

export function kitchenBoard(doc: Y.Doc): { pending: TicketView[]; recentlyReady: KitchenTicket[] } {
  const tickets = listTickets(doc);
  return {
    pending: tickets.filter((ticket) => ticket.status === 'pending').map((ticket) => withLines(doc, ticket)),
    recentlyReady: tickets
      .filter((ticket) => ticket.status === 'ready')
      .sort((a, b) => (b.readyAt ?? 0) - (a.readyAt ?? 0))
      .slice(0, RECENTLY_READY_COUNT),
  };
}
