import { DeviceGate } from '../ui/DeviceGate';
import { KitchenScreen } from './KitchenScreen';

/** `/kds`: the kitchen screen, on a device paired as one (no PIN: it only bumps tickets). */
export function KdsApp() {
  return <DeviceGate kind="kds">{(device) => <KitchenScreen key={device.id} device={device} />}</DeviceGate>;
}
