import type { PricedOrder } from '../../../shared/pricing';
import type { OrderLine } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';

/**
 * The lines of a bill or receipt with their net amounts (after discounts, before service and
 * VAT, which the totals add). Voided lines are left off: they count for nothing.
 */
export function SlipLines({
  lines,
  priced,
  onlyLineIds,
}: {
  lines: readonly OrderLine[];
  priced: PricedOrder;
  /** For one part of a split bill: the lines it pays whole. */
  onlyLineIds?: ReadonlySet<string>;
}) {
  const { t, pick, money, number } = useI18n();
  const shown = lines.filter((l) => l.void === null && (onlyLineIds === undefined || onlyLineIds.has(l.id)));
  return (
    <ul className="receipt__lines">
      {shown.map((line) => {
        const p = priced.lines.find((pl) => pl.lineId === line.id);
        return (
          <li key={line.id} className="receipt__line" data-testid="receipt-line" data-item-id={line.itemId}>
            <div className="receipt__line-main">
              <span>
                {number(line.qty)}× {pick(line)}
              </span>
              <span>{money(p?.netMinor ?? 0)}</span>
            </div>
            {line.modifiers.map((modifier) => (
              <div key={`${modifier.groupId}/${modifier.optionId}`} className="receipt__detail">
                + {pick(modifier)}
                {modifier.priceMinor > 0 && ` (${money(modifier.priceMinor)})`}
              </div>
            ))}
            {p && p.discountMinor > 0 && (
              <div className="receipt__detail">
                {t('print.discount')} −{money(p.discountMinor)}
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
