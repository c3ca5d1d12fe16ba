import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createMemoryDocumentStore } from '../db/document-store';
import { compactStoredLog } from './compaction';

const docOf = (updates: readonly Uint8Array[]) => {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc;
};

/** A relay's in-memory document whose every change is also stored as one row. */
async function storedReplica(store: ReturnType<typeof createMemoryDocumentStore>, room: string) {
  const doc = new Y.Doc();
  const writes: Promise<void>[] = [];
  doc.on('update', (u: Uint8Array) => writes.push(store.append(room, [u])));
  return { doc, stored: () => Promise.all(writes) };
}

describe('compacting a stored log (ROT-07)', () => {
  it('[ROT-07] uses the in-memory document when it holds every row read', async () => {
    const store = createMemoryDocumentStore();
    const { doc, stored } = await storedReplica(store, 'branch.a');
    for (let i = 0; i < 10; i++) doc.getMap('orders').set(`k${i}`, i);
    await stored();
    const outcome = await compactStoredLog(store, 'branch.a', () => doc);
    expect(outcome).toMatchObject({ rows: 10, fromMemory: true });
    expect(docOf(await store.load('branch.a')).getMap('orders').toJSON()).toEqual(doc.getMap('orders').toJSON());
  });

  it('[ROT-07] rebuilds from the rows when another relay stored a change this one has not applied', async () => {
    const store = createMemoryDocumentStore();
    const { doc, stored } = await storedReplica(store, 'branch.b');
    for (let i = 0; i < 5; i++) doc.getMap('orders').set(`k${i}`, i);
    await stored();
    const other = docOf(await store.load('branch.b'));
    other.on('update', (u: Uint8Array) => void store.append('branch.b', [u]));
    other.getMap('orders').set('fromOtherRelay', true);
    await new Promise((r) => setImmediate(r));
    const outcome = await compactStoredLog(store, 'branch.b', () => doc);
    expect(outcome).toMatchObject({ rows: 6, fromMemory: false });
    expect(docOf(await store.load('branch.b')).getMap('orders').get('fromOtherRelay')).toBe(true);
  });

  it('[ROT-07] rebuilds from the rows when another relay stored only a deletion', async () => {
    const store = createMemoryDocumentStore();
    const { doc, stored } = await storedReplica(store, 'branch.c');
    for (let i = 0; i < 5; i++) doc.getMap('orders').set(`k${i}`, i);
    await stored();
    const other = docOf(await store.load('branch.c'));
    other.on('update', (u: Uint8Array) => void store.append('branch.c', [u]));
    other.getMap('orders').delete('k0'); // no new struct: only the delete set says so
    await new Promise((r) => setImmediate(r));
    const outcome = await compactStoredLog(store, 'branch.c', () => doc);
    expect(outcome.fromMemory).toBe(false);
    expect(docOf(await store.load('branch.c')).getMap('orders').has('k0')).toBe(false);
  });

  it('[ROT-07] without a usable in-memory document (a retired generation), rebuilds; one row is left alone', async () => {
    const store = createMemoryDocumentStore();
    const { doc, stored } = await storedReplica(store, 'branch.d');
    for (let i = 0; i < 3; i++) doc.getMap('orders').set(`k${i}`, i);
    await stored();
    expect(await compactStoredLog(store, 'branch.d', () => null)).toMatchObject({ rows: 3, fromMemory: false });
    expect(await compactStoredLog(store, 'branch.d', () => doc)).toMatchObject({ rows: 0 });
    expect(await store.load('branch.d')).toHaveLength(1);
  });

  it('[ROT-07] rows known as its own are not checked again, but another relay\'s later row still is', async () => {
    const store = createMemoryDocumentStore();
    const { doc, stored } = await storedReplica(store, 'branch.e');
    for (let i = 0; i < 4; i++) doc.getMap('orders').set(`k${i}`, i);
    await stored();
    const first = await compactStoredLog(store, 'branch.e', () => doc);
    expect(first).toMatchObject({ rows: 4, fromMemory: true });
    doc.getMap('orders').set('mine', 1);
    await stored();
    const other = docOf(await store.load('branch.e'));
    other.on('update', (u: Uint8Array) => void store.append('branch.e', [u]));
    other.getMap('orders').delete('k1');
    await new Promise((r) => setImmediate(r));
    const own = Buffer.from(first.merged!);
    const second = await compactStoredLog(store, 'branch.e', () => doc, (row) => own.equals(row));
    expect(second).toMatchObject({ rows: 3, fromMemory: false });
    const after = docOf(await store.load('branch.e')).getMap('orders').toJSON();
    expect(after).toEqual({ k0: 0, k2: 2, k3: 3, mine: 1 });
  });
});
