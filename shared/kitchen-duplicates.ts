import type { KitchenTicket, TicketItem } from './schemas/order';

/**
 * Two tablets cut off from each other can both send the same unsent line, each with other lines
 * of its own: the tickets differ (so their content-derived ids differ, ENT-10) and both reach the
 * kitchen. The line itself converges (its `sent` field keeps one of the two tickets), but the
 * kitchen would make it twice. This finds such items: the same instruction — same line, same
 * starting point (the ticket that last carried the line), same kind and quantities — on two
 * tickets. The earlier ticket (createdAt, then id: the same answer on every screen) keeps it; the
 * later one shows it as "already sent" and counts nothing for it [KDS-27].
 *
 * Only exact repeats are caught: a tablet that also changed the line's quantity before its send
 * gives a different instruction, which the kitchen sees as such.
 */

/** The instruction an item gives the kitchen, or null when it cannot be told apart from a later
 * legitimate repeat (a change or void from older tablets, which did not record `afterTicketId`). */
export function itemInstruction(orderId: string, item: TicketItem): string | null {
  if (item.kind !== 'new' && item.afterTicketId === null) return null;
  return [orderId, item.lineId, item.afterTicketId ?? '-', item.kind, item.previousQty ?? '-', item.qty].join('|');
}

const byCreation = (a: KitchenTicket, b: KitchenTicket) => a.createdAt - b.createdAt || a.id.localeCompare(b.id);

/**
 * For each ticket with items already on an earlier ticket: line id → the earlier ticket's id.
 * Tickets without such items are absent.
 */
export function duplicateTicketItems(tickets: readonly KitchenTicket[]): Map<string, Map<string, string>> {
  const firstTicketOf = new Map<string, string>();
  const duplicates = new Map<string, Map<string, string>>();
  for (const ticket of [...tickets].sort(byCreation)) {
    for (const item of ticket.items) {
      const key = itemInstruction(ticket.orderId, item);
      if (key === null) continue;
      const first = firstTicketOf.get(key);
      if (first === undefined) {
        firstTicketOf.set(key, ticket.id);
      } else if (first !== ticket.id) {
        const mine = duplicates.get(ticket.id) ?? new Map<string, string>();
        mine.set(item.lineId, first);
        duplicates.set(ticket.id, mine);
      }
    }
  }
  return duplicates;
}
