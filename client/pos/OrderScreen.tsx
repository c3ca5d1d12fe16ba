import { useCallback, useMemo, useState } from 'react';
import type * as Y from 'yjs';
import {
  addLine,
  fireCourse,
  isLineSent,
  lineKitchenState,
  listTickets,
  readOrder,
  changeLineQty,
  removeUnsentLine,
  sendToKitchen,
  setLineDiscount,
  setOrderDiscount,
  updateLine,
  voidLine,
  type LinePatch,
  type SendInput,
} from '../../shared/live-doc';
import type { Permission } from '../../shared/permissions';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import { lineNetMinor, priceOrder, priceOrderAsIs } from '../../shared/pricing';
import type { Catalog, MenuItem, StaffMember } from '../../shared/schemas/catalog';
import type { KitchenTicket, Order, OrderLine } from '../../shared/schemas/order';
import { useI18n } from '../i18n/language';
import { TotalsRows } from '../ui/TotalsRows';
import { TableActions } from './floor/TableActions';
import { ModifierDialog } from './ModifierDialog';
import { LineKitchenBadge } from './LineKitchenBadge';
import { buildLine, groupsOfItem, isPendingSend, lineState, type ChosenOption } from './order-lines';
import { auditStamp, needsApproval, type DiscountKind } from './order/approvals';
import { COURSES, groupByCourse, isHeldByDefault } from './order/courses';
import { DiscountDialog } from './order/DiscountDialog';
import { ManagerApproval } from './order/ManagerApproval';
import { MenuPanel } from './order/MenuPanel';
import { OrderLineRow, StampText } from './order/OrderLineRow';
import { ticketIdFor } from './order/ticket-ids';
import { VoidDialog } from './order/VoidDialog';
import './order/order-entry.css';

/** Seats offered for a line: the guests at the table, at least as many as a line already uses. */
const MAX_SEATS = 20;

type DiscountTarget = { kind: 'line'; lineId: string } | { kind: 'order' };

interface PendingApproval {
  permission: Permission;
  summary: string;
  apply: (approver: StaffMember | null) => void;
}

/**
 * Taking an order at a table: menu on one side, the order on the other. Every tap writes to the
 * live document at once (one Yjs map key per line), so nothing waits for the network and two
 * waiters at one table never overwrite each other's lines.
 *
 * New lines take the seat and course chosen above the order; a later course starts held and
 * goes to the kitchen with "Fire course". "Send" sends only what is new, changed or voided since
 * the last send. Voiding a sent line and giving discounts need a manager: a waiter gets the
 * manager's PIN prompt right here, checked offline, and the line records who approved it.
 */
