/**
 * SQL of refunds ([REF-*]). A refund is computed from the settled per-line amounts (shared
 * pricing, stored at settlement) minus what earlier refunds gave back, under a row lock on the
 * order so two refunds of one order can't both take the same units. Keyed by the client's
 * refund id: the same request again answers with the refund it made.
 */
import { computeRefund, remainingUnits, type RefundableLine, type RefundLineRequest } from '../../shared/refunds';
import type { Problem } from '../../shared/errors';
import { PAYMENT_METHODS, type PaymentMethod } from '../../shared/schemas/order';
import type { Refund, RefundableOrder } from '../../shared/schemas/refund';
import type { Actor } from '../auth/staff-approval';
import type { Database, Queryable } from './database';
import { insertAuditEntry } from './settlement-queries';

const toIso = (value: Date | string) => new Date(value).toISOString();
const n = (value: string | number | null | undefined) => Number(value ?? 0);
const isMethod = (m: string): m is PaymentMethod => (PAYMENT_METHODS as readonly string[]).includes(m);

interface OrderRow {
  id: string;
  branch_id: string;
  table_id: string | null;
  order_type: string;
  paid_at: Date | string;
  total_minor: string | number;
  paid_device_id: string;
}

async function refundsOf(db: Queryable, orderId: string): Promise<Refund[]> {
  const refunds = await db.query<{
    id: string; order_id: string; method: string; reason: string; by_staff: string; approved_by: string | null; device_id: string;
    created_at: Date | string; net_minor: string | number; service_minor: string | number; vat_minor: string | number;
    total_minor: string | number; fiscal_receipt_uuid: string | null;
  }>('select * from refunds where order_id = $1 order by created_at, id', [orderId]);
  const lines = await db.query<{
    refund_id: string; line_id: string; qty: number; net_minor: string | number; service_minor: string | number;
    vat_minor: string | number; total_minor: string | number;
  }>('select refund_id, line_id, qty, net_minor, service_minor, vat_minor, total_minor from refund_lines where order_id = $1', [orderId]);
  return refunds.rows.map((r) => ({
    id: r.id, orderId: r.order_id, method: isMethod(r.method) ? r.method : 'cash', reason: r.reason, by: r.by_staff,
    approvedBy: r.approved_by, deviceId: r.device_id, createdAt: toIso(r.created_at), netMinor: n(r.net_minor),
    serviceMinor: n(r.service_minor), vatMinor: n(r.vat_minor), totalMinor: n(r.total_minor), fiscalReceiptUuid: r.fiscal_receipt_uuid,
    lines: lines.rows
      .filter((l) => l.refund_id === r.id)
      .map((l) => ({
        lineId: l.line_id, qty: Number(l.qty), netMinor: n(l.net_minor), serviceMinor: n(l.service_minor), vatMinor: n(l.vat_minor),
        totalMinor: n(l.total_minor),
      })),
  }));
}

async function refundableLines(db: Queryable, orderId: string) {
  const { rows } = await db.query<{
    line_id: string; name_en: string; name_ar: string; qty: number; net_minor: string | number; service_minor: string | number;
    vat_minor: string | number; total_minor: string | number; void_reason: string | null; refunded_qty: string | number | null;
  }>(
    `select l.line_id, l.name_en, l.name_ar, l.qty, l.net_minor, l.service_minor, l.vat_minor, l.total_minor, l.void_reason,
            (select sum(rl.qty) from refund_lines rl where rl.order_id = l.order_id and rl.line_id = l.line_id) as refunded_qty
       from order_lines l where l.order_id = $1 order by l.line_id`,
    [orderId],
  );
  return rows.map((r) => ({
    lineId: r.line_id, nameEn: r.name_en, nameAr: r.name_ar, qty: Number(r.qty), netMinor: n(r.net_minor),
    serviceMinor: n(r.service_minor), vatMinor: n(r.vat_minor), totalMinor: n(r.total_minor), refundedQty: n(r.refunded_qty),
    isVoided: r.void_reason !== null,
  }));
}

async function findOrder(db: Queryable, branchId: string, orderId: string, lock = false): Promise<OrderRow | null> {
  const { rows } = await db.query<OrderRow>(
    `select id, branch_id, table_id, order_type, paid_at, total_minor, paid_device_id from orders
      where id = $1 and branch_id = $2${lock ? ' for update' : ''}`,
    [orderId, branchId],
  );
  return rows[0] ?? null;
}

