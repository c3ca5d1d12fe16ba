import { useCallback, useState, type ReactNode } from 'react';
import { discardEmptyOrder, readOrder } from '../../shared/live-doc';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import type { Catalog, StaffMember } from '../../shared/schemas/catalog';
import type { Order } from '../../shared/schemas/order';
import { useI18n } from '../i18n/language';
import type { BranchSyncSnapshot } from '../sync/branch-sync';
import { isDeviceRefused, useCatalog } from '../sync/use-catalog';
import { useBranchSync } from '../sync/use-branch-sync';
import { useCustomerSync } from '../sync/use-customer-sync';
import { DeviceHeader } from '../ui/DeviceHeader';
import { CatalogMissing, DeviceRefused, Loading } from '../ui/status-screens';
import { OrderScreen } from './OrderScreen';
import { PaymentScreen } from './PaymentScreen';
import { PinLock } from './PinLock';
import { LateChangeAlert } from './LateChangeAlert';
import { PrinterAlert } from './PrinterAlert';
import { Receipt } from './Receipt';
import { FloorScreen } from './floor/FloorScreen';
import { ShiftScreen } from './shift/ShiftScreen';
import { orderLabel } from './floor/order-label';
import { readUnlockedStaffId, writeUnlockedStaffId } from './unlocked-staff';
import { useFiscalIssuer } from '../fiscal/use-fiscal-issuer';

type Screen =
  | { name: 'tables' }
  | { name: 'order'; orderId: string }
  | { name: 'payment'; orderId: string }
  | { name: 'receipt'; paidOrder: Order }
  | { name: 'shift' };

/**
 * A paired waiter tablet: the live branch document and the cached menu, behind the PIN lock.
 * Sync runs while the tablet is locked, so a locked tablet still delivers what it took.
 */
export function PosTablet({ device }: { device: DeviceCredentials }) {
  const { t, pick } = useI18n();
  const sync = useBranchSync(device.branchId, device.token);
  const { catalog, isLoading, failure, retry } = useCatalog(device);
  // Issues the ETA receipt of every order this tablet is paid for, offline too (FIS-51).
  useFiscalIssuer(device, catalog, sync?.isReady ? sync.doc : null);
  const [staffId, setStaffId] = useState(readUnlockedStaffId);
  const [screen, setScreen] = useState<Screen>({ name: 'tables' });

  const staff = catalog?.staff.find((member) => member.id === staffId && member.role !== 'kitchen') ?? null;

  const unlock = useCallback((member: StaffMember) => {
    writeUnlockedStaffId(member.id);
    setStaffId(member.id);
  }, []);
  const lock = () => {
    writeUnlockedStaffId(null);
    setStaffId(null);
    setScreen({ name: 'tables' });
  };

  const header = (
    <DeviceHeader title={t('pos.title')} branchName={catalog ? pick(catalog.branch) : null} sync={sync}>
      {staff && (
        <>
          <span className="app-header__user" data-testid="current-user">
            {staff.name}
          </span>
          <button type="button" className="button button--quiet" data-testid="shift-button" onClick={() => setScreen({ name: 'shift' })}>
            {t('shift.button')}
          </button>
          <button type="button" className="button button--quiet" data-testid="lock-button" onClick={lock}>
            {t('pos.lock')}
          </button>
        </>
      )}
    </DeviceHeader>
  );

  let body: ReactNode;
  if (isDeviceRefused(failure)) {
    body = <DeviceRefused />;
  } else if (!catalog) {
    body = isLoading ? <Loading /> : <CatalogMissing onRetry={retry} />;
  } else if (!staff) {
    body = <PinLock staff={catalog.staff} onUnlock={unlock} />;
  } else if (!sync?.isReady) {
    body = <Loading />;
  } else {
    body = <PosScreens catalog={catalog} sync={sync} staff={staff} device={device} screen={screen} setScreen={setScreen} />;
  }

  return (
    <div className="screen">
      {header}
      {staff && sync?.isReady && <PrinterAlert doc={sync.doc} revision={sync.revision} catalog={catalog} />}
      {staff && sync?.isReady && <LateChangeAlert doc={sync.doc} revision={sync.revision} deviceId={device.id} catalog={catalog} />}
      {body}
    </div>
  );
}

function PosScreens({
  catalog,
  sync,
  staff,
  device,
  screen,
  setScreen,
}: {
  catalog: Catalog;
  sync: BranchSyncSnapshot;
  staff: StaffMember;
  device: DeviceCredentials;
  screen: Screen;
  setScreen: (screen: Screen) => void;
}) {
  const { t } = useI18n();
  const { doc, revision } = sync;
  useCustomerSync(device.branchId, device.token, doc);
  const tableLabelOf = (tableId: string | null) =>
    tableId === null ? null : (catalog.tables.find((table) => table.id === tableId)?.label ?? tableId);
  // The label follows the order (a transfer changes its table), so it is read from the document.
  const orderLabelOf = (orderId: string) => {
    const read = readOrder(doc, orderId);
    return read.ok ? orderLabel(read.value, catalog, t) : '';
  };
  const toTables = () => setScreen({ name: 'tables' });

  switch (screen.name) {
    case 'tables':
      return (
        <FloorScreen
          doc={doc}
          revision={revision}
          catalog={catalog}
          device={device}
          staff={staff}
          onOpenOrder={(orderId) => setScreen({ name: 'order', orderId })}
        />
      );
    case 'order':
      return (
        <OrderScreen
          doc={doc}
          revision={revision}
          catalog={catalog}
          orderId={screen.orderId}
          tableLabel={orderLabelOf(screen.orderId)}
          staff={staff}
          device={device}
          onBack={() => {
            discardEmptyOrder(doc, screen.orderId);
            toTables();
          }}
          onPay={() => setScreen({ name: 'payment', orderId: screen.orderId })}
        />
      );
    case 'payment':
      return (
        <PaymentScreen
          doc={doc}
          revision={revision}
          catalog={catalog}
          orderId={screen.orderId}
          staff={staff}
          onBack={() => setScreen({ name: 'order', orderId: screen.orderId })}
          onPaid={(paidOrder) => setScreen({ name: 'receipt', paidOrder })}
        />
      );
    case 'receipt':
      return (
        <Receipt
          doc={doc}
          revision={revision}
          catalog={catalog}
          paidOrder={screen.paidOrder}
          tableLabel={tableLabelOf(screen.paidOrder.tableId)}
          onDone={toTables}
        />
      );
    case 'shift':
      return <ShiftScreen device={device} staff={staff} catalog={catalog} onBack={toTables} />;
  }
}
