import { useMemo } from 'react';
import type * as Y from 'yjs';
import { listTickets, readPrintJobs } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { useI18n } from '../i18n/language';
import { DismissibleAlerts, type AlertItem } from '../ui/DismissibleAlerts';
import { isPrintTrouble, printErrorText } from '../kds/print-job-text';

/** A printer failure older than this is no longer news on the tablet. */
const ALERT_FOR_MS = 30 * 60_000;
const MAX_ALERTS = 3;

/**
 * A banner on the waiter's tablet when a kitchen printer failed: which printer, why, and where
 * the ticket went instead (the backup printer, the kitchen screen only, or nowhere — then the
 * waiter tells the kitchen). Read from the server-owned `printJobs` of the live document; each
 * alert can be dismissed on this tablet, and it goes away by itself once the ticket is ready.
 */
export function PrinterAlert({ doc, revision, catalog }: { doc: Y.Doc; revision: number; catalog: Pick<Catalog, 'stations'> | null }) {
  const { t, pick } = useI18n();
  // `revision` stands in for the document's content, which React cannot compare.
  const alerts = useMemo(() => {
    const tickets = new Map(listTickets(doc).map((ticket) => [ticket.id, ticket]));
    const now = Date.now();
    return [...readPrintJobs(doc)]
      .filter(([ticketId, job]) => {
        const ticket = tickets.get(ticketId);
        return isPrintTrouble(job) && ticket !== undefined && ticket.status !== 'ready' && now - job.at < ALERT_FOR_MS;
      })
      .sort(([, a], [, b]) => b.at - a.at)
      .map(([ticketId, job]) => ({ ticketId, job, ticket: tickets.get(ticketId)! }));
  }, [doc, revision]);

  const stationName = (id: string) => {
    const station = catalog?.stations?.find((s) => s.id === id);
    return station ? pick(station) : id;
  };
  const items = alerts.map(({ ticketId, job, ticket }): AlertItem => {
    const values = {
      printer: job.error?.printer ?? t('printerAlert.noPrinter'),
      error: printErrorText(t, job.error?.code),
      station: stationName(job.stationId),
      table: t('table.label', { label: ticket.tableLabel }),
      backup: job.printer ?? '',
    };
    const key = job.status === 'printed' ? 'printerAlert.backup' : job.fallback === 'screen' ? 'printerAlert.screen' : 'printerAlert.none';
    return {
      key: ticketId,
      text: t(key, values),
      dismissTestId: `printer-alert-dismiss-${ticketId}`,
      data: { 'ticket-id': ticketId, 'print-status': job.status },
    };
  });
  return (
    <DismissibleAlerts
      testId="printer-alert"
      itemTestId="printer-alert-item"
      title={t('printerAlert.title')}
      dismissLabel={t('printerAlert.dismiss')}
      items={items}
      max={MAX_ALERTS}
    />
  );
}
