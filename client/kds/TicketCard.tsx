import { minutesSince } from '../i18n/format';
import { useI18n } from '../i18n/language';
import type { TicketView } from './kitchen-tickets';

/** Minutes after which a ticket is flagged as late on the kitchen screen. */
const LATE_AFTER_MINUTES = 15;

/** One pending kitchen ticket: what to cook for which table, and the "Ready" bump. */
export function TicketCard({ view, now, onBump }: { view: TicketView; now: number; onBump: (ticketId: string) => void }) {
  const { t, pick, number, minutes, clockTime } = useI18n();
  const { ticket, lines } = view;
  const age = minutesSince(ticket.createdAt, now);
  return (
    <article
      className={`ticket${age >= LATE_AFTER_MINUTES ? ' ticket--late' : ''}`}
      data-testid="kds-ticket"
      data-ticket-id={ticket.id}
    >
      <header className="ticket__header">
        <span className="ticket__table">{t('table.label', { label: ticket.tableLabel })}</span>
        <span className="ticket__age" data-testid="kds-ticket-age" title={clockTime(ticket.createdAt)}>
          {minutes(age)}
        </span>
      </header>
      {lines === null ? (
        <p className="muted">{t('kds.linesMissing')}</p>
      ) : (
        <ul className="ticket__lines">
          {lines.map((line) => (
            <li key={line.id} className="ticket__line" data-testid="kds-line">
              <span className="ticket__qty">{number(line.qty)}×</span>
              <span className="ticket__name">{pick(line)}</span>
              {line.modifiers.length > 0 && (
                <span className="ticket__modifiers">{line.modifiers.map((m) => pick(m)).join(' · ')}</span>
              )}
              {line.note && <span className="ticket__note">“{line.note}”</span>}
            </li>
          ))}
        </ul>
      )}
      <button type="button" className="button button--primary button--wide" data-testid={`bump-${ticket.id}`} onClick={() => onBump(ticket.id)}>
        {t('kds.bump')}
      </button>
    </article>
  );
}
