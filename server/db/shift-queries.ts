/**
 * SQL of cash-drawer shifts: open with a float, pay-ins and pay-outs, the X/Z report, close with
 * the counted cash. [SHIFT-02] What counts to a shift: payments taken by the shift's device
 * (payments.device_id) within its window [opened_at, closed_at); orders whose last payment that
 * device took (orders.paid_device_id) paid within the window; refunds recorded against the
 * device in the window; the shift's own pay-ins and pay-outs.
 */
import { PAYMENT_METHODS, type PaymentMethod } from '../../shared/schemas/order';
import type { CashMovementBody, Shift, ShiftReport } from '../../shared/schemas/shift';
import { countedCashMinor, expectedCashMinor, type DenominationCounts } from '../../shared/shift-cash';
import type { Actor } from '../auth/staff-approval';
import type { Database, Queryable } from './database';
import { insertAuditEntry } from './settlement-queries';

const toIso = (value: Date | string) => new Date(value).toISOString();
const n = (value: string | number | null | undefined) => Number(value ?? 0);

interface ShiftRow {
  id: string;
  branch_id: string;
  device_id: string;
  opened_by: string;
  opened_at: Date | string;
  float_minor: string | number;
  closed_by: string | null;
  closed_at: Date | string | null;
  z_report: unknown;
}

async function movementsOf(db: Queryable, shiftId: string): Promise<Shift['movements']> {
  const { rows } = await db.query<{
    id: string; kind: 'pay-in' | 'pay-out'; amount_minor: string | number; reason: string; by_staff: string; approved_by: string | null; at: Date | string;
  }>('select id, kind, amount_minor, reason, by_staff, approved_by, at from cash_movements where shift_id = $1 order by at, id', [shiftId]);
  return rows.map((r) => ({
    id: r.id, kind: r.kind, amountMinor: n(r.amount_minor), reason: r.reason, by: r.by_staff, approvedBy: r.approved_by, at: toIso(r.at),
  }));
}

async function toShift(db: Queryable, row: ShiftRow): Promise<Shift> {
  return {
    id: row.id, branchId: row.branch_id, deviceId: row.device_id, openedBy: row.opened_by, openedAt: toIso(row.opened_at),
    floatMinor: n(row.float_minor), closedBy: row.closed_by, closedAt: row.closed_at === null ? null : toIso(row.closed_at),
    movements: await movementsOf(db, row.id),
  };
}

const SHIFT_COLUMNS = 'id, branch_id, device_id, opened_by, opened_at, float_minor, closed_by, closed_at, z_report';

export async function findShift(db: Queryable, branchId: string, shiftId: string): Promise<Shift | null> {
  const { rows } = await db.query<ShiftRow>(`select ${SHIFT_COLUMNS} from shifts where id = $1 and branch_id = $2`, [shiftId, branchId]);
  return rows[0] ? toShift(db, rows[0]) : null;
}

export async function findOpenShift(db: Queryable, branchId: string, deviceId: string): Promise<Shift | null> {
  const { rows } = await db.query<ShiftRow>(
    `select ${SHIFT_COLUMNS} from shifts where branch_id = $1 and device_id = $2 and closed_at is null`,
    [branchId, deviceId],
  );
  return rows[0] ? toShift(db, rows[0]) : null;
}

export async function isPosDeviceOfBranch(db: Queryable, branchId: string, deviceId: string): Promise<boolean> {
  const { rows } = await db.query(`select 1 from devices where id = $1 and branch_id = $2 and kind = 'pos' and revoked_at is null`, [deviceId, branchId]);
  return rows.length > 0;
}

export type OpenShiftOutcome = { kind: 'opened' | 'existing'; shift: Shift } | { kind: 'device-busy'; openShiftId: string } | { kind: 'id-taken' };

/** [SHIFT-01] One open shift per device; the same id again answers with the shift it made. */
export async function openShift(
  db: Database,
  input: { id: string; branchId: string; deviceId: string; floatMinor: number; actor: Actor },
): Promise<OpenShiftOutcome> {
  return db.transact(async (tx) => {
    const same = await tx.query<ShiftRow>(`select ${SHIFT_COLUMNS} from shifts where id = $1`, [input.id]);
    if (same.rows[0]) {
      const row = same.rows[0];
      return row.branch_id === input.branchId && row.device_id === input.deviceId ? { kind: 'existing', shift: await toShift(tx, row) } : { kind: 'id-taken' };
    }
    const busy = await tx.query<{ id: string }>('select id from shifts where device_id = $1 and closed_at is null for update', [input.deviceId]);
    if (busy.rows[0]) return { kind: 'device-busy', openShiftId: busy.rows[0].id };
    const { rows } = await tx.query<ShiftRow>(
      `insert into shifts (id, branch_id, device_id, opened_by, opened_approved_by, float_minor)
       values ($1, $2, $3, $4, $5, $6) returning ${SHIFT_COLUMNS}`,
      [input.id, input.branchId, input.deviceId, input.actor.by, input.actor.approvedBy, input.floatMinor],
    );
    const row = rows[0]!;
    await insertAuditEntry(tx, {
      branchId: input.branchId, at: toIso(row.opened_at), action: 'shift-open', actor: input.actor.by, approvedBy: input.actor.approvedBy,
      reason: null, shiftId: input.id, amountMinor: input.floatMinor, details: { deviceId: input.deviceId },
    });
    return { kind: 'opened', shift: await toShift(tx, row) };
  });
}

