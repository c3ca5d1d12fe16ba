/**
 * Which root types of the live document an incoming Yjs update would change — worked out from
 * the update's bytes and the current document, *before* anything is applied, so a refused
 * change never touches the document, the database or another device.
 *
 * An inserted item names its parent directly (a root's name or the id of the item holding the
 * parent type) or, when it has neighbours, only through its origin/right origin, whose parent is
 * the same. A deletion names item ids, which we look up in the document. Anything we cannot
 * place (an id neither in the update nor in the document) is reported as `unresolved`, and the
 * caller refuses it: a well-behaved client never sends such an update to a relay that has
 * served it the document.
 *
 * Only what is *new* to the document counts. Yjs sends the whole delete set with every sync
 * step 2, and an update may repeat items the document already has; those change nothing, so a
 * tablet re-syncing after the server deleted something in its own map is not refused for it.
 */
import * as Y from 'yjs';

/** One change an update makes: under which root, under which top-level key of that root. */
export interface Write {
  root: string;
  /** The key under the root map (the order id, ticket id…); null for non-map roots. */
  key: string | null;
  kind: 'insert' | 'delete';
  /** For an insert directly under a root map: the JSON value written (else undefined). */
  value?: unknown;
}

export interface UpdateInspection {
  roots: Set<string>;
  writes: Write[];
  unresolved: boolean;
}

type Struct = Y.Item | Y.GC | Y.Skip;
interface Place {
  root: string;
  key: string | null;
}

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  const { structs, ds } = Y.decodeUpdate(update) as {
    structs: Struct[];
    ds: { clients: Map<number, { clock: number; len: number }[]> };
  };
  const byClient = new Map<number, Y.Item[]>();
  for (const s of structs) {
    if (!(s instanceof Y.Item)) continue;
    const list = byClient.get(s.id.client) ?? [];
    list.push(s);
    byClient.set(s.id.client, list);
  }
  const writes: Write[] = [];
  let unresolved = false;
  const memo = new Map<Y.Item, Place | null>();

  const findInUpdate = (id: Y.ID): Y.Item | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    for (const item of list) if (id.clock >= item.id.clock && id.clock < item.id.clock + item.length) return item;
    return null;
  };
  const findInDoc = (id: Y.ID): Y.Item | null => {
    try {
      const found = Y.getItem(doc.store, id);
      return found instanceof Y.Item ? found : null;
    } catch {
      return null; // not in the document (yet)
    }
  };
  const placeOfId = (id: Y.ID, depth: number): Place | null => {
    const item = findInUpdate(id) ?? findInDoc(id);
    return item ? placeOf(item, depth + 1) : null;
  };
  /** Root and top-level key of an item, from the document or from the update itself. */
  const placeOf = (item: Y.Item, depth: number): Place | null => {
    if (depth > 10_000) return null;
    if (memo.has(item)) return memo.get(item) ?? null;
    const parent: unknown = item.parent;
    const neighbour = item.origin ?? item.rightOrigin;
    let place: Place | null = null;
    if (typeof parent === 'string') {
      // Directly under a root. A map entry names its key unless a neighbour (same key) does.
      const key = item.parentSub ?? (neighbour ? (placeOfId(neighbour, depth)?.key ?? null) : null);
      place = { root: parent, key };
    } else if (parent instanceof Y.AbstractType) {
      if (parent._item === null) {
        try {
          place = { root: Y.findRootTypeKey(parent), key: item.parentSub };
        } catch {
          place = null;
        }
      } else {
        place = placeOf(parent._item, depth + 1); // nested: the place of the item holding the type
      }
    } else if (parent instanceof Y.ID) {
      place = placeOfId(parent, depth);
    } else if (neighbour) {
      place = placeOfId(neighbour, depth); // parent left out of the encoding: same as the neighbour's
    }
    memo.set(item, place);
    return place;
  };
  /** Whether the item sits directly in a root map (its value is then a whole entry). */
  const isUnderRoot = (item: Y.Item, depth: number): boolean => {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') return true;
    if (parent instanceof Y.AbstractType) return parent._item === null;
    if (parent instanceof Y.ID || depth > 10_000) return false;
    const neighbour = item.origin ?? item.rightOrigin;
    const n = neighbour ? (findInUpdate(neighbour) ?? findInDoc(neighbour)) : null;
    return n !== null && isUnderRoot(n, depth + 1);
  };

  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, list] of byClient) {
    const knownClock = known.get(client) ?? 0;
    for (const item of list) {
      if (item.id.clock + item.length <= knownClock) continue; // already integrated: a no-op
      const place = placeOf(item, 0);
      if (place === null) {
        unresolved = true;
        continue;
      }
      const write: Write = { root: place.root, key: place.key, kind: 'insert' };
      if (item.content instanceof Y.ContentAny && isUnderRoot(item, 0)) {
        write.value = item.content.getContent()[0];
      }
      writes.push(write);
    }
  }

  for (const [client, deletes] of ds.clients) {
    for (const del of deletes) {
      // A deleted range can span several items; visit each of them.
      let clock = del.clock;
      const end = del.clock + del.len;
      while (clock < end) {
        const id = Y.createID(client, clock);
        const inDoc = findInDoc(id);
        const item = inDoc ?? findInUpdate(id);
        if (!item) {
          unresolved = true;
          break;
        }
        if (inDoc?.deleted) {
          clock = inDoc.id.clock + inDoc.length; // already deleted here: a no-op
          continue;
        }
        const place = placeOf(item, 0);
        if (place === null) unresolved = true;
        else writes.push({ root: place.root, key: place.key, kind: 'delete' });
        clock = item.id.clock + item.length;
      }
    }
  }
  return { roots: new Set(writes.map((w) => w.root)), writes, unresolved };
}
