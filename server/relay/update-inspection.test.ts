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
