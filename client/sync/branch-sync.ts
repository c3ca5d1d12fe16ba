import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { reconnectDelayMs } from './reconnect-backoff';
import * as Y from 'yjs';
import { successorRoom } from '../../shared/live-doc-carry-over';
import { isPermanentRefusal, MESSAGE_TYPE, SYNC_PATH } from '../../shared/protocol';
import { createPendingEdits, type PendingEdits } from './pending-edits';
import { readLiveRoom, saveLiveRoom } from './live-room';
import { knownRelays } from './relay-list';
import { refreshRelays } from './server-api';

/**
 * One live branch document per device: the Y.Doc is loaded from IndexedDB first (y-indexeddb),
 * so a tablet that starts with no network shows its last state at once, and only then joined
 * to the relay with the stock y-websocket provider. The relay is the only way edits leave the
 * device; the provider's BroadcastChannel is turned off so two tabs of one browser never look
 * "synced" to each other while the server has seen nothing.
 *
 * Connection state follows `navigator.onLine` as well as the socket: browsers report an outage
 * through the online/offline events long before a dead socket times out, and test browsers that
 * "go offline" do not always cut an open WebSocket.
 *
 * Rotation (docs/PROTOCOL.md): the relay retires a generation of the branch room by writing its
 * successor's name into the document. The device then opens the successor beside it and moves
 * over once the successor is synced and every change it made on the old generation is stored
 * (the relay carries those into the successor before acknowledging them), so nothing made
 * offline is left behind. Only then is the old generation's local copy deleted.
 *
 * Failover (docs/PROTOCOL.md "Several relays: failover"): a device may know several relays (its
 * own origin first, then the server's `RELAY_URLS`, see relay-list.ts). When a socket drops or
 * cannot connect, the next attempt — after the same jittered backoff — goes to the next relay,
 * and the device stays wherever it next syncs. Every relay serves every room (Redis), and an
 * edit not yet acknowledged as stored is simply sent again by the sync step 2 to the new relay.
 * A permanent refusal (44xx) stops as before: another relay would refuse the same way.
 */

export type SyncStatus = 'connecting' | 'online' | 'offline' | 'refused';

export interface BranchSyncSnapshot {
  /** False until the document has been loaded from IndexedDB; show no data before that. */
  isReady: boolean;
  doc: Y.Doc;
  status: SyncStatus;
  /** The relay's permanent refusal close code (4400–4499), when status is `refused`. */
  refusedCode: number | null;
  pendingCount: number;
  /** Grows on every document update, so screens re-render with the new state. */
  revision: number;
  /** The room (generation) the document belongs to: `branch.<id>` or `branch.<id>.g<n>`. */
  room: string;
}

export interface BranchSync {
  getSnapshot(): BranchSyncSnapshot;
  subscribe(listener: () => void): () => void;
}

interface Entry extends BranchSync {
  users: number;
  destroyTimer: ReturnType<typeof setTimeout> | null;
  destroy(): void;
}

const entries = new Map<string, Entry>();

/** How long an unused branch sync stays open; React's StrictMode unmounts and remounts at once. */
const RELEASE_DELAY_MS = 2_000;

/**
 * Shares one sync per branch and device token between every component that needs it. Returns
 * the sync and a release function; the sync is torn down a moment after its last user leaves.
 */
export function acquireBranchSync(branchId: string, deviceToken: string): { sync: BranchSync; release: () => void } {
  const key = `${branchId}\n${deviceToken}`;
  let entry = entries.get(key);
  if (!entry) {
    entry = createEntry(branchId, deviceToken);
    entries.set(key, entry);
  }
  const held = entry;
  held.users += 1;
  if (held.destroyTimer !== null) {
    clearTimeout(held.destroyTimer);
    held.destroyTimer = null;
  }
  let isReleased = false;
  const release = () => {
    if (isReleased) return;
    isReleased = true;
    held.users -= 1;
    if (held.users > 0) return;
    held.destroyTimer = setTimeout(() => {
      if (held.users > 0) return;
      entries.delete(key);
      held.destroy();
    }, RELEASE_DELAY_MS);
  };
  return { sync: held, release };
}

