/**
 * SQL of settlement: one paid order → rows in orders, order_lines and payments, in one
 * transaction keyed by the order's client-generated id. `insertSettledOrder` reports whether it
 * wrote anything, so a replay is visibly a no-op.
 */
import type { PricedOrder } from '../../shared/pricing';
import type { Order } from '../../shared/schemas/order';
import type { Problem } from '../../shared/errors';
import type { Database } from './database';

const iso = (ms: number) => new Date(ms).toISOString();

export async function insertSettledOrder(db: Database, order: Order, priced: PricedOrder): Promise<'inserted' | 'already-settled'> {
  return db.transact(async (tx) => {
    const paid = order.payments.reduce((s, p) => s + p.amountMinor, 0);
    const change = order.payments.reduce((s, p) => s + p.changeMinor, 0);
    const { rows } = await tx.query<{ id: string }>(
      `insert into orders (id, branch_id, order_type, table_id, guests, opened_by, device_id, opened_at, paid_at,
                           subtotal_minor, service_minor, vat_minor, total_minor, paid_minor, change_minor)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
       on conflict (id) do nothing returning id`,
      [
        order.id, order.branchId, order.type, order.tableId, order.guests, order.openedBy, order.deviceId,
        iso(order.openedAt), iso(order.paidAt ?? Date.now()),
        priced.subtotalMinor, priced.serviceMinor, priced.vatMinor, priced.totalMinor, paid, change,
      ],
    );
    if (rows.length === 0) return 'already-settled';
    for (const line of order.lines) {
      const p = priced.lines.find((l) => l.lineId === line.id);
      if (!p) throw new Error(`priced order lacks line ${line.id}`);
      await tx.query(
        `insert into order_lines (order_id, line_id, item_id, name_en, name_ar, qty, unit_price_minor, modifiers, note,
                                  net_minor, service_minor, vat_minor, total_minor)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
        [
          order.id, line.id, line.itemId, line.nameEn, line.nameAr, line.qty, line.unitPriceMinor,
          JSON.stringify(line.modifiers), line.note, p.netMinor, p.serviceMinor, p.vatMinor, p.totalMinor,
        ],
      );
    }
    for (const pay of order.payments) {
      await tx.query(
        `insert into payments (order_id, payment_id, method, amount_minor, tendered_minor, change_minor, taken_by, taken_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [order.id, pay.id, pay.method, pay.amountMinor, pay.tenderedMinor, pay.changeMinor, pay.by, iso(pay.at)],
      );
    }
    // A rejected order that was corrected and now settles leaves the review list.
    await tx.query('delete from settlement_rejections where order_id = $1', [order.id]);
    return 'inserted';
  });
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