export type MovementOutcome = { kind: 'added' | 'existing'; shift: Shift } | { kind: 'closed' } | { kind: 'id-taken' };

export async function addCashMovement(
  db: Database,
  input: { branchId: string; shiftId: string; body: CashMovementBody; actor: Actor },
): Promise<MovementOutcome> {
  return db.transact(async (tx) => {
    const { rows } = await tx.query<ShiftRow>(`select ${SHIFT_COLUMNS} from shifts where id = $1 and branch_id = $2 for update`, [
      input.shiftId, input.branchId,
    ]);
    const shift = rows[0]!;
    const same = await tx.query<{ shift_id: string }>('select shift_id from cash_movements where id = $1', [input.body.id]);
    if (same.rows[0]) return same.rows[0].shift_id === input.shiftId ? { kind: 'existing', shift: await toShift(tx, shift) } : { kind: 'id-taken' };
    if (shift.closed_at !== null) return { kind: 'closed' };
    const inserted = await tx.query<{ at: Date | string }>(
      `insert into cash_movements (id, shift_id, branch_id, kind, amount_minor, reason, by_staff, approved_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8) returning at`,
      [input.body.id, input.shiftId, input.branchId, input.body.kind, input.body.amountMinor, input.body.reason, input.actor.by, input.actor.approvedBy],
    );
    await insertAuditEntry(tx, {
      branchId: input.branchId, at: toIso(inserted.rows[0]!.at), action: input.body.kind, actor: input.actor.by,
      approvedBy: input.actor.approvedBy, reason: input.body.reason, shiftId: input.shiftId, amountMinor: input.body.amountMinor,
    });
    return { kind: 'added', shift: await toShift(tx, shift) };
  });
}

const byMethod = (rows: { method: string; value: string | number | null }[]): Record<PaymentMethod, number> => {
  const result = Object.fromEntries(PAYMENT_METHODS.map((m) => [m, 0])) as Record<PaymentMethod, number>;
  for (const row of rows) if ((PAYMENT_METHODS as readonly string[]).includes(row.method)) result[row.method as PaymentMethod] = n(row.value);
  return result;
};

/** The figures of a shift's window up to `asOf` (now for an X report, the close for a Z). */
async function reportFigures(tx: Queryable, shift: ShiftRow, asOf: string) {
  const window = [shift.branch_id, shift.device_id, toIso(shift.opened_at), asOf];
  const payments = await tx.query<{ method: string; amount: string | number; tips: string | number }>(
    `select p.method, sum(p.amount_minor) as amount, sum(p.tip_minor) as tips
       from payments p join orders o on o.id = p.order_id
      where o.branch_id = $1 and p.device_id = $2 and p.taken_at >= $3 and p.taken_at < $4
      group by p.method`,
    window,
  );
  const orders = await tx.query<{
    order_count: string | number; subtotal: string | number | null; discount: string | number | null; service: string | number | null;
    vat: string | number | null; total: string | number | null; order_discounts: string | number;
  }>(
    `select count(*) as order_count, sum(subtotal_minor) as subtotal, sum(discount_minor) as discount, sum(service_minor) as service,
            sum(vat_minor) as vat, sum(total_minor) as total, count(discount_kind) as order_discounts
       from orders where branch_id = $1 and paid_device_id = $2 and paid_at >= $3 and paid_at < $4`,
    window,
  );
  const lines = await tx.query<{ line_discounts: string | number; void_count: string | number; void_minor: string | number | null }>(
    `select count(l.discount_kind) as line_discounts, count(l.void_reason) as void_count, sum(l.void_minor) as void_minor
       from order_lines l join orders o on o.id = l.order_id
      where o.branch_id = $1 and o.paid_device_id = $2 and o.paid_at >= $3 and o.paid_at < $4`,
    window,
  );
  const refunds = await tx.query<{ method: string; value: string | number; refund_count: string | number }>(
    `select method, sum(total_minor) as value, count(*) as refund_count
       from refunds where branch_id = $1 and device_id = $2 and created_at >= $3 and created_at < $4
      group by method`,
    window,
  );
  const movements = await tx.query<{ kind: string; value: string | number }>(
    'select kind, sum(amount_minor) as value from cash_movements where shift_id = $1 group by kind',
    [shift.id],
  );
  const o = orders.rows[0]!;
  const l = lines.rows[0]!;
  const salesByMethod = byMethod(payments.rows.map((r) => ({ method: r.method, value: r.amount })));
  const tipsByMethod = byMethod(payments.rows.map((r) => ({ method: r.method, value: r.tips })));
  const refundsByMethod = byMethod(refunds.rows);
  const movementOf = (kind: string) => n(movements.rows.find((r) => r.kind === kind)?.value);
  const floatMinor = n(shift.float_minor);
  const payInMinor = movementOf('pay-in');
  const payOutMinor = movementOf('pay-out');
  return {
    orderCount: n(o.order_count),
    salesByMethod,
    tipsByMethod,
    subtotalMinor: n(o.subtotal),
    discountMinor: n(o.discount),
    discountCount: n(o.order_discounts) + n(l.line_discounts),
    voidCount: n(l.void_count),
    voidMinor: n(l.void_minor),
    serviceMinor: n(o.service),
    vatMinor: n(o.vat),
    totalMinor: n(o.total),
    refundCount: refunds.rows.reduce((s, r) => s + n(r.refund_count), 0),
    refundsByMethod,
    refundMinor: refunds.rows.reduce((s, r) => s + n(r.value), 0),
    floatMinor,
    payInMinor,
    payOutMinor,
    expectedCashMinor: expectedCashMinor({
      floatMinor, cashSalesMinor: salesByMethod.cash, cashTipsMinor: tipsByMethod.cash, payInMinor, payOutMinor,
      cashRefundMinor: refundsByMethod.cash,
    }),
  };
}

