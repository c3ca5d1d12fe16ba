/**
 * Reading the branch's audit log for the manager ([AUDIT-03]). Entries are written elsewhere
 * (settlement, refunds, shifts, the relay's late changes — see `insertAuditEntry`); this file only
 * reads them, newest first, a page at a time.
 *
 * Paging is by keyset on (at, id), not by offset: entries keep arriving while a manager scrolls
 * (a tablet that was offline settles an hour of voids at once, stamped with their own earlier
 * times), and an offset would then skip or repeat entries. `at` is the moment of the action as
 * stamped (on the tablet for voids and discounts), so it is not in id order; the pair is unique
 * and follows the (branch_id, at) index.
 */
import { z } from 'zod';
import { AUDIT_ACTIONS, type AuditAction, type AuditEntryView, type AuditPerson, type AuditQuery, type LateChangeSummary } from '../../shared/schemas/audit';
import { PAYMENT_METHODS } from '../../shared/schemas/order';
import type { Queryable } from './database';
import type { AuditAction as WrittenAuditAction } from './settlement-queries';

// The actions the writers record and the ones this reader knows must stay the same list.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const ACTIONS_AGREE: Same<AuditAction, WrittenAuditAction> = true;
void ACTIONS_AGREE;

interface AuditRow {
  id: string | number;
  at: Date | string;
  action: string;
  actor: string;
  actor_user: string | null;
  actor_device: string | null;
  approved_by: string | null;
  approver_name: string | null;
  reason: string | null;
  order_id: string | null;
  table_label: string | null;
  line_id: string | null;
  line_name_en: string | null;
  line_name_ar: string | null;
  line_qty: number | null;
  shift_id: string | null;
  refund_id: string | null;
  amount_minor: string | number | null;
  details: unknown;
}

const toIso = (value: Date | string) => (value instanceof Date ? value : new Date(value)).toISOString();
const toNumber = (value: string | number | null) => (value === null ? null : Number(value));

// What the relay stores of a late change (server.ts onLateEdit): read leniently, since it is the
// device's own copy of the order and older rows may lack a field.
const lateDetailsSchema = z.object({
  orderAsDeviceHasIt: z
    .object({
      lines: z.array(
        z.object({
          id: z.string(),
          nameEn: z.string().default(''),
          nameAr: z.string().default(''),
          qty: z.number().int().default(0),
          void: z.unknown().nullable().default(null),
        }),
      ),
      payments: z.array(z.object({ id: z.string(), method: z.enum(PAYMENT_METHODS), amountMinor: z.number().int() })),
    })
    .nullable()
    .optional(),
  latePaymentIds: z.array(z.string()).default([]),
});

function parseDetails(details: unknown): unknown {
  if (typeof details !== 'string') return details;
  try {
    return JSON.parse(details) as unknown;
  } catch {
    return null;
  }
}

function lateChangeOf(details: unknown, settledLineIds: ReadonlySet<string>): LateChangeSummary | null {
  const parsed = lateDetailsSchema.safeParse(parseDetails(details));
  if (!parsed.success) return null;
  const order = parsed.data.orderAsDeviceHasIt;
  if (!order) return { lines: [], payments: [], isGone: true };
  const late = new Set(parsed.data.latePaymentIds);
  return {
    lines: order.lines.map((l) => ({
      id: l.id, nameEn: l.nameEn, nameAr: l.nameAr, qty: l.qty, isVoided: l.void !== null, isLate: !settledLineIds.has(l.id),
    })),
    payments: order.payments.map((p) => ({ id: p.id, method: p.method, amountMinor: p.amountMinor, isLate: late.has(p.id) })),
    isGone: false,
  };
}

function person(id: string, userName: string | null, deviceName: string | null): AuditPerson {
  if (userName !== null) return { id, name: userName, kind: 'person' };
  if (deviceName !== null) return { id, name: deviceName, kind: 'device' };
  return { id, name: null, kind: 'unknown' };
}

export type AuditPageOutcome = { kind: 'page'; entries: AuditEntryView[]; nextBefore: string | null } | { kind: 'unknown-cursor' };

