import Dexie, { type EntityTable, type Table } from 'dexie';
import { z } from 'zod';
import { catalogSchema, type Catalog } from '../../shared/schemas/catalog';
import { deviceCredentialsSchema, type DeviceCredentials } from '../../shared/schemas/auth';

/**
 * The device's own local store (Dexie over IndexedDB), beside y-indexeddb which holds the live
 * branch document. It keeps what a tablet needs to start with no network: who it is (the paired
 * device credentials), the branch's reference data, and which of its own edits the server has
 * not yet confirmed as stored. Everything read back is parsed with zod: IndexedDB outlives app
 * versions, so a row may have been written by older code.
 */

/** The device table holds at most one row, under this key. */
const DEVICE_SLOT = 'this-device';

interface DeviceRow {
  slot: string;
  credentials: unknown;
}

interface CatalogRow {
  branchId: string;
  version: number;
  data: unknown;
}

/**
 * A local transaction not yet confirmed persisted: the device's Yjs client id and its state
 * vector clock right after the transaction. `room` is there so a device re-paired to another
 * branch does not count the old branch's edits forever.
 */
export interface PendingRow {
  id?: number;
  room: string;
  clientId: number;
  clock: number;
}

export const pendingRowSchema = z.object({
  id: z.number().int(),
  room: z.string(),
  clientId: z.number().int().nonnegative(),
  clock: z.number().int().nonnegative(),
});

/**
 * A customer of the branch cached for offline lookup by phone (`client/sync/customer-cache.ts`).
 * `pendingSince` is set on a customer typed on this tablet and not yet saved on the server; it is
 * left out (not indexed) once saved, so the index lists exactly the customers still to send.
 */
export interface CustomerRow {
  branchId: string;
  phone: string;
  data: unknown;
  pendingSince?: number;
}

// Dexie's documented way to type a database's tables without declaring a subclass.
const db = new Dexie('restoflow') as Dexie & {
  device: EntityTable<DeviceRow, 'slot'>;
  catalog: EntityTable<CatalogRow, 'branchId'>;
  pending: EntityTable<PendingRow, 'id'>;
  customers: Table<CustomerRow, [string, string]>;
};

db.version(1).stores({
  device: 'slot',
  catalog: 'branchId',
  pending: '++id, room',
});

// Additive: version 2 adds the customer cache; the tables above are unchanged.
db.version(2).stores({
  customers: '[branchId+phone], branchId, pendingSince',
});

export const localStore = db;

export async function readDevice(): Promise<DeviceCredentials | null> {
  const row = await db.device.get(DEVICE_SLOT);
  if (!row) return null;
  const parsed = deviceCredentialsSchema.safeParse(row.credentials);
  return parsed.success ? parsed.data : null;
}

export async function saveDevice(credentials: DeviceCredentials): Promise<void> {
  await db.device.put({ slot: DEVICE_SLOT, credentials: deviceCredentialsSchema.parse(credentials) });
}

export async function forgetDevice(): Promise<void> {
  await db.device.delete(DEVICE_SLOT);
}

export async function readCachedCatalog(branchId: string): Promise<Catalog | null> {
  const row = await db.catalog.get(branchId);
  if (!row) return null;
  const parsed = catalogSchema.safeParse(row.data);
  return parsed.success && parsed.data.branch.id === branchId ? parsed.data : null;
}

export async function saveCatalog(catalog: Catalog): Promise<void> {
  await db.catalog.put({ branchId: catalog.branch.id, version: catalog.version, data: catalog });
}

/**
 * Browsers may evict IndexedDB under storage pressure unless the site is granted persistent
 * storage, and an evicted tablet loses unsynced orders (the Odoo lesson). Asked once at start;
 * the answer does not block anything.
 */
export function requestPersistentStorage(): void {
  const storage = navigator.storage;
  if (!storage || typeof storage.persist !== 'function') return;
  void storage
    .persisted()
    .then((isPersisted) => (isPersisted ? true : storage.persist()))
    .catch(() => false);
}
