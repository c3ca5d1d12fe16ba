import { isLineSent, lineKitchenState, type LineKitchenState } from '../../shared/live-doc';
import type { Catalog, MenuItem, ModifierGroup, ModifierOption } from '../../shared/schemas/catalog';
import { orderLineSchema, type KitchenTicket, type NewOrderLine, type OrderLine } from '../../shared/schemas/order';

/**
 * A line's state in a word, as the order list marks it (`data-line-state`): not yet with the
 * kitchen (or changed since), with the kitchen, ready, or voided. The precise kitchen state
 * (held, pending, started…) is `lineKitchenState`.
 */
export type LineState = 'new' | 'sent' | 'ready' | 'voided';

const COARSE: Record<LineKitchenState, LineState> = {
  unsent: 'new',
  held: 'new',
  pending: 'sent',
  started: 'sent',
  ready: 'ready',
  voided: 'voided',
};

export function lineState(line: OrderLine, tickets: ReadonlyMap<string, KitchenTicket>): LineState {
  return COARSE[lineKitchenState(line, tickets)];
}

/**
 * Whether "send" has anything to tell the kitchen: a line it has not heard of (and not held), a
 * quantity changed since, or a void of a line it had. Mirrors what `sendToKitchen` picks up, so
 * the button is never enabled for a send that makes no ticket.
 */
export function isPendingSend(line: OrderLine): boolean {
  if (line.void) return line.sentQty > 0;
  if (line.isHeld) return false;
  return !isLineSent(line) || line.qty !== line.sentQty;
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
  seat?: number | null;
  course?: number;
  isHeld?: boolean;
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
    seat: input.seat ?? null,
    course: input.course ?? 1,
    isHeld: input.isHeld ?? false,
  } satisfies NewOrderLine);
}

/**
 * The options chosen in a group after a tap on one of them. A one-choice group acts like radio
 * buttons (a required one can change but not be emptied); others toggle up to their maximum,
 * and a tap beyond the maximum changes nothing.
 */
export function toggleChoice(group: ModifierGroup, chosen: readonly string[], optionId: string): readonly string[] {
  if (chosen.includes(optionId)) {
    return group.maxSelect === 1 && group.minSelect >= 1 ? chosen : chosen.filter((id) => id !== optionId);
  }
  if (group.maxSelect === 1) return [optionId];
  return chosen.length < group.maxSelect ? [...chosen, optionId] : chosen;
}

/** Every group has at least its minimum and at most its maximum (the rule settlement applies, SET-04). */
export function areChoicesComplete(groups: readonly ModifierGroup[], selected: ReadonlyMap<string, readonly string[]>): boolean {
  return groups.every((group) => {
    const count = selected.get(group.id)?.length ?? 0;
    return count >= group.minSelect && count <= group.maxSelect;
  });
}
