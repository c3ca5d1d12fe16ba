import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import type { PosFiscalProfile } from '../../shared/eta/receipt-entry';
import { computeReceiptUuidFromText } from '../../shared/eta/uuid';
import { SAMPLE_TAX, samplePaidOrder, sampleSeller } from '../../server/fiscal/sample-receipts';
import { issueReceipt, listReceipts, openFiscalStore, readProfile, saveProfile } from './receipt-chain';

const SERIAL = 'RF-CAIRO-POS-01';
const profile: PosFiscalProfile = {
  deviceId: 'pos-abc', branchId: 'cairo', serial: SERIAL, seller: sampleSeller('123456789', SERIAL), portalUrl: 'https://invoicing.eta.gov.eg',
};
let dbCount = 0;
/** Two "tabs": two Dexie connections to one IndexedDB database (no Web Locks in Node). */
const tabs = () => {
  const name = `fiscal-test-${++dbCount}`;
  const open = () => openFiscalStore(name, { indexedDB, IDBKeyRange });
  return [open(), open()] as const;
};

describe('receipt chain (Dexie)', () => {
  it('[FIS-51] two tabs issuing at once never fork: every receipt names the one before, numbers follow', async () => {
    const [a, b] = tabs();
    const orders = Array.from({ length: 12 }, (_, i) => samplePaidOrder([5_000 + i * 100], Date.now()));
    const results = await Promise.all(orders.map((o, i) => issueReceipt(i % 2 ? a : b, o, SAMPLE_TAX, profile)));
    expect(results.every((r) => r.ok && r.isNew)).toBe(true);
    const chain = await listReceipts(a, SERIAL);
    expect(chain).toHaveLength(12);
    expect(new Set(chain.map((r) => r.previousUUID)).size).toBe(12);
    chain.forEach((r, i) => {
      expect(r.sequence).toBe(i + 1);
      expect(r.previousUUID).toBe(i === 0 ? '' : chain[i - 1]!.uuid);
      expect(r.receiptNumber).toBe(`${SERIAL}-${String(i + 1).padStart(6, '0')}`);
    });
    for (const r of chain) expect(await computeReceiptUuidFromText(r.document)).toBe(r.uuid);
  });

  it('[FIS-51] an order gets one receipt, whichever tab asks and however often', async () => {
    const [a, b] = tabs();
    const order = samplePaidOrder([10_000], Date.now());
    const [first, second, third] = await Promise.all([issueReceipt(a, order, SAMPLE_TAX, profile), issueReceipt(b, order, SAMPLE_TAX, profile), issueReceipt(a, order, SAMPLE_TAX, profile)]);
    const uuids = [first, second, third].map((r) => (r.ok ? r.entry.uuid : null));
    expect(new Set(uuids).size).toBe(1);
    expect((await listReceipts(b, SERIAL)).length).toBe(1);
  });

  it('[FIS-51] the chain and the profile survive a reload (a new connection continues the chain)', async () => {
    const [a] = tabs();
    await saveProfile(a, profile);
    const first = await issueReceipt(a, samplePaidOrder([10_000], Date.now()), SAMPLE_TAX, profile);
    a.close();
    const [, reopened] = [a, openFiscalStore(a.name, { indexedDB, IDBKeyRange })];
    expect(await readProfile(reopened, profile.deviceId)).toEqual(profile);
    const next = await issueReceipt(reopened, samplePaidOrder([20_000], Date.now()), SAMPLE_TAX, profile);
    expect(first.ok && next.ok && next.entry.previousUUID === first.entry.uuid).toBe(true);
  });

  it('[FIS-51] a receipt the builder refuses is not stored and does not move the chain', async () => {
    const [a] = tabs();
    const unpaid = { ...samplePaidOrder([10_000], Date.now()), status: 'open' as const };
    const result = await issueReceipt(a, unpaid, SAMPLE_TAX, profile);
    expect(result.ok).toBe(false);
    expect(await listReceipts(a, SERIAL)).toHaveLength(0);
  });
});
