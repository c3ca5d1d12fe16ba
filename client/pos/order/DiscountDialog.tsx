import { useState } from 'react';
import type { Minor } from '../../../shared/money';
import type { Discount } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import { parseDiscount, type DiscountKind } from './approvals';
import { ReasonField } from './ReasonField';

const DISCOUNT_REASONS = ['discount.reason.regular', 'discount.reason.complaint', 'discount.reason.staff', 'discount.reason.promo'] as const;
const QUICK_PERCENTS = ['5', '10', '15', '20', '50', '100'] as const;

/**
 * A discount on a line or on the whole order: percent or amount, with a reason. Removing one
 * needs no approval (it only raises the bill); giving one may (the caller asks the manager).
 */
export function DiscountDialog({
  title,
  baseMinor,
  current,
  needsManager,
  onConfirm,
  onRemove,
  onCancel,
}: {
  title: string;
  /** What the line or order comes to before this discount (an amount may not exceed it). */
  baseMinor: Minor;
  current: Discount | null;
  needsManager: boolean;
  onConfirm: (discount: { kind: DiscountKind; value: number; reason: string }) => void;
  onRemove: () => void;
  onCancel: () => void;
}) {
  const { t, money, number } = useI18n();
  const [kind, setKind] = useState<DiscountKind>('percent');
  const [text, setText] = useState('');
  const [reason, setReason] = useState('');
  const parsed = parseDiscount(kind, text, baseMinor);
  const problem = text.trim() === '' || parsed.ok ? null : parsed.problem;
  const canApply = parsed.ok && reason.length > 0;

  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="discount-title"
        data-testid="discount-dialog"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="discount-title" className="dialog__title">
          {title} <span className="muted">{money(baseMinor)}</span>
        </h2>
        <div className="dialog__body">
          <div className="segmented" role="radiogroup">
            {(['percent', 'amount'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="radio"
                aria-checked={kind === k}
                className={`choice${kind === k ? ' choice--chosen' : ''}`}
                data-testid={`discount-kind-${k}`}
                onClick={() => setKind(k)}
              >
                {t(k === 'percent' ? 'discount.percent' : 'discount.amount')}
              </button>
            ))}
          </div>
          <label className="field">
            <span className="field__label">{t('discount.value')}</span>
            <input
              className="field__input field__input--large"
              data-testid="discount-value"
              inputMode="decimal"
              value={text}
              onChange={(event) => setText(event.target.value)}
            />
          </label>
          {kind === 'percent' && (
            <div className="modifier-group__options">
              {QUICK_PERCENTS.map((p) => (
                <button key={p} type="button" className="choice" data-testid={`discount-quick-${p}`} onClick={() => setText(p)}>
                  {number(Number(p))} %
                </button>
              ))}
            </div>
          )}
          {problem && (
            <p className="error-text" role="alert" data-testid="discount-problem">
              {t(`discount.problem.${problem}`, { amount: money(baseMinor) })}
            </p>
          )}
          <ReasonField label={t('discount.reason')} presets={DISCOUNT_REASONS} onChange={setReason} testIdPrefix="discount-reason" />
          {needsManager && (
            <p className="notice notice--inline" data-testid="discount-needs-manager">
              {t('discount.needsManager')}
            </p>
          )}
        </div>
        <div className="dialog__actions">
          {current && (
            <button type="button" className="button button--quiet" data-testid="discount-remove" onClick={onRemove}>
              {t('discount.remove')}
            </button>
          )}
          <button type="button" className="button button--quiet" data-testid="discount-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button button--primary"
            data-testid="discount-confirm"
            disabled={!canApply}
            onClick={() => parsed.ok && onConfirm({ kind, value: parsed.value, reason })}
          >
            {t('discount.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
