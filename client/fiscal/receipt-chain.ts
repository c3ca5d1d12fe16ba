/**
 * The paying device's ETA receipt chain, kept in its own Dexie database so it survives reloads
 * and offline stretches (FIS-51). Every receipt the device issues names the uuid of the one
 * before (`previousUUID`), so the chain must never fork, even with the app open in two tabs:
 *
 *   1. issuing runs under a Web Lock per serial (`navigator.locks`), shared by every tab of the
 *      origin, so tabs take turns;
 *   2. the receipt is stored in a Dexie transaction that first re-reads the chain's tip and gives
 *      up if it moved (compare-and-set) — the guard that holds where Web Locks are missing;
 *   3. the receipts table has a unique index on [serial+previousUUID] and on orderId, so a fork
 *      or a second receipt for one order cannot even be written.
 * The receipt is built (hashed with WebCrypto) between the tip read and the transaction, because
 * an IndexedDB transaction closes when it awaits anything that is not IndexedDB.
 *
 * Rows are parsed with zod on the way out: IndexedDB outlives app versions.
 */
import Dexie, { type EntityTable } from 'dexie';
import { z } from 'zod';
import { fiscalReceiptEntrySchema, posFiscalProfileSchema, type FiscalReceiptEntry, type PosFiscalProfile } from '../../shared/eta/receipt-entry';
import { issueSaleReceipt, type ChainPosition, type IssuedReceipt } from '../../shared/eta/receipt-issue';
import type { TaxSettings } from '../../shared/schemas/catalog';
import type { Order } from '../../shared/schemas/order';

interface ProfileRow {
  deviceId: string;
  data: unknown;
}
interface ChainRow {
  serial: string;
  previousUUID: string;
  nextSequence: number;
}
export interface ReceiptRow extends FiscalReceiptEntry {
  sequence: number;
}

const chainRowSchema = z.object({ serial: z.string(), previousUUID: z.string(), nextSequence: z.number().int().positive() });
const receiptRowSchema = fiscalReceiptEntrySchema.extend({ sequence: z.number().int().positive() });

export type FiscalDexie = Dexie & {
  profile: EntityTable<ProfileRow, 'deviceId'>;
  chain: EntityTable<ChainRow, 'serial'>;
  receipts: EntityTable<ReceiptRow, 'uuid'>;
};

export const FISCAL_DB_NAME = 'restoflow-fiscal';

/** Opens the fiscal store (a name of its own, so its schema versions never collide with others'). */
export function openFiscalStore(name = FISCAL_DB_NAME, options?: ConstructorParameters<typeof Dexie>[1]): FiscalDexie {
  const db = new Dexie(name, options) as FiscalDexie;
  db.version(1).stores({
    profile: 'deviceId',
    chain: 'serial',
    receipts: 'uuid, &orderId, &[serial+previousUUID], [serial+sequence]',
  });
  return db;
}

export async function readProfile(db: FiscalDexie, deviceId: string): Promise<PosFiscalProfile | null> {
  const row = await db.profile.get(deviceId);
  const parsed = posFiscalProfileSchema.safeParse(row?.data);
  return parsed.success && parsed.data.deviceId === deviceId ? parsed.data : null;
}

export async function saveProfile(db: FiscalDexie, profile: PosFiscalProfile): Promise<void> {
  await db.profile.put({ deviceId: profile.deviceId, data: posFiscalProfileSchema.parse(profile) });
}

async function readTip(db: FiscalDexie, serial: string): Promise<ChainPosition> {
  const parsed = chainRowSchema.safeParse(await db.chain.get(serial));
  return parsed.success ? { previousUUID: parsed.data.previousUUID, nextSequence: parsed.data.nextSequence } : { previousUUID: '', nextSequence: 1 };
}

export async function receiptForOrder(db: FiscalDexie, orderId: string): Promise<FiscalReceiptEntry | null> {
  const parsed = receiptRowSchema.safeParse(await db.receipts.where('orderId').equals(orderId).first());
  if (!parsed.success) return null;
  const { sequence: _sequence, ...entry } = parsed.data;
  return entry;
}

/** The device's receipts in issue order. */
export async function listReceipts(db: FiscalDexie, serial: string): Promise<ReceiptRow[]> {
  const rows = await db.receipts.where('[serial+sequence]').between([serial, Dexie.minKey], [serial, Dexie.maxKey]).toArray();
  return rows.flatMap((r) => {
    const parsed = receiptRowSchema.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

class ChainMoved extends Error {}

/** Runs `work` holding the chain's Web Lock (all tabs of this origin), or directly where there is none. */
function withChainLock<T>(serial: string, work: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return work();
  // lib.dom types the answer as Promise<Promise<T>>; the lock resolves with work's awaited value.
  return locks.request(`restoflow-fiscal-chain:${serial}`, { mode: 'exclusive' }, work) as Promise<T>;
}

export type IssueOutcome = { ok: true; entry: FiscalReceiptEntry; isNew: boolean } | Extract<IssuedReceipt, { ok: false }>;

/**
 * The receipt of a paid order: the one already issued for it, or the next of the chain. Never two
 * for one order, never two with the same previousUUID (see the header).
 */
export async function issueReceipt(
  db: FiscalDexie,
  order: Order,
  tax: TaxSettings,
  profile: PosFiscalProfile,
  now: () => number = Date.now,
): Promise<IssueOutcome> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await withChainLock(profile.serial, async (): Promise<IssueOutcome> => {
        const existing = await receiptForOrder(db, order.id);
        if (existing) return { ok: true, entry: existing, isNew: false };
        const tip = await readTip(db, profile.serial);
        const issued = await issueSaleReceipt(order, tax, profile, tip, now());
        if (!issued.ok) return issued;
        return db.transaction('rw', db.chain, db.receipts, async (): Promise<IssueOutcome> => {
          const again = await readTip(db, profile.serial);
          if (again.previousUUID !== tip.previousUUID || again.nextSequence !== tip.nextSequence) throw new ChainMoved();
          const raced = await receiptForOrder(db, order.id);
          if (raced) return { ok: true, entry: raced, isNew: false };
          await db.receipts.add({ ...issued.entry, sequence: tip.nextSequence });
          await db.chain.put({ serial: profile.serial, previousUUID: issued.entry.uuid, nextSequence: tip.nextSequence + 1 });
          return { ok: true, entry: issued.entry, isNew: true };
        });
      });
    } catch (error) {
      // Another tab issued in between (no Web Locks here): build again on the new tip.
      const isRace = error instanceof ChainMoved || error instanceof Dexie.ConstraintError;
      if (!isRace || attempt >= 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * Math.min(attempt + 1, 5)));
    }
  }
}