/** One page of the branch's audit log, newest first, filtered as the query says. */
export async function listAuditEntries(db: Queryable, branchId: string, query: AuditQuery): Promise<AuditPageOutcome> {
  const where = ['a.branch_id = $1'];
  const params: unknown[] = [branchId];
  const param = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.from !== undefined) where.push(`a.at >= ${param(query.from)}::timestamptz`);
  if (query.to !== undefined) where.push(`a.at < ${param(query.to)}::timestamptz`);
  if (query.action !== undefined) where.push(`a.action = ${param(query.action)}`);
  if (query.before !== undefined) {
    // The cursor must be an entry of this branch: another branch's id would leak its time.
    const { rows } = await db.query('select 1 from audit_log where id = $1 and branch_id = $2', [query.before, branchId]);
    if (!rows[0]) return { kind: 'unknown-cursor' };
    // Compared in SQL against the row itself: its microseconds would be lost in a JS Date.
    where.push(`(a.at, a.id) < (select c.at, c.id from audit_log c where c.id = ${param(query.before)}::bigint)`);
  }
  const limit = param(query.limit + 1);
  const { rows } = await db.query<AuditRow>(
    `select a.id, a.at, a.action, a.actor, actor_user.name as actor_user, actor_device.name as actor_device,
            a.approved_by, approver.name as approver_name, a.reason, a.order_id, t.label as table_label,
            a.line_id, l.name_en as line_name_en, l.name_ar as line_name_ar, l.qty as line_qty,
            a.shift_id, a.refund_id, a.amount_minor, a.details
       from audit_log a
       left join users actor_user on actor_user.id = a.actor
       left join devices actor_device on actor_device.id = a.actor
       left join users approver on approver.id = a.approved_by
       left join orders o on o.id = a.order_id and o.branch_id = a.branch_id
       left join dining_tables t on t.id = o.table_id
       left join order_lines l on l.order_id = a.order_id and l.line_id = a.line_id
      where ${where.join(' and ')}
      order by a.at desc, a.id desc
      limit ${limit}`,
    params,
  );
  const hasMore = rows.length > query.limit;
  const page = hasMore ? rows.slice(0, query.limit) : rows;

  // A late change tells which of the device's lines the settled order never had.
  const lateOrderIds = [...new Set(page.filter((r) => r.action === 'late-change' && r.order_id !== null).map((r) => r.order_id!))];
  const settledLines = new Map<string, Set<string>>();
  if (lateOrderIds.length > 0) {
    const { rows: lines } = await db.query<{ order_id: string; line_id: string }>(
      'select order_id, line_id from order_lines where order_id = any($1::uuid[])',
      [lateOrderIds],
    );
    for (const l of lines) settledLines.set(l.order_id, (settledLines.get(l.order_id) ?? new Set()).add(l.line_id));
  }

  const entries = page.map((r): AuditEntryView => {
    const action = AUDIT_ACTIONS.find((a) => a === r.action);
    if (!action) throw new Error(`audit entry ${String(r.id)} has an unknown action ${r.action}`);
    return {
      id: String(r.id),
      at: toIso(r.at),
      action,
      actor: person(r.actor, r.actor_user, r.actor_device),
      approvedBy: r.approved_by === null ? null : person(r.approved_by, r.approver_name, null),
      reason: r.reason,
      orderId: r.order_id,
      tableLabel: r.table_label,
      lineId: r.line_id,
      line: r.line_name_en !== null && r.line_name_ar !== null ? { nameEn: r.line_name_en, nameAr: r.line_name_ar, qty: Number(r.line_qty) } : null,
      shiftId: r.shift_id,
      refundId: r.refund_id,
      amountMinor: toNumber(r.amount_minor),
      lateChange: action === 'late-change' ? lateChangeOf(r.details, settledLines.get(r.order_id ?? '') ?? new Set()) : null,
    };
  });
  return { kind: 'page', entries, nextBefore: hasMore ? entries.at(-1)!.id : null };
}
