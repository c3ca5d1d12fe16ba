import type * as Y from 'yjs';
import { duplicateTicketItems } from '../../shared/kitchen-duplicates';
import { listTickets, readOrder, readPrintJobs } from '../../shared/live-doc';
import { prepMinutesOf, type Catalog } from '../../shared/schemas/catalog';
import type { KitchenTicket, OrderLine, TicketItem } from '../../shared/schemas/order';
import type { PrintJob } from '../../shared/schemas/print-job';

/**
 * What a kitchen screen shows, computed from the live document alone (tickets carry snapshots of
 * their items, names in both languages), so it works offline with no menu; the catalog only adds
 * prep-time targets and station names.
 */

/** An item of a ticket, with what became of its line since. */
export interface TicketItemView {
  item: TicketItem;
  /**
   * True when the line was voided after this ticket (the void may not be sent yet): the item
   * stays on the ticket, struck through — never silently removed.
   */
  isVoidedSince: boolean;
  /**
   * The earlier ticket that already carries this very instruction (two tablets sent the same
   * line while cut off from each other), or null. Shown as "already sent", made once [KDS-27].
   */
  duplicateOf: string | null;
}

/** How a ticket's age compares with its slowest item's prep-time target. */
export type TicketAge = 'on-time' | 'due-soon' | 'late';

export interface TicketView {
  ticket: KitchenTicket;
  items: TicketItemView[];
  /** Courses of the ticket's items beyond the first ("course 2"): fired later by the waiter. */
  courses: number[];
  /** Minutes of the slowest item (the ticket's target). */
  targetMinutes: number;
  printJob: PrintJob | null;
}

/** One order on the expo screen: every station's part of it, with each part's state. */
export interface ExpoOrder {
  orderId: string;
  tableLabel: string;
  waiterName: string;
  firstSentAt: number;
  parts: TicketView[];
  isAllReady: boolean;
}

/** Items to make across the shown open tickets, per menu item. */
export interface AllDayCount {
  itemId: string;
  nameEn: string;
  nameAr: string;
  qty: number;
}

export interface KitchenBoard {
  /** Pending and started tickets of the shown stations, oldest first. */
  open: TicketView[];
  recentlyReady: TicketView[];
  allDay: AllDayCount[];
  /** Orders with a ticket not yet ready at a shown station (expo: every station of those orders). */
  expo: ExpoOrder[];
}

const RECENTLY_READY_COUNT = 8;
/** Share of the target after which a ticket is "due soon". */
const DUE_SOON_AT = 0.75;

export function ticketAge(view: Pick<TicketView, 'ticket' | 'targetMinutes'>, now: number): TicketAge {
  const minutes = Math.max(0, now - view.ticket.createdAt) / 60_000;
  if (minutes >= view.targetMinutes) return 'late';
  if (minutes >= view.targetMinutes * DUE_SOON_AT) return 'due-soon';
  return 'on-time';
}

/** The quantity an item adds to the work in hand: a change only its increase, a void nothing. */
function qtyToMake(view: TicketItemView): number {
  if (view.isVoidedSince || view.duplicateOf !== null || view.item.kind === 'void') return 0;
  if (view.item.kind === 'change') return Math.max(0, view.item.qty - (view.item.previousQty ?? 0));
  return view.item.qty;
}

export interface BoardOptions {
  /** Station ids shown; empty shows every station. */
  stations: readonly string[];
  catalog: Pick<Catalog, 'items'> | null;
}

export function kitchenBoard(doc: Y.Doc, options: BoardOptions): KitchenBoard {
  const shown = new Set(options.stations);
  const isShown = (ticket: KitchenTicket) => shown.size === 0 || shown.has(ticket.station);
  const prepOf = new Map((options.catalog?.items ?? []).map((item) => [item.id, prepMinutesOf(item)]));
  const printJobs = readPrintJobs(doc);
  const linesOf = new Map<string, Map<string, OrderLine>>();
  const orderLines = (orderId: string) => {
    let lines = linesOf.get(orderId);
    if (!lines) {
      const read = readOrder(doc, orderId);
      lines = new Map(read.ok ? read.value.lines.map((line) => [line.id, line]) : []);
      linesOf.set(orderId, lines);
    }
    return lines;
  };

  const duplicates = duplicateTicketItems(listTickets(doc));
  const view = (ticket: KitchenTicket): TicketView => {
    const lines = orderLines(ticket.orderId);
    const duplicatesHere = duplicates.get(ticket.id);
    const items = ticket.items.map((item) => ({
      item,
      isVoidedSince: item.kind !== 'void' && !!lines.get(item.lineId)?.void,
      duplicateOf: duplicatesHere?.get(item.lineId) ?? null,
    }));
    return {
      ticket,
      items,
      courses: [...new Set(ticket.items.map((i) => i.course))].filter((c) => c > 1).sort((a, b) => a - b),
      targetMinutes: Math.max(...ticket.items.map((i) => prepOf.get(i.itemId) ?? prepMinutesOf(undefined))),
      printJob: printJobs.get(ticket.id) ?? null,
    };
  };

  const tickets = listTickets(doc);
  const open = tickets.filter((t) => t.status !== 'ready' && isShown(t)).map(view);
  const recentlyReady = tickets
    .filter((t) => t.status === 'ready' && isShown(t))
    .sort((a, b) => (b.readyAt ?? 0) - (a.readyAt ?? 0))
    .slice(0, RECENTLY_READY_COUNT)
    .map(view);

  const counts = new Map<string, AllDayCount>();
  for (const ticketView of open) {
    for (const itemView of ticketView.items) {
      const qty = qtyToMake(itemView);
      if (qty === 0) continue;
      const { itemId, nameEn, nameAr } = itemView.item;
      const entry = counts.get(itemId) ?? { itemId, nameEn, nameAr, qty: 0 };
      entry.qty += qty;
      counts.set(itemId, entry);
    }
  }

  const openOrderIds = new Set(open.map((v) => v.ticket.orderId));
  const byOrder = new Map<string, TicketView[]>();
  for (const ticket of tickets) {
    if (!openOrderIds.has(ticket.orderId)) continue;
    const parts = byOrder.get(ticket.orderId) ?? [];
    parts.push(view(ticket));
    byOrder.set(ticket.orderId, parts);
  }
  const expo = [...byOrder].map(([orderId, parts]): ExpoOrder => ({
    orderId,
    tableLabel: parts[0]!.ticket.tableLabel,
    waiterName: parts[0]!.ticket.waiterName,
    firstSentAt: Math.min(...parts.map((p) => p.ticket.createdAt)),
    parts,
    isAllReady: parts.every((p) => p.ticket.status === 'ready'),
  }));
  expo.sort((a, b) => a.firstSentAt - b.firstSentAt);

  return {
    open,
    recentlyReady,
    allDay: [...counts.values()].sort((a, b) => b.qty - a.qty || a.nameEn.localeCompare(b.nameEn)),
    expo,
  };
}
