import { useState } from 'react';
import { parseMajorInput } from '../../../shared/money';
import type { OrderLine } from '../../../shared/schemas/order';
import { MAX_SPLIT_PARTS, SPLIT_MODES, type SplitMode, type SplitSpec } from '../../../shared/split-bill';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/language';

const MODE_KEYS: Record<SplitMode, MessageKey> = {
  whole: 'bill.mode.whole',
  equal: 'bill.mode.equal',
  seat: 'bill.mode.seat',
  items: 'bill.mode.items',
  amount: 'bill.mode.amount',
};

/** The first split of each mode when the cashier switches to it. */
export function startSplit(mode: SplitMode, guests: number): SplitSpec {
  const count = Math.max(2, guests);
  switch (mode) {
    case 'whole':
      return { mode };
    case 'equal':
      return { mode, shares: count };
    case 'seat':
      return { mode };
    case 'items':
      return { mode, guests: count, assignment: {} };
    case 'amount':
      return { mode, amounts: [] };
  }
}

function Stepper({ id, label, value, min, onChange }: { id: string; label: string; value: number; min: number; onChange: (n: number) => void }) {
  const { t } = useI18n();
  return (
    <div className="bill-stepper" data-testid={`split-${id}`} data-count={value}>
      <button
        type="button"
        className="button button--secondary"
        data-testid={`split-${id}-minus`}
        aria-label={t('bill.fewer')}
        disabled={value <= min}
        onClick={() => onChange(value - 1)}
      >
        −
      </button>
      <span className="bill-stepper__value">{label}</span>
      <button
        type="button"
        className="button button--secondary"
        data-testid={`split-${id}-plus`}
        aria-label={t('bill.more')}
        disabled={value >= MAX_SPLIT_PARTS}
        onClick={() => onChange(value + 1)}
      >
        +
      </button>
    </div>
  );
}

/**
 * How the bill is split: whole, equal shares, by seat, by item (items nobody takes are shared
 * equally: the mixed split) or by amount. Changes here only change how the bill is divided;
 * nothing is written until a part is paid.
 */
export function SplitPicker({
  spec,
  lines,
  guests,
  onChange,
}: {
  spec: SplitSpec;
  lines: readonly OrderLine[];
  guests: number;
  onChange: (spec: SplitSpec) => void;
}) {
  const { t, number, pick, money } = useI18n();
  const [currentGuest, setCurrentGuest] = useState(1);
  const [amountText, setAmountText] = useState('');
  const hasSeats = lines.some((l) => l.void === null && l.seat !== null);

  return (
    <section className="bill-split" data-testid="split-picker" data-mode={spec.mode}>
      <div className="tabs" role="tablist" aria-label={t('bill.split')}>
        {SPLIT_MODES.map((mode) => (
          <button
            key={mode}
            type="button"
            role="tab"
            className="tabs__tab"
            aria-selected={spec.mode === mode}
            data-testid={`split-mode-${mode}`}
            onClick={() => {
              if (spec.mode !== mode) onChange(startSplit(mode, guests));
            }}
          >
            {t(MODE_KEYS[mode])}
          </button>
        ))}
      </div>

      {spec.mode === 'equal' && (
        <Stepper
          id="shares"
          label={t('bill.shares', { count: number(spec.shares) })}
          value={spec.shares}
          min={2}
          onChange={(shares) => onChange({ ...spec, shares })}
        />
      )}

      {spec.mode === 'seat' && !hasSeats && (
        <p className="notice notice--inline" data-testid="split-no-seats">
          {t('bill.noSeats')}
        </p>
      )}

      {spec.mode === 'items' && (
        <>
          <Stepper
            id="guests"
            label={t('bill.guests', { count: number(spec.guests) })}
            value={spec.guests}
            min={2}
            onChange={(count) => {
              // Lines of a guest who is no longer there go back to being shared.
              const assignment = Object.fromEntries(Object.entries(spec.assignment).filter(([, g]) => g <= count));
              setCurrentGuest((g) => Math.min(g, count));
              onChange({ ...spec, guests: count, assignment });
            }}
          />
          <p className="muted">{t('bill.assignHint')}</p>
          <div className="bill-guests" role="radiogroup" aria-label={t('bill.assignTo')}>
            {Array.from({ length: spec.guests }, (_, i) => i + 1).map((guest) => (
              <button
                key={guest}
                type="button"
                role="radio"
                aria-checked={currentGuest === guest}
                className={`button button--small ${currentGuest === guest ? 'button--primary' : 'button--secondary'}`}
                data-testid={`assign-guest-${guest}`}
                onClick={() => setCurrentGuest(guest)}
              >
                {t('bill.part.guest', { index: number(guest) })}
              </button>
            ))}
          </div>
          <ul className="bill-assign">
            {lines
              .filter((l) => l.void === null)
              .map((line) => {
                const owner = spec.assignment[line.id] ?? null;
                return (
                  <li key={line.id}>
                    <button
                      type="button"
                      className={`bill-assign__line ${owner === null ? '' : 'bill-assign__line--taken'}`}
                      data-testid="assign-line"
                      data-item-id={line.itemId}
                      data-guest={owner ?? ''}
                      aria-pressed={owner === currentGuest}
                      onClick={() => {
                        const assignment = { ...spec.assignment };
                        if (owner === currentGuest) delete assignment[line.id];
                        else assignment[line.id] = currentGuest;
                        onChange({ ...spec, assignment });
                      }}
                    >
                      <span>
                        {number(line.qty)}× {pick(line)}
                      </span>
                      <span className="bill-assign__owner">
                        {owner === null ? t('bill.shared') : t('bill.part.guest', { index: number(owner) })}
                      </span>
                    </button>
                  </li>
                );
              })}
          </ul>
        </>
      )}

      {spec.mode === 'amount' && (
        <form
          className="bill-amount"
          onSubmit={(event) => {
            event.preventDefault();
            const amount = parseMajorInput(amountText);
            if (amount === null || amount <= 0) return;
            onChange({ ...spec, amounts: [...spec.amounts, amount] });
            setAmountText('');
          }}
        >
          <label className="field">
            <span className="field__label">{t('bill.amountFor')}</span>
            <input
              className="field__input"
              data-testid="split-amount"
              inputMode="decimal"
              autoComplete="off"
              dir="ltr"
              value={amountText}
              onChange={(event) => setAmountText(event.target.value)}
            />
          </label>
          <button type="submit" className="button button--secondary" data-testid="split-amount-add">
            {t('bill.addAmount')}
          </button>
          {spec.amounts.length > 0 && (
            <p className="muted" data-testid="split-amounts">
              {spec.amounts.map((a) => money(a)).join(' + ')}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
