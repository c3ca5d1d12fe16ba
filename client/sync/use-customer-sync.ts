import { useEffect } from 'react';
import type * as Y from 'yjs';
import { syncCustomers } from './customer-cache';

/**
 * Keeps the tablet's customer cache in step with the server: at start, whenever the browser
 * comes back online, and whenever a screen saved a customer locally (`requestCustomerSync`).
 * Runs one sync at a time; a request during a run runs once more after it.
 */
const CUSTOMERS_CHANGED = 'restoflow:customers-changed';

export function requestCustomerSync(): void {
  window.dispatchEvent(new Event(CUSTOMERS_CHANGED));
}

export function useCustomerSync(branchId: string, token: string, doc: Y.Doc | null): void {
  useEffect(() => {
    if (!doc) return;
    let isStopped = false;
    let running: Promise<void> | null = null;
    let isAgain = false;
    const run = () => {
      if (running) {
        isAgain = true;
        return;
      }
      running = syncCustomers(branchId, token, doc)
        .catch((error: unknown) => console.warn('customer sync failed', error))
        .finally(() => {
          running = null;
          if (isAgain && !isStopped) {
            isAgain = false;
            run();
          }
        });
    };
    run();
    window.addEventListener('online', run);
    window.addEventListener(CUSTOMERS_CHANGED, run);
    return () => {
      isStopped = true;
      window.removeEventListener('online', run);
      window.removeEventListener(CUSTOMERS_CHANGED, run);
    };
  }, [branchId, token, doc]);
}
