import { useState } from 'react';
import type { OrderLine } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import { ReasonField } from './ReasonField';

const VOID_REASONS = ['void.reason.mistake', 'void.reason.changed', 'void.reason.quality', 'void.reason.slow'] as const;

/** Asks why a line is voided (required). For a line the kitchen has, says a manager must approve next. */
export function VoidDialog({
  line,
  needsManager,
  onConfirm,
  onCancel,
}: {
  line: OrderLine;
  needsManager: boolean;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}) {
  const { t, pick, number } = useI18n();
  const [reason, setReason] = useState('');
  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="void-title"
        data-testid="void-dialog"
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id="void-title" className="dialog__title">
          {t('void.title', { item: `${number(line.qty)}× ${pick(line)}` })}
        </h2>
        <div className="dialog__body">
          <ReasonField label={t('void.reason')} presets={VOID_REASONS} onChange={setReason} testIdPrefix="void-reason" />
          {needsManager && (
            <p className="notice notice--inline" data-testid="void-needs-manager">
              {t('void.needsManager')}
            </p>
          )}
        </div>
        <div className="dialog__actions">
          <button type="button" className="button button--quiet" data-testid="void-cancel" onClick={onCancel}>
            {t('common.cancel')}
          </button>
          <button
            type="button"
            className="button button--primary button--danger"
            data-testid="void-confirm"
            disabled={reason.length === 0}
            onClick={() => onConfirm(reason)}
          >
            {t('void.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}
