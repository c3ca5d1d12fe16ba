import { useCallback, useEffect, useState } from 'react';
import type { Permission } from '../../../shared/permissions';
import type { StaffMember } from '../../../shared/schemas/catalog';
import { useI18n } from '../../i18n/language';
import { PinDots, PinPad } from '../../ui/PinPad';
import { findApprover } from '../order/approvals';

const MAX_PIN_LENGTH = 6;
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
      <PinDots length={pin.length} />
      <p className="pin-lock__message" role="alert">
        {isChecking ? t('pin.checking') : isWrong ? <span className="error-text" data-testid="shift-approval-error">{t('pin.wrong')}</span> : null}
      </p>
      <PinPad
        onDigit={press}
        keyTestId={(digit) => `shift-pin-${digit}`}
        aux={{ label: t('common.cancel'), testId: 'shift-approval-cancel', onClick: onCancel }}
        submit={{ label: t('shift.approve'), testId: 'shift-approval-submit', isDisabled: isChecking || pin.length === 0, onClick: () => void submit() }}
      />
    </section>
  );
}
