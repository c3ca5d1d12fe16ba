import { useEffect, type ReactNode } from 'react';

/**
 * The modal frame the floor's dialogs share (guest count, move items, transfer, customer):
 * the styles.css dialog, closed by Escape or a tap outside.
 */
export function FloorDialog({
  title,
  testId,
  onCancel,
  children,
  actions,
}: {
  title: string;
  testId: string;
  onCancel: () => void;
  children: ReactNode;
  actions?: ReactNode;
}) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  return (
    <div className="dialog-backdrop" onClick={onCancel}>
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${testId}-title`}
        data-testid={testId}
        onClick={(event) => event.stopPropagation()}
      >
        <h2 id={`${testId}-title`} className="dialog__title">
          {title}
        </h2>
        <div className="dialog__body">{children}</div>
        {actions && <div className="dialog__actions">{actions}</div>}
      </div>
    </div>
  );
}
