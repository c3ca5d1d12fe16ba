import { useState } from 'react';
import type { Catalog, DiningTable } from '../../shared/schemas/catalog';
import type { MessageKey } from '../i18n/en';
import { minutesSince } from '../i18n/format';
import { useI18n } from '../i18n/language';
import { FREE_TABLE, type TableState, type TableView } from './table-states';

const STATE_TEXT: Record<TableState, MessageKey> = {
  free: 'table.free',
  occupied: 'table.occupied',
  sent: 'table.sent',
  bill: 'table.bill',
  paid: 'table.paid',
  settled: 'table.settled',
};

/** While the waiter picks a table for an action, only some tables can be tapped. */
export interface TablePick {
  isPickable: (table: DiningTable, view: TableView) => boolean;
  /** The table already picked (the source of a transfer or merge), outlined. */
  pickedTableId: string | null;
}

/**
 * The floor plan [FLR-02]: one tab per zone, one big button per table with its state, guests and
 * minutes since the party sat down (ticking with `now`).
 */
export function TableMap({
  catalog,
  views,
  now,
  onTapTable,
  pick = null,
  testIdPrefix = '',
}: {
  catalog: Catalog;
  views: ReadonlyMap<string, TableView>;
  now: number;
  onTapTable: (table: DiningTable, view: TableView) => void;
  pick?: TablePick | null;
  /** Prefixes every test id, for a second map inside a dialog ("target-"). */
  testIdPrefix?: string;
}) {
  const { t, pick: pickName, minutes, number } = useI18n();
  const [zoneId, setZoneId] = useState(() => catalog.zones[0]?.id ?? null);
  const tables = catalog.tables.filter((table) => table.zoneId === zoneId);

  if (catalog.zones.length === 0) return <p className="muted">{t('table.noZones')}</p>;

  return (
    <section className="table-map" data-testid={`${testIdPrefix}table-map`} aria-label={t('tables.title')}>
      <div className="tabs" role="tablist">
        {catalog.zones.map((zone) => {
          const busy = catalog.tables.filter((table) => table.zoneId === zone.id && views.get(table.id)?.openOrder).length;
          return (
            <button
              key={zone.id}
              type="button"
              role="tab"
              aria-selected={zone.id === zoneId}
              className="tabs__tab"
              data-testid={`${testIdPrefix}zone-${zone.id}`}
              onClick={() => setZoneId(zone.id)}
            >
              {pickName(zone)}
              {busy > 0 && <span className="tabs__count">{number(busy)}</span>}
            </button>
          );
        })}
      </div>
      <div className="table-map__grid">
        {tables.map((table) => {
          const view = views.get(table.id) ?? FREE_TABLE;
          const isPicked = pick?.pickedTableId === table.id;
          const isDisabled = pick !== null && !isPicked && !pick.isPickable(table, view);
          return (
            <button
              key={table.id}
              type="button"
              className={`table-tile table-tile--${view.state}${isPicked ? ' table-tile--picked' : ''}`}
              data-testid={`${testIdPrefix}table-${table.id}`}
              data-state={view.state}
              disabled={isDisabled}
              onClick={() => onTapTable(table, view)}
            >
              <span className="table-tile__label">{table.label}</span>
              <span className="table-tile__state">{t(STATE_TEXT[view.state])}</span>
              {view.openOrder && (
                <span className="table-tile__meta">
                  <span data-testid={`${testIdPrefix}table-guests-${table.id}`}>{t('table.guests', { count: number(view.openOrder.guests) })}</span>
                  {' · '}
                  <span className="table-tile__minutes" data-testid={`${testIdPrefix}table-minutes-${table.id}`}>
                    {minutes(minutesSince(view.openOrder.openedAt, now))}
                  </span>
                </span>
              )}
              {view.state === 'paid' && (
                <span className="table-tile__meta" data-testid={`${testIdPrefix}table-settlement-${table.id}`}>
                  {t(view.settlement?.status === 'rejected' ? 'table.refused' : 'table.notSettled')}
                </span>
              )}
              {view.state === 'settled' && <span className="table-tile__meta">{t('table.freeAgain')}</span>}
            </button>
          );
        })}
      </div>
    </section>
  );
}
