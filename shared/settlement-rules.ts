import { fail, ok, type Result } from './errors';
import { lineNetMinor, priceOrder, type PricedOrder } from './pricing';
import type { Catalog } from './schemas/catalog';
import type { Order } from './schemas/order';
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
  const priced = priceOrder(order.lines, catalog.tax, order.type);
  const claimed = order.totals;
  if (
    claimed.subtotalMinor !== priced.subtotalMinor ||
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
