/**
 * What each kind of writer may change in a branch's live document, decided from the writes an
 * incoming update would make (update-inspection.ts) before it is applied:
 * - nobody but the server writes `settlement` (or any root the product does not know);
 * - waiter tablets and managers write `orders` and `tickets`, but never bring back an order the
 *   server has already settled (a late edit inside one is taken but lands nowhere: see
 *   `lateSettledOrderEdits`);
 * - kitchen screens only start, bump and recall tickets: they may change an existing ticket's
 *   status and its startedAt/readyAt/recalledAt,
 *   nothing else — not orders, not lines, not prices, not other ticket fields;
 * - `receipts` (ETA receipts the paying tablet issued) take one insert per order and device from a
 *   tablet, a valid entry under its own key, and are never changed or removed afterwards: a fiscal
 *   document, once issued, only gets corrected by a new one [FIS-52]. Kitchen screens never.
 */
import type * as Y from 'yjs';
import { fiscalReceiptEntrySchema } from '../../shared/eta/receipt-entry';
import { ordersRoot, ROOT, readSettlement, receiptKey, receiptsRoot, ticketsRoot } from '../../shared/live-doc';
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
      // Putting a new value under a settled order's id would bring it back: refused. A change
      // inside it (or its removal) is a late edit — `lateSettledOrderEdits` — not a refusal.
      if (readSettlement(doc, write.key)?.status === 'settled' && write.isEntry === true) {
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
    return refuse(REFUSAL_REASON.receiptIssued, `receipt ${key} is already issued`);
  }
  // Keyed by order and device (receiptKey), so a second device's receipt for the same order —
  // both took payment offline — is a new entry, not a change: it is kept, never refused [FIS-60].
  const entry = fiscalReceiptEntrySchema.safeParse(write.value);
  if (!entry.success || key !== receiptKey(entry.data)) {
    return refuse(REFUSAL_REASON.roleMayNotWrite, 'a receipt entry is one valid entry under its order and device');
  }
  return null;
}

/**
 * Settled orders an update changes from inside (a line added, a payment taken, a field set) —
 * typically a tablet that was offline while another device was paid for the order and the
 * server settled it [SYNC-12]. Refusing the whole update would close the tablet's connection for
 * good and strand everything else it did offline (other tables, other payments), so the relay
 * takes the update but first removes the settled order from the document (it is in Postgres):
 * the late edit then lands inside a deleted map and changes nothing anyone sees. What the device
 * meant is recorded for the manager (audit `late-change`), so it is not lost either.
 */
export function lateSettledOrderEdits(doc: Y.Doc, writer: WriterKind, writes: readonly Write[]): string[] {
  if (writer !== 'tablet') return [];
  const late = new Set<string>();
  for (const write of writes) {
    if (write.root !== ROOT.orders || write.key === null || write.isEntry === true) continue;
    if (readSettlement(doc, write.key)?.status === 'settled' && ordersRoot(doc).has(write.key)) late.add(write.key);
  }
  return [...late];
}
