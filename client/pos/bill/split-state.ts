import type { Minor } from '../../../shared/money';
import type { Payment } from '../../../shared/schemas/order';
import { parsePartLabel, type BillPart, type SplitSpec } from '../../../shared/split-bill';
import type { I18n } from '../../i18n/language';

/**
 * The split a cashier chose, kept per order for this tablet session: the payment screen may be
 * left and opened again between two guests, and the receipt shows each guest's part. Only the
 * payments themselves are shared with other devices (their `part` labels), so a split is
 * recovered from those labels when this tablet has not seen it (`inferSplit`).
 */
const chosenSplits = new Map<string, SplitSpec>();

export function rememberSplit(orderId: string, spec: SplitSpec): void {
  chosenSplits.set(orderId, spec);
}

/** The split chosen on this tablet, or the one the order's payments point to. */
export function recallSplit(orderId: string, payments: readonly Payment[], guests: number): SplitSpec {
  return chosenSplits.get(orderId) ?? inferSplit(payments, guests);
}

/** A split that gives back the parts the payments name (a guest split's item choices are not in them). */
export function inferSplit(payments: readonly Payment[], guests: number): SplitSpec {
  const parsed = payments.map((p) => ({ payment: p, label: parsePartLabel(p.part) })).filter((p) => p.label !== null);
  const share = parsed.find((p) => p.label?.kind === 'share');
  if (share?.label) return { mode: 'equal', shares: share.label.of };
  if (parsed.some((p) => p.label?.kind === 'seat')) return { mode: 'seat' };
  const guestIndexes = parsed.filter((p) => p.label?.kind === 'guest').map((p) => p.label?.index ?? 1);
  if (guestIndexes.length > 0) return { mode: 'items', guests: Math.max(guests, ...guestIndexes), assignment: {} };
  const amounts: Minor[] = [];
  for (const { payment, label } of parsed) {
    if (label?.kind !== 'amount') continue;
    amounts[label.index - 1] = (amounts[label.index - 1] ?? 0) + payment.amountMinor;
  }
  if (amounts.length > 0) return { mode: 'amount', amounts: Array.from(amounts, (a) => a ?? 0) };
  return { mode: 'whole' };
}

/** A test id fragment for a part: "seat 2" → "seat-2", "share 1/3" → "share-1-3", whole → "whole". */
export const partSlug = (label: string | null): string => (label === null ? 'whole' : label.replace(/[^a-z0-9]+/g, '-'));

/** A part's name in the current language. */
export function partName({ t, number }: Pick<I18n, 't' | 'number'>, part: Pick<BillPart, 'label'>): string {
  const parsed = parsePartLabel(part.label);
  if (!parsed) return t('bill.part.other', { label: part.label ?? '' });
  switch (parsed.kind) {
    case 'whole':
      return t('bill.part.whole');
    case 'share':
      return t('bill.part.share', { index: number(parsed.index), of: number(parsed.of) });
    case 'seat':
      return t('bill.part.seat', { index: number(parsed.index) });
    case 'guest':
      return t('bill.part.guest', { index: number(parsed.index) });
    case 'amount':
      return t('bill.part.amount', { index: number(parsed.index) });
    case 'rest':
      return t('bill.part.rest');
  }
}
