import { useMemo, useState } from 'react';
import { bumpTicket, recallTicket, startTicket } from '../../shared/live-doc';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import { stationsOf, type Station } from '../../shared/schemas/catalog';
import { minutesSince } from '../i18n/format';
import { useI18n } from '../i18n/language';
import { isDeviceRefused, useCatalog } from '../sync/use-catalog';
import { useBranchSync } from '../sync/use-branch-sync';
import { DeviceHeader } from '../ui/DeviceHeader';
import { DeviceRefused, Loading } from '../ui/status-screens';
import { useNow } from '../ui/use-now';
import { kitchenBoard, type KitchenBoard } from './kitchen-tickets';
import { readScreenChoice, writeScreenChoice, type KdsMode, type ScreenChoice } from './screen-choice';
import { TicketCard, type TicketActions } from './TicketCard';
import './kds.css';

/**
 * A paired kitchen screen. It shows the stations chosen on this device (remembered), or the expo
 * view of whole orders; tickets are started, bumped ready and recalled with one tap each. All of
 * it comes from the live document, so the screen keeps working offline with the tablets in the
 * room; the catalog adds station names and prep-time targets when it has them.
 */
export function KitchenScreen({ device }: { device: DeviceCredentials }) {
  const { t, pick } = useI18n();
  const sync = useBranchSync(device.branchId, device.token);
  const { catalog, failure } = useCatalog(device);
  const now = useNow(10_000);
  const [choice, setChoice] = useState<ScreenChoice>(() => readScreenChoice(device.id));

  const choose = (next: ScreenChoice) => {
    setChoice(next);
    writeScreenChoice(device.id, next);
  };
  const stations = useMemo(() => (catalog ? stationsOf(catalog) : []), [catalog]);
  const doc = sync?.doc ?? null;
  const revision = sync?.revision ?? 0;
  // `revision` stands in for the document's content, which React cannot compare.
  const board = useMemo(
    () => (doc ? kitchenBoard(doc, { stations: choice.stations, catalog }) : null),
    [doc, revision, choice.stations, catalog],
  );

  let body;
  if (isDeviceRefused(failure)) {
    body = <DeviceRefused />;
  } else if (!sync?.isReady || !board) {
    body = <Loading />;
  } else {
    const actions: TicketActions = {
      onStart: (id) => startTicket(sync.doc, id, Date.now()),
      onBump: (id) => bumpTicket(sync.doc, id, Date.now()),
      onRecall: (id) => recallTicket(sync.doc, id, Date.now()),
    };
    const stationById = new Map(stations.map((s) => [s.id, s]));
    // With one station on screen its name is in the bar above; with several each ticket says which.
    const stationOf = (id: string) => (choice.stations.length === 1 ? null : (stationById.get(id) ?? null));
    body = (
      <main className="screen__body kitchen">
        <StationBar stations={stations} choice={choice} onChoose={choose} />
        {choice.mode === 'expo' ? (
          <ExpoView board={board} now={now} actions={actions} stationOf={(id) => stationById.get(id) ?? null} />
        ) : (
          <div className="kitchen__layout">
            <div className="kitchen__main">
              {board.open.length === 0 ? (
                <p className="kitchen__empty muted" data-testid="kds-empty">
                  {t('kds.empty')}
                </p>
              ) : (
                <div className="kitchen__tickets" data-testid="kds-tickets">
                  {board.open.map((view) => (
                    <TicketCard key={view.ticket.id} view={view} now={now} actions={actions} station={stationOf(view.ticket.station)} />
                  ))}
                </div>
              )}
              <RecentlyReady board={board} actions={actions} />
            </div>
            <AllDay board={board} />
          </div>
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

function StationBar({ stations, choice, onChoose }: { stations: Station[]; choice: ScreenChoice; onChoose: (c: ScreenChoice) => void }) {
  const { t, pick } = useI18n();
  const toggle = (id: string) => {
    const chosen = choice.stations.includes(id) ? choice.stations.filter((s) => s !== id) : [...choice.stations, id];
    onChoose({ ...choice, stations: chosen });
  };
  const setMode = (mode: KdsMode) => onChoose({ ...choice, mode });
  return (
    <div className="kitchen__bar">
      <div className="kitchen__stations" role="group" aria-label={t('kds.stationsLabel')}>
        <button
          type="button"
          className="kitchen__station"
          aria-pressed={choice.stations.length === 0}
          data-testid="kds-station-all"
          onClick={() => onChoose({ ...choice, stations: [] })}
        >
          {t('kds.allStations')}
        </button>
        {stations.map((station) => (
          <button
            key={station.id}
            type="button"
            className="kitchen__station"
            aria-pressed={choice.stations.includes(station.id)}
            data-testid={`kds-station-${station.id}`}
            onClick={() => toggle(station.id)}
          >
            {pick(station)}
          </button>
        ))}
      </div>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" className="tabs__tab" aria-selected={choice.mode === 'tickets'} data-testid="kds-mode-tickets" onClick={() => setMode('tickets')}>
          {t('kds.viewTickets')}
        </button>
        <button type="button" role="tab" className="tabs__tab" aria-selected={choice.mode === 'expo'} data-testid="kds-mode-expo" onClick={() => setMode('expo')}>
          {t('kds.viewExpo')}
        </button>
      </div>
    </div>
  );
}

function RecentlyReady({ board, actions }: { board: KitchenBoard; actions: TicketActions }) {
  const { t, clockTime } = useI18n();
  if (board.recentlyReady.length === 0) return null;
  return (
    <section className="kitchen__ready" aria-labelledby="ready-title">
      <h2 id="ready-title" className="kitchen__ready-title">
        {t('kds.recentlyReady')}
      </h2>
      <ul className="kitchen__ready-list">
        {board.recentlyReady.map(({ ticket }) => (
          <li key={ticket.id} className="chip kitchen__ready-item" data-testid="kds-ready-ticket" data-ticket-id={ticket.id}>
            <span>
              {t('table.label', { label: ticket.tableLabel })}
              {ticket.readyAt !== null && <span className="muted"> · {clockTime(ticket.readyAt)}</span>}
            </span>
            <button type="button" className="button button--quiet button--small" data-testid={`recall-${ticket.id}`} onClick={() => actions.onRecall(ticket.id)}>
              {t('kds.recall')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function AllDay({ board }: { board: KitchenBoard }) {
  const { t, pick, number } = useI18n();
  return (
    <aside className="kitchen__all-day" aria-labelledby="all-day-title" data-testid="kds-all-day">
      <h2 id="all-day-title" className="kitchen__all-day-title">
        {t('kds.allDay')}
      </h2>
      <ul className="kitchen__all-day-list">
        {board.allDay.map((count) => (
          <li key={count.itemId} data-testid="kds-all-day-item" data-item-id={count.itemId} data-qty={count.qty}>
            <span className="kitchen__all-day-qty">{number(count.qty)}</span> {pick(count)}
          </li>
        ))}
      </ul>
    </aside>
  );
}

function ExpoView({
  board,
  now,
  actions,
  stationOf,
}: {
  board: KitchenBoard;
  now: number;
  actions: TicketActions;
  stationOf: (id: string) => Station | null;
}) {
  const { t, minutes } = useI18n();
  if (board.expo.length === 0) {
    return (
      <p className="kitchen__empty muted" data-testid="kds-empty">
        {t('kds.expoEmpty')}
      </p>
    );
  }
  return (
    <div className="expo" data-testid="kds-expo">
      {board.expo.map((order) => (
        <section key={order.orderId} className={`expo__order${order.isAllReady ? ' expo__order--ready' : ''}`} data-testid="kds-expo-order" data-order-id={order.orderId}>
          <header className="expo__header">
            <span className="ticket__table">{t('table.label', { label: order.tableLabel })}</span>
            <span className="muted">{order.waiterName}</span>
            <span className="ticket__age">{minutes(minutesSince(order.firstSentAt, now))}</span>
          </header>
          <div className="expo__parts">
            {order.parts.map((part) => (
              <TicketCard key={part.ticket.id} view={part} now={now} actions={actions} station={stationOf(part.ticket.station)} isCompact />
            ))}
          </div>
        </section>
      ))}
    </div>
  );
}
