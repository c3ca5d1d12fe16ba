import type { Catalog } from '../../../shared/schemas/catalog';
import type { Order } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import './print.css';

/**
 * The top of a printed bill or receipt: who sells (branch, taxpayer name, address, tax
 * registration number), what this paper is, and for which table and order. The same block
 * shows on the screen, so what the cashier sees is what prints.
 */
export function SlipHeader({
  catalog,
  order,
  tableLabel,
  title,
  subtitle,
  at,
}: {
  catalog: Catalog;
  order: Order;
  tableLabel: string | null;
  title: string;
  /** "Copy", or the part of a split bill. */
  subtitle?: string | null;
  at: number | null;
}) {
  const { t, lang, pick, dateTime } = useI18n();
  const branch = catalog.branch;
  const address = lang === 'ar' ? (branch.addressAr ?? branch.addressEn) : (branch.addressEn ?? branch.addressAr);
  const waiter = catalog.staff.find((s) => s.id === order.openedBy)?.name;
  return (
    <header className="receipt__header slip__header">
      <h1 className="receipt__branch">{pick(branch)}</h1>
      <p className="muted">{branch.taxpayerName || branch.tenantName}</p>
      {address && <p className="slip__small" data-testid="slip-address">{address}</p>}
      {branch.taxRegistrationNumber && (
        <p className="slip__small" data-testid="slip-tax-number">
          {t('print.taxNumber', { number: branch.taxRegistrationNumber })}
        </p>
      )}
      <p className="slip__title" data-testid="slip-title">
        {title}
      </p>
      {subtitle && (
        <p className="slip__subtitle" data-testid="slip-subtitle">
          {subtitle}
        </p>
      )}
      <p>{tableLabel === null ? t('receipt.takeaway') : t('table.label', { label: tableLabel })}</p>
      <p className="slip__small">
        {t('print.order', { id: order.id.slice(0, 8).toUpperCase() })}
        {waiter && ` · ${waiter}`}
      </p>
      {at !== null && <p className="muted slip__small">{dateTime(at)}</p>}
    </header>
  );
}
