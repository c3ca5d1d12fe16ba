import type { Minor } from '../../../shared/money';
import { countedCashMinor, EGP_DENOMINATIONS, type DenominationCounts } from '../../../shared/shift-cash';
import { useI18n } from '../../i18n/language';

/**
 * Counting the drawer at close: one row per EGP note and coin with − / count / +, and the
 * counted total against the expected cash with the difference as it stands.
 */
export function DenominationCounter({
  counts,
  onChange,
  expectedMinor,
}: {
  counts: DenominationCounts;
  onChange: (counts: DenominationCounts) => void;
  expectedMinor: Minor;
}) {
  const { t, money, number } = useI18n();
  const counted = countedCashMinor(counts);
  const difference = counted - expectedMinor;
  const set = (value: number, count: number) => onChange({ ...counts, [String(value)]: Math.max(0, Math.min(100_000, count)) });

  return (
    <div className="denominations" data-testid="denomination-counter">
      <div className="denominations__grid">
        {EGP_DENOMINATIONS.map((d) => {
          const count = counts[String(d.valueMinor)] ?? 0;
          return (
            <div key={d.valueMinor} className="denominations__row" data-testid={`denom-${d.valueMinor}`}>
              <span className="denominations__label">
                {money(d.valueMinor)} <span className="muted">{t(d.kind === 'note' ? 'shift.note' : 'shift.coin')}</span>
              </span>
              <button type="button" className="button button--secondary denominations__step" data-testid={`denom-${d.valueMinor}-minus`} onClick={() => set(d.valueMinor, count - 1)} aria-label={t('shift.less')}>
                −
              </button>
              <input
                className="field__input denominations__count"
                inputMode="numeric"
                data-testid={`denom-${d.valueMinor}-count`}
                aria-label={t('shift.countOf', { value: money(d.valueMinor) })}
                value={String(count)}
                onChange={(event) => {
                  const parsed = Number.parseInt(event.target.value.replace(/[^\d]/g, '') || '0', 10);
                  set(d.valueMinor, Number.isFinite(parsed) ? parsed : 0);
                }}
              />
              <button type="button" className="button button--secondary denominations__step" data-testid={`denom-${d.valueMinor}-plus`} onClick={() => set(d.valueMinor, count + 1)} aria-label={t('shift.more')}>
                +
              </button>
              <span className="denominations__subtotal">{money(d.valueMinor * count)}</span>
            </div>
          );
        })}
      </div>
      <div className="totals denominations__totals">
        <div className="totals__row" data-testid="close-expected" data-minor={expectedMinor}>
          <span>{t('shift.expectedCash')}</span>
          <span>{money(expectedMinor)}</span>
        </div>
        <div className="totals__row" data-testid="close-counted" data-minor={counted}>
          <span>{t('shift.countedCash')}</span>
          <span>{money(counted)}</span>
        </div>
        <div className={`totals__row totals__row--grand shift-difference${difference === 0 ? '' : ' shift-difference--off'}`} data-testid="close-difference" data-minor={difference}>
          <span>{difference === 0 ? t('shift.balanced') : difference > 0 ? t('shift.over') : t('shift.short')}</span>
          <span>{money(difference)}</span>
        </div>
        <p className="muted">{t('shift.countedPieces', { count: number(Object.values(counts).reduce((s, c) => s + c, 0)) })}</p>
      </div>
    </div>
  );
}
