import { useMemo, useState } from 'react';
import type * as Y from 'yjs';
import type { DeviceCredentials } from '../../../shared/schemas/auth';
import type { Catalog, DiningTable, StaffMember } from '../../../shared/schemas/catalog';
import type { Order, OrderCustomer } from '../../../shared/schemas/order';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/language';
import { useNow } from '../../ui/use-now';
import { TableMap, type TablePick } from '../TableMap';
import { isTableFree, queueOrders, tableViews, type TableView } from '../table-states';
import { CustomerDialog } from './CustomerDialog';
import { GuestCountDialog } from './GuestCountDialog';
import { MoveLinesDialog } from './MoveLinesDialog';
import { mergeTables, openCounterOrder, seatTable, transferTable, type Opener } from './floor-actions';
import { TakeawayQueue } from './TakeawayQueue';

type FloorAction = 'transfer' | 'move' | 'merge';

/** A table action in progress: which one, and the table picked first (the one that moves). */
interface Picking {
  action: FloorAction;
  source: { order: Order; table: DiningTable } | null;
}

const ACTION_TEXT: Record<FloorAction, MessageKey> = { transfer: 'floor.transfer', move: 'floor.move', merge: 'floor.merge' };
const PICK_TEXT: Record<FloorAction, MessageKey> = { transfer: 'floor.pick.transfer', move: 'floor.pick.move', merge: 'floor.pick.merge' };

/**
 * The waiter's home [FLR-01…06]: the dine-in floor by zone with live table states, and beside it
 * the takeaway and delivery queue. A free table asks for the guest count and opens the order;
 * an occupied one opens its order. The table actions (transfer, move items, merge) are picked on
 * the map itself: action, then the table that moves, then where it goes.
 */
export function FloorScreen({
  doc,
  revision,
  catalog,
  device,
  staff,
  onOpenOrder,
}: {
  doc: Y.Doc;
  /** The document revision; the views are recomputed only when it changes. */
  revision: number;
  catalog: Catalog;
  device: DeviceCredentials;
  staff: StaffMember;
  onOpenOrder: (orderId: string) => void;
}) {
  const { t } = useI18n();
  const now = useNow();
  const [seating, setSeating] = useState<DiningTable | null>(null);
  const [picking, setPicking] = useState<Picking | null>(null);
  const [moving, setMoving] = useState<{ order: Order; table: DiningTable } | null>(null);
  const [newCounterOrder, setNewCounterOrder] = useState<'takeaway' | 'delivery' | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  // `revision` stands in for the document's content, which React cannot compare.
  const views = useMemo(() => tableViews(doc, now), [doc, revision, now]);
  const queue = useMemo(() => queueOrders(doc, now), [doc, revision, now]);

  const opener = (): Opener => ({
    branchId: device.branchId,
    staffId: staff.id,
    deviceId: device.id,
    now: Date.now(),
    newId: () => crypto.randomUUID(),
  });

  const attempt = (work: () => string) => {
    try {
      setMessage(work());
    } catch (error) {
      setMessage(t('floor.failed', { reason: error instanceof Error ? error.message : String(error) }));
    }
    setPicking(null);
  };

  const tapTable = (table: DiningTable, view: TableView) => {
    if (!picking) {
      setMessage(null);
      if (view.openOrder) onOpenOrder(view.openOrder.id);
      else setSeating(table);
      return;
    }
    const { action, source } = picking;
    if (source?.table.id === table.id) {
      setPicking({ action, source: null });
      return;
    }
    if (!source) {
      if (!view.openOrder) return;
      if (action === 'move') {
        setMoving({ order: view.openOrder, table });
        setPicking(null);
      } else {
        setPicking({ action, source: { order: view.openOrder, table } });
      }
      return;
    }
    if (action === 'transfer' && isTableFree(view)) {
      attempt(() => {
        transferTable(doc, source.order.id, table.id);
        return t('floor.done.transfer', { from: source.table.label, to: table.label });
      });
    } else if (action === 'merge' && view.openOrder) {
      const into = view.openOrder;
      attempt(() => {
        mergeTables(doc, source.order.id, into.id);
        return t('floor.done.merge', { from: source.table.label, to: table.label });
      });
    }
  };

  const pick: TablePick | null = picking && {
    pickedTableId: picking.source?.table.id ?? null,
    isPickable: (_table, view) => {
      if (!picking.source) return view.openOrder !== null;
      return picking.action === 'transfer' ? isTableFree(view) : view.openOrder !== null;
    },
  };
  const banner = picking
    ? picking.source
      ? t(picking.action === 'transfer' ? 'floor.target.transfer' : 'floor.target.merge', { label: picking.source.table.label })
      : t(PICK_TEXT[picking.action])
    : null;

  const startCounterOrder = (type: 'takeaway' | 'delivery', customer: OrderCustomer | null) => {
    setNewCounterOrder(null);
    onOpenOrder(openCounterOrder(doc, type, customer, opener()));
  };

  return (
    <main className="screen__body floor" data-testid="floor">
      <section className="floor__dine-in">
        <div className="floor__toolbar" role="toolbar" aria-label={t('floor.mode')}>
          {(['transfer', 'move', 'merge'] as const).map((action) => (
            <button
              key={action}
              type="button"
              className={`button button--small ${picking?.action === action ? 'button--primary' : 'button--quiet'}`}
              aria-pressed={picking?.action === action}
              data-testid={`floor-${action}`}
              onClick={() => {
                setMessage(null);
                setPicking(picking?.action === action ? null : { action, source: null });
              }}
            >
              {t(ACTION_TEXT[action])}
            </button>
          ))}
        </div>
        {banner && (
          <div className="banner banner--info floor__banner" data-testid="floor-banner" role="status">
            <span>{banner}</span>
            <button type="button" className="button button--quiet button--small" data-testid="floor-cancel" onClick={() => setPicking(null)}>
              {t('common.cancel')}
            </button>
          </div>
        )}
        {message && !banner && (
          <p className="notice notice--inline" data-testid="floor-message" role="status">
            {message}
          </p>
        )}
        <TableMap catalog={catalog} views={views} now={now} pick={pick} onTapTable={tapTable} />
      </section>

      <TakeawayQueue queue={queue} now={now} onOpenOrder={onOpenOrder} onNew={setNewCounterOrder} />

      {seating && (
        <GuestCountDialog
          tableLabel={seating.label}
          onCancel={() => setSeating(null)}
          onChoose={(guests) => {
            const table = seating;
            setSeating(null);
            onOpenOrder(seatTable(doc, table.id, guests, opener()));
          }}
        />
      )}
      {moving && (
        <MoveLinesDialog
          doc={doc}
          catalog={catalog}
          order={moving.order}
          staff={staff}
          device={device}
          onCancel={() => setMoving(null)}
          onMoved={({ toTableId }) => {
            setMoving(null);
            setMessage(t('floor.done.move', { to: catalog.tables.find((table) => table.id === toTableId)?.label ?? toTableId }));
          }}
        />
      )}
      {newCounterOrder && (
        <CustomerDialog
          branchId={device.branchId}
          token={device.token}
          orderType={newCounterOrder}
          current={null}
          onCancel={() => setNewCounterOrder(null)}
          onSkip={newCounterOrder === 'takeaway' ? () => startCounterOrder('takeaway', null) : undefined}
          onAttach={(customer) => startCounterOrder(newCounterOrder, customer)}
        />
      )}
    </main>
  );
}

