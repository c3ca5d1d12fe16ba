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

export interface UpdateInspection {
  roots: Set<string>;
  unresolved: boolean;
}

type Struct = Y.Item | Y.GC | Y.Skip;

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
  const roots = new Set<string>();
  let unresolved = false;
  const memo = new Map<Y.Item, string | null>();

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
  const rootOfType = (type: Y.AbstractType<unknown>): string | null => {
    let t: Y.AbstractType<unknown> = type;
    while (t._item !== null) {
      const parent = t._item.parent;
      if (!(parent instanceof Y.AbstractType)) return null;
      t = parent;
    }
    try {
      return Y.findRootTypeKey(t);
    } catch {
      return null;
    }
  };
  const rootOfId = (id: Y.ID, depth: number): string | null => {
    const item = findInUpdate(id) ?? findInDoc(id);
    return item ? rootOfItem(item, depth + 1) : null;
  };
  const rootOfItem = (item: Y.Item, depth: number): string | null => {
    if (depth > 10_000) return null;
    if (memo.has(item)) return memo.get(item) ?? null;
    const parent: unknown = item.parent;
    let root: string | null = null;
    if (typeof parent === 'string') root = parent;
    else if (parent instanceof Y.AbstractType) root = rootOfType(parent);
    else if (parent instanceof Y.ID) root = rootOfId(parent, depth);
    else {
      const neighbour = item.origin ?? item.rightOrigin;
      root = neighbour ? rootOfId(neighbour, depth) : null;
    }
    memo.set(item, root);
    return root;
  };

  const known = Y.decodeStateVector(Y.encodeStateVector(doc));
  for (const [client, list] of byClient) {
    const knownClock = known.get(client) ?? 0;
    for (const item of list) {
      if (item.id.clock + item.length <= knownClock) continue; // already integrated: a no-op
      const root = rootOfItem(item, 0);
      if (root === null) unresolved = true;
      else roots.add(root);
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
        const root = rootOfItem(item, 0);
        if (root === null) unresolved = true;
        else roots.add(root);
        clock = item.id.clock + item.length;
      }
    }
  }
  return { roots, unresolved };
}
