import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { decodeUpdateLight, type LightGC, type LightItem, type StructId } from './update-structs';

/** What Y.decodeUpdate says of each struct, in the light reader's terms. */
function reference(update: Uint8Array) {
  const { structs, ds } = Y.decodeUpdate(update) as unknown as {
    structs: (Y.Item | Y.GC | Y.Skip)[];
    ds: { clients: Map<number, { clock: number; len: number }[]> };
  };
  const id = (i: Y.ID | null): StructId | null => (i ? { client: i.client, clock: i.clock } : null);
  return {
    structs: structs
      .filter((s) => !(s instanceof Y.Skip))
      .map((s) =>
        s instanceof Y.GC
          ? { kind: 'gc', id: id(s.id), length: s.length }
          : {
              kind: 'item',
              id: id((s as Y.Item).id),
              length: s.length,
              origin: id((s as Y.Item).origin),
              rightOrigin: id((s as Y.Item).rightOrigin),
              parent: typeof (s as Y.Item).parent === 'string' ? (s as Y.Item).parent : id((s as Y.Item).parent as Y.ID | null),
              parentSub: (s as Y.Item).parentSub,
              value: (s as Y.Item).content instanceof Y.ContentAny ? (s as Y.Item).content.getContent()[0] : undefined,
            },
      ),
    ds: [...ds.clients].map(([client, ranges]) => [client, ranges.map((r) => ({ clock: r.clock, len: r.len }))]),
  };
}

function light(update: Uint8Array) {
  const { structs, ds } = decodeUpdateLight(update);
  return {
    structs: structs.map((s: LightItem | LightGC) =>
      s.kind === 'gc'
        ? { kind: 'gc', id: s.id, length: s.length }
        : { kind: 'item', id: s.id, length: s.length, origin: s.origin, rightOrigin: s.rightOrigin, parent: s.parent, parentSub: s.parentSub, value: s.firstValue() },
    ),
    ds: [...ds],
  };
}

const texts = ['koshari', 'كشري بالصلصة', 'emoji 🍽️🥙', '', 'a\u0301', 'x'.repeat(300), '\u{1F600}\u{1F601}'];

/** Random edits by two replicas that sync now and then: maps, nested maps, arrays, text, deletes. */
const edit = fc.record({
  replica: fc.integer({ min: 0, max: 1 }),
  op: fc.integer({ min: 0, max: 9 }),
  key: fc.constantFrom('a', 'b', 'order-1', 'طاولة'),
  text: fc.constantFrom(...texts),
  n: fc.integer({ min: -1_000_000, max: 1_000_000 }),
  at: fc.nat(),
  sync: fc.boolean(),
});

type Edit = { replica: number; op: number; key: string; text: string; n: number; at: number; sync: boolean };

function play(edits: Edit[]): Uint8Array[] {
  const docs = [new Y.Doc({ gc: true }), new Y.Doc({ gc: true })];
  const updates: Uint8Array[] = [];
  docs[0]!.on('update', (u: Uint8Array) => updates.push(u));
  docs[1]!.on('update', (u: Uint8Array) => updates.push(u));
  for (const e of edits) {
    const doc = docs[e.replica]!;
    const orders = doc.getMap<unknown>('orders');
    const list = doc.getArray<unknown>('list');
    const text = doc.getText('note');
    switch (e.op) {
      case 0:
        orders.set(e.key, { id: e.key, name: e.text, qty: e.n, price: e.n / 7, flags: [true, false, null], big: BigInt(e.n) });
        break;
      case 1: {
        const line = new Y.Map<unknown>();
        orders.set(e.key, line);
        line.set('note', e.text);
        line.set('qty', e.n);
        break;
      }
      case 2: {
        const nested = orders.get(e.key);
        if (nested instanceof Y.Map) nested.set('qty', e.n);
        else orders.delete(e.key);
        break;
      }
      case 3:
        list.insert(Math.min(e.at, list.length), [e.text, e.n, { at: e.at }]);
        break;
      case 4:
        if (list.length > 0) list.delete(e.at % list.length, 1);
        break;
      case 5:
        text.insert(Math.min(e.at, text.length), e.text);
        break;
      case 6:
        if (text.length > 0) text.delete(e.at % text.length, Math.min(3, text.length - (e.at % text.length)));
        break;
      case 7:
        text.format(0, Math.min(2, text.length), { bold: true });
        break;
      case 8:
        doc.getMap<unknown>('bin').set(e.key, new Uint8Array([e.at % 256, 1, 2]));
        break;
      default:
        doc.getXmlFragment('xml').insert(0, [new Y.XmlElement('p'), new Y.XmlText(e.text)]);
    }
    if (e.sync) {
      Y.applyUpdate(docs[1 - e.replica]!, Y.encodeStateAsUpdate(doc, Y.encodeStateVector(docs[1 - e.replica]!)));
    }
  }
  // Whole states (with garbage-collected deletions), merges (with gaps) and diffs, as a relay sees them.
  updates.push(Y.encodeStateAsUpdate(docs[0]!), Y.encodeStateAsUpdate(docs[1]!));
  if (updates.length > 3) updates.push(Y.mergeUpdates([updates[0]!, updates[updates.length - 3]!]));
  updates.push(Y.encodeStateAsUpdate(docs[0]!, Y.encodeStateVector(docs[1]!)));
  return updates;
}

describe('decodeUpdateLight', () => {
  it('[SYNC-18] reads every struct, neighbour, parent, length, entry value and deletion as Y.decodeUpdate does', () => {
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 40 }), (edits) => {
        for (const update of play(edits)) expect(light(update)).toEqual(reference(update));
      }),
      { numRuns: 150 },
    );
  });

  it('[SYNC-18] throws on bytes that are not an update, as the relay refuses them', () => {
    expect(() => decodeUpdateLight(new Uint8Array([5, 1, 2]))).toThrow();
    expect(() => decodeUpdateLight(new Uint8Array([1, 1, 7, 0, 40]))).toThrow();
    const doc = new Y.Doc();
    doc.getMap('orders').set('a', { name: 'kofta' });
    const update = Y.encodeStateAsUpdate(doc);
    expect(() => decodeUpdateLight(update.slice(0, update.length - 3))).toThrow();
  });
});