export function OrderScreen({
  doc,
  revision,
  catalog,
  orderId,
  tableLabel,
  staff,
  onBack,
  onPay,
  device,
}: {
  doc: Y.Doc;
  revision: number;
  catalog: Catalog;
  orderId: string;
  tableLabel: string;
  staff: StaffMember;
  onBack: () => void;
  onPay: () => void;
  /** The tablet; with it the floor's transfer / move / customer actions show on the order. */
  device?: DeviceCredentials;
}) {
  const { t, pick, money, number } = useI18n();
  const [dialogItem, setDialogItem] = useState<MenuItem | null>(null);
  const [openLineId, setOpenLineId] = useState<string | null>(null);
  const [voidLineId, setVoidLineId] = useState<string | null>(null);
  const [discountTarget, setDiscountTarget] = useState<DiscountTarget | null>(null);
  const [approval, setApproval] = useState<PendingApproval | null>(null);
  const [seat, setSeat] = useState<number | null>(null);
  const [course, setCourse] = useState(1);

  // `revision` stands in for the document's content, which React cannot compare.
  const { read, tickets } = useMemo(
    () => ({
      read: readOrder(doc, orderId),
      tickets: new Map<string, KitchenTicket>(listTickets(doc).map((ticket) => [ticket.id, ticket])),
    }),
    [doc, orderId, revision],
  );

  const nameOf = useCallback((staffId: string) => catalog.staff.find((m) => m.id === staffId)?.name ?? staffId, [catalog.staff]);

  /** Runs `apply` at once when the waiter may, else after a manager's PIN. */
  const withPermission = (permission: Permission, summary: string, apply: (approver: StaffMember | null) => void) => {
    if (needsApproval(staff, permission)) setApproval({ permission, summary, apply });
    else apply(null);
  };

  if (!read.ok || read.value.status !== 'open') {
    return (
      <main className="screen__body screen__body--centred">
        <p className="notice" data-testid="order-gone">
          {t('order.gone')}
        </p>
        <button type="button" className="button button--primary" data-testid="back-to-tables" onClick={onBack}>
          {t('order.back')}
        </button>
      </main>
    );
  }
  const order: Order = read.value;
  const totals = priceOrderAsIs(order, catalog.tax);
  const pricedById = new Map(totals.lines.map((priced) => [priced.lineId, priced]));
  const pendingCount = order.lines.filter(isPendingSend).length;
  const hasCountedLines = order.lines.some((line) => line.void === null);
  const seatCount = Math.min(MAX_SEATS, Math.max(order.guests, ...order.lines.map((line) => line.seat ?? 0)));
  const lineById = (lineId: string | null): OrderLine | undefined => order.lines.find((line) => line.id === lineId);

  const sendInput = (): SendInput => ({
    orderId: order.id,
    tableLabel,
    by: staff.id,
    waiterName: staff.name,
    now: Date.now(),
    // Ids from the content: a colleague sending the same lines at the same moment makes the same
    // ticket, so the kitchen gets it once. The line's last ticket is read from the document itself.
    newTicketId: (station, items) =>
      ticketIdFor(order.id, station, items, (lineId) => {
        const current = readOrder(doc, order.id);
        return current.ok ? (current.value.lines.find((line) => line.id === lineId)?.ticketId ?? null) : null;
      }),
  });

  const add = (item: MenuItem, chosen: readonly ChosenOption[], note: string) => {
    addLine(
      doc,
      order.id,
      buildLine({ id: crypto.randomUUID(), item, chosen, note, by: staff.id, now: Date.now(), seat, course, isHeld: isHeldByDefault(course) }),
    );
  };
  const pickItem = (item: MenuItem) => {
    if (groupsOfItem(item, catalog).length > 0) setDialogItem(item);
    else add(item, [], '');
  };

  const actionsFor = (line: OrderLine) => ({
    // Relative to the document, not to what this screen last rendered (ORD-13).
    plus: () => changeLineQty(doc, order.id, line.id, +1),
    minus: () => changeLineQty(doc, order.id, line.id, -1),
    remove: () => {
      removeUnsentLine(doc, order.id, line.id);
      setOpenLineId(null);
    },
    patch: (patch: LinePatch) => updateLine(doc, order.id, line.id, patch),
    void: () => setVoidLineId(line.id),
    discount: () => setDiscountTarget({ kind: 'line', lineId: line.id }),
  });

  const confirmVoid = (line: OrderLine, reason: string) => {
    setVoidLineId(null);
    const apply = (approver: StaffMember | null) => {
      voidLine(doc, order.id, line.id, auditStamp({ reason, by: staff, approver, now: Date.now() }));
      setOpenLineId(null);
    };
    if (!isLineSent(line)) apply(null);
    else withPermission('orders:void-sent', `${t('entry.void')}: ${number(line.qty)}× ${pick(line)} — ${reason}`, apply);
  };

  const confirmDiscount = (target: DiscountTarget, input: { kind: DiscountKind; value: number; reason: string }) => {
    setDiscountTarget(null);
    const what = target.kind === 'order' ? t('entry.orderDiscount') : `${t('entry.discount')}: ${pick(lineById(target.lineId) ?? { nameEn: '', nameAr: '' })}`;
    const amount = input.kind === 'percent' ? `${number(input.value / 100)} %` : money(input.value);
    withPermission('orders:discount', `${what} ${amount} — ${input.reason}`, (approver) => {
      const discount = { kind: input.kind, value: input.value, ...auditStamp({ reason: input.reason, by: staff, approver, now: Date.now() }) };
      if (target.kind === 'order') setOrderDiscount(doc, order.id, discount);
      else setLineDiscount(doc, order.id, target.lineId, discount);
      setOpenLineId(null);
    });
  };

  const voidTarget = lineById(voidLineId);
  const discountLine = discountTarget?.kind === 'line' ? lineById(discountTarget.lineId) : undefined;
  const orderBaseMinor = priceOrder(order.lines, catalog.tax, order.type, null).lines.reduce((sum, l) => sum + l.netMinor, 0);

  // Where new items go: beside the menu, where the waiter's eyes are when tapping items.
  const entryDefaults = (
    <div className="entry-defaults" data-testid="entry-defaults">
      <div className="chip-row" role="group" aria-label={t('entry.seat')}>
        <span className="chip-row__label">{t('entry.seat')}</span>
        {[null, ...Array.from({ length: seatCount }, (_, i) => i + 1)].map((s) => (
          <button
            key={s ?? 'none'}
            type="button"
            className={`chip-button${seat === s ? ' chip-button--on' : ''}`}
            aria-pressed={seat === s}
            data-testid={`entry-seat-${s ?? 'none'}`}
            onClick={() => setSeat(s)}
          >
            {s === null ? t('entry.noSeat') : number(s)}
          </button>
        ))}
      </div>
      <div className="chip-row" role="group" aria-label={t('entry.course')}>
        <span className="chip-row__label">{t('entry.course')}</span>
        {COURSES.map((c) => (
          <button
            key={c}
            type="button"
            className={`chip-button${course === c ? ' chip-button--on' : ''}`}
            aria-pressed={course === c}
            data-testid={`entry-course-${c}`}
            onClick={() => setCourse(c)}
          >
            {number(c)}
          </button>
        ))}
      </div>
    </div>
  );

  return (
    <main className="screen__body order-screen" data-testid="order-screen" data-order-id={order.id}>
      <MenuPanel catalog={catalog} onPick={pickItem} toolbar={entryDefaults} />

      <section className="order-screen__ticket" aria-labelledby="order-title">
        <div className="order-screen__heading">
          <h1 id="order-title" className="order-screen__title">
            {t('table.label', { label: tableLabel })}
          </h1>
          <span className="muted">{t('order.guests', { count: number(order.guests) })}</span>
        </div>
        {device && (
          <TableActions
            doc={doc}
            order={order}
            catalog={catalog}
            staff={staff}
            device={device}
            onDone={(outcome) => {
              // Every line moved away: this order is gone, so go where the waiter can pick the next.
              if (outcome.kind === 'moved' && !outcome.isSourceLeft) onBack();
            }}
          />
        )}

        {order.lines.length === 0 ? (
          <p className="muted order-screen__empty">{t('order.empty')}</p>
        ) : (
          <div className="order-lines order-lines--courses">
            {groupByCourse(order.lines).map((group) => (
              <section key={group.course} className="course" data-testid={`course-${group.course}`} aria-label={t('entry.courseN', { course: number(group.course) })}>
                <header className="course__header">
                  <span className="course__title">{t('entry.courseN', { course: number(group.course) })}</span>
                  {group.heldCount > 0 && (
                    <>
                      <span className="tag tag--held">{t('entry.heldCount', { count: number(group.heldCount) })}</span>
                      <button
                        type="button"
                        className="button button--secondary button--small"
                        data-testid={`fire-course-${group.course}`}
                        onClick={() => fireCourse(doc, { ...sendInput(), course: group.course })}
                      >
                        {t('entry.fire', { course: number(group.course) })}
                      </button>
                    </>
                  )}
                </header>
                <ul className="course__lines">
                  {group.lines.map((line) => {
                    const kitchenState = lineKitchenState(line, tickets);
                    return (
                      <OrderLineRow
                        key={line.id}
                        line={line}
                        priced={pricedById.get(line.id)}
                        state={lineState(line, tickets)}
                        kitchenState={kitchenState}
                        badge={<LineKitchenBadge line={line} ticketsById={tickets} />}
                        isOpen={openLineId === line.id}
                        onToggle={() => setOpenLineId((current) => (current === line.id ? null : line.id))}
                        seatCount={seatCount}
                        nameOf={nameOf}
                        actions={actionsFor(line)}
                      />
                    );
                  })}
                </ul>
              </section>
            ))}
          </div>
        )}

        {order.discount && (
          <p className="order-line__audit order-line__audit--discount" data-testid="order-discount-info">
            {t('entry.orderDiscount')}:{' '}
            {t('entry.discountInfo', {
              amount: order.discount.kind === 'percent' ? `${number(order.discount.value / 100)} %` : money(order.discount.value),
              reason: order.discount.reason,
            })}{' '}
            · <StampText stamp={order.discount} nameOf={nameOf} />
          </p>
        )}
        <dl className="totals">
          <TotalsRows totals={totals} testIds={{ total: 'order-total', discount: 'order-discount-total' }} />
        </dl>
        <div className="order-entry__actions">
          <button type="button" className="button button--quiet" data-testid="back-to-tables" onClick={onBack}>
            {t('order.back')}
          </button>
          <button
            type="button"
            className="button button--quiet"
            data-testid="order-discount"
            disabled={!hasCountedLines}
            onClick={() => setDiscountTarget({ kind: 'order' })}
          >
            {t('entry.orderDiscount')}
          </button>
          <button
            type="button"
            className="button button--secondary"
            data-testid="send-to-kitchen"
            data-count={pendingCount}
            disabled={pendingCount === 0}
            onClick={() => sendToKitchen(doc, sendInput())}
          >
            {t('entry.send')}
            {pendingCount > 0 && <span className="count-badge">{number(pendingCount)}</span>}
          </button>
          <button type="button" className="button button--primary" data-testid="pay-button" disabled={!hasCountedLines} onClick={onPay}>
            {t('order.pay')}
          </button>
        </div>
      </section>

      {dialogItem && (
        <ModifierDialog
          item={dialogItem}
          groups={groupsOfItem(dialogItem, catalog)}
          onCancel={() => setDialogItem(null)}
          onConfirm={(chosen, note) => {
            add(dialogItem, chosen, note);
            setDialogItem(null);
          }}
        />
      )}
      {voidTarget && (
        <VoidDialog
          line={voidTarget}
          needsManager={isLineSent(voidTarget) && needsApproval(staff, 'orders:void-sent')}
          onCancel={() => setVoidLineId(null)}
          onConfirm={(reason) => confirmVoid(voidTarget, reason)}
        />
      )}
      {discountTarget && (discountTarget.kind === 'order' || discountLine) && (
        <DiscountDialog
          title={discountLine ? t('discount.titleLine', { item: pick(discountLine) }) : t('discount.titleOrder')}
          baseMinor={discountLine ? lineNetMinor(discountLine) : orderBaseMinor}
          current={discountLine ? discountLine.discount : order.discount}
          needsManager={needsApproval(staff, 'orders:discount')}
          onCancel={() => setDiscountTarget(null)}
          onRemove={() => {
            if (discountTarget.kind === 'order') setOrderDiscount(doc, order.id, null);
            else setLineDiscount(doc, order.id, discountTarget.lineId, null);
            setDiscountTarget(null);
          }}
          onConfirm={(input) => confirmDiscount(discountTarget, input)}
        />
      )}
      {approval && (
        <ManagerApproval
          permission={approval.permission}
          staff={catalog.staff}
          summary={approval.summary}
          onCancel={() => setApproval(null)}
          onApproved={(approver) => {
            approval.apply(approver);
            setApproval(null);
          }}
        />
      )}
    </main>
  );
}
