import { z } from 'zod';
import type * as Y from 'yjs';
import { listOrders, setCustomer } from '../../shared/live-doc';
import { customerAddressSchema, customerNameSchema, customerPhoneSchema, withAddressFirst, type Customer } from '../../shared/schemas/customer';
import type { OrderCustomer } from '../../shared/schemas/order';
import { localStore, type CustomerRow } from './local-store';
import { fetchCustomers, findCustomerOnServer, saveCustomerOnServer } from './server-api';

/**
 * The branch's customers on the tablet, so a waiter finds one by phone with no network.
 * Downloaded whole from the server when online; a customer typed on this tablet is stored here at
 * once, marked pending, attached to the order, and saved on the server (an upsert by phone) the
 * next time the tablet is online — then the server's id is written into the open orders that
 * carry that phone without one. Rows are parsed with zod on the way out: IndexedDB outlives app
 * versions.
 */

export const cachedCustomerSchema = z.object({
  /** The server's id; null for a customer typed on this tablet and not yet saved there. */
  id: z.string().min(1).max(64).nullable(),
  phone: customerPhoneSchema,
  name: customerNameSchema,
  addresses: z.array(customerAddressSchema),
});
export type CachedCustomer = z.infer<typeof cachedCustomerSchema>;

const MAX_MATCHES = 6;

function parseRow(row: CustomerRow | undefined): CachedCustomer | null {
  const parsed = cachedCustomerSchema.safeParse(row?.data);
  return parsed.success ? parsed.data : null;
}

const fromServer = (customer: Customer): CachedCustomer => ({
  id: customer.id,
  phone: customer.phone,
  name: customer.name,
  addresses: customer.addresses,
});

/** Strips what people type around a phone number (spaces, dashes, brackets). */
export function normalisePhone(typed: string): string {
  const trimmed = typed.trim();
  return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/[^0-9]/g, '');
}

export const isCompletePhone = (phone: string): boolean => customerPhoneSchema.safeParse(phone).success;

/** Customers whose phone starts with what was typed, from this tablet's cache (offline-safe). */
export async function findCachedCustomers(branchId: string, typedPhone: string): Promise<CachedCustomer[]> {
  const prefix = normalisePhone(typedPhone);
  if (prefix.length < 3) return [];
  const rows = await localStore.customers
    .where('[branchId+phone]')
    .between([branchId, prefix], [branchId, prefix + '\uffff'])
    .limit(MAX_MATCHES)
    .toArray();
  return rows.map(parseRow).filter((c): c is CachedCustomer => c !== null);
}

/**
 * One customer by exact phone: the cache first, then the server when the tablet is online (a
 * customer saved a moment ago on another tablet). Found on the server → cached too.
 */
export async function lookupCustomer(branchId: string, token: string, phone: string): Promise<CachedCustomer | null> {
  const cached = parseRow(await localStore.customers.get([branchId, phone]));
  if (cached || !navigator.onLine) return cached;
  const answer = await findCustomerOnServer(branchId, token, phone);
  const found = answer.ok ? answer.value.customers[0] : undefined;
  if (!found) return null;
  const customer = fromServer(found);
  await localStore.customers.put({ branchId, phone: customer.phone, data: customer });
  return customer;
}

/**
 * Saves a customer typed on this tablet: cached at once (pending), so the order can carry them
 * offline; `syncCustomers` sends it to the server. Returns what to attach to the order.
 */
export async function saveCustomerLocally(
  branchId: string,
  input: { phone: string; name: string; address: string | null },
): Promise<CachedCustomer> {
  const existing = parseRow(await localStore.customers.get([branchId, input.phone]));
  const customer = cachedCustomerSchema.parse({
    id: existing?.id ?? null,
    phone: input.phone,
    name: input.name.trim(),
    addresses: withAddressFirst(existing?.addresses ?? [], input.address),
  });
  await localStore.customers.put({ branchId, phone: customer.phone, data: customer, pendingSince: Date.now() });
  return customer;
}

/** The customer as an order carries them, with the address chosen for this order. */
export const toOrderCustomer = (customer: CachedCustomer, address: string | null): OrderCustomer => ({
  id: customer.id,
  name: customer.name,
  phone: customer.phone,
  address,
});

export async function countPendingCustomers(branchId: string): Promise<number> {
  return localStore.customers.where('pendingSince').above(0).filter((row) => row.branchId === branchId).count();
}

/**
 * Sends pending customers to the server, then refreshes the cache from the server's list, and
 * fills the server id into open orders carrying one of the saved phones without an id. Safe to
 * call at any time; does nothing offline.
 */
export async function syncCustomers(branchId: string, token: string, doc: Y.Doc): Promise<void> {
  if (!navigator.onLine) return;
  const pending = await localStore.customers.where('pendingSince').above(0).filter((row) => row.branchId === branchId).toArray();
  const savedIds = new Map<string, string>();
  for (const row of pending) {
    const customer = parseRow(row);
    if (!customer) {
      await localStore.customers.delete([row.branchId, row.phone]);
      continue;
    }
    const answer = await saveCustomerOnServer(branchId, token, {
      phone: customer.phone,
      name: customer.name,
      address: customer.addresses[0] ?? null,
    });
    if (!answer.ok) {
      if (answer.failure.kind === 'network') return;
      // A refusal (validation, permission) will not get better by retrying: keep it local only.
      await localStore.customers.put({ branchId, phone: row.phone, data: customer });
      continue;
    }
    const saved = fromServer(answer.value.customer);
    // Only clear the pending mark if nobody edited the row meanwhile.
    await localStore.transaction('rw', localStore.customers, async () => {
      const current = await localStore.customers.get([branchId, row.phone]);
      if (current?.pendingSince === row.pendingSince) await localStore.customers.put({ branchId, phone: saved.phone, data: saved });
    });
    savedIds.set(saved.phone, saved.id ?? '');
  }
  if (savedIds.size > 0) attachServerIds(doc, savedIds);

  const list = await fetchCustomers(branchId, token);
  if (!list.ok) return;
  await localStore.transaction('rw', localStore.customers, async () => {
    const stillPending = new Set(
      (await localStore.customers.where('pendingSince').above(0).filter((row) => row.branchId === branchId).toArray()).map((r) => r.phone),
    );
    await localStore.customers.bulkPut(
      list.value.customers
        .filter((c) => !stillPending.has(c.phone))
        .map((c) => ({ branchId, phone: c.phone, data: fromServer(c) })),
    );
  });
}

function attachServerIds(doc: Y.Doc, idsByPhone: ReadonlyMap<string, string>): void {
  for (const order of listOrders(doc)) {
    const customer = order.customer;
    if (order.status !== 'open' || !customer || customer.id !== null) continue;
    const id = idsByPhone.get(customer.phone);
    if (id) setCustomer(doc, order.id, { ...customer, id });
  }
}
