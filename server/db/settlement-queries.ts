/**
 * SQL of settlement: one paid order → rows in orders, order_lines, payments and audit_log, in one
 * transaction keyed by the order's client-generated id. `insertSettledOrder` reports whether it
 * wrote anything, so a replay is visibly a no-op (and writes no second audit entry).
 *
 * The order's stamps become audit entries here ([AUDIT-01]): every void and every discount,
 * with who, when, why and the manager who approved it.
 */
import { discountAmount, lineNetMinor, type PricedOrder } from '../../shared/pricing';
import type { AuditStamp, Order } from '../../shared/schemas/order';
import type { Problem } from '../../shared/errors';
import type { Database, Queryable } from './database';

const iso = (ms: number) => new Date(ms).toISOString();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `late-change`: a device changed an order after the server had settled it; not applied (SYNC-12). */
export const AUDIT_ACTIONS = ['void', 'discount', 'refund', 'pay-in', 'pay-out', 'shift-open', 'shift-close', 'late-change'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export interface AuditEntry {
  branchId: string;
  at: string | Date;
  action: AuditAction;
  actor: string;
  approvedBy: string | null;
  reason: string | null;
  orderId?: string | null;
  lineId?: string | null;
  shiftId?: string | null;
  refundId?: string | null;
  amountMinor?: number | null;
  details?: unknown;
}

export async function insertAuditEntry(tx: Queryable, entry: AuditEntry): Promise<void> {
  await tx.query(
    `insert into audit_log (branch_id, at, action, actor, approved_by, reason, order_id, line_id, shift_id, refund_id, amount_minor, details)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      entry.branchId, entry.at instanceof Date ? entry.at.toISOString() : entry.at, entry.action, entry.actor,
      entry.approvedBy, entry.reason, entry.orderId ?? null, entry.lineId ?? null, entry.shiftId ?? null,
      entry.refundId ?? null, entry.amountMinor ?? null, entry.details === undefined ? null : JSON.stringify(entry.details),
    ],
  );
}

/** The device that took the order's last payment ([SHIFT-02]); older tablets did not say, so the order's. */
export function paidDeviceOf(order: Order): string {
  const last = [...order.payments].sort((a, b) => a.at - b.at || a.id.localeCompare(b.id)).at(-1);
  return last?.deviceId ?? order.deviceId;
}

const stampColumns = (stamp: AuditStamp | null) =>
  stamp ? [stamp.reason, stamp.by, stamp.approvedBy, iso(stamp.at)] : [null, null, null, null];

export async function insertSettledOrder(db: Database, order: Order, priced: PricedOrder): Promise<'inserted' | 'already-settled'> {
  return db.transact(async (tx) => {
    const paid = order.payments.reduce((s, p) => s + p.amountMinor, 0);
    const change = order.payments.reduce((s, p) => s + p.changeMinor, 0);
    const tips = order.payments.reduce((s, p) => s + p.tipMinor, 0);
    const discount = order.discount;
    const customer = order.customer;
    const { rows } = await tx.query<{ id: string }>(
      `insert into orders (id, branch_id, order_type, table_id, guests, opened_by, device_id, opened_at, paid_at,
                           subtotal_minor, service_minor, vat_minor, total_minor, paid_minor, change_minor,
                           discount_minor, discount_kind, discount_value, discount_reason, discount_by, discount_approved_by,
                           discount_at, customer_id, customer_name, customer_phone, customer_address, tip_minor, paid_device_id)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
               $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)
       on conflict (id) do nothing returning id`,
      [
        order.id, order.branchId, order.type, order.tableId, order.guests, order.openedBy, order.deviceId,
        iso(order.openedAt), iso(order.paidAt ?? Date.now()),
        priced.subtotalMinor, priced.serviceMinor, priced.vatMinor, priced.totalMinor, paid, change,
        priced.discountMinor, discount?.kind ?? null, discount?.value ?? null, ...stampColumns(discount),
        customer?.id ?? null, customer?.name ?? null, customer?.phone ?? null, customer?.address ?? null,
        tips, paidDeviceOf(order),
      ],
    );
    if (rows.length === 0) return 'already-settled';
    for (const line of order.lines) {
      const p = priced.lines.find((l) => l.lineId === line.id);
      if (!p) throw new Error(`priced order lacks line ${line.id}`);
      await tx.query(
        `insert into order_lines (order_id, line_id, item_id, name_en, name_ar, qty, unit_price_minor, modifiers, note,
                                  net_minor, service_minor, vat_minor, total_minor, seat, course, gross_minor, discount_minor,
                                  void_minor, void_reason, void_by, void_approved_by, void_at,
                                  discount_kind, discount_value, discount_reason, discount_by, discount_approved_by, discount_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,
                 $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28)`,
        [
          order.id, line.id, line.itemId, line.nameEn, line.nameAr, line.qty, line.unitPriceMinor,
          JSON.stringify(line.modifiers), line.note, p.netMinor, p.serviceMinor, p.vatMinor, p.totalMinor,
          line.seat, line.course, p.grossMinor, p.discountMinor, line.void ? lineNetMinor(line) : 0, ...stampColumns(line.void),
          line.discount?.kind ?? null, line.discount?.value ?? null, ...stampColumns(line.discount),
        ],
      );
      // [AUDIT-01] the line's void and discount, as stamped on the tablet
      if (line.void) {
        await insertAuditEntry(tx, {
          branchId: order.branchId, at: iso(line.void.at), action: 'void', actor: line.void.by,
          approvedBy: line.void.approvedBy, reason: line.void.reason, orderId: order.id, lineId: line.id,
          amountMinor: lineNetMinor(line),
          details: { itemId: line.itemId, nameEn: line.nameEn, qty: line.qty, wasSent: line.ticketId !== null },
        });
      }
      if (line.discount) {
        await insertAuditEntry(tx, {
          branchId: order.branchId, at: iso(line.discount.at), action: 'discount', actor: line.discount.by,
          approvedBy: line.discount.approvedBy, reason: line.discount.reason, orderId: order.id, lineId: line.id,
          amountMinor: ownLineDiscount(line, p),
          details: { kind: line.discount.kind, value: line.discount.value, scope: 'line' },
        });
      }
    }
    if (discount) {
      await insertAuditEntry(tx, {
        branchId: order.branchId, at: iso(discount.at), action: 'discount', actor: discount.by,
        approvedBy: discount.approvedBy, reason: discount.reason, orderId: order.id,
        amountMinor: orderDiscountMinor(order, priced),
        details: { kind: discount.kind, value: discount.value, scope: 'order' },
      });
    }
    for (const pay of order.payments) {
      await tx.query(
        `insert into payments (order_id, payment_id, method, amount_minor, tendered_minor, change_minor, taken_by, taken_at,
                               tip_minor, part, device_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          order.id, pay.id, pay.method, pay.amountMinor, pay.tenderedMinor, pay.changeMinor, pay.by, iso(pay.at),
          pay.tipMinor, pay.part, pay.deviceId ?? order.deviceId,
        ],
      );
    }
    // A rejected order that was corrected and now settles leaves the review list.
    await tx.query('delete from settlement_rejections where order_id = $1', [order.id]);
    return 'inserted';
  });
}

