import { useState } from 'react';
import type * as Y from 'yjs';
import { setCustomer } from '../../../shared/live-doc';
import type { DeviceCredentials } from '../../../shared/schemas/auth';
import type { Catalog, StaffMember } from '../../../shared/schemas/catalog';
import type { Order } from '../../../shared/schemas/order';
import { useI18n } from '../../i18n/language';
import { CustomerDialog } from './CustomerDialog';
import { MoveLinesDialog } from './MoveLinesDialog';
import { TransferDialog } from './TransferDialog';

/** What happened, so the order screen knows what to show next. */
export type TableActionOutcome =
  | { kind: 'transferred'; orderId: string; toTableId: string }
  /** `isSourceLeft` false: every line moved and the order is gone (go back to the floor). */
  | { kind: 'moved'; fromOrderId: string; isSourceLeft: boolean; toOrderId: string; toTableId: string }
  | { kind: 'customer'; orderId: string };

/**
 * The floor's actions on one open order, for the order screen to mount beside its own buttons:
 * transfer the table, move some lines to another table (dine-in only), attach or remove the
 * customer. Each opens its dialog and reports through `onDone`.
 */
export function TableActions({
  doc,
  order,
  catalog,
  staff,
  device,
  onDone,
}: {
  doc: Y.Doc;
  order: Order;
  catalog: Catalog;
  staff: StaffMember;
  device: DeviceCredentials;
  onDone: (outcome: TableActionOutcome) => void;
}) {
  const { t } = useI18n();
  const [open, setOpen] = useState<'transfer' | 'move' | 'customer' | null>(null);
  const close = () => setOpen(null);
  const isDineIn = order.tableId !== null && order.status === 'open';

  return (
    <div className="table-actions" data-testid="table-actions">
      {isDineIn && (
        <>
          <button type="button" className="button button--quiet button--small" data-testid="actions-transfer" onClick={() => setOpen('transfer')}>
            {t('actions.transfer')}
          </button>
          <button
            type="button"
            className="button button--quiet button--small"
            data-testid="actions-move"
            disabled={order.lines.length === 0}
            onClick={() => setOpen('move')}
          >
            {t('actions.move')}
          </button>
        </>
      )}
      <button type="button" className="button button--quiet button--small" data-testid="actions-customer" onClick={() => setOpen('customer')}>
        {order.customer ? order.customer.name : t('actions.customer')}
      </button>

      {open === 'transfer' && (
        <TransferDialog
          doc={doc}
          catalog={catalog}
          order={order}
          onCancel={close}
          onTransferred={(toTableId) => {
            close();
            onDone({ kind: 'transferred', orderId: order.id, toTableId });
          }}
        />
      )}
      {open === 'move' && (
        <MoveLinesDialog
          doc={doc}
          catalog={catalog}
          order={order}
          staff={staff}
          device={device}
          onCancel={close}
          onMoved={(result) => {
            close();
            onDone({ kind: 'moved', fromOrderId: order.id, ...result });
          }}
        />
      )}
      {open === 'customer' && (
        <CustomerDialog
          branchId={device.branchId}
          token={device.token}
          orderType={order.type}
          current={order.customer}
          onCancel={close}
          onAttach={(customer) => {
            setCustomer(doc, order.id, customer);
            close();
            onDone({ kind: 'customer', orderId: order.id });
          }}
          onDetach={() => {
            setCustomer(doc, order.id, null);
            close();
            onDone({ kind: 'customer', orderId: order.id });
          }}
        />
      )}
    </div>
  );
}
