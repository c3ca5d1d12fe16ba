import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import { acquireBranchSync, type BranchSync, type BranchSyncSnapshot } from './branch-sync';

/**
 * The live branch document for a screen, re-rendering on every document update, connection
 * change and pending-count change. Returns null until the sync exists (first render).
 */
export function useBranchSync(branchId: string, deviceToken: string): BranchSyncSnapshot | null {
  const [sync, setSync] = useState<BranchSync | null>(null);

  useEffect(() => {
    const { sync: acquired, release } = acquireBranchSync(branchId, deviceToken);
    setSync(acquired);
    return () => {
      setSync(null);
      release();
    };
  }, [branchId, deviceToken]);

  const subscribe = useCallback((listener: () => void) => (sync ? sync.subscribe(listener) : () => undefined), [sync]);
  return useSyncExternalStore(subscribe, () => (sync ? sync.getSnapshot() : null));
}
