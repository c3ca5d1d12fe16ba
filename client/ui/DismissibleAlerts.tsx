import { useState, type ReactNode } from 'react';
import '../pos/kitchen-status.css';

/** One message of a tablet banner; `data` becomes data-* attributes of its row (tests read them). */
export interface AlertItem {
  key: string;
  text: ReactNode;
  dismissTestId: string;
  data: Readonly<Record<string, string>>;
}

/**
 * A red banner across the tablet with a title and a few messages, each dismissable on this tablet
 * (the printer-failure and late-change banners). What is shown comes from the live document; only
 * the dismissals are this screen's own.
 */
export function DismissibleAlerts({
  testId,
  itemTestId,
  title,
  dismissLabel,
  items,
  max = Number.POSITIVE_INFINITY,
}: {
  testId: string;
  itemTestId: string;
  title: string;
  dismissLabel: string;
  items: readonly AlertItem[];
  max?: number;
}) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(() => new Set());
  const shown = items.filter((item) => !dismissed.has(item.key)).slice(0, max);
  if (shown.length === 0) return null;
  return (
    <div className="printer-alert" role="alert" data-testid={testId}>
      <strong className="printer-alert__title">{title}</strong>
      <ul className="printer-alert__list">
        {shown.map((item) => (
          <li
            key={item.key}
            className="printer-alert__item"
            data-testid={itemTestId}
            {...Object.fromEntries(Object.entries(item.data).map(([name, value]) => [`data-${name}`, value]))}
          >
            <span>{item.text}</span>
            <button
              type="button"
              className="button button--light button--small"
              data-testid={item.dismissTestId}
              onClick={() => setDismissed((previous) => new Set([...previous, item.key]))}
            >
              {dismissLabel}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
