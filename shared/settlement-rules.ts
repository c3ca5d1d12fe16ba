import { fail, ok, type Result } from './errors';
import { hasPermission, type Permission } from './permissions';
import { lineNetMinor, priceOrderAsIs, type PricedOrder } from './pricing';
import type { Catalog } from './schemas/catalog';
import type { AuditStamp, Order } from './schemas/order';


/**
 * [SET-08] A stamp that needs a permission is valid when whoever did it, or the manager who
 * approved it, is staff of this branch holding that permission.
 */
export function isStampAllowed(stamp: AuditStamp, permission: Permission, catalog: Catalog): boolean {
  const staff = new Map(catalog.staff.map((s) => [s.id, s]));
  const doer = staff.get(stamp.by);
  if (!doer) return false;
  if (hasPermission(doer.role, permission)) return true;
  const approver = stamp.approvedBy === null ? undefined : staff.get(stamp.approvedBy);
  return approver !== undefined && hasPermission(approver.role, permission);
}
import { sumMinor } from './money';

/**
 * The rules a paid order must pass before the server settles it (docs/SPEC.md, SET-*). The
 * tablet runs the same function before it lets a cashier take payment, so a rejection on the
 * server means a tablet with a stale catalog or a tampered document — never a rounding quarrel.
 */
export function checkPaidOrder(order: Order, catalog: Catalog): Result<PricedOrder> {
  if (order.branchId !== catalog.branch.id) {
    return fail('invalid-order', `order belongs to branch ${order.branchId}, not ${catalog.branch.id}`);
  }
  if (order.status !== 'paid' || order.totals === null) return fail('invalid-order', 'order is not paid');
  if (order.lines.length === 0) return fail('invalid-order', 'a paid order needs at least one line');
  if (order.lines.every((l) => l.void !== null)) return fail('invalid-order', 'every line is voided: nothing to settle');
  // [SET-08] voids of sent lines and every discount carry a permitted person and a reason
  for (const line of order.lines) {
    if (line.void && line.ticketId !== null && !isStampAllowed(line.void, 'orders:void-sent', catalog)) {
      return fail('permission-denied', `voiding the sent line ${line.nameEn} needs a manager`, { lineId: line.id });
    }
    if (line.discount && !isStampAllowed(line.discount, 'orders:discount', catalog)) {
      return fail('permission-denied', `the discount on ${line.nameEn} needs a manager`, { lineId: line.id });
    }
  }
  if (order.discount && !isStampAllowed(order.discount, 'orders:discount', catalog)) {
    return fail('permission-denied', 'the order discount needs a manager');
  }
  if (order.tableId !== null && !catalog.tables.some((t) => t.id === order.tableId)) {
    return fail('unknown-table', `no table ${order.tableId}`, { tableId: order.tableId });
  }

  const items = new Map(catalog.items.map((i) => [i.id, i]));
  const groups = new Map(catalog.modifierGroups.map((g) => [g.id, g]));

  for (const line of order.lines) {
    const item = items.get(line.itemId);
    // [SET-02] every line names an item of this branch's menu at the menu's price
    if (!item) return fail('unknown-item', `no menu item ${line.itemId}`, { lineId: line.id, itemId: line.itemId });
    if (item.priceMinor !== line.unitPriceMinor) {
      return fail('price-mismatch', `${item.nameEn} costs ${item.priceMinor}, line says ${line.unitPriceMinor}`, {
        lineId: line.id,
        expected: item.priceMinor,
        actual: line.unitPriceMinor,
      });
    }
    // [SET-04] modifiers: only the item's groups, real options at their price, min/max respected
    for (const chosen of line.modifiers) {
      const group = groups.get(chosen.groupId);
      const option = group?.options.find((o) => o.id === chosen.optionId);
      if (!group || !item.modifierGroupIds.includes(group.id) || !option) {
        return fail('modifier-invalid', `modifier ${chosen.groupId}/${chosen.optionId} is not offered on ${item.nameEn}`, {
          lineId: line.id,
        });
      }
      if (option.priceMinor !== chosen.priceMinor) {
        return fail('price-mismatch', `modifier ${option.nameEn} costs ${option.priceMinor}`, { lineId: line.id });
      }
    }
    for (const groupId of item.modifierGroupIds) {
      const group = groups.get(groupId);
      if (!group) continue;
      const count = line.modifiers.filter((m) => m.groupId === groupId).length;
      if (count < group.minSelect) {
        return fail('modifier-required', `${item.nameEn} needs a choice of ${group.nameEn}`, { lineId: line.id, groupId });
      }
      if (count > group.maxSelect) {
        return fail('modifier-invalid', `${item.nameEn} allows at most ${group.maxSelect} of ${group.nameEn}`, {
          lineId: line.id,
          groupId,
        });
      }
    }
    if (lineNetMinor(line) < 0) return fail('invalid-order', 'negative line', { lineId: line.id });
  }

  // [SET-05] the totals the tablet showed are the totals the server computes
  const priced = priceOrderAsIs(order, catalog.tax);
  const claimed = order.totals;
  if (
    claimed.subtotalMinor !== priced.subtotalMinor ||
    claimed.discountMinor !== priced.discountMinor ||
    claimed.serviceMinor !== priced.serviceMinor ||
    claimed.vatMinor !== priced.vatMinor ||
    claimed.totalMinor !== priced.totalMinor
  ) {
    return fail('total-mismatch', `order total ${claimed.totalMinor} differs from ${priced.totalMinor}`, {
      claimed,
      computed: { ...priced, lines: undefined },
    });
  }

  // [SET-06] payments cover the total; cash change is what was handed over beyond the amount
  const paid = sumMinor(order.payments.map((p) => p.amountMinor));
  if (paid < priced.totalMinor) {
    return fail('underpaid', `paid ${paid} of ${priced.totalMinor}`, { paidMinor: paid, totalMinor: priced.totalMinor });
  }
  for (const p of order.payments) {
    if (p.tenderedMinor < p.amountMinor || p.changeMinor !== p.tenderedMinor - p.amountMinor) {
      return fail('invalid-order', 'payment change does not add up', { paymentId: p.id });
    }
  }
  return ok(priced);
}
