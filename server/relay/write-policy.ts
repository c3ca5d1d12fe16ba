/**
 * What each kind of writer may change in a branch's live document, decided from the writes an
 * incoming update would make (update-inspection.ts) before it is applied:
 * - nobody but the server writes `settlement` (or any root the product does not know);
 * - waiter tablets and managers write `orders` and `tickets`, but never an order the server has
 *   already settled;
 * - kitchen screens only start, bump and recall tickets: they may change an existing ticket's
 *   status and its startedAt/readyAt/recalledAt,
 *   nothing else — not orders, not lines, not prices, not other ticket fields;
 * - `receipts` (ETA receipts the paying tablet issued) take one insert per order from a tablet,
 *   a valid entry under its own order id, and are never changed or removed afterwards: a fiscal
 *   document, once issued, only gets corrected by a new one [FIS-52]. Kitchen screens never.
 */
import type * as Y from 'yjs';
import { fiscalReceiptEntrySchema } from '../../shared/eta/receipt-entry';
import { ROOT, readSettlement, receiptsRoot, ticketsRoot } from '../../shared/live-doc';
import { CLOSE_CODE, REFUSAL_REASON, type CloseCode, type RefusalReason } from '../../shared/protocol';
import { KITCHEN_WRITABLE_TICKET_FIELDS, kitchenTicketSchema, type KitchenTicket } from '../../shared/schemas/order';
import type { Write } from './update-inspection';

export type WriterKind = 'tablet' | 'kitchen';

export interface Refusal {
  code: CloseCode;
  reason: RefusalReason;
  detail: string;
}

const refuse = (reason: RefusalReason, detail: string): Refusal => ({ code: CLOSE_CODE.writeRefused, reason, detail });

/** A ticket without the fields a kitchen screen may change (start, bump, recall). */
function waiterFields(ticket: KitchenTicket): Partial<KitchenTicket> {
  const rest: Partial<KitchenTicket> = { ...ticket };
  for (const field of KITCHEN_WRITABLE_TICKET_FIELDS) delete rest[field];
  return rest;
}

export function checkWrites(doc: Y.Doc, writer: WriterKind, writes: readonly Write[]): Refusal | null {
  for (const write of writes) {
    if (write.root !== ROOT.orders && write.root !== ROOT.tickets && write.root !== ROOT.receipts) {
      return refuse(REFUSAL_REASON.serverOwned, `may not write ${write.root}`);
    }
    if (write.key === null) return refuse(REFUSAL_REASON.roleMayNotWrite, `${write.root} is a map: entries only`);

    if (write.root === ROOT.receipts) {
      const refusal = checkReceiptWrite(doc, writer, write, write.key);
      if (refusal) return refusal;
      continue;
    }

    if (write.root === ROOT.orders) {
      if (writer === 'kitchen') return refuse(REFUSAL_REASON.ticketEdit, 'a kitchen screen may not change orders');
      if (readSettlement(doc, write.key)?.status === 'settled') {
        return refuse(REFUSAL_REASON.orderSettled, `order ${write.key} is settled`);
      }
      continue;
    }

    // tickets
    if (writer === 'tablet') continue;
    if (write.kind === 'delete') {
      // Overwriting an entry deletes its old value: allowed only as part of a valid bump.
      const replacedByBump = writes.some((w) => w.root === ROOT.tickets && w.key === write.key && w.kind === 'insert');
      if (replacedByBump) continue;
      return refuse(REFUSAL_REASON.ticketEdit, 'a kitchen screen may not remove tickets');
    }
    const current = kitchenTicketSchema.safeParse(ticketsRoot(doc).get(write.key));
    const next = kitchenTicketSchema.safeParse(write.value);
    if (!current.success || !next.success) return refuse(REFUSAL_REASON.ticketEdit, 'a kitchen screen may only bump an existing ticket');
    if (JSON.stringify(waiterFields(current.data)) !== JSON.stringify(waiterFields(next.data))) {
      return refuse(REFUSAL_REASON.ticketEdit, 'a kitchen screen may only change a ticket status');
    }
  }
  return null;
}

function checkReceiptWrite(doc: Y.Doc, writer: WriterKind, write: Write, key: string): Refusal | null {
  if (writer === 'kitchen') return refuse(REFUSAL_REASON.roleMayNotWrite, 'a kitchen screen may not write receipts');
  if (write.kind === 'delete' || receiptsRoot(doc).has(key)) {
    return refuse(REFUSAL_REASON.receiptIssued, `order ${key} already has its receipt`);
  }
  const entry = fiscalReceiptEntrySchema.safeParse(write.value);
  if (!entry.success || entry.data.orderId !== key) {
    return refuse(REFUSAL_REASON.roleMayNotWrite, 'a receipt entry is one valid entry under its order id');
  }
  return null;
}
