import { useEffect, useState } from 'react';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import type { Catalog } from '../../shared/schemas/catalog';
import type { ApiFailure } from './api-client';
import { readCachedCatalog, saveCatalog } from './local-store';
import { fetchCatalog } from './server-api';

/**
 * The branch's reference data: the Dexie copy first, so an offline start has a menu at once,
 * then the server's when the network is there (again on every `online` event). The server copy
 * replaces the cache only when its version differs. Nothing here blocks on the network.
 */
export interface CatalogState {
  catalog: Catalog | null;
  /** True until the cache was read and, when there was none, the first fetch answered. */
  isLoading: boolean;
  /** The last failed refresh; a 401 means this device has been unpaired. */
  failure: ApiFailure | null;
  retry(): void;
}

export function useCatalog(device: DeviceCredentials): CatalogState {
  const [catalog, setCatalog] = useState<Catalog | null>(null);
  const [isLoading, setIsLoading] = useState(true);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let isCancelled = false;
    let current: Catalog | null = null;

    const refresh = async () => {
      if (!navigator.onLine) return;
      const answer = await fetchCatalog(device.branchId, device.token);
      if (isCancelled) return;
      if (!answer.ok) {
        setFailure(answer.failure);
        return;
      }
      setFailure(null);
      const fresh = answer.value;
      if (fresh.branch.id !== device.branchId) return;
      if (current === null || current.version !== fresh.version) {
        current = fresh;
        setCatalog(fresh);
        await saveCatalog(fresh).catch((error: unknown) => console.warn('could not cache the catalog', error));
      }
    };
    const onOnline = () => void refresh();

    void (async () => {
      const cached = await readCachedCatalog(device.branchId).catch(() => null);
      if (isCancelled) return;
      if (cached) {
        current = cached;
        setCatalog(cached);
        setIsLoading(false);
        await refresh();
      } else {
        await refresh();
        if (!isCancelled) setIsLoading(false);
      }
    })();
    window.addEventListener('online', onOnline);
    return () => {
      isCancelled = true;
      window.removeEventListener('online', onOnline);
    };
  }, [device.branchId, device.token, attempt]);

  return { catalog, isLoading, failure, retry: () => setAttempt((n) => n + 1) };
}

/** A refresh failure that means the device itself is no longer accepted. */
export function isDeviceRefused(failure: ApiFailure | null): boolean {
  return failure?.kind === 'http' && failure.status === 401;
}
