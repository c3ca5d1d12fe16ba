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
 * Deleted content that was garbage-collected (GC structs, in the update or the document) changes
 * no root: it is skipped, not counted as unplaceable.
 *
 * Only what is *new* to the document counts. Yjs sends the whole delete set with every sync
 * step 2, and an update may repeat items the document already has; those change nothing, so a
 * tablet re-syncing after the server deleted something in its own map is not refused for it.
 */
import * as Y from 'yjs';
import { CONTENT_ANY, decodeUpdateLight, type LightGC, type LightItem, type StructId } from './update-structs';

/** One change an update makes: under which root, under which top-level key of that root. */
export interface Write {
  root: string;
  /** The key under the root map (the order id, ticket id…); null for non-map roots. */
  key: string | null;
  kind: 'insert' | 'delete';
  /** For an insert directly under a root map: the JSON value written (else undefined). */
  value?: unknown;
  /** True for an insert directly under a root map (a whole entry: plain value or shared type). */
  isEntry?: boolean;
}

export interface UpdateInspection {
  roots: Set<string>;
  writes: Write[];
  unresolved: boolean;
}

/** A struct of the update (light-read, update-structs.ts) or of the document (a Yjs item). */
type UpdateStruct = LightItem | LightGC;
type AnyStruct = UpdateStruct | Y.Item | Y.GC;
interface Place {
  root: string;
  key: string | null;
}
/** The place of anything inside garbage-collected (deleted) content: it changes nothing. */
const GARBAGE: Place = { root: '', key: null };

const isGC = (s: AnyStruct): boolean => s instanceof Y.GC || (s as UpdateStruct).kind === 'gc';
const isLightItem = (s: AnyStruct): s is LightItem => (s as UpdateStruct).kind === 'item';

export function inspectUpdate(doc: Y.Doc, update: Uint8Array): UpdateInspection {
  // Read without decoding content (Y.applyUpdate decodes it anyway, once the update is accepted).
  const { structs, ds } = decodeUpdateLight(update);
  // Items and GC structs of the update, per client.
  const byClient = new Map<number, UpdateStruct[]>();
  for (const s of structs) {
    const list = byClient.get(s.id.client) ?? [];
    list.push(s);
    byClient.set(s.id.client, list);
  }
  const writes: Write[] = [];
  let unresolved = false;
  const memo = new Map<AnyStruct, Place | null>();

  const findInUpdate = (id: StructId): UpdateStruct | null => {
    const list = byClient.get(id.client);
    if (!list) return null;
    for (const struct of list) if (id.clock >= struct.id.clock && id.clock < struct.id.clock + struct.length) return struct;
    return null;
  };
  const findInDoc = (id: StructId): Y.Item | Y.GC | null => {
    try {
      const found = Y.getItem(doc.store, Y.createID(id.client, id.clock)) as unknown;
      return found instanceof Y.Item || found instanceof Y.GC ? found : null;
    } catch {
      return null; // not in the document (yet)
    }
  };
  const placeOfId = (id: StructId, depth: number): Place | null => {
    const struct = findInUpdate(id) ?? findInDoc(id);
    if (struct === null) return null;
    if (isGC(struct)) return GARBAGE;
    return placeOf(struct as LightItem | Y.Item, depth + 1);
  };
  /** Root and top-level key of an item, from the document or from the update itself. */
  const placeOf = (item: LightItem | Y.Item, depth: number): Place | null => {
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
    } else if (parent !== null && typeof parent === 'object') {
      place = placeOfId(parent as StructId, depth); // the id of the item holding the parent type
    } else if (neighbour) {
      place = placeOfId(neighbour, depth); // parent left out of the encoding: same as the neighbour's
    }
    memo.set(item, place);
    return place;
  };
  /** Whether the item sits directly in a root map (its value is then a whole entry). */
  const isUnderRoot = (item: LightItem | Y.Item, depth: number): boolean => {
    const parent: unknown = item.parent;
    if (typeof parent === 'string') return true;
    if (parent instanceof Y.AbstractType) return parent._item === null;
    if ((parent !== null && typeof parent === 'object') || depth > 10_000) return false;
    const neighbour = item.origin ?? item.rightOrigin;
    const n = neighbour ? (findInUpdate(neighbour) ?? findInDoc(neighbour)) : null;
    return n !== null && !isGC(n) && isUnderRoot(n as LightItem | Y.Item, depth + 1);
  };

  for (const [client, list] of byClient) {
    // Per client, not the whole state vector: encoding and decoding the document's state vector
    // for every update cost the relay more than the rest of this inspection (issue 3, point 6).
    const knownClock = Y.getState(doc.store, client);
    for (const item of list) {
      if (!isLightItem(item)) continue; // GC: deleted content, changes nothing
      if (item.id.clock + item.length <= knownClock) continue; // already integrated: a no-op
      const place = placeOf(item, 0);
      if (place === null) {
        unresolved = true;
        continue;
      }
      if (place === GARBAGE) continue; // inside deleted content
      const write: Write = { root: place.root, key: place.key, kind: 'insert' };
      if (isUnderRoot(item, 0)) {
        write.isEntry = true;
        if (item.contentRef === CONTENT_ANY) write.value = item.firstValue();
      }
      writes.push(write);
    }
  }

  for (const [client, deletes] of ds) {
    for (const del of deletes) {
      // A deleted range can span several items; visit each of them.
      let clock = del.clock;
      const end = del.clock + del.len;
      while (clock < end) {
        const id = { client, clock };
        const inDoc = findInDoc(id);
        const struct: AnyStruct | null = inDoc ?? findInUpdate(id);
        if (!struct) {
          unresolved = true;
          break;
        }
        clock = struct.id.clock + struct.length;
        // Already deleted here, or garbage-collected content: deleting it again changes nothing.
        if (isGC(struct) || (inDoc instanceof Y.Item && inDoc.deleted)) continue;
        const place = placeOf(struct as LightItem | Y.Item, 0);
        if (place === null) unresolved = true;
        else if (place !== GARBAGE) writes.push({ root: place.root, key: place.key, kind: 'delete' });
      }
    }
  }
  return { roots: new Set(writes.map((w) => w.root)), writes, unresolved };
}
