import { useEffect, useState } from 'react';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import { readDevice } from './local-store';

/** The credentials this device was paired with, read from Dexie (no network involved). */
export function usePairedDevice(): { isLoading: boolean; device: DeviceCredentials | null } {
  const [state, setState] = useState<{ isLoading: boolean; device: DeviceCredentials | null }>({
    isLoading: true,
    device: null,
  });
  useEffect(() => {
    let isCancelled = false;
    readDevice()
      .catch((error: unknown) => {
        console.warn('could not read the paired device', error);
        return null;
      })
      .then((device) => {
        if (!isCancelled) setState({ isLoading: false, device });
      });
    return () => {
      isCancelled = true;
    };
  }, []);
  return state;
}
