import { useEffect } from 'react';
import type * as Y from 'yjs';
import { posFiscalProfileSchema, type PosFiscalProfile } from '../../shared/eta/receipt-entry';
import { listOrders, ordersRoot, readOrder, readReceipt, writeReceipt } from '../../shared/live-doc';
import type { DeviceCredentials } from '../../shared/schemas/auth';
import type { Catalog } from '../../shared/schemas/catalog';
import type { Order } from '../../shared/schemas/order';
import { requestJson } from '../sync/api-client';
import { recordIssueFailure } from './issue-failures';
import { issueReceipt, listReceipts, openFiscalStore, readProfile, saveProfile, type FiscalDexie } from './receipt-chain';

/**
 * The paying tablet issues the ETA receipt of every order it takes payment for (FIS-51): it
 * watches its live document for orders turning `paid` in a local transaction (this tab's own
 * payment, offline too), issues the receipt from the order as paid into its Dexie chain, and puts
 * it into the document's `receipts` root, which carries it to the server.
 *
 * On start it also catches up: receipts stored in Dexie but missing from the document (the tab
 * closed in between) are written again, and orders this device was paid for that have no receipt
 * yet are issued — the chain's per-order uniqueness makes both safe to repeat.
 *
 * The fiscal profile (serial, seller, QR portal) is fetched when online and kept in Dexie, so a
 * tablet that starts offline still issues receipts.
 */
let sharedStore: FiscalDexie | null = null;
const fiscalStore = () => (sharedStore ??= openFiscalStore());

async function loadProfile(store: FiscalDexie, device: DeviceCredentials): Promise<PosFiscalProfile | null> {
  const fetched = await requestJson('/api/fiscal/pos-profile', posFiscalProfileSchema, { token: device.token });
  if (fetched.ok && fetched.value.deviceId === device.id) {
    await saveProfile(store, fetched.value);
    return fetched.value;
  }
  return readProfile(store, device.id);
}

/** Whether this device took the payment that made the order paid. */
function isPaidHere(order: Order, deviceId: string): boolean {
  const tagged = order.payments.filter((p) => p.deviceId);
  return tagged.length > 0 ? tagged[tagged.length - 1]!.deviceId === deviceId : order.deviceId === deviceId;
}

export function useFiscalIssuer(device: DeviceCredentials, catalog: Catalog | null, doc: Y.Doc | null): void {
  useEffect(() => {
    if (device.kind !== 'pos' || !catalog || !doc) return;
    const store = fiscalStore();
    let profile: PosFiscalProfile | null = null;
    let isStopped = false;
    let queue: Promise<void> = Promise.resolve();

    const issueFor = (orderId: string) => {
      queue = queue.then(async () => {
        if (isStopped || !profile || readReceipt(doc, orderId)) return;
        const order = readOrder(doc, orderId);
        if (!order.ok || order.value.status !== 'paid') return;
        const outcome = await issueReceipt(store, order.value, catalog.tax, profile);
        if (isStopped) return;
        if (outcome.ok) writeReceipt(doc, outcome.entry);
        else {
          console.warn(`[fiscal] no receipt for order ${orderId}: ${outcome.code} (${outcome.message})`);
          recordIssueFailure(orderId, { code: outcome.code, message: outcome.message });
        }
      }).catch((error: unknown) => console.error('[fiscal] issuing a receipt failed:', error));
    };

    const catchUp = async () => {
      if (!profile) return;
      for (const row of await listReceipts(store, profile.serial)) {
        const { sequence: _sequence, ...entry } = row;
        // This device's own receipt, even when another device's for the same order is there (both
        // took payment offline): every receipt of the chain must reach the server [FIS-60].
        if (!readReceipt(doc, entry.orderId, entry.deviceId) && ordersRoot(doc).has(entry.orderId)) writeReceipt(doc, entry);
      }
      for (const order of listOrders(doc)) {
        if (order.status === 'paid' && !readReceipt(doc, order.id) && isPaidHere(order, device.id)) issueFor(order.id);
      }
    };

    const observer = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>, transaction: Y.Transaction) => {
      if (!transaction.local) return; // another device's payment: its own tablet issues that receipt
      const touched = new Set<string>();
      for (const event of events) {
        const first = event.path[0];
        if (typeof first === 'string') touched.add(first);
        else for (const key of event.keys.keys()) touched.add(key);
      }
      for (const orderId of touched) {
        const status = (ordersRoot(doc).get(orderId) as Y.Map<unknown> | undefined)?.get('status');
        if (status === 'paid') issueFor(orderId);
      }
    };
    ordersRoot(doc).observeDeep(observer);
    void loadProfile(store, device).then(async (loaded) => {
      if (isStopped) return;
      profile = loaded;
      if (!loaded) console.warn('[fiscal] this tablet has no fiscal profile yet: receipts wait until it is online once');
      await catchUp();
    });
    return () => {
      isStopped = true;
      ordersRoot(doc).unobserveDeep(observer);
    };
  }, [device, catalog, doc]);
}
