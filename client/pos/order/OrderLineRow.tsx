import { useState, type ReactNode } from 'react';
import { isLineSent, type LineKitchenState, type LinePatch } from '../../../shared/live-doc';
import { lineNetMinor, type PricedLine } from '../../../shared/pricing';
import type { AuditStamp, OrderLine } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import type { LineState } from '../order-lines';
import { COURSES, isHeldByDefault } from './courses';

/** Who did it and when, and the manager who approved it: "Sara, 14:05 · approved by Hany". */
export function StampText({ stamp, nameOf }: { stamp: AuditStamp; nameOf: (staffId: string) => string }) {
  const { t, clockTime } = useI18n();
  const who = t('entry.stampBy', { name: nameOf(stamp.by), time: clockTime(stamp.at) });
  return (
    <span data-testid="stamp" data-by={stamp.by} data-approved-by={stamp.approvedBy ?? ''}>
      {stamp.approvedBy ? `${who} · ${t('entry.approvedBy', { name: nameOf(stamp.approvedBy) })}` : who}
    </span>
  );
}

export interface LineActions {
  plus(): void;
  minus(): void;
  remove(): void;
  patch(patch: LinePatch): void;
  void(): void;
  discount(): void;
}

/**
 * One line of the order: quantity − / +, name, price and its kitchen state; a tap on the name
 * opens its details (note, seat, course, hold before it is sent; void and discount at any time).
 * A voided line stays, struck through, with who voided it, when and why.
 */