/** The X report of an open shift now, or the Z report a closed shift froze at its close. */
export async function shiftReport(db: Queryable, branchId: string, shiftId: string): Promise<ShiftReport | null> {
  const { rows } = await db.query<ShiftRow>(`select ${SHIFT_COLUMNS} from shifts where id = $1 and branch_id = $2`, [shiftId, branchId]);
  const shift = rows[0];
  if (!shift) return null;
  if (shift.closed_at !== null) return shift.z_report as ShiftReport;
  const now = await db.query<{ now: Date | string }>('select now() as now');
  const asOf = toIso(now.rows[0]!.now);
  return {
    kind: 'X', shiftId: shift.id, branchId: shift.branch_id, deviceId: shift.device_id, openedBy: shift.opened_by,
    openedAt: toIso(shift.opened_at), closedAt: null, asOf, ...(await reportFigures(db, shift, asOf)),
    countedCashMinor: null, differenceMinor: null, counts: null,
  };
}

export type CloseOutcome = { kind: 'closed'; report: ShiftReport } | { kind: 'already-closed'; report: ShiftReport };

/** [SHIFT-03] Close: counted cash against expected, the difference and the Z report recorded. */
export async function closeShift(
  db: Database,
  input: { branchId: string; shiftId: string; counts: DenominationCounts; actor: Actor },
): Promise<CloseOutcome> {
  return db.transact(async (tx) => {
    const { rows } = await tx.query<ShiftRow>(`select ${SHIFT_COLUMNS} from shifts where id = $1 and branch_id = $2 for update`, [
      input.shiftId, input.branchId,
    ]);
    const shift = rows[0]!;
    if (shift.closed_at !== null) return { kind: 'already-closed', report: shift.z_report as ShiftReport };
    const now = await tx.query<{ now: Date | string }>('select now() as now');
    const closedAt = toIso(now.rows[0]!.now);
    const figures = await reportFigures(tx, shift, closedAt);
    const counts = Object.fromEntries(Object.entries(input.counts).filter(([, count]) => count > 0));
    const countedCash = countedCashMinor(counts);
    const report: ShiftReport = {
      kind: 'Z', shiftId: shift.id, branchId: shift.branch_id, deviceId: shift.device_id, openedBy: shift.opened_by,
      openedAt: toIso(shift.opened_at), closedAt, asOf: closedAt, ...figures,
      countedCashMinor: countedCash, differenceMinor: countedCash - figures.expectedCashMinor, counts,
    };
    await tx.query(
      `update shifts set closed_by = $2, closed_approved_by = $3, closed_at = $4, counts = $5, expected_cash_minor = $6,
              counted_cash_minor = $7, difference_minor = $8, z_report = $9
        where id = $1`,
      [shift.id, input.actor.by, input.actor.approvedBy, closedAt, JSON.stringify(counts), figures.expectedCashMinor, countedCash,
        report.differenceMinor, JSON.stringify(report)],
    );
    await insertAuditEntry(tx, {
      branchId: input.branchId, at: closedAt, action: 'shift-close', actor: input.actor.by, approvedBy: input.actor.approvedBy,
      reason: null, shiftId: shift.id, amountMinor: report.differenceMinor,
      details: { expectedCashMinor: figures.expectedCashMinor, countedCashMinor: countedCash },
    });
    return { kind: 'closed', report };
  });
}
