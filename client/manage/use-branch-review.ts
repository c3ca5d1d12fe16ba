import { useCallback, useEffect, useState } from 'react';
import type { ApiFailure } from '../sync/api-client';
import {
  fetchSettledOrders,
  fetchSettlementRejections,
  type SettledOrder,
  type SettlementRejection,
} from '../sync/server-api';

/** How often the manager's view of a branch's settlements refreshes while it is open. */
const REFRESH_EVERY_MS = 10_000;

export interface BranchReview {
  rejections: SettlementRejection[] | null;
  settled: SettledOrder[] | null;
  failure: ApiFailure | null;
  refresh(): void;
}

/** Refused and settled orders of one branch, kept fresh by polling. */
export function useBranchReview(branchId: string, sessionToken: string, onSessionExpired: () => void): BranchReview {
  const [rejections, setRejections] = useState<SettlementRejection[] | null>(null);
  const [settled, setSettled] = useState<SettledOrder[] | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((n) => n + 1), []);

  useEffect(() => {
    let isCancelled = false;
    void Promise.all([fetchSettlementRejections(branchId, sessionToken), fetchSettledOrders(branchId, sessionToken)]).then(
      ([rejected, done]) => {
        if (isCancelled) return;
        const failed = !rejected.ok ? rejected.failure : !done.ok ? done.failure : null;
        if (failed?.kind === 'http' && failed.status === 401) {
          onSessionExpired();
          return;
        }
        setFailure(failed);
        if (rejected.ok) setRejections(rejected.value.rejections);
        if (done.ok) setSettled(done.value.orders);
      },
    );
    const timer = setTimeout(refresh, REFRESH_EVERY_MS);
    return () => {
      isCancelled = true;
      clearTimeout(timer);
    };
  }, [branchId, sessionToken, onSessionExpired, refresh, tick]);

  return { rejections, settled, failure, refresh };
}
