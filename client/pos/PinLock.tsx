import { useCallback, useEffect, useState } from 'react';
import { isPinFormat, verifyPin } from '../../shared/pin-hash';
import type { StaffMember } from '../../shared/schemas/catalog';
import { useI18n } from '../i18n/language';
import { PinDots, PinPad } from '../ui/PinPad';

const MAX_PIN_LENGTH = 6;

/**
 * The tablet's lock screen. The PIN is checked against the PBKDF2 hashes in the cached catalog,
 * so unlocking works with no network. Only waiters and managers may use a tablet.
 */
export function PinLock({ staff, onUnlock }: { staff: readonly StaffMember[]; onUnlock: (member: StaffMember) => void }) {
  const { t } = useI18n();
  const [pin, setPin] = useState('');
  const [isChecking, setIsChecking] = useState(false);
  const [isWrong, setIsWrong] = useState(false);
  const candidates = staff.filter((member) => member.role === 'waiter' || member.role === 'manager');

  const press = useCallback(
    (digit: string) => {
      if (isChecking) return;
      setIsWrong(false);
      setPin((current) => (current.length < MAX_PIN_LENGTH ? current + digit : current));
    },
    [isChecking],
  );

  const clear = useCallback(() => {
    setIsWrong(false);
    setPin('');
  }, []);

  const submit = useCallback(async () => {
    if (isChecking) return;
    if (!isPinFormat(pin)) {
      setIsWrong(true);
      setPin('');
      return;
    }
    setIsChecking(true);
    let match: StaffMember | null = null;
    for (const member of candidates) {
      if (await verifyPin(pin, member.pin)) {
        match = member;
        break;
      }
    }
    setIsChecking(false);
    setPin('');
    if (match) onUnlock(match);
    else setIsWrong(true);
  }, [candidates, isChecking, onUnlock, pin]);

  // A hardware keyboard (or a test) can type the PIN too.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (/^\d$/.test(event.key)) press(event.key);
      else if (event.key === 'Backspace') setPin((current) => current.slice(0, -1));
      else if (event.key === 'Enter') void submit();
      else if (event.key === 'Escape') clear();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [clear, press, submit]);

  return (
    <main className="screen__body screen__body--centred">
      <section className="pin-lock" data-testid="pin-lock" aria-labelledby="pin-title">
        <h1 id="pin-title" className="pin-lock__title">
          {t('pin.title')}
        </h1>
        <PinDots length={pin.length} testId="pin-display" />
        <p className="pin-lock__message" role="alert">
          {isChecking ? (
            t('pin.checking')
          ) : isWrong ? (
            <span className="error-text" data-testid="pin-error">
              {t('pin.wrong')}
            </span>
          ) : candidates.length === 0 ? (
            t('pin.noStaff')
          ) : null}
        </p>
        <PinPad
          onDigit={press}
          keyTestId={(digit) => `pin-key-${digit}`}
          aux={{ label: t('pin.clear'), testId: 'pin-clear', onClick: clear }}
          submit={{ label: t('pin.submit'), testId: 'pin-submit', isDisabled: isChecking || pin.length === 0, onClick: () => void submit() }}
        />
      </section>
    </main>
  );
}
