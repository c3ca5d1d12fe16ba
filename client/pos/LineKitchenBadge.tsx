import { lineKitchenState, type LineKitchenState } from '../../shared/live-doc';
import type { KitchenTicket, OrderLine } from '../../shared/schemas/order';
import type { MessageKey } from '../i18n/en';
import { useI18n } from '../i18n/language';
import './kitchen-status.css';

const STATE_TEXT: Record<LineKitchenState, MessageKey> = {
  unsent: 'kitchenState.unsent',
  held: 'kitchenState.held',
  pending: 'kitchenState.pending',
  started: 'kitchenState.started',
  ready: 'kitchenState.ready',
  voided: 'kitchenState.voided',
};

/**
 * Where an order line stands in the kitchen, live on the waiter's tablet: not sent, held for a
 * later course, sent, cooking, ready, or voided — from the ticket that last carried it, which
 * the kitchen screen starts and bumps in the same live document.
 */
export function LineKitchenBadge({ line, ticketsById }: { line: OrderLine; ticketsById: ReadonlyMap<string, KitchenTicket> }) {
  const { t } = useI18n();
  const state = lineKitchenState(line, ticketsById);
  return (
    <span className={`tag tag--kitchen tag--kitchen-${state}`} data-testid="line-kitchen-state" data-state={state}>
      {t(STATE_TEXT[state])}
    </span>
  );
}
