/**
 * One live room: a branch's Y.Doc in memory, the sockets connected to it, and the queue that
 * writes its updates to the document store.
 *
 * Ordering that matters:
 * - the stored document is loaded completely before any socket of the room is answered, so a
 *   client never syncs against a half-empty document and "re-adds" what the server forgot;
 * - every change (a device's or the server's own) is queued for the store in the order it was
 *   applied; once a batch is committed, the state vector it covers is announced to clients that
 *   asked for acknowledgements, which is how a tablet knows its pending count;
 * - with several relays, a batch is published to the others only after it is committed, and
 *   what arrives from them is not stored again (its relay stored it).
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentStore } from '../db/document-store';
import type { RoomBus } from './room-bus';

/** Transaction origin of updates that came from another relay (already stored by it). */
export const BUS_ORIGIN = 'restoflow-bus';

/** Beyond this many stored updates, loading a room writes one merged update in their place. */
const COMPACT_AFTER_UPDATES = 200;
const PERSIST_RETRY_MS = 500;

export interface RoomMember {
  send(message: Uint8Array): void;
  wantsAcks: boolean;
  /** Awareness client ids this socket speaks for, removed when it leaves. */
  awarenessIds: Set<number>;
}

export interface Room {
  readonly name: string;
  readonly branchId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly members: Set<RoomMember>;
  /** State vector of what the store holds (encoded), or null before the first commit. */
  persistedStateVector(): Uint8Array;
  /** Resolves when everything applied so far is committed. */
  flushed(): Promise<void>;
  onPersisted(listener: (stateVector: Uint8Array) => void): void;
  destroy(): void;
}

export async function loadRoom(store: DocumentStore, name: string, branchId: string, bus: RoomBus): Promise<Room> {
  const doc = new Y.Doc({ gc: true });
  // Join the bus before reading the store: an update stored and published meanwhile is then
  // either in what we read or in what we buffered (applying it twice is harmless).
  const early: Uint8Array[] = [];
  let onRemoteUpdate: (update: Uint8Array) => void = (update) => early.push(update);
  let onRemoteAwareness: (update: Uint8Array) => void = () => undefined;
  const leaveBus = await bus.join(name, (kind, payload) => (kind === 'update' ? onRemoteUpdate(payload) : onRemoteAwareness(payload)));
  const stored = await store.load(name);
  if (stored.length > 0) {
    doc.transact(() => {
      for (const update of stored) Y.applyUpdate(doc, update);
    }, 'load');
  }
  if (stored.length > COMPACT_AFTER_UPDATES) {
    await store.compact(name, Y.encodeStateAsUpdate(doc), stored.length);
  }

  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null); // the relay itself is not a participant
  onRemoteAwareness = (update) => awarenessProtocol.applyAwarenessUpdate(awareness, update, BUS_ORIGIN);
  const members = new Set<RoomMember>();
  const persistedListeners: ((sv: Uint8Array) => void)[] = [];
  let persistedSV = Y.encodeStateVector(doc);
  let pending: Uint8Array[] = [];
  let writing: Promise<void> = Promise.resolve();
  let isDestroyed = false;

  let isWriting = false;
  const announce = (sv: Uint8Array) => {
    persistedSV = sv;
    for (const listener of persistedListeners) listener(sv);
  };
  const writeBatch = async (): Promise<void> => {
    isWriting = true;
    while (pending.length > 0 && !isDestroyed) {
      const batch = pending;
      pending = [];
      // Every applied update is already in `batch`, so this is exactly what the commit covers.
      const coveredSV = Y.encodeStateVector(doc);
      const merged = batch.length === 1 ? batch[0]! : Y.mergeUpdates(batch);
      for (;;) {
        try {
          await store.append(name, [merged]);
          break;
        } catch (error) {
          if (isDestroyed) return;
          console.error(`[relay] could not store updates of ${name}, retrying:`, (error as Error).message);
          await new Promise((r) => setTimeout(r, PERSIST_RETRY_MS));
        }
      }
      bus.publish(name, 'update', merged);
      // Nothing left to write: everything in the document is stored (ours by us, the bus's by
      // the relay that published it), so the whole state vector is acknowledged.
      announce(pending.length === 0 ? Y.encodeStateVector(doc) : coveredSV);
    }
    isWriting = false;
  };

  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === 'load') return;
    if (origin === BUS_ORIGIN) {
      if (!isWriting && pending.length === 0) announce(Y.encodeStateVector(doc));
      return;
    }
    pending.push(update);
    if (pending.length === 1) writing = writing.then(writeBatch);
  });
  onRemoteUpdate = (update) => Y.applyUpdate(doc, update, BUS_ORIGIN);
  for (const update of early.splice(0)) onRemoteUpdate(update);

  return {
    name,
    branchId,
    doc,
    awareness,
    members,
    persistedStateVector: () => persistedSV,
    flushed: async () => {
      // Loop: a batch may have been queued while we waited for the previous one.
      while (pending.length > 0) await writing;
      await writing;
    },
    onPersisted: (listener) => persistedListeners.push(listener),
    destroy: () => {
      isDestroyed = true;
      void leaveBus();
      awareness.destroy();
      doc.destroy();
    },
  };
}
