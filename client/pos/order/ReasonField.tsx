import { useState } from 'react';
import type { MessageKey } from '../../i18n/en';
import { useI18n } from '../../i18n/language';

/**
 * A reason for the audit log: one tap on a common reason, or "Other" and type it. The text is
 * kept as shown, in the language the waiter was using.
 */
export function ReasonField({
  label,
  presets,
  onChange,
  testIdPrefix,
}: {
  label: string;
  presets: readonly MessageKey[];
  onChange: (reason: string) => void;
  testIdPrefix: string;
}) {
  const { t } = useI18n();
  const [preset, setPreset] = useState<MessageKey | 'other' | null>(null);
  const [other, setOther] = useState('');

  const choose = (key: MessageKey | 'other') => {
    setPreset(key);
    onChange(key === 'other' ? other.trim() : t(key));
  };

  return (
    <fieldset className="modifier-group reason-field">
      <legend className="modifier-group__name">{label}</legend>
      <div className="modifier-group__options">
        {presets.map((key) => (
          <button
            key={key}
            type="button"
            className={`choice${preset === key ? ' choice--chosen' : ''}`}
            aria-pressed={preset === key}
            data-testid={`${testIdPrefix}-${key.split('.').pop()}`}
            onClick={() => choose(key)}
          >
            {t(key)}
          </button>
        ))}
        <button
          type="button"
          className={`choice${preset === 'other' ? ' choice--chosen' : ''}`}
          aria-pressed={preset === 'other'}
          data-testid={`${testIdPrefix}-other`}
          onClick={() => choose('other')}
        >
          {t('void.otherReason')}
        </button>
      </div>
      {preset === 'other' && (
        <input
          className="field__input"
          data-testid={`${testIdPrefix}-text`}
          aria-label={t('void.otherReason')}
          maxLength={200}
          autoFocus
          value={other}
          onChange={(event) => {
            setOther(event.target.value);
            onChange(event.target.value.trim());
          }}
        />
      )}
    </fieldset>
  );
}
