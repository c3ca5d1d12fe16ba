import { liveQuery } from 'dexie';
import { localStore, pendingRowSchema } from './local-store';

/**
 * "N changes not yet synced", told truthfully. Every local Yjs transaction is recorded as
 * (client id, clock after it); the relay's `persisted` message carries the state vector of what
 * it has durably stored, and every row that vector covers is dropped. Rows live in Dexie so the
 * count survives a reload, and a reload's new Yjs client id does not matter: the old id's edits
 * are in y-indexeddb and reach the server under that id.
 *
 * Writes go through one promise chain so an acknowledgement that arrives before the row it
 * covers has been written (a fast relay on the LAN) still finds it.
 */
export interface PendingEdits {
  record(clientId: number, clock: number): void;
  acknowledge(storedStateVector: Map<number, number>): void;
  /** Calls back with the current count now and on every change; returns the unsubscribe. */
  watchCount(onCount: (count: number) => void): () => void;
}

export function createPendingEdits(room: string): PendingEdits {
  let chain: Promise<void> = Promise.resolve();
  const enqueue = (task: () => Promise<void>) => {
    chain = chain.then(task).catch((error: unknown) => console.warn('pending edits store failed', error));
  };

  return {
    record(clientId, clock) {
      enqueue(async () => {
        await localStore.pending.add({ room, clientId, clock });
      });
    },

    acknowledge(stored) {
      enqueue(async () => {
        const rows = await localStore.pending.where('room').equals(room).toArray();
        const done: number[] = [];
        for (const row of rows) {
          const parsed = pendingRowSchema.safeParse(row);
          if (!parsed.success) {
            // A row we cannot read can never be acknowledged; keeping it would show a change
            // pending forever.
            if (typeof row.id === 'number') done.push(row.id);
            continue;
          }
          const storedClock = stored.get(parsed.data.clientId);
          if (storedClock !== undefined && parsed.data.clock <= storedClock) done.push(parsed.data.id);
        }
        if (done.length > 0) await localStore.pending.bulkDelete(done);
      });
    },

    watchCount(onCount) {
      const subscription = liveQuery(() => localStore.pending.where('room').equals(room).count()).subscribe({
        next: onCount,
        error: (error: unknown) => console.warn('pending count query failed', error),
      });
      return () => subscription.unsubscribe();
    },
  };
}
