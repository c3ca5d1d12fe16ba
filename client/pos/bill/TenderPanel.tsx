import { useState } from 'react';
import { parseMajorInput, toMajor, type Minor } from '../../../shared/money';
import { PAYMENT_METHODS, type PaymentMethod } from '../../../shared/schemas/order';
import { makeTender, type Tender } from '../../../shared/split-bill';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/language';
import { cashSuggestions } from '../cash-suggestions';

const METHOD_KEYS: Record<PaymentMethod, MessageKey> = { cash: 'tender.cash', card: 'tender.card', wallet: 'tender.wallet' };
const CONFIRM_KEYS: Record<PaymentMethod, MessageKey> = {
  cash: 'payment.confirm',
  card: 'tender.confirmCard',
  wallet: 'tender.confirmWallet',
};

/**
 * One tender towards what a part (or the whole bill) still owes: cash with change, card or
 * wallet, with a tip on top. Cash is the default, and it starts at the exact amount owed: the
 * most common payment is then one tap, Confirm (Odoo needs the Cash method and Validate). A
 * banknote or a typed amount replaces it and shows the change. Less than owed is a partial
 * tender; the rest is paid with another tender.
 */
export function TenderPanel({
  owedMinor,
  isBlocked,
  onTender,
}: {
  owedMinor: Minor;
  /** The order fails the settlement checks: nothing may be taken. */
  isBlocked: boolean;
  onTender: (tender: Tender) => void;
}) {
  const { t, money } = useI18n();
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [givenText, setGivenText] = useState('');
  const [tipText, setTipText] = useState('');
  // "Exact" follows the tip typed after it: the guest hands over the part plus the tip. Cash
  // starts exact (and so does the next part after a confirm).
  const [isExact, setIsExact] = useState(true);

  const tip = tipText.trim() === '' ? 0 : parseMajorInput(tipText);
  const shownGiven = isExact && method === 'cash' ? toMajor(owedMinor + (tip ?? 0)).toFixed(2) : givenText;
  const typed = parseMajorInput(shownGiven);
  // Card and wallet default to what is owed; cash must be counted.
  const given = shownGiven.trim() === '' && method !== 'cash' ? owedMinor : typed;
  const made = given === null || tip === null ? null : makeTender(method, owedMinor, given, tip);
  const tender = made?.ok ? made.tender : null;
  const problemText = made && !made.ok && shownGiven.trim() !== '' ? t(`tender.problem.${made.problem}`) : null;
  const unreadable = (shownGiven.trim() !== '' && typed === null) || tip === null;
  const isPartial = tender !== null && tender.amountMinor < owedMinor;

  const setGiven = (amount: Minor) => {
    setIsExact(false);
    setGivenText(toMajor(amount).toFixed(2));
  };
  const confirm = () => {
    if (!tender || isBlocked) return;
    onTender(tender);
    setIsExact(method === 'cash');
    setGivenText('');
    setTipText('');
  };

  return (
    <div className="tender" data-testid="tender-panel" data-method={method}>
      <div className="tender__methods" role="radiogroup" aria-label={t('tender.method')}>
        {PAYMENT_METHODS.map((m) => (
          <button
            key={m}
            type="button"
            role="radio"
            aria-checked={method === m}
            className={`button ${method === m ? 'button--primary' : 'button--secondary'}`}
            data-testid={`tender-method-${m}`}
            onClick={() => {
              setMethod(m);
              setIsExact(m === 'cash');
              setGivenText('');
            }}
          >
            {t(METHOD_KEYS[m])}
          </button>
        ))}
      </div>

      <label className="field">
        <span className="field__label">{method === 'cash' ? t('payment.cash') : t('tender.amount')}</span>
        <input
          className="field__input field__input--large"
          data-testid={method === 'cash' ? 'cash-tendered' : 'tender-amount'}
          inputMode="decimal"
          autoComplete="off"
          dir="ltr"
          placeholder={method === 'cash' ? '' : toMajor(owedMinor).toFixed(2)}
          value={shownGiven}
          onChange={(event) => {
            setIsExact(false);
            setGivenText(event.target.value);
          }}
        />
      </label>
      {method === 'cash' && (
        <div className="quick-cash">
          <button type="button" className="button button--secondary" data-testid="cash-exact" onClick={() => setIsExact(true)}>
            {t('payment.exact')}
          </button>
          {cashSuggestions(owedMinor + (tip ?? 0)).map((amount) => (
            <button key={amount} type="button" className="button button--secondary" data-testid={`cash-quick-${amount}`} onClick={() => setGiven(amount)}>
              {money(amount)}
            </button>
          ))}
        </div>
      )}

      <label className="field tender__tip">
        <span className="field__label">{t('tender.tip')}</span>
        <input
          className="field__input"
          data-testid="tip-input"
          inputMode="decimal"
          autoComplete="off"
          dir="ltr"
          value={tipText}
          onChange={(event) => setTipText(event.target.value)}
        />
      </label>

      {method === 'cash' && (
        <div className="change-due">
          <span>{t('payment.change')}</span>
          <strong data-testid="change-due" data-amount={tender?.changeMinor ?? 0}>
            {money(tender?.changeMinor ?? 0)}
          </strong>
        </div>
      )}
      {isPartial && tender && (
        <p className="notice notice--inline" data-testid="tender-left-after" data-amount={owedMinor - tender.amountMinor}>
          {t('tender.leftAfter', { amount: money(owedMinor - tender.amountMinor) })}
        </p>
      )}
      {(problemText ?? (unreadable ? t('tender.problem.unreadable') : null)) && (
        <p className="error-text" role="alert" data-testid="payment-error">
          {problemText ?? t('tender.problem.unreadable')}
        </p>
      )}

      <button
        type="button"
        className="button button--primary button--wide"
        data-testid="confirm-payment"
        disabled={!tender || isBlocked}
        onClick={confirm}
      >
        {isPartial && tender ? t('tender.confirmPartial', { amount: money(tender.amountMinor) }) : t(CONFIRM_KEYS[method])}
      </button>
    </div>
  );
}