/** A line's own discount (the pricing's per-line discount also holds its share of the order's). */
const ownLineDiscount = (line: Order['lines'][number], p: PricedOrder['lines'][number]) =>
  line.void ? 0 : discountAmount(line.discount, p.grossMinor);

/** The order discount alone: every discount minus the lines' own. */
function orderDiscountMinor(order: Order, priced: PricedOrder): number {
  let own = 0;
  for (const line of order.lines) {
    const p = priced.lines.find((l) => l.lineId === line.id);
    if (p) own += ownLineDiscount(line, p);
  }
  return priced.discountMinor - own;
}

export async function isOrderSettled(db: Database, orderId: string): Promise<boolean> {
  const { rows } = await db.query('select 1 from orders where id = $1', [orderId]);
  return rows.length > 0;
}

export async function recordSettlementRejection(db: Database, order: Order, problem: Problem): Promise<void> {
  await db.query(
    `insert into settlement_rejections (order_id, branch_id, code, message, details, order_snapshot)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (order_id) do update set code = excluded.code, message = excluded.message,
       details = excluded.details, order_snapshot = excluded.order_snapshot, updated_at = now()`,
    [order.id, order.branchId, problem.code, problem.message, JSON.stringify(problem.details ?? null), JSON.stringify(order)],
  );
}

export async function listSettlementRejections(db: Database, branchId: string) {
  const { rows } = await db.query<{ order_id: string; code: string; message: string; created_at: Date | string }>(
    `select order_id, code, message, created_at from settlement_rejections
      where branch_id = $1 order by created_at desc limit 200`,
    [branchId],
  );
  return rows.map((r) => ({ orderId: r.order_id, code: r.code, message: r.message, createdAt: new Date(r.created_at).toISOString() }));
}

export async function listSettledOrders(db: Database, branchId: string, limit: number) {
  const { rows } = await db.query<{
    id: string; table_id: string | null; total_minor: string | number; paid_at: Date | string; settled_at: Date | string;
  }>(
    `select id, table_id, total_minor, paid_at, settled_at from orders
      where branch_id = $1 order by settled_at desc limit $2`,
    [branchId, limit],
  );
  return rows.map((r) => ({
    id: r.id, tableId: r.table_id, totalMinor: Number(r.total_minor),
    paidAt: new Date(r.paid_at).toISOString(), settledAt: new Date(r.settled_at).toISOString(),
  }));
}

/** What Postgres holds of a settled order, as far as telling a device's re-send from a late change goes. */
export interface SettledContent {
  paymentIds: ReadonlySet<string>;
  lines: ReadonlyMap<string, { qty: number; isVoid: boolean }>;
}

/**
 * The payments and lines of settled orders (those of `orderIds` that are in `orders`). The relay
 * asks before it records a late change (SYNC-12): after a crash, a device may re-send a payment
 * the server settled already, through a retired generation whose own copy lost it (ROT-13).
 */
export async function loadSettledContents(db: Queryable, orderIds: readonly string[]): Promise<Map<string, SettledContent>> {
  const contents = new Map<string, { paymentIds: Set<string>; lines: Map<string, { qty: number; isVoid: boolean }> }>();
  // A document key that is not a uuid was never settled (orders.id is one): no row to find.
  const ids = orderIds.filter((id) => UUID.test(id));
  if (ids.length === 0) return contents;
  const { rows: orders } = await db.query<{ id: string }>('select id from orders where id = any($1::uuid[])', [ids]);
  for (const { id } of orders) contents.set(id, { paymentIds: new Set(), lines: new Map() });
  if (contents.size === 0) return contents;
  const { rows: payments } = await db.query<{ order_id: string; payment_id: string }>(
    'select order_id, payment_id from payments where order_id = any($1::uuid[])',
    [ids],
  );
  for (const row of payments) contents.get(row.order_id)?.paymentIds.add(row.payment_id);
  const { rows: lines } = await db.query<{ order_id: string; line_id: string; qty: number | string; is_void: boolean }>(
    'select order_id, line_id, qty, void_at is not null as is_void from order_lines where order_id = any($1::uuid[])',
    [ids],
  );
  for (const row of lines) contents.get(row.order_id)?.lines.set(row.line_id, { qty: Number(row.qty), isVoid: row.is_void });
  return contents;
}
