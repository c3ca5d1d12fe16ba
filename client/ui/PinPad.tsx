/**
 * The PIN dots and the phone-style keypad, shared by the lock screen, the manager's approval on a
 * waiter's tablet and the cash drawer's approval. Each caller keeps its own checking logic and
 * its own test ids (`keyTestId('7')`), so pages and tests tell the three apart.
 */
const DIGITS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'] as const;

export function PinDots({ length, className = '', testId }: { length: number; className?: string; testId?: string }) {
  return (
    <div className={`pin-lock__display ${className}`.trim()} data-testid={testId} data-length={length} aria-live="polite">
      {Array.from({ length: Math.max(4, length) }, (_, i) => (
        <span key={i} className={`pin-lock__dot${i < length ? ' pin-lock__dot--filled' : ''}`} />
      ))}
    </div>
  );
}

interface PadButton {
  label: string;
  testId: string;
  onClick: () => void;
}

export function PinPad(props: {
  onDigit: (digit: string) => void;
  keyTestId: (digit: string) => string;
  /** Bottom-left key: clear, or cancel. */
  aux: PadButton;
  submit: PadButton & { isDisabled: boolean };
  className?: string;
}) {
  const { onDigit, keyTestId, aux, submit } = props;
  return (
    // Digits keep their phone-pad order in both languages.
    <div className={`pin-pad ${props.className ?? ''}`.trim()} dir="ltr">
      {DIGITS.map((digit) => (
        <button key={digit} type="button" className="pin-pad__key" data-testid={keyTestId(digit)} onClick={() => onDigit(digit)}>
          {digit}
        </button>
      ))}
      <button type="button" className="pin-pad__key pin-pad__key--aux" data-testid={aux.testId} onClick={aux.onClick}>
        {aux.label}
      </button>
      <button type="button" className="pin-pad__key" data-testid={keyTestId('0')} onClick={() => onDigit('0')}>
        0
      </button>
      <button
        type="button"
        className="pin-pad__key pin-pad__key--submit"
        data-testid={submit.testId}
        disabled={submit.isDisabled}
        onClick={submit.onClick}
      >
        {submit.label}
      </button>
    </div>
  );
}
