import { minutesSince } from '../i18n/format';
import { useI18n } from '../i18n/language';
import type { Station } from '../../shared/schemas/catalog';
import { ticketAge, type TicketItemView, type TicketView } from './kitchen-tickets';
import { isPrintTrouble, printErrorText } from './print-job-text';

export interface TicketActions {
  onStart(ticketId: string): void;
  onBump(ticketId: string): void;
  onRecall(ticketId: string): void;
}

/** One item: quantity, name, seat, modifiers, note; a change shows old → new, a void struck through. */
function TicketItemRow({ view }: { view: TicketItemView }) {
  const { t, pick, number } = useI18n();
  const { item, isVoidedSince, duplicateOf } = view;
  const isDuplicate = duplicateOf !== null;
  const isStruck = item.kind === 'void' || isVoidedSince || isDuplicate;
  const kindClass = item.kind === 'change' ? ' ticket__line--change' : '';
  return (
    <li
      className={`ticket__line${kindClass}${isStruck ? ' ticket__line--void' : ''}`}
      data-testid="kds-line"
      data-kind={item.kind}
      data-voided={isStruck ? 'true' : 'false'}
      data-duplicate-of={duplicateOf ?? ''}
    >
      <span className="ticket__qty">
        {item.kind === 'change' ? (
          <>
            <s className="ticket__old-qty">{number(item.previousQty ?? 0)}</s> → {number(item.qty)}×
          </>
        ) : (
          <>{number(item.kind === 'void' ? (item.previousQty ?? 0) : item.qty)}×</>
        )}
      </span>
      <span className="ticket__name">
        <span className="ticket__name-text">{pick(item)}</span>
        {item.kind === 'change' && <span className="tag tag--change">{t('kds.changed')}</span>}
        {isDuplicate ? (
          <span className="tag tag--void" data-testid="kds-line-duplicate">{t('kds.alreadySent')}</span>
        ) : (
          isStruck && <span className="tag tag--void">{item.kind === 'void' ? t('kds.void') : t('kds.voided')}</span>
        )}
        {item.seat !== null && <span className="tag">{t('kds.seat', { seat: number(item.seat) })}</span>}
      </span>
      {item.modifiers.length > 0 && <span className="ticket__modifiers">{item.modifiers.map((m) => pick(m)).join(' · ')}</span>}
      {item.note && <span className="ticket__note">“{item.note}”</span>}
      {item.kind === 'void' && item.voidReason && <span className="ticket__modifiers">{item.voidReason}</span>}
    </li>
  );
}

/** A kitchen ticket: table, waiter, courses, age against its target, its print state, and the buttons. */
export function TicketCard({
  view,
  now,
  actions,
  station,
  isCompact = false,
}: {
  view: TicketView;
  now: number;
  actions: TicketActions;
  /** Shown when the screen shows several stations (and on the expo). */
  station?: Station | null;
  isCompact?: boolean;
}) {
  const { t, pick, number, minutes, clockTime } = useI18n();
  const { ticket, items, courses, printJob } = view;
  const age = ticketAge(view, now);
  const trouble = printJob && isPrintTrouble(printJob) ? printJob : null;
  return (
    <article
      className={`ticket ticket--${age} ticket--${ticket.status}${isCompact ? ' ticket--compact' : ''}`}
      data-testid="kds-ticket"
      data-ticket-id={ticket.id}
      data-station={ticket.station}
      data-status={ticket.status}
      data-age={age}
    >
      <header className="ticket__header">
        {/* On the expo the order's card names the table; each part names its station. */}
        <span className="ticket__table">{isCompact && station ? pick(station) : t('table.label', { label: ticket.tableLabel })}</span>
        <span className="ticket__age" data-testid="kds-ticket-age" title={`${clockTime(ticket.createdAt)} · ${t('kds.target', { minutes: minutes(view.targetMinutes) })}`}>
          {minutes(minutesSince(ticket.createdAt, now))}
        </span>
      </header>
      <div className="ticket__meta">
        {!isCompact && <span>{ticket.waiterName}</span>}
        {station && !isCompact && <span className="tag">{pick(station)}</span>}
        {courses.map((course) => (
          <span key={course} className="tag tag--course" data-testid="kds-course">
            {t('kds.course', { course: number(course) })}
          </span>
        ))}
        <span className={`tag tag--status-${ticket.status}`} data-testid="kds-ticket-status">
          {t(`kds.status.${ticket.status}`)}
        </span>
      </div>
      {trouble && (
        <p className={`ticket__print ticket__print--${trouble.status}`} data-testid="kds-print-trouble" data-print-status={trouble.status}>
          {trouble.status === 'printed'
            ? t('kds.print.backup', { printer: trouble.printer ?? '', failed: trouble.error?.printer ?? '', error: printErrorText(t, trouble.error?.code) })
            : t(trouble.fallback === 'screen' ? 'kds.print.screen' : 'kds.print.none', {
                printer: trouble.error?.printer ?? trouble.printer ?? '',
                error: printErrorText(t, trouble.error?.code),
              })}
        </p>
      )}
      <ul className="ticket__lines">
        {items.map((itemView) => (
          <TicketItemRow key={`${itemView.item.lineId}-${itemView.item.kind}`} view={itemView} />
        ))}
      </ul>
      {!isCompact && (
        <div className="ticket__actions">
          {ticket.status === 'pending' && (
            <button type="button" className="button button--secondary" data-testid={`start-${ticket.id}`} onClick={() => actions.onStart(ticket.id)}>
              {t('kds.start')}
            </button>
          )}
          {ticket.status !== 'ready' ? (
            <button type="button" className="button button--primary button--wide" data-testid={`bump-${ticket.id}`} onClick={() => actions.onBump(ticket.id)}>
              {t('kds.bump')}
            </button>
          ) : (
            <button type="button" className="button button--secondary button--wide" data-testid={`recall-${ticket.id}`} onClick={() => actions.onRecall(ticket.id)}>
              {t('kds.recall')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}