export async function loadRefundableOrder(db: Queryable, branchId: string, orderId: string): Promise<RefundableOrder | null> {
  const order = await findOrder(db, branchId, orderId);
  if (!order) return null;
  const lines = await refundableLines(db, orderId);
  const refunds = await refundsOf(db, orderId);
  const methods = await db.query<{ method: string }>('select distinct method from payments where order_id = $1 order by method', [orderId]);
  return {
    id: order.id, branchId: order.branch_id, tableId: order.table_id, orderType: order.order_type, paidAt: toIso(order.paid_at),
    totalMinor: n(order.total_minor), refundedMinor: refunds.reduce((s, r) => s + r.totalMinor, 0), paidDeviceId: order.paid_device_id,
    methods: methods.rows.map((m) => m.method).filter(isMethod),
    lines: lines.map((l) => ({
      lineId: l.lineId, nameEn: l.nameEn, nameAr: l.nameAr, qty: l.qty, refundedQty: l.refundedQty, isVoided: l.isVoided,
      netMinor: l.netMinor, serviceMinor: l.serviceMinor, vatMinor: l.vatMinor, totalMinor: l.totalMinor,
    })),
    refunds,
  };
}

/** Recent settled orders of a branch whose id starts with `query` (or all recent ones). */
export async function searchSettledOrders(db: Queryable, branchId: string, query: string, limit: number) {
  const { rows } = await db.query<{ id: string; table_id: string | null; total_minor: string | number; paid_at: Date | string; refunded: string | number | null }>(
    `select o.id, o.table_id, o.total_minor, o.paid_at, (select sum(r.total_minor) from refunds r where r.order_id = o.id) as refunded
       from orders o where o.branch_id = $1 and o.id::text like $2 order by o.paid_at desc limit $3`,
    [branchId, `${query.toLowerCase()}%`, limit],
  );
  return rows.map((r) => ({ id: r.id, tableId: r.table_id, totalMinor: n(r.total_minor), refundedMinor: n(r.refunded), paidAt: toIso(r.paid_at) }));
}

export type RefundOutcome =
  | { kind: 'created' | 'existing'; refund: Refund }
  | { kind: 'no-order' }
  | { kind: 'id-taken' }
  | { kind: 'refused'; problem: Problem };

export async function insertRefund(
  db: Database,
  input: {
    id: string; branchId: string; orderId: string; lines: RefundLineRequest[] | undefined; reason: string; method: PaymentMethod;
    deviceId: string | null; actor: Actor;
  },
): Promise<RefundOutcome> {
  return db.transact(async (tx) => {
    const order = await findOrder(tx, input.branchId, input.orderId, true);
    if (!order) return { kind: 'no-order' };
    const same = await tx.query<{ order_id: string }>('select order_id from refunds where id = $1', [input.id]);
    if (same.rows[0]) {
      if (same.rows[0].order_id !== input.orderId) return { kind: 'id-taken' };
      const refund = (await refundsOf(tx, input.orderId)).find((r) => r.id === input.id)!;
      return { kind: 'existing', refund };
    }
    const lines: RefundableLine[] = await refundableLines(tx, input.orderId);
    const asked = input.lines ?? remainingUnits(lines);
    const computed = computeRefund(lines, asked);
    if (!computed.ok) {
      return { kind: 'refused', problem: asked.length === 0 ? { code: 'conflict', message: 'This order was already refunded in full.' } : computed.problem };
    }
    const deviceId = input.deviceId ?? order.paid_device_id;
    const value = computed.value;
    const inserted = await tx.query<{ created_at: Date | string }>(
      `insert into refunds (id, branch_id, order_id, method, reason, by_staff, approved_by, device_id, net_minor, service_minor, vat_minor, total_minor)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning created_at`,
      [input.id, input.branchId, input.orderId, input.method, input.reason, input.actor.by, input.actor.approvedBy, deviceId,
        value.netMinor, value.serviceMinor, value.vatMinor, value.totalMinor],
    );
    for (const line of value.lines) {
      await tx.query(
        `insert into refund_lines (refund_id, order_id, line_id, qty, net_minor, service_minor, vat_minor, total_minor)
         values ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [input.id, input.orderId, line.lineId, line.qty, line.netMinor, line.serviceMinor, line.vatMinor, line.totalMinor],
      );
    }
    await insertAuditEntry(tx, {
      branchId: input.branchId, at: toIso(inserted.rows[0]!.created_at), action: 'refund', actor: input.actor.by,
      approvedBy: input.actor.approvedBy, reason: input.reason, orderId: input.orderId, refundId: input.id, amountMinor: value.totalMinor,
      details: { method: input.method, deviceId, lines: value.lines.map((l) => ({ lineId: l.lineId, qty: l.qty })), isWhole: input.lines === undefined },
    });
    const refund = (await refundsOf(tx, input.orderId)).find((r) => r.id === input.id)!;
    return { kind: 'created', refund };
  });
}
