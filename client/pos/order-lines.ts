import type { Catalog, MenuItem, ModifierGroup, ModifierOption } from '../../shared/schemas/catalog';
import { orderLineSchema, type KitchenTicket, type OrderLine } from '../../shared/schemas/order';

/** A line's kitchen state as the waiter sees it: not sent, sent and cooking, or ready. */
export type LineState = 'new' | 'sent' | 'ready';

export function lineState(line: OrderLine, tickets: ReadonlyMap<string, KitchenTicket>): LineState {
  if (line.ticketId === null) return 'new';
  return tickets.get(line.ticketId)?.status === 'ready' ? 'ready' : 'sent';
}

/** The item's modifier groups in the menu's order, skipping ids the catalog does not define. */
export function groupsOfItem(item: MenuItem, catalog: Catalog): ModifierGroup[] {
  return item.modifierGroupIds.flatMap((id) => catalog.modifierGroups.find((g) => g.id === id) ?? []);
}

export interface ChosenOption {
  group: ModifierGroup;
  option: ModifierOption;
}

/**
 * A new line at the catalog's prices: the server re-prices every line against its own catalog
 * when it settles, so the tablet must copy the prices exactly, never compute its own.
 */
export function buildLine(input: {
  id: string;
  item: MenuItem;
  chosen: readonly ChosenOption[];
  note: string;
  by: string;
  now: number;
}): OrderLine {
  return orderLineSchema.parse({
    id: input.id,
    itemId: input.item.id,
    nameEn: input.item.nameEn,
    nameAr: input.item.nameAr,
    qty: 1,
    unitPriceMinor: input.item.priceMinor,
    modifiers: input.chosen.map(({ group, option }) => ({
      groupId: group.id,
      optionId: option.id,
      nameEn: option.nameEn,
      nameAr: option.nameAr,
      priceMinor: option.priceMinor,
    })),
    note: input.note.trim(),
    station: input.item.station,
    addedBy: input.by,
    addedAt: input.now,
    ticketId: null,
  });
}
