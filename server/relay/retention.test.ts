import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { ordersRoot } from '../../shared/live-doc';
import { ROTATION_ROOT } from '../../shared/live-doc-carry-over';
import { createMemoryDocumentStore } from '../db/document-store';
import { createRetention, isPrunedGeneration } from './retention';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A generation as stored: its rotation record and some orders (empty maps are enough here). */
function generation(record: Record<string, unknown>, orderIds: string[]) {
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const [k, v] of Object.entries(record)) doc.getMap(ROTATION_ROOT).set(k, v);
    for (const id of orderIds) ordersRoot(doc).set(id, new Y.Map() as never);
  });
  return doc;
}

describe('retention of retired generations', () => {
  const setup = async (currentOrders: string[], retiredAt = 0) => {
    const store = createMemoryDocumentStore();
    const g1 = generation({ generation: 1, previous: null, next: 'branch.cairo.g2', startedAt: 0, retiredAt }, ['settled-or-lost', 'carried']);
    await store.append('branch.cairo', [Y.encodeStateAsUpdate(g1)]);
    const g2 = generation({ generation: 2, previous: 'branch.cairo', startedAt: retiredAt }, currentOrders);
    await store.append('branch.cairo.g2', [Y.encodeStateAsUpdate(g2)]);
    return { store, g2 };
  };
  const tombstoned = async (store: ReturnType<typeof createMemoryDocumentStore>, room: string) => {
    const doc = new Y.Doc();
    for (const u of await store.load(room)) Y.applyUpdate(doc, u);
    return isPrunedGeneration(doc);
  };

  it('[ROT-09] keeps a retired generation with an open order its successor does not have', async () => {
    const { store, g2 } = await setup(['carried']);
    const retention = createRetention({ store, log: () => undefined });
    expect(await retention.sweep({ name: 'branch.cairo.g2', doc: g2 }, { now: 8 * DAY_MS, retainDays: 7, isInUse: () => false })).toEqual([]);
    expect(await tombstoned(store, 'branch.cairo')).toBe(false);
  });

  it('[ROT-09] keeps one retired less than the retention period ago, or in use', async () => {
    const { store, g2 } = await setup(['carried', 'settled-or-lost'], DAY_MS);
    const retention = createRetention({ store, log: () => undefined });
    const current = { name: 'branch.cairo.g2', doc: g2 };
    expect(await retention.sweep(current, { now: 7 * DAY_MS, retainDays: 7, isInUse: () => false })).toEqual([]);
    expect(await retention.sweep(current, { now: 9 * DAY_MS, retainDays: 7, isInUse: (room) => room === 'branch.cairo' })).toEqual([]);
    expect(await tombstoned(store, 'branch.cairo')).toBe(false);
    // Old enough and free: pruned, once.
    expect(await retention.sweep(current, { now: 9 * DAY_MS, retainDays: 7, isInUse: () => false })).toEqual(['branch.cairo']);
    expect(await retention.sweep(current, { now: 10 * DAY_MS, retainDays: 7, isInUse: () => false })).toEqual([]);
    expect(await store.load('branch.cairo')).toHaveLength(1);
    expect(await tombstoned(store, 'branch.cairo')).toBe(true);
    // The current generation is never touched.
    expect(await tombstoned(store, 'branch.cairo.g2')).toBe(false);
    expect(ordersRoot(g2).size).toBe(2);
  });

  it('[ROT-09] a generation with no successor pointer is never pruned', async () => {
    const store = createMemoryDocumentStore();
    const lone = generation({ generation: 1, previous: null, startedAt: 0 }, ['a']);
    await store.append('branch.cairo', [Y.encodeStateAsUpdate(lone)]);
    const g2 = generation({ generation: 2, previous: 'branch.cairo', startedAt: 0 }, []);
    const retention = createRetention({ store, log: () => undefined });
    expect(await retention.sweep({ name: 'branch.cairo.g2', doc: g2 }, { now: 30 * DAY_MS, retainDays: 7, isInUse: () => false })).toEqual([]);
    expect(await tombstoned(store, 'branch.cairo')).toBe(false);
  });
});
