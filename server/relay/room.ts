/**
 * One live room: a branch's Y.Doc in memory, the sockets connected to it, and the queue that
 * writes its updates to the document store.
 *
 * Ordering that matters:
 * - the stored document is loaded completely before any socket of the room is answered, so a
 *   client never syncs against a half-empty document and "re-adds" what the server forgot;
 * - every change (a device's or the server's own) is queued for the store in the order it was
 *   applied, and only once its batch is committed is it forwarded to other devices, published
 *   to other relays, and acknowledged. So nothing a device holds from others can be lost by a
 *   relay crash: after a SIGKILL a device only ever re-sends its own changes (which the relay
 *   checks under its own permissions), never another device's or the server's;
 * - what arrives from other relays is already stored (its relay stored it first).
 */
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import type { DocumentStore } from '../db/document-store';
import type { RoomBus } from './room-bus';

/** Transaction origin of updates that came from another relay (already stored by it). */
export const BUS_ORIGIN = 'restoflow-bus';

const PERSIST_RETRY_MS = 500;

export interface RoomMember {
  send(message: Uint8Array): void;
  wantsAcks: boolean;
  /** Awareness client ids this socket speaks for, removed when it leaves. */
  awarenessIds: Set<number>;
}

/** A change that is now durable, with where it came from (a member, the server, the bus). */
export interface StoredUpdate {
  update: Uint8Array;
  origin: unknown;
}

export interface Room {
  readonly name: string;
  readonly branchId: string;
  readonly doc: Y.Doc;
  readonly awareness: awarenessProtocol.Awareness;
  readonly members: Set<RoomMember>;
  /** The stored log as this relay loaded it (compaction.ts starts counting from it). */
  readonly loadedLog: { rows: number; bytes: number };
  /** State vector (encoded) of what the store holds. */
  persistedStateVector(): Uint8Array;
  /** Resolves once everything applied until now is committed (later changes don't delay it). */
  flushed(): Promise<void>;
  /**
   * Calls `fn` synchronously at the first moment when everything applied to the document is
   * stored (at once if that is now). What `fn` reads from the document is then all durable:
   * no change can slip in between the check and `fn`, as there is no await in between.
   */
  whenFullyStored(fn: () => void): void;
  /**
   * Called with each committed batch. `row` is the stored row's bytes when this relay wrote it
   * (null for another relay's, arriving by the bus). What the store then covers is
   * `persistedStateVector()`, encoded only when someone asks (most batches nobody does).
   */
  onStored(listener: (updates: StoredUpdate[], row: Uint8Array | null) => void): void;
  /**
   * Makes every later commit of this room wait for `dependency` first. A retired generation
   * waits until what was carried from it into its successor is stored, so a change is never
   * acknowledged (or kept) here while its carried copy could still be lost.
   */
  commitAfter(dependency: () => Promise<void>): void;
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
  // A long log is compacted in the background once the room is live (compaction.ts), not here:
  // the devices waiting for this load are not kept waiting for a rewrite of the log.
  const stored = await store.readLog(name);
  if (stored.updates.length > 0) {
    doc.transact(() => {
      for (const update of stored.updates) Y.applyUpdate(doc, update);
    }, 'load');
  }

  const awareness = new awarenessProtocol.Awareness(doc);
  awareness.setLocalState(null); // the relay itself is not a participant
  onRemoteAwareness = (update) => awarenessProtocol.applyAwarenessUpdate(awareness, update, BUS_ORIGIN);
  const members = new Set<RoomMember>();
  const storedListeners: ((updates: StoredUpdate[], row: Uint8Array | null) => void)[] = [];
  // State vectors as Yjs leaves them on each transaction (`afterState`, a new Map every time), so
  // a batch's coverage costs nothing to note; encoded once per value, and only when asked for
  // (acks, a new connection). Encoding the document's state vector for every batch was about 2 %
  // of the relay's CPU under the 1,000-client load (issue 3, point 6).
  let currentState: Map<number, number> = Y.decodeStateVector(Y.encodeStateVector(doc));
  let persistedState = currentState;
  let persistedSV: Uint8Array | null = null;
  const encodedPersistedSV = () => (persistedSV ??= Y.encodeStateVector(persistedState));
  let pending: StoredUpdate[] = [];
  let enqueued = 0;
  let committed = 0;
  let waiters: { target: number; resolve: () => void }[] = [];
  let fullyStoredCallbacks: (() => void)[] = [];
  let isWriting = false;
  let isDestroyed = false;
  let commitDependency: (() => Promise<void>) | null = null;

  const announce = (updates: StoredUpdate[], covered: Map<number, number>, row: Uint8Array | null) => {
    if (covered !== persistedState) {
      persistedState = covered;
      persistedSV = null;
    }
    for (const listener of storedListeners) listener(updates, row);
    const ready = waiters.filter((w) => w.target <= committed);
    waiters = waiters.filter((w) => w.target > committed);
    for (const w of ready) w.resolve();
    if (committed >= enqueued && fullyStoredCallbacks.length > 0) {
      const callbacks = fullyStoredCallbacks;
      fullyStoredCallbacks = [];
      for (const fn of callbacks) fn();
    }
  };

  const writeBatches = async (): Promise<void> => {
    isWriting = true;
    while (pending.length > 0 && !isDestroyed) {
      const batch = pending;
      pending = [];
      // Every applied update is already in `batch` (or stored by another relay), so after this
      // commit the store covers the document as it is now.
      const covered = currentState;
      const merged = batch.length === 1 ? batch[0]!.update : Y.mergeUpdates(batch.map((b) => b.update));
      if (commitDependency) {
        await Promise.resolve(); // let the transaction that queued this batch finish carrying first
        await commitDependency();
      }
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
      committed += batch.length;
      bus.publish(name, 'update', merged);
      announce(batch, covered, merged);
    }
    isWriting = false;
  };

  doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, transaction: Y.Transaction) => {
    currentState = transaction.afterState;
    if (origin === 'load') return;
    if (origin === BUS_ORIGIN) {
      // Already stored by the relay that published it: forward at once.
      announce([{ update, origin }], isWriting || pending.length > 0 ? persistedState : currentState, null);
      return;
    }
    pending.push({ update, origin });
    enqueued++;
    if (!isWriting) void writeBatches();
  });
  onRemoteUpdate = (update) => Y.applyUpdate(doc, update, BUS_ORIGIN);
  for (const update of early.splice(0)) onRemoteUpdate(update);

  return {
    name,
    branchId,
    doc,
    awareness,
    members,
    loadedLog: { rows: stored.updates.length, bytes: stored.bytes },
    persistedStateVector: encodedPersistedSV,
    flushed: () =>
      committed >= enqueued ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ target: enqueued, resolve })),
    whenFullyStored: (fn) => {
      if (committed >= enqueued) fn();
      else fullyStoredCallbacks.push(fn);
    },
    onStored: (listener) => storedListeners.push(listener),
    commitAfter: (dependency) => {
      commitDependency = dependency;
    },
    destroy: () => {
      isDestroyed = true;
      for (const w of waiters) w.resolve();
      waiters = [];
      fullyStoredCallbacks = [];
      void leaveBus();
      awareness.destroy();
      doc.destroy();
    },
  };
}
