import { useState } from 'react';
import { useI18n } from '../../i18n/language';
import { FloorDialog } from './FloorDialog';
import { MAX_GUESTS } from './floor-actions';

const QUICK_COUNTS = [1, 2, 3, 4, 5, 6, 7, 8] as const;

/**
 * Seating a party [FLR-01]: one tap on a count opens the table; "Other" takes a typed count for
 * a bigger party. Two taps from the floor to the menu.
 */
export function GuestCountDialog({
  tableLabel,
  onChoose,
  onCancel,
}: {
  tableLabel: string;
  onChoose: (guests: number) => void;
  onCancel: () => void;
}) {
  const { t, number } = useI18n();
  const [isTyping, setIsTyping] = useState(false);
  const [typed, setTyped] = useState('');
  const typedCount = Number(typed);
  const isTypedValid = Number.isInteger(typedCount) && typedCount >= 1 && typedCount <= MAX_GUESTS;

  return (
    <FloorDialog
      title={t('guests.title', { label: tableLabel })}
      testId="guests-dialog"
      onCancel={onCancel}
      actions={
        <button type="button" className="button button--quiet" data-testid="guests-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      }
    >
      <div className="guest-pad">
        {QUICK_COUNTS.map((count) => (
          <button key={count} type="button" className="guest-pad__key" data-testid={`guests-${count}`} onClick={() => onChoose(count)}>
            {number(count)}
          </button>
        ))}
        <button
          type="button"
          className="guest-pad__key guest-pad__key--other"
          data-testid="guests-other"
          aria-pressed={isTyping}
          onClick={() => setIsTyping(true)}
        >
          {t('guests.other')}
        </button>
      </div>
      {isTyping && (
        <form
          className="guest-other"
          onSubmit={(event) => {
            event.preventDefault();
            if (isTypedValid) onChoose(typedCount);
          }}
        >
          <label className="field">
            <span className="field__label">{t('guests.count')}</span>
            <input
              className="field__input field__input--large"
              data-testid="guests-other-input"
              type="number"
              inputMode="numeric"
              min={1}
              max={MAX_GUESTS}
              autoFocus
              value={typed}
              onChange={(event) => setTyped(event.target.value)}
            />
          </label>
          <button type="submit" className="button button--primary" data-testid="guests-confirm" disabled={!isTypedValid}>
            {t('guests.open')}
          </button>
        </form>
      )}
    </FloorDialog>
  );
}
