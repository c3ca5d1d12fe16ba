import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import { reconnectDelayMs } from './reconnect-backoff';
import * as Y from 'yjs';
import { isPermanentRefusal, MESSAGE_TYPE, roomNameForBranch, SYNC_PATH } from '../../shared/protocol';
import { createPendingEdits } from './pending-edits';

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

function socketOrigin(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}

function createEntry(branchId: string, deviceToken: string): Entry {
  const room = roomNameForBranch(branchId);
  const doc = new Y.Doc();
  const persistence = new IndexeddbPersistence(room, doc);
  const pending = createPendingEdits(room);
  const listeners = new Set<() => void>();
  let provider: WebsocketProvider | null = null;
  let isDestroyed = false;
  let refusedCode: number | null = null;

  let snapshot: BranchSyncSnapshot = {
    isReady: false,
    doc,
    status: navigator.onLine ? 'connecting' : 'offline',
    refusedCode: null,
    pendingCount: 0,
    revision: 0,
  };

  const publish = (patch: Partial<BranchSyncSnapshot>) => {
    snapshot = { ...snapshot, ...patch };
    for (const listener of listeners) listener();
  };

  const currentStatus = (): SyncStatus => {
    if (refusedCode !== null) return 'refused';
    if (!navigator.onLine) return 'offline';
    // "online" only once the relay answered our state vector: before that nothing is exchanged.
    if (provider?.wsconnected && provider.synced) return 'online';
    return 'connecting';
  };
  const refreshStatus = () => {
    const status = currentStatus();
    if (status !== snapshot.status || refusedCode !== snapshot.refusedCode) publish({ status, refusedCode });
  };

  doc.on('afterTransaction', (tr: Y.Transaction) => {
    // Remote updates (relay, IndexedDB load) are not local; the origin checks are a second guard.
    if (!tr.local || tr.origin === provider || tr.origin === persistence) return;
    const before = tr.beforeState.get(doc.clientID) ?? 0;
    const after = tr.afterState.get(doc.clientID) ?? 0;
    if (after === before && tr.deleteSet.clients.size === 0) return;
    pending.record(doc.clientID, after);
  });

  const onUpdate = () => publish({ revision: snapshot.revision + 1 });
  doc.on('update', onUpdate);

  const stopWatchingCount = pending.watchCount((pendingCount) => {
    if (pendingCount !== snapshot.pendingCount) publish({ pendingCount });
  });

  let failedAttempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  const connectRelay = () => {
    if (isDestroyed) return;
    const relay = new WebsocketProvider(`${socketOrigin()}${SYNC_PATH}`, room, doc, {
      connect: navigator.onLine,
      params: { token: deviceToken, ack: '1' },
      disableBc: true,
    });
    relay.messageHandlers[MESSAGE_TYPE.persisted] = (_encoder, decoder) => {
      pending.acknowledge(Y.decodeStateVector(decoding.readVarUint8Array(decoder)));
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
        clearTimeout(reconnectTimer);
        reconnectTimer = setTimeout(() => {
          if (!isDestroyed && navigator.onLine && refusedCode === null) relay.connect();
        }, reconnectDelayMs(failedAttempts++));
      }
      refreshStatus();
    });
    relay.on('sync', (isSynced: boolean) => {
      if (isSynced) failedAttempts = 0;
    });
    provider = relay;
    refreshStatus();
  };

  const onOnline = () => {
    clearTimeout(reconnectTimer);
    if (provider && refusedCode === null) provider.connect();
    refreshStatus();
  };
  const onOffline = () => {
    provider?.disconnect();
    refreshStatus();
  };
  window.addEventListener('online', onOnline);
  window.addEventListener('offline', onOffline);

  persistence.whenSynced
    .catch((error: unknown) => {
      // Without IndexedDB (private mode, quota) the device still works while online.
      console.warn('could not load the branch document from IndexedDB', error);
    })
    .then(() => {
      if (isDestroyed) return;
      publish({ isReady: true, revision: snapshot.revision + 1 });
      connectRelay();
    });

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
      clearTimeout(reconnectTimer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('offline', onOffline);
      stopWatchingCount();
      provider?.destroy();
      void persistence.destroy();
      doc.off('update', onUpdate);
      doc.destroy();
      listeners.clear();
    },
  };
}
