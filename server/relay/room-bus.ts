/**
 * How relays share rooms. One relay needs nothing (the memory bus); several relays behind a load
 * balancer exchange each room's updates and awareness over Redis pub/sub, and take a Redis lock
 * so only one of them settles a room's orders at a time.
 *
 * An update is published only after its relay has stored it (room.ts), so whatever another relay
 * receives is already durable: a relay that dies never leaves another holding the only copy.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

export type BusMessageKind = 'update' | 'awareness';

export interface RoomBus {
  readonly adapter: 'memory' | 'redis';
  isConnected(): boolean;
  /** Receives other relays' messages for a room until the returned function is called. */
  join(room: string, onMessage: (kind: BusMessageKind, payload: Uint8Array) => void): Promise<() => Promise<void>>;
  publish(room: string, kind: BusMessageKind, payload: Uint8Array): void;
  /** Runs `work` while no other relay (or task here) holds the lock `name`. */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

function localMutex() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const previous = tails.get(name) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    tails.set(name, next);
    void next.finally(() => {
      if (tails.get(name) === next) tails.delete(name);
    }).catch(() => undefined);
    return next;
  };
}

export function createMemoryBus(): RoomBus {
  const withLocalLock = localMutex();
  return {
    adapter: 'memory',
    isConnected: () => false,
    join: async () => async () => undefined,
    publish: () => undefined,
    withLock: withLocalLock,
    close: async () => undefined,
  };
}

const KIND_BYTE: Record<BusMessageKind, number> = { update: 0, awareness: 1 };
const LOCK_TTL_MS = 10_000;
const LOCK_WAIT_MS = 30_000;
const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

/** Frame: 1 byte kind, 8 bytes sender id, payload. The sender skips its own messages. */
export async function createRedisBus(url: string, options: { namespace?: string } = {}): Promise<RoomBus> {
  // Relays of one deployment share a namespace; separate deployments (or test runs) on one Redis don't.
  const namespace = options.namespace ?? 'restoflow';
  const CHANNEL_PREFIX = `${namespace}:room:`;
  const LOCK_PREFIX = `${namespace}:lock:`;
  const senderId = randomBytes(8);
  const publisher = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  const subscriber = new Redis(url, { lazyConnect: true });
  for (const client of [publisher, subscriber]) {
    client.on('error', (error: Error) => console.error('[bus] redis:', error.message));
  }
  await Promise.all([publisher.connect(), subscriber.connect()]);
  const handlers = new Map<string, (kind: BusMessageKind, payload: Uint8Array) => void>();
  subscriber.on('messageBuffer', (channel: Buffer, message: Buffer) => {
    const handler = handlers.get(channel.toString().slice(CHANNEL_PREFIX.length));
    if (!handler || message.length < 9 || message.subarray(1, 9).equals(senderId)) return;
    handler(message[0] === KIND_BYTE.awareness ? 'awareness' : 'update', new Uint8Array(message.subarray(9)));
  });
  const withLocalLock = localMutex();

  return {
    adapter: 'redis',
    isConnected: () => publisher.status === 'ready' && subscriber.status === 'ready',
    async join(room, onMessage) {
      handlers.set(room, onMessage);
      await subscriber.subscribe(CHANNEL_PREFIX + room);
      return async () => {
        handlers.delete(room);
        await subscriber.unsubscribe(CHANNEL_PREFIX + room).catch(() => undefined);
      };
    },
    publish(room, kind, payload) {
      const frame = Buffer.concat([Buffer.from([KIND_BYTE[kind]]), senderId, payload]);
      publisher.publish(CHANNEL_PREFIX + room, frame).catch((error: Error) => console.error('[bus] publish failed:', error.message));
    },
    withLock(name, work) {
      // Local first, so tasks of this relay queue cheaply; then the cross-relay Redis lock.
      return withLocalLock(name, async () => {
        const key = LOCK_PREFIX + name;
        const token = randomBytes(12).toString('hex');
        const deadline = Date.now() + LOCK_WAIT_MS;
        while ((await publisher.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) !== 'OK') {
          if (Date.now() > deadline) throw new Error(`could not take lock ${name}`);
          await new Promise((r) => setTimeout(r, 10 + Math.random() * 20));
        }
        try {
          return await work();
        } finally {
          await publisher.eval(RELEASE_SCRIPT, 1, key, token).catch(() => undefined);
        }
      });
    },
    async close() {
      handlers.clear();
      subscriber.disconnect();
      publisher.disconnect();
    },
  };
}
