import { useMemo } from 'react';
import type * as Y from 'yjs';
import { readSettlement, settlementRoot } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { useI18n } from '../i18n/language';
import { DismissibleAlerts, type AlertItem } from '../ui/DismissibleAlerts';

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
  // `revision` stands in for the document's content, which React cannot compare.
  const alerts = useMemo(() => {
    const now = Date.now();
    const found: { key: string; orderId: string; tableId: string | null; latePaymentMinor: number }[] = [];
    for (const orderId of settlementRoot(doc).keys()) {
      for (const change of readSettlement(doc, orderId)?.lateChanges ?? []) {
        if (change.by !== deviceId || now - change.at > ALERT_FOR_MS) continue;
        found.push({ key: `${orderId}:${change.at}`, orderId, tableId: change.tableId, latePaymentMinor: change.latePaymentMinor });
      }
    }
    return found;
  }, [doc, revision, deviceId]);

  const tableLabel = (tableId: string | null) => {
    const table = catalog?.tables.find((candidate) => candidate.id === tableId);
    return table ? t('table.label', { label: table.label }) : t('lateChange.anOrder');
  };
  const items = alerts.map(
    (alert): AlertItem => ({
      key: alert.key,
      text: (
        <>
          {t('lateChange.body', { table: tableLabel(alert.tableId) })}
          {alert.latePaymentMinor > 0 && <> {t('lateChange.payment', { amount: money(alert.latePaymentMinor) })}</>}
        </>
      ),
      dismissTestId: 'late-change-dismiss',
      data: { 'order-id': alert.orderId },
    }),
  );
  return (
    <DismissibleAlerts
      testId="late-change-alert"
      itemTestId="late-change-item"
      title={t('lateChange.title')}
      dismissLabel={t('lateChange.dismiss')}
      items={items}
    />
  );
}
