import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { inspectUpdate } from './update-inspection';

/** Captures the update a change on a replica of `server` produces. */
function updateFrom(server: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
  const replica = new Y.Doc();
  Y.applyUpdate(replica, Y.encodeStateAsUpdate(server));
  const updates: Uint8Array[] = [];
  replica.on('update', (u: Uint8Array) => updates.push(u));
  change(replica);
  return Y.mergeUpdates(updates);
}

describe('inspectUpdate', () => {
  it('names the root of a new key, of an overwritten key and of a nested map', () => {
    const server = new Y.Doc();
    server.getMap('orders').set('o1', new Y.Map());
    server.getMap('tickets').set('t1', { status: 'pending' });
    const update = updateFrom(server, (d) => {
      (d.getMap('orders').get('o1') as Y.Map<unknown>).set('status', 'paid');
      d.getMap('tickets').set('t1', { status: 'ready' }); // overwrite: parent known only via origin
    });
    const result = inspectUpdate(server, update);
    expect([...result.roots].sort()).toEqual(['orders', 'tickets']);
    expect(result.unresolved).toBe(false);
  });

  it('names the root of a deletion', () => {
    const server = new Y.Doc();
    server.getMap('settlement').set('o1', { status: 'settled' });
    const update = updateFrom(server, (d) => d.getMap('settlement').delete('o1'));
    expect([...inspectUpdate(server, update).roots]).toEqual(['settlement']);
  });

  it('flags an update whose items it cannot place', () => {
    const a = new Y.Doc();
    const b = new Y.Doc();
    a.getArray('orders').insert(0, [1]);
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const updates: Uint8Array[] = [];
    b.on('update', (u: Uint8Array) => updates.push(u));
    b.getArray('orders').insert(1, [2]); // origin is a's item, which an empty doc has never seen
    expect(inspectUpdate(new Y.Doc(), updates[0]!).unresolved).toBe(true);
  });
});

describe('inspectUpdate ignores what the document already has', () => {
  it('does not count deletions the document already made (sync step 2 carries every deletion)', () => {
    const server = new Y.Doc();
    server.getMap('settlement').set('o1', { status: 'rejected' });
    const tablet = new Y.Doc();
    Y.applyUpdate(tablet, Y.encodeStateAsUpdate(server));
    server.getMap('settlement').set('o1', { status: 'settled' }); // overwrite = delete + insert
    Y.applyUpdate(tablet, Y.encodeStateAsUpdate(server));
    tablet.getMap('orders').set('o2', 'x');
    const step2 = Y.encodeStateAsUpdate(tablet, Y.encodeStateVector(server));
    expect([...inspectUpdate(server, step2).roots]).toEqual(['orders']);
  });

  it('does not count items it already has', () => {
    const server = new Y.Doc();
    server.getMap('settlement').set('o1', { status: 'settled' });
    expect([...inspectUpdate(server, Y.encodeStateAsUpdate(server)).roots]).toEqual([]);
  });
});

describe('inspectUpdate names the key under the root', () => {
  it('gives the order id of a nested line change and of an overwritten header field', () => {
    const server = new Y.Doc();
    const order = new Y.Map<unknown>();
    server.getMap('orders').set('order-1', order);
    order.set('status', 'open');
    order.set('lines', new Y.Map());
    const update = updateFrom(server, (d) => {
      const o = d.getMap('orders').get('order-1') as Y.Map<unknown>;
      (o.get('lines') as Y.Map<unknown>).set('line-9', { qty: 1 });
      o.set('status', 'paid');
    });
    const writes = inspectUpdate(server, update).writes;
    expect(writes.map((w) => `${w.root}/${w.key}/${w.kind}`).sort()).toEqual([
      'orders/order-1/delete', // the old status value
      'orders/order-1/insert',
      'orders/order-1/insert',
    ]);
    expect(writes.every((w) => w.value === undefined)).toBe(true); // nested values are not entries
  });

  it('gives the value written directly under a root map, also on an overwrite', () => {
    const server = new Y.Doc();
    server.getMap('tickets').set('t1', { status: 'pending', lineIds: ['a'] });
    const update = updateFrom(server, (d) => d.getMap('tickets').set('t1', { status: 'ready', lineIds: ['a'] }));
    const insert = inspectUpdate(server, update).writes.find((w) => w.kind === 'insert');
    expect(insert).toEqual({ root: 'tickets', key: 't1', kind: 'insert', isEntry: true, value: { status: 'ready', lineIds: ['a'] } });
  });
});

describe('inspectUpdate and garbage-collected content', () => {
  it('accepts a step 2 whose deleted, garbage-collected content the relay never saw', () => {
    const server = new Y.Doc();
    server.getMap('orders').set('o1', new Y.Map());
    const tablet = new Y.Doc();
    Y.applyUpdate(tablet, Y.encodeStateAsUpdate(server));
    // offline: a nested map filled and then removed, so its contents are garbage-collected
    const order = tablet.getMap('orders').get('o1') as Y.Map<unknown>;
    const lines = new Y.Map<unknown>();
    order.set('lines', lines);
    lines.set('l1', { qty: 1 });
    order.delete('lines');
    tablet.getMap('orders').set('o2', 'x');
    const step2 = Y.encodeStateAsUpdate(tablet, Y.encodeStateVector(server));
    const result = inspectUpdate(server, step2);
    expect(result.unresolved).toBe(false);
    expect([...result.roots]).toEqual(['orders']);
  });
});
