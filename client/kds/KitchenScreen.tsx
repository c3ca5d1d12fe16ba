import { useMemo } from 'react';
import { bumpTicket } from '../../shared/live-doc';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import { useI18n } from '../i18n/language';
import { isDeviceRefused, useCatalog } from '../sync/use-catalog';
import { useBranchSync } from '../sync/use-branch-sync';
import { DeviceHeader } from '../ui/DeviceHeader';
import { DeviceRefused, Loading } from '../ui/status-screens';
import { useNow } from '../ui/use-now';
import { kitchenBoard } from './kitchen-tickets';
import { TicketCard } from './TicketCard';

/**
 * A paired kitchen screen: every pending ticket of the branch, oldest first, each bumped with
 * one tap. Everything it shows comes from the live document (ticket lines carry their names in
 * both languages), so it needs no menu to work; the catalog only names the branch.
 */
export function KitchenScreen({ device }: { device: DeviceCredentials }) {
  const { t, pick, clockTime } = useI18n();
  const sync = useBranchSync(device.branchId, device.token);
  const { catalog, failure } = useCatalog(device);
  const now = useNow(10_000);

  const doc = sync?.doc ?? null;
  const revision = sync?.revision ?? 0;
  // `revision` stands in for the document's content, which React cannot compare.
  const board = useMemo(() => (doc ? kitchenBoard(doc) : null), [doc, revision]);

  let body;
  if (isDeviceRefused(failure)) {
    body = <DeviceRefused />;
  } else if (!sync?.isReady || !board) {
    body = <Loading />;
  } else {
    const bump = (ticketId: string) => bumpTicket(sync.doc, ticketId, Date.now());
    body = (
      <main className="screen__body kitchen">
        {board.pending.length === 0 ? (
          <p className="kitchen__empty muted" data-testid="kds-empty">
            {t('kds.empty')}
          </p>
        ) : (
          <div className="kitchen__tickets" data-testid="kds-tickets">
            {board.pending.map((view) => (
              <TicketCard key={view.ticket.id} view={view} now={now} onBump={bump} />
            ))}
          </div>
        )}
        {board.recentlyReady.length > 0 && (
          <section className="kitchen__ready" aria-labelledby="ready-title">
            <h2 id="ready-title" className="kitchen__ready-title">
              {t('kds.recentlyReady')}
            </h2>
            <ul className="kitchen__ready-list">
              {board.recentlyReady.map((ticket) => (
                <li key={ticket.id} className="chip" data-testid="kds-ready-ticket" data-ticket-id={ticket.id}>
                  {t('table.label', { label: ticket.tableLabel })}
                  {ticket.readyAt !== null && <span className="muted"> · {clockTime(ticket.readyAt)}</span>}
                </li>
              ))}
            </ul>
          </section>
        )}
      </main>
    );
  }

  return (
    <div className="screen">
      <DeviceHeader title={t('kds.title')} branchName={catalog ? pick(catalog.branch) : null} sync={sync} />
      {body}
    </div>
  );
}
