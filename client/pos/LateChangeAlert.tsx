import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { settlementRoot } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { settlementRecordSchema } from '../../shared/schemas/order';
import { useI18n } from '../i18n/language';
import './kitchen-status.css';

/** A late change older than this is no longer news on the tablet (the manager has it in the audit log). */
const ALERT_FOR_MS = 12 * 60 * 60_000;

/**
 * Tells the waiter when something this tablet did while offline reached the server after the
 * order had been paid and closed on another device: the server kept it out of the order (it was
 * settled already) and recorded it for the manager (SYNC-12). Without this the order would just
 * vanish from the tablet; with a payment taken, the waiter must hand that money to the manager.
 * Read from the server-owned settlement records of the live document.
 */
export function LateChangeAlert({ doc, revision, deviceId, catalog }: { doc: Y.Doc; revision: number; deviceId: string; catalog: Pick<Catalog, 'tables'> | null }) {
  const { t, money } = useI18n();
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  // `revision` stands in for the document's content, which React cannot compare.
  const alerts = useMemo(() => {
    const now = Date.now();
    const found: { key: string; orderId: string; tableId: string | null; latePaymentMinor: number }[] = [];
    for (const [orderId, value] of settlementRoot(doc).entries()) {
      const record = settlementRecordSchema.safeParse(value);
      if (!record.success) continue;
      for (const change of record.data.lateChanges) {
        if (change.by !== deviceId || now - change.at > ALERT_FOR_MS) continue;
        found.push({ key: `${orderId}:${change.at}`, orderId, tableId: change.tableId, latePaymentMinor: change.latePaymentMinor });
      }
    }
    return found;
  }, [doc, revision, deviceId]);

  const shown = alerts.filter((a) => !dismissed.has(a.key));
  if (shown.length === 0) return null;
  const tableLabel = (tableId: string | null) => {
    const table = catalog?.tables.find((candidate) => candidate.id === tableId);
    return table ? t('table.label', { label: table.label }) : t('lateChange.anOrder');
  };
  return (
    <div className="printer-alert" role="alert" data-testid="late-change-alert">
      <strong className="printer-alert__title">{t('lateChange.title')}</strong>
      <ul className="printer-alert__list">
        {shown.map((alert) => (
          <li key={alert.key} className="printer-alert__item" data-testid="late-change-item" data-order-id={alert.orderId}>
            <span>
              {t('lateChange.body', { table: tableLabel(alert.tableId) })}
              {alert.latePaymentMinor > 0 && <> {t('lateChange.payment', { amount: money(alert.latePaymentMinor) })}</>}
            </span>
            <button
              type="button"
              className="button button--light button--small"
              data-testid="late-change-dismiss"
              onClick={() => setDismissed((previous) => new Set([...previous, alert.key]))}
            >
              {t('lateChange.dismiss')}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