/** One generation of the branch room on this device: its document, local copy and socket. */
interface Generation {
  room: string;
  doc: Y.Doc;
  persistence: IndexeddbPersistence;
  pending: PendingEdits;
  pendingCount: number;
  /** What the relay acknowledged as stored, for this session's own edits. */
  acked: Map<number, number>;
  isLoaded: boolean;
  provider: WebsocketProvider | null;
  close(options: { forgetLocalCopy: boolean }): void;
}

function createEntry(branchId: string, deviceToken: string): Entry {
  const listeners = new Set<() => void>();
  let isDestroyed = false;
  let refusedCode: number | null = null;
  let failedAttempts = 0;
  // One pending retry per socket: when a relay dies, the current generation's and its
  // successor's sockets drop together, and one retry must not cancel the other.
  const reconnectTimers = new Map<WebsocketProvider, ReturnType<typeof setTimeout>>();
  const cancelRetry = (provider: WebsocketProvider) => {
    clearTimeout(reconnectTimers.get(provider));
    reconnectTimers.delete(provider);
  };
  // The relays to try, in order, and the one the next connection goes to. Shared by the current
  // generation and its successor, so both sockets move together.
  let relays = knownRelays();
  let relayIndex = 0;
  const relayUrl = () => `${relays[relayIndex] ?? relays[0]}${SYNC_PATH}`;
  /** Moves to the next relay, unless another socket (the other generation's) already did. */
  const failOver = (provider: WebsocketProvider) => {
    if (relays.length > 1 && provider.serverUrl === relayUrl()) relayIndex = (relayIndex + 1) % relays.length;
    provider.serverUrl = relayUrl();
  };
  const updateRelays = () => {
    if (!navigator.onLine) return;
    void refreshRelays(deviceToken).then((fresh) => {
      if (fresh === null || isDestroyed) return;
      const chosen = relays[relayIndex];
      relays = fresh;
      relayIndex = Math.max(0, fresh.findIndex((r) => r === chosen));
    });
  };

  const publish = (patch: Partial<BranchSyncSnapshot>) => {
    snapshot = { ...snapshot, ...patch };
    for (const listener of listeners) listener();
  };

  const connectRelay = (generation: Generation) => {
    if (isDestroyed) return;
    const relay = new WebsocketProvider(relayUrl(), generation.room, generation.doc, {
      connect: navigator.onLine,
      params: { token: deviceToken, ack: '1' },
      disableBc: true,
    });
    relay.messageHandlers[MESSAGE_TYPE.persisted] = (_encoder, decoder) => {
      const stored = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
      generation.acked = stored;
      generation.pending.acknowledge(stored);
      moveToSuccessorWhenSafe();
    };
    relay.on('status', refreshStatus);
    relay.on('sync', refreshStatus);
    relay.on('connection-close', (event) => {
      if (event && isPermanentRefusal(event.code)) {
        refusedCode = event.code;
        // Deferred: disconnect() would re-enter the provider's close handling for this very socket.
        queueMicrotask(() => relay.disconnect());
      } else if (navigator.onLine && !isDestroyed) {
        // Take over the retry: the provider emits this before scheduling its own (unjittered)
        // reconnect, which then sees shouldConnect = false and does nothing.
        relay.shouldConnect = false;
        failOver(relay);
        cancelRetry(relay);
        reconnectTimers.set(
          relay,
          setTimeout(() => {
            reconnectTimers.delete(relay);
            if (!isDestroyed && navigator.onLine && refusedCode === null) relay.connect();
          }, reconnectDelayMs(failedAttempts++)),
        );
      }
      refreshStatus();
    });
    relay.on('sync', (isSynced: boolean) => {
      if (isSynced) failedAttempts = 0;
      moveToSuccessorWhenSafe();
    });
    generation.provider = relay;
    refreshStatus();
  };

  const openGeneration = (room: string): Generation => {
    const doc = new Y.Doc();
    const persistence = new IndexeddbPersistence(room, doc);
    const generation: Generation = {
      room,
      doc,
      persistence,
      pending: createPendingEdits(room),
      pendingCount: 0,
      acked: new Map(),
      isLoaded: false,
      provider: null,
      close: ({ forgetLocalCopy }) => {
        stopWatchingCount();
        doc.off('update', onUpdate);
        if (generation.provider) cancelRetry(generation.provider);
        generation.provider?.destroy();
        generation.provider = null;
        // Only once the relay has stored everything: the successor holds it all from then on.
        if (forgetLocalCopy) void persistence.clearData();
        else void persistence.destroy();
        doc.destroy();
      },
    };
    doc.on('afterTransaction', (tr: Y.Transaction) => {
      // Remote updates (relay, IndexedDB load) are not local; the origin checks are a second guard.
      if (!tr.local || tr.origin === generation.provider || tr.origin === persistence) return;
      const before = tr.beforeState.get(doc.clientID) ?? 0;
      const after = tr.afterState.get(doc.clientID) ?? 0;
      if (after === before && tr.deleteSet.clients.size === 0) return;
      generation.pending.record(doc.clientID, after);
    });
    const onUpdate = () => {
      if (generation !== current) return;
      publish({ revision: snapshot.revision + 1 });
      followRotation();
    };
    doc.on('update', onUpdate);
    const stopWatchingCount = generation.pending.watchCount((count) => {
      generation.pendingCount = count;
      if (generation === current && count !== snapshot.pendingCount) publish({ pendingCount: count });
      moveToSuccessorWhenSafe();
    });
    persistence.whenSynced
      .catch((error: unknown) => {
        // Without IndexedDB (private mode, quota) the device still works while online.
        console.warn('could not load the branch document from IndexedDB', error);
      })
      .then(() => {
        if (isDestroyed || (generation !== current && generation !== successor)) return;
        generation.isLoaded = true;
        if (generation === current) publish({ isReady: true, revision: snapshot.revision + 1 });
        connectRelay(generation);
        followRotation();
      });
    return generation;
  };

  // The generation this device last moved to (or the branch's first room).
  let current: Generation = openGeneration(readLiveRoom(branchId));
  /** The next generation while the device is moving to it. */
  let successor: Generation | null = null;

  let snapshot: BranchSyncSnapshot = {
    isReady: false,
    doc: current.doc,
    status: navigator.onLine ? 'connecting' : 'offline',
    refusedCode: null,
    pendingCount: 0,
    revision: 0,
    room: current.room,
  };

  function currentStatus(): SyncStatus {
    if (refusedCode !== null) return 'refused';
    if (!navigator.onLine) return 'offline';
    // "online" only once the relay answered our state vector: before that nothing is exchanged.
    const provider = current.provider;
    if (provider?.wsconnected && provider.synced) return 'online';
    return 'connecting';
  }
  function refreshStatus() {
    const status = currentStatus();
    if (status !== snapshot.status || refusedCode !== snapshot.refusedCode) publish({ status, refusedCode });
  }

  /** Opens the successor once the current generation names one. */
  function followRotation() {
    if (isDestroyed || successor !== null || !current.isLoaded) return;
    const next = successorRoom(current.doc);
    if (next === null || next === current.room) return;
    successor = openGeneration(next);
  }

  /** Moves to the successor when it is synced and nothing made here is still unstored. */
  function moveToSuccessorWhenSafe() {
    const next = successor;
    if (isDestroyed || next === null || !next.isLoaded || !next.provider?.synced) return;
    const ownClock = Y.decodeStateVector(Y.encodeStateVector(current.doc)).get(current.doc.clientID) ?? 0;
    const isAllStored = current.pendingCount === 0 && (current.acked.get(current.doc.clientID) ?? 0) >= ownClock;
    if (!isAllStored) return;
    const previous = current;
    current = next;
    successor = null;
    saveLiveRoom(branchId, current.room);
    publish({ doc: current.doc, room: current.room, pendingCount: current.pendingCount, revision: snapshot.revision + 1 });
    refreshStatus();
    previous.close({ forgetLocalCopy: true });
    followRotation(); // it may be retired already
  }

  const generations = () => (successor ? [current, successor] : [current]);
  const onOnline = () => {
    updateRelays();
    for (const g of generations()) if (g.provider) cancelRetry(g.provider);
    if (refusedCode === null) for (const g of generations()) g.provider?.connect();
    refreshStatus();
  };
  const onOffline = () => {
    for (const g of generations()) g.provider?.disconnect();
    refreshStatus();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);
  updateRelays();

  return {
    users: 0,
    destroyTimer: null,
    getSnapshot: () => snapshot,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    destroy() {
      isDestroyed = true;
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      for (const g of generations()) g.close({ forgetLocalCopy: false });
      listeners.clear();
    },
  };
}
