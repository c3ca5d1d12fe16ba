import { sumMinor, type Minor } from './money';

/**
 * The cash drawer's arithmetic ([SHIFT-04]): what should be in it, and what was counted by
 * denomination. Pure, so the tablet's close screen shows exactly the figure the server records.
 */

/** Egyptian pound notes and coins, in piastres, largest first. */
export const EGP_DENOMINATIONS = [
  { valueMinor: 20_000, kind: 'note' },
  { valueMinor: 10_000, kind: 'note' },
  { valueMinor: 5_000, kind: 'note' },
  { valueMinor: 2_000, kind: 'note' },
  { valueMinor: 1_000, kind: 'note' },
  { valueMinor: 500, kind: 'note' },
  { valueMinor: 100, kind: 'coin' },
  { valueMinor: 50, kind: 'coin' },
  { valueMinor: 25, kind: 'coin' },
] as const;
export const DENOMINATION_VALUES: readonly number[] = EGP_DENOMINATIONS.map((d) => d.valueMinor);

/** Counted notes and coins: denomination (piastres, as a string key) → how many. */
export type DenominationCounts = Record<string, number>;

export function countedCashMinor(counts: DenominationCounts): Minor {
  return sumMinor(Object.entries(counts).map(([value, count]) => Number(value) * count));
}

export interface DrawerFlows {
  floatMinor: Minor;
  /** Cash put towards bills: tendered minus change. */
  cashSalesMinor: Minor;
  /** Tips paid in cash: they sit in the drawer until paid out. */
  cashTipsMinor: Minor;
  payInMinor: Minor;
  payOutMinor: Minor;
  cashRefundMinor: Minor;
}

export function expectedCashMinor(flows: DrawerFlows): Minor {
  return flows.floatMinor + flows.cashSalesMinor + flows.cashTipsMinor + flows.payInMinor - flows.payOutMinor - flows.cashRefundMinor;
}
