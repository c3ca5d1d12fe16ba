import { useCallback, useEffect, useState } from 'react';
import type { Permission } from '../../../shared/permissions';
import type { StaffMember } from '../../../shared/schemas/catalog';
import { useI18n } from '../../i18n/language';
import { PinDots, PinPad } from '../../ui/PinPad';
import { findApprover } from './approvals';

const MAX_PIN_LENGTH = 6;
/**
 * Manager override: a manager types their PIN on the waiter's tablet to allow one action the
 * waiter's role may not do alone. The PIN is checked offline against the cached catalog's
 * PBKDF2 hashes, and only staff holding `permission` can approve. The waiter stays signed in:
 * the approval is for this one action, recorded as `approvedBy`.
 */
export function ManagerApproval({
  permission,
  staff,
  summary,
  onApproved,
  onCancel,
}: {
  permission: Permission;
  staff: readonly StaffMember[];
  /** What is being approved, shown to the manager ("Void 1× Koshari: wrong item"). */
  summary: string;
  onApproved: (approver: StaffMember) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [isChecking, setIsChecking] = useState(false);
  const [isWrong, setIsWrong] = useState(false);

  const press = useCallback(
    (digit: string) => {
      if (isChecking) return;
      setIsWrong(false);
      setPin((current) => (current.length < MAX_PIN_LENGTH ? current + digit : current));
    },
    [isChecking],
  );

  const submit = useCallback(async () => {
    if (isChecking || pin.length === 0) return;
    setIsChecking(true);
    const approver = await findApprover(pin, staff, permission);
    setIsChecking(false);
    setPin('');
    if (approver) onApproved(approver);
    else setIsWrong(true);
  }, [isChecking, onApproved, permission, pin, staff]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (/^\d$/.test(event.key)) press(event.key);
      else if (event.key === 'Backspace') setPin((current) => current.slice(0, -1));
      else if (event.key === 'Enter') void submit();
      else if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel, press, submit]);

  return (
    <div className="dialog-backdrop">
      <div className="dialog approval" role="dialog" aria-modal="true" aria-labelledby="approval-title" data-testid="approval-dialog">
        <h2 id="approval-title" className="dialog__title">
          {t('approval.title')}
        </h2>
        <p>{t('approval.prompt')}</p>
        <p className="approval__summary" data-testid="approval-summary">
          {summary}
        </p>
        <PinDots length={pin.length} className="approval__display" testId="approval-display" />
        <p className="pin-lock__message" role="alert">
          {isChecking ? (
            t('approval.checking')
          ) : isWrong ? (
            <span className="error-text" data-testid="approval-error">
              {t('approval.wrong')}
            </span>
          ) : null}
        </p>
        <PinPad
          className="approval__pad"
          onDigit={press}
          keyTestId={(digit) => `approval-key-${digit}`}
          aux={{ label: t('approval.clear'), testId: 'approval-clear', onClick: () => setPin('') }}
          submit={{ label: t('approval.submit'), testId: 'approval-submit', isDisabled: isChecking || pin.length === 0, onClick: () => void submit() }}
        />
        <div className="dialog__actions">
          <button type="button" className="button button--quiet" data-testid="approval-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
