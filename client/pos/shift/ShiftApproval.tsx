import { useCallback, useEffect, useState } from 'react';
import type { Permission } from '../../../shared/permissions';
import type { StaffMember } from '../../../shared/schemas/catalog';
import { useI18n } from '../../i18n/language';
import { findApprover } from '../order/approvals';

const MAX_PIN_LENGTH = 6;
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

/**
 * A manager's PIN for the cash drawer. Checked here against the cached hashes for a quick answer,
 * then kept (in memory, for this screen only) and sent with every drawer request, because the
 * server checks it again: money leaving the drawer must not rest on the tablet's own check.
 */
export function ShiftApproval({
  permission,
  staff,
  onApproved,
  onCancel,
}: {
  permission: Permission;
  staff: readonly StaffMember[];
  onApproved: (approval: { approver: StaffMember; pin: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [isChecking, setIsChecking] = useState(false);
  const [isWrong, setIsWrong] = useState(false);

  const press = useCallback((digit: string) => {
    setIsWrong(false);
    setPin((current) => (current.length < MAX_PIN_LENGTH ? current + digit : current));
  }, []);

  const submit = useCallback(async () => {
    if (isChecking || pin.length === 0) return;
    setIsChecking(true);
    const approver = await findApprover(pin, staff, permission);
    setIsChecking(false);
    if (approver) onApproved({ approver, pin });
    else {
      setPin('');
      setIsWrong(true);
    }
  }, [isChecking, onApproved, permission, pin, staff]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (/^\d$/.test(event.key)) press(event.key);
      else if (event.key === 'Backspace') setPin((current) => current.slice(0, -1));
      else if (event.key === 'Enter') void submit();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [press, submit]);

  return (
    <section className="pin-lock shift-approval" data-testid="shift-approval" aria-labelledby="shift-approval-title">
      <h1 id="shift-approval-title" className="pin-lock__title">
        {t('shift.approvalTitle')}
      </h1>
      <p className="muted">{t('shift.approvalHint')}</p>
      <div className="pin-lock__display" data-length={pin.length} aria-live="polite">
        {Array.from({ length: Math.max(4, pin.length) }, (_, i) => (
          <span key={i} className={`pin-lock__dot${i < pin.length ? ' pin-lock__dot--filled' : ''}`} />
        ))}
      </div>
      <p className="pin-lock__message" role="alert">
        {isChecking ? t('pin.checking') : isWrong ? <span className="error-text" data-testid="shift-approval-error">{t('pin.wrong')}</span> : null}
      </p>
      <div className="pin-pad" dir="ltr">
        {DIGITS.map((digit) => (
          <button key={digit} type="button" className="pin-pad__key" data-testid={`shift-pin-${digit}`} onClick={() => press(digit)}>
            {digit}
          </button>
        ))}
        <button type="button" className="pin-pad__key pin-pad__key--aux" data-testid="shift-approval-cancel" onClick={onCancel}>
          {t('common.cancel')}
        </button>
        <button type="button" className="pin-pad__key" data-testid="shift-pin-0" onClick={() => press('0')}>
          0
        </button>
        <button
          type="button"
          className="pin-pad__key pin-pad__key--submit"
          data-testid="shift-approval-submit"
          disabled={isChecking || pin.length === 0}
          onClick={() => void submit()}
        >
          {t('shift.approve')}
        </button>
      </div>
    </section>
  );
}
