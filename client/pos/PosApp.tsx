import { DeviceGate } from '../ui/DeviceGate';
import { PosTablet } from './PosTablet';

/** `/pos`: the waiter tablet, on a device paired as one. */
export function PosApp() {
  return <DeviceGate kind="pos">{(device) => <PosTablet key={device.id} device={device} />}</DeviceGate>;
}
