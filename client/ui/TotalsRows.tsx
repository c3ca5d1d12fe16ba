import type { Minor } from '../../shared/money';
import type { OrderTotals } from '../../shared/schemas/order';
import { useI18n } from '../i18n/language';

interface TotalsRowsProps {
  totals: OrderTotals;
  /** The grand line when it is not the order total (what is still owed, on the payment screen). */
  grandTotalMinor?: Minor;
  /** Test ids for the amounts (the e2e page models read them). */
  testIds?: { subtotal?: string; discount?: string; service?: string; vat?: string; total?: string };
}

/** Subtotal, discount (when there is one), service, VAT and total rows, for a `<dl className="totals">` (callers may add rows). */
export function TotalsRows({ totals, grandTotalMinor, testIds = {} }: TotalsRowsProps) {
  const { t, money } = useI18n();
  const { subtotalMinor, discountMinor, serviceMinor, vatMinor } = totals;
  const totalMinor = grandTotalMinor ?? totals.totalMinor;
  return (
    <>
      <div className="totals__row">
        <dt>{t('order.subtotal')}</dt>
        <dd data-testid={testIds.subtotal}>{money(subtotalMinor)}</dd>
      </div>
      {discountMinor > 0 && (
        <div className="totals__row">
          <dt>{t('order.discount')}</dt>
          <dd data-testid={testIds.discount}>−{money(discountMinor)}</dd>
        </div>
      )}
      <div className="totals__row">
        <dt>{t('order.service')}</dt>
        <dd data-testid={testIds.service}>{money(serviceMinor)}</dd>
      </div>
      <div className="totals__row">
        <dt>{t('order.vat')}</dt>
        <dd data-testid={testIds.vat}>{money(vatMinor)}</dd>
      </div>
      <div className="totals__row totals__row--grand">
        <dt>{t('order.total')}</dt>
        <dd data-testid={testIds.total} data-amount={totalMinor}>
          {money(totalMinor)}
        </dd>
      </div>
    </>
  );
}
