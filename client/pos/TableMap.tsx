import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { Catalog, DiningTable } from '../../shared/schemas/catalog';
import type { MessageKey } from '../i18n/en';
import { minutesSince } from '../i18n/format';
import { useI18n } from '../i18n/language';
import { useNow } from '../ui/use-now';
import { FREE_TABLE, tableViews, type TableState } from './table-states';

const STATE_TEXT: Record<TableState, MessageKey> = {
  free: 'table.free',
  occupied: 'table.occupied',
  paid: 'table.paid',
};

/** The floor: one tab per zone, one big button per table with its state and minutes open. */
export function TableMap({
  catalog,
  doc,
  revision,
  onOpenTable,
}: {
  catalog: Catalog;
  doc: Y.Doc;
  /** The document revision; the views are recomputed only when it changes. */
  revision: number;
  onOpenTable: (table: DiningTable) => void;
}) {
  const { t, pick, minutes } = useI18n();
  const now = useNow();
  const [zoneId, setZoneId] = useState(() => catalog.zones[0]?.id ?? null);
  // `revision` stands in for the document's content, which React cannot compare.
  const views = useMemo(() => tableViews(doc), [doc, revision]);
  const tables = catalog.tables.filter((table) => table.zoneId === zoneId);

  if (catalog.zones.length === 0) return <p className="muted">{t('table.noZones')}</p>;

  return (
    <section className="table-map" data-testid="table-map" aria-label={t('tables.title')}>
      <div className="tabs" role="tablist">
        {catalog.zones.map((zone) => (
          <button
            key={zone.id}
            type="button"
            role="tab"
            aria-selected={zone.id === zoneId}
            className="tabs__tab"
            data-testid={`zone-${zone.id}`}
            onClick={() => setZoneId(zone.id)}
          >
            {pick(zone)}
          </button>
        ))}
      </div>
      <div className="table-map__grid">
        {tables.map((table) => {
          const view = views.get(table.id) ?? FREE_TABLE;
          return (
            <button
              key={table.id}
              type="button"
              className={`table-tile table-tile--${view.state}`}
              data-testid={`table-${table.id}`}
              data-state={view.state}
              onClick={() => onOpenTable(table)}
            >
              <span className="table-tile__label">{table.label}</span>
              <span className="table-tile__state">{t(STATE_TEXT[view.state])}</span>
              {view.openOrder && (
                <span className="table-tile__minutes" data-testid={`table-minutes-${table.id}`}>
                  {minutes(minutesSince(view.openOrder.openedAt, now))}
                </span>
              )}
            </button>
          );
        })}
      </div>
    </section>
  );
}