export function OrderLineRow({
  line,
  priced,
  state,
  kitchenState,
  badge,
  isOpen,
  onToggle,
  seatCount,
  nameOf,
  actions,
}: {
  line: OrderLine;
  priced: PricedLine | undefined;
  state: LineState;
  kitchenState: LineKitchenState;
  /** The kitchen badge to show (a richer one when the kitchen part provides it). */
  badge: ReactNode;
  isOpen: boolean;
  onToggle: () => void;
  seatCount: number;
  nameOf: (staffId: string) => string;
  actions: LineActions;
}) {
  const { t, pick, money, number } = useI18n();
  const isVoided = line.void !== null;
  const isSent = isLineSent(line);
  const canLower = isSent ? line.qty > line.sentQty : true;
  // A voided line counts nothing; it shows, struck through, what it would have cost.
  const shownMinor = isVoided ? lineNetMinor(line) : (priced?.netMinor ?? 0);

  return (
    <li
      className={`order-line order-line--${state}${isVoided ? ' order-line--voided' : ''}${line.isHeld ? ' order-line--held' : ''}`}
      data-testid="order-line"
      data-line-id={line.id}
      data-line-state={state}
      data-kitchen-state={kitchenState}
      data-item-id={line.itemId}
      data-qty={line.qty}
      data-note={line.note}
      data-seat={line.seat ?? ''}
      data-course={line.course}
    >
      <div className="order-line__main">
        {isVoided ? (
          <span className="order-line__qty">{number(line.qty)}×</span>
        ) : (
          <span className="stepper">
            <button
              type="button"
              className="stepper__button"
              data-testid="line-minus"
              aria-label={t('entry.minus')}
              title={canLower ? undefined : t('entry.voidToReduce', { count: number(line.sentQty) })}
              disabled={!canLower}
              onClick={() => (line.qty === 1 && !isSent ? actions.remove() : actions.minus())}
            >
              −
            </button>
            <span className="stepper__value" data-testid="line-qty">
              {number(line.qty)}
            </span>
            <button type="button" className="stepper__button" data-testid="line-plus" aria-label={t('entry.plus')} onClick={actions.plus}>
              +
            </button>
          </span>
        )}
        <button type="button" className="order-line__open" data-testid="line-open" aria-expanded={isOpen} onClick={onToggle}>
          <span className="order-line__name">{pick(line)}</span>
          {line.seat !== null && <span className="tag">{t('entry.seatN', { seat: number(line.seat) })}</span>}
        </button>
        <span className="order-line__price" data-testid="line-price">
          {money(shownMinor)}
        </span>
      </div>
      {line.modifiers.length > 0 && <div className="order-line__modifiers">{line.modifiers.map((m) => pick(m)).join(' · ')}</div>}
      {line.note && <div className="order-line__note">“{line.note}”</div>}
      {line.void && (
        <div className="order-line__audit" data-testid="line-void-info">
          {t('entry.voidedInfo', { reason: line.void.reason })} · <StampText stamp={line.void} nameOf={nameOf} />
        </div>
      )}
      {line.discount && !isVoided && (
        <div className="order-line__audit order-line__audit--discount" data-testid="line-discount-info">
          {t('entry.discountInfo', {
            amount: line.discount.kind === 'percent' ? `${number(line.discount.value / 100)} %` : money(line.discount.value),
            reason: line.discount.reason,
          })}{' '}
          · <StampText stamp={line.discount} nameOf={nameOf} />
        </div>
      )}
      <div className="order-line__footer">{badge}</div>

      {isOpen && !isVoided && (
        <div className="line-details" data-testid="line-details">
          {isSent ? (
            <p className="muted">
              {t('entry.sentLocked')} {t('entry.voidToReduce', { count: number(line.sentQty) })}
            </p>
          ) : (
            <>
              <NoteEditor note={line.note} onSave={(note) => actions.patch({ note })} />
              <div className="chip-row" role="group" aria-label={t('entry.seat')}>
                <span className="chip-row__label">{t('entry.seat')}</span>
                {[null, ...Array.from({ length: seatCount }, (_, i) => i + 1)].map((seat) => (
                  <button
                    key={seat ?? 'none'}
                    type="button"
                    className={`chip-button${line.seat === seat ? ' chip-button--on' : ''}`}
                    aria-pressed={line.seat === seat}
                    data-testid={`line-seat-${seat ?? 'none'}`}
                    onClick={() => actions.patch({ seat })}
                  >
                    {seat === null ? t('entry.noSeat') : number(seat)}
                  </button>
                ))}
              </div>
              <div className="chip-row" role="group" aria-label={t('entry.course')}>
                <span className="chip-row__label">{t('entry.course')}</span>
                {COURSES.map((course) => (
                  <button
                    key={course}
                    type="button"
                    className={`chip-button${line.course === course ? ' chip-button--on' : ''}`}
                    aria-pressed={line.course === course}
                    data-testid={`line-course-${course}`}
                    onClick={() => actions.patch({ course, isHeld: isHeldByDefault(course) })}
                  >
                    {number(course)}
                  </button>
                ))}
                <button
                  type="button"
                  className={`chip-button chip-button--wide${line.isHeld ? ' chip-button--on' : ''}`}
                  aria-pressed={line.isHeld}
                  data-testid="line-hold"
                  onClick={() => actions.patch({ isHeld: !line.isHeld })}
                >
                  {t('entry.hold')}
                </button>
              </div>
            </>
          )}
          <div className="line-details__actions">
            <button type="button" className="button button--quiet button--small" data-testid="line-discount" onClick={actions.discount}>
              {t('entry.discount')}
            </button>
            <button type="button" className="button button--quiet button--small button--danger-text" data-testid="line-void" onClick={actions.void}>
              {t('entry.void')}
            </button>
            {!isSent && (
              <button type="button" className="button button--quiet button--small" data-testid="line-remove" onClick={actions.remove}>
                {t('entry.remove')}
              </button>
            )}
            <button type="button" className="button button--secondary button--small" data-testid="line-close" onClick={onToggle}>
              {t('entry.close')}
            </button>
          </div>
        </div>
      )}
    </li>
  );
}

/** The line's note, saved when the field loses focus or on Enter (one write, not one per key). */
function NoteEditor({ note, onSave }: { note: string; onSave: (note: string) => void }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState(note);
  const save = () => {
    if (draft.trim() !== note) onSave(draft.trim());
  };
  return (
    <label className="field">
      <span className="field__label">{t('entry.noteLabel')}</span>
      <input
        className="field__input"
        data-testid="line-note-edit"
        maxLength={200}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => {
          if (event.key === 'Enter') save();
        }}
      />
    </label>
  );
}
