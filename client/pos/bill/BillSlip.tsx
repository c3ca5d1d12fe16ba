import type { PricedOrder } from '../../../shared/pricing';
import type { Catalog } from '../../../shared/schemas/catalog';
import type { Order } from '../../../shared/schemas/order';
import type { SplitBill } from '../../../shared/split-bill';
import { useI18n } from '../../i18n/language';
import { TotalsRows } from '../../ui/TotalsRows';
import { SlipHeader } from './SlipHeader';
import { SlipLines } from './SlipLines';
import { partName } from './split-state';

/**
 * The bill brought to the table before payment (80 mm, paper only): the order's lines and
 * totals and, when the bill is split, what each part comes to. Not a tax receipt.
 */
export function BillSlip({
  catalog,
  order,
  priced,
  split,
  tableLabel,
  printedAt,
}: {
  catalog: Catalog;
  order: Order;
  priced: PricedOrder;
  split: SplitBill;
  tableLabel: string | null;
  printedAt: number;
}) {
  const i18n = useI18n();
  const { t, money } = i18n;
  return (
    <article className="receipt print-slip print-only" data-testid="bill-slip" data-total={priced.totalMinor}>
      <SlipHeader catalog={catalog} order={order} tableLabel={tableLabel} title={t('print.bill')} at={printedAt} />
      <SlipLines lines={order.lines} priced={priced} />
      <dl className="totals">
        <TotalsRows totals={priced} />
      </dl>
      {split.parts.length > 1 && (
        <section className="slip__section" data-testid="bill-slip-parts">
          {split.parts.map((part) => (
            <div key={part.label ?? 'whole'} className="slip__row" data-testid="bill-slip-part" data-amount={part.amountMinor}>
              <span>{partName(i18n, part)}</span>
              <strong>{money(part.amountMinor)}</strong>
            </div>
          ))}
        </section>
      )}
      <p className="slip__footer slip__small">{t('print.notReceipt')}</p>
    </article>
  );
}
