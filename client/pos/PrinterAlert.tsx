import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import { listTickets, readPrintJobs } from '../../shared/live-doc';
import type { Catalog } from '../../shared/schemas/catalog';
import { useI18n } from '../i18n/language';
import './kitchen-status.css';
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
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
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

  const shown = alerts.filter((a) => !dismissed.has(a.ticketId)).slice(0, MAX_ALERTS);
  if (shown.length === 0) return null;
  const stationName = (id: string) => {
    const station = catalog?.stations?.find((s) => s.id === id);
    return station ? pick(station) : id;
  };
  return (
    <div className="printer-alert" role="alert" data-testid="printer-alert">
      <strong className="printer-alert__title">{t('printerAlert.title')}</strong>
      <ul className="printer-alert__list">
        {shown.map(({ ticketId, job, ticket }) => {
          const values = {
            printer: job.error?.printer ?? t('printerAlert.noPrinter'),
            error: printErrorText(t, job.error?.code),
            station: stationName(job.stationId),
            table: t('table.label', { label: ticket.tableLabel }),
            backup: job.printer ?? '',
          };
          const key = job.status === 'printed' ? 'printerAlert.backup' : job.fallback === 'screen' ? 'printerAlert.screen' : 'printerAlert.none';
          return (
            <li key={ticketId} className="printer-alert__item" data-testid="printer-alert-item" data-ticket-id={ticketId} data-print-status={job.status}>
              <span>{t(key, values)}</span>
              <button
                type="button"
                className="button button--light button--small"
                data-testid={`printer-alert-dismiss-${ticketId}`}
                onClick={() => setDismissed((previous) => new Set([...previous, ticketId]))}
              >
                {t('printerAlert.dismiss')}
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
