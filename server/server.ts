/**
 * Wires one RestoFlow server process: database, relay, settlement and the HTTP app on one port.
 * Used by `npm start` (start.ts), by the integration tests and by the e2e test, so all three run
 * the same assembly.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { SYNC_PATH } from '../shared/protocol';
import { createApp } from './app';
import { resolveToken } from './auth/principal';
import type { Database } from './db/database';
import { createPostgresDocumentStore, type DocumentStore } from './db/document-store';
import { createRelay, type Relay, type RelayOptions } from './relay/relay';
import { createMemoryBus, createRedisBus } from './relay/room-bus';
import type { RotationPolicy } from './relay/rotation';
import { createSettlement, type Settlement } from './settlement/settlement';
import type { FiscalService } from './fiscal/fiscal-service';
import { storedReceiptUuids } from './db/fiscal-check-queries';
import { insertAuditEntry, loadSettledContents } from './db/settlement-queries';
import { listReceiptEntries, ROOT } from '../shared/live-doc';
import type * as Y from 'yjs';
import { createKitchenPrinting, type KitchenPrinting } from './printing/kitchen-printing';
import { createPrintGateway } from './printing/print-gateway';

export interface RunningServer {
  url: string;
  port: number;
  relay: Relay;
  settlement: Settlement;
  /** Prints every new kitchen ticket once on its station's printer (printing/kitchen-printing.ts). */
  printing: KitchenPrinting;
  close(): Promise<void>;
}

export interface ServerOptions {
  db: Database;
  port?: number;
  host?: string;
  staticDir?: string;
  corsOrigins?: string[];
  store?: DocumentStore;
  log?: (line: string) => void;
  /** Share rooms with other relays through this Redis (SOCKET_REDIS_URL). */
  redisUrl?: string;
  /** Connection rate limits (load tests raise the per-address one: all clients share 127.0.0.1). */
  rateLimits?: RelayOptions['rateLimits'];
  /** Redis key/channel namespace shared by the relays of one deployment. */
  redisNamespace?: string;
  /** Archive settled orders and rotate rooms by this policy (relay/rotation.ts); off when absent. */
  rotation?: RotationPolicy;
  /** Deadline of one attempt on one kitchen printer (default 5 s); tests shorten it. */
  printTimeoutMs?: number;
  /**
   * ETA e-receipts: verifies the receipts tablets put into the rooms and submits them
   * (fiscal/fiscal-service.ts, FIS-59). Started here, stopped by close(); the caller owns its ETA.
   */
  fiscal?: FiscalService;
  /** RELAY_URLS: relays devices may fail over to (GET /api/relays, docs/PROTOCOL.md). */
  relayUrls?: readonly string[];
  /** ROOM_GROUP_COMMIT_MS: longest wait of the store's group commit (db/document-store.ts). */
  groupCommitMs?: number;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { db } = options;
  const bus = options.redisUrl
    ? await createRedisBus(options.redisUrl, options.redisNamespace ? { namespace: options.redisNamespace } : {})
    : createMemoryBus();
  const settlement = createSettlement(db, { ...(options.log ? { log: options.log } : {}), withLock: bus.withLock });
  const printing = createKitchenPrinting(db, {
    relayId: `relay-${process.pid}-${randomUUID().slice(0, 8)}`,
    gateway: createPrintGateway(options.printTimeoutMs ? { timeoutMs: options.printTimeoutMs } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const relay = createRelay({
    bus,
    store: options.store ?? createPostgresDocumentStore(db, { groupCommitMs: options.groupCommitMs }),
    authenticate: (token) => resolveToken(db, token),
    onLateEdit: (room, principal, meant) => {
      const actor = principal.kind === 'device' ? principal.deviceId : principal.userId;
      for (const { orderId, order, latePaymentIds, latePaymentMinor } of meant) {
        // Money taken after the settlement (the order was paid twice): the manager refunds it.
        insertAuditEntry(db, {
          branchId: room.branchId,
          at: new Date(),
          action: 'late-change',
          actor,
          approvedBy: null,
          reason: 'changed on a device after the order was settled; not applied',
          orderId,
          amountMinor: latePaymentIds.length > 0 ? latePaymentMinor : null,
          details: { room: room.name, orderAsDeviceHasIt: order, latePaymentIds },
        }).catch((error: unknown) => console.error(`[relay] could not record the late change of order ${orderId}:`, error));
      }
    },
    settledContents: (orderIds) => loadSettledContents(db, orderIds),
    onRoomLoaded: (room) => {
      settlement.watch(room.doc, room.branchId, room.flushed);
      printing.watch(room.doc, room.branchId, room.flushed);
      options.fiscal?.verifier.watch(room.doc, room.branchId);
    },
    ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
    ...(options.rotation ? { rotation: options.rotation } : {}),
    // A rotated room keeps a receipt until the verifier has stored it (FIS-56), not merely until
    // its order is settled: the receipt may arrive after the settlement.
    ...(options.fiscal
      ? {
          takenByServer: async (room: { doc: Y.Doc }) => {
            const uuidOf = new Map(listReceiptEntries(room.doc).map(({ key, entry }) => [key, entry.uuid]));
            const stored = await storedReceiptUuids(db, [...uuidOf.values()]);
            return (root: string, key: string) => root === ROOT.receipts && stored.has(uuidOf.get(key) ?? '');
          },
        }
      : {}),
    ...(options.log ? { log: options.log } : {}),
  });
  const app = createApp({
    db,
    relay,
    onStationsChanged: (branchId) => printing.stationsChanged(branchId),
    ...(options.staticDir ? { staticDir: options.staticDir } : {}),
    ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
    ...(options.fiscal ? { fiscal: options.fiscal } : {}),
    ...(options.relayUrls ? { relayUrls: options.relayUrls } : {}),
  });
  await options.fiscal?.start();

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: options.host ?? '127.0.0.1' }, () => resolve(s));
  });
  server.on('upgrade', (request, socket, head) => {
    const path = (request.url ?? '').split('?')[0] ?? '';
    if (path === SYNC_PATH || path.startsWith(`${SYNC_PATH}/`)) relay.handleUpgrade(request, socket, head);
    else socket.destroy();
  });

  const port = (server.address() as AddressInfo).port;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';
  return {
    url: `http://${host}:${port}`,
    port,
    relay,
    settlement,
    printing,
    async close() {
      // Tickets being printed finish first, so their outcome is recorded and stored in the room.
      await printing.idle();
      await relay.close();
      await settlement.idle();
      await options.fiscal?.stop();
      await bus.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
    },
  };
}
