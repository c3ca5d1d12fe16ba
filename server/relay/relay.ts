/**
 * The relay: a WebSocket endpoint speaking the y-websocket protocol, one room per branch.
 *
 * A socket's life: upgrade on /sync/<room> → authenticate the token from the query string →
 * check the branch → wait for the room's stored document → exchange sync step 1/2 → updates and
 * awareness both ways. Every incoming update is inspected before it is applied (size, decodable,
 * which roots it writes, whether this device may write them); a refused one is never applied,
 * stored or forwarded, and the socket is closed with a 44xx code the client treats as final.
 * See docs/PROTOCOL.md.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  branchIdFromRoom,
  CLOSE_CODE,
  MAX_MESSAGE_BYTES,
  MESSAGE_TYPE,
  REFUSAL_REASON,
  SYNC_PATH,
  type CloseCode,
  type RefusalReason,
} from '../../shared/protocol';
import { ordersRoot, readOrder, readSettlement, SERVER_ORIGIN, writeSettlement } from '../../shared/live-doc';
import type { Order } from '../../shared/schemas/order';
import { canAccessBranch, type Principal } from '../auth/principal';
import type { DocumentStore } from '../db/document-store';
import type { SettledContent } from '../db/settlement-queries';
import { createRateLimiter, type RateLimit } from './rate-limit';
import { inspectUpdate } from './update-inspection';
import { checkWrites, lateSettledOrderEdits, type WriterKind } from './write-policy';
import { loadRoom, type Room, type RoomMember } from './room';
import { createMemoryBus, type RoomBus } from './room-bus';
import { createRotation, type RotationPolicy } from './rotation';

export interface RelayOptions {
  store: DocumentStore;
  authenticate(token: string | null): Promise<{ ok: true; principal: Principal } | { ok: false; code: string }>;
  /** Called once per room when it is first loaded (settlement hooks in here). */
  onRoomLoaded?(room: Room): void;
  /** How this relay shares rooms with other relays (default: it is the only one). */
  bus?: RoomBus;
  /** Connection attempts allowed per client address and per token (defaults below). */
  rateLimits?: { perAddress: RateLimit; perToken: RateLimit };
  /** When rooms are archived and rotated (rotation.ts); null: only on request (`rotate`). */
  rotation?: RotationPolicy | null;
  /** What the server has taken out of a room already (receipts), asked before each rotation. */
  takenByServer?: (room: Room) => Promise<(root: string, key: string) => boolean>;
  /**
   * A device changed orders the server had already settled (it was offline meanwhile): the edit
   * was taken but changes nothing (write-policy.ts, `lateSettledOrderEdits`). `meant` is each
   * order as the device has it and as it was settled, for the manager to see [SYNC-12].
   */
  onLateEdit?(room: Room, principal: Principal, meant: LateEdit[]): void;
  /**
   * What Postgres holds of settled orders (server.ts: `loadSettledContents`), read before a change
   * to one is taken for a late edit: what it already holds is a re-send, not a late change (ROT-13).
   * Absent: the room's own copy of the order is the judge.
   */
  settledContents?(orderIds: readonly string[]): Promise<ReadonlyMap<string, SettledContent>>;
  log?: (line: string) => void;
}

/** A late edit of a settled order: the order as the device has it and as it was settled. */
export interface LateEdit {
  orderId: string;
  order: Order | null;
  settled: Order | null;
  /** Payments the device took that the settled order does not have (money to refund), and their sum. */
  latePaymentIds: string[];
  latePaymentMinor: number;
}

export const DEFAULT_RATE_LIMITS = {
  // A whole branch behind one NAT address reconnecting at once must pass; a loop must not.
  perAddress: { burst: 200, perSecond: 50 },
  perToken: { burst: 10, perSecond: 1 },
} satisfies RelayOptions['rateLimits'];

export interface Relay {
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every socket of a device (it was unpaired). */
  disconnectDevice(deviceId: string): void;
  /** Closes every socket opened with a session (the person signed out or was revoked). */
  disconnectSession(tokenHash: string): void;
  /** The loaded room, loading it if needed (settlement and tests use this). */
  room(name: string): Promise<Room>;
  /** Starts the room's next generation now (see rotation.ts); returns its room name. */
  rotate(name: string): Promise<string>;
  stats(): { rooms: number; connections: number; adapter: RoomBus['adapter']; busConnected: boolean };
  close(): Promise<void>;
}

const PING_INTERVAL_MS = 30_000;

/**
 * What Postgres holds of the settled orders an update changes, read for that update: undefined
 * while not read yet, null when it could not be read (the room's copy judges then).
 */
type SettledRead = ReadonlyMap<string, SettledContent> | null | undefined;

/**
 * Whether the settled order in Postgres already holds everything in the device's copy — each
 * payment, and each line with its quantity and void: then the device re-sent it (ROT-13).
 */
function isHeldBySettledOrder(order: Order, stored: SettledContent): boolean {
  return (
    order.payments.every((payment) => stored.paymentIds.has(payment.id)) &&
    order.lines.every((line) => {
      const row = stored.lines.get(line.id);
      return row !== undefined && row.qty === line.qty && row.isVoid === (line.void !== null);
    })
  );
}

/** Kitchen screens (and kitchen staff) only bump tickets; everyone else writes as a tablet. */
function writerKind(principal: Principal): WriterKind {
  if (principal.kind === 'device') return principal.deviceKind === 'kds' ? 'kitchen' : 'tablet';
  return principal.role === 'kitchen' ? 'kitchen' : 'tablet';
}

interface Connection extends RoomMember {
  socket: WebSocket;
  principal: Principal;
  room: Room;
  /**
   * Updates that refer to items the relay has not seen yet. Normal around a reconnect: a client
   * may send a fresh edit before the sync step 2 that carries the offline items it builds on.
   * Yjs would keep such structs pending; we keep the whole update unapplied until its
   * dependencies arrive, so it is still checked before anything of it is applied.
   */
  held: { updates: Uint8Array[]; bytes: number; since: number };
  /** Runs only while something is held (an idle connection costs no timer wake-ups). */
  heldTimer: ReturnType<typeof setInterval> | null;
  /**
   * While an update of this connection that changes settled orders waits for their Postgres rows
   * (`applyChecked`), the connection's later updates, in order; null otherwise.
   */
  waiting: Uint8Array[] | null;
}

/** How long and how much a connection's updates may wait for their dependencies. */
const HOLD_LIMIT_MS = 10_000;
const HELD_RETRY_MS = 250;
const HOLD_LIMIT_BYTES = MAX_MESSAGE_BYTES;

export function createRelay(options: RelayOptions): Relay {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const bus = options.bus ?? createMemoryBus();
  const limits = options.rateLimits ?? DEFAULT_RATE_LIMITS;
  const perAddress = createRateLimiter(limits.perAddress);
  const perToken = createRateLimiter(limits.perToken);
  const rooms = new Map<string, Promise<Room>>();
  const connections = new Set<Connection>();
  const log = options.log ?? ((line: string) => console.log(line));

  const getRoom = (name: string): Promise<Room> => {
    const existing = rooms.get(name);
    if (existing) return existing;
    const branchId = branchIdFromRoom(name);
    if (!branchId) return Promise.reject(new Error(`not a room: ${name}`));
    const loading = loadRoom(options.store, name, branchId, bus).then(async (room) => {
      wireRoom(room);
      await rotation.attach(room);
      options.onRoomLoaded?.(room);
      return room;
    });
    loading.catch(() => rooms.delete(name));
    rooms.set(name, loading);
    return loading;
  };

  const rotation = createRotation({
    store: options.store,
    bus,
    getRoom,
    policy: options.rotation ?? null,
    log,
    ...(options.takenByServer ? { takenByServer: options.takenByServer } : {}),
  });

  const wireRoom = (room: Room) => {
    // Forward only what is stored (see room.ts): each change to every member but its author.
    room.onStored((updates) => {
      for (const { update, origin } of updates) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
        syncProtocol.writeUpdate(encoder, update);
        const message = encoding.toUint8Array(encoder);
        for (const member of room.members) if (member !== origin) member.send(message);
      }
      let ack: Uint8Array | null = null; // only devices that asked (?ack=1) get it: encoded for them only
      for (const member of room.members) if (member.wantsAcks) member.send((ack ??= persistedMessage(room.persistedStateVector())));
    });
    room.awareness.on('update', ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const awarenessUpdate = awarenessProtocol.encodeAwarenessUpdate(room.awareness, changed);
      if (origin && typeof origin === 'object' && 'awarenessIds' in origin) {
        const member = origin as RoomMember;
        for (const id of added) member.awarenessIds.add(id);
        for (const id of removed) member.awarenessIds.delete(id);
        bus.publish(room.name, 'awareness', awarenessUpdate); // ours: other relays' devices see it too
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness);
      encoding.writeVarUint8Array(encoder, awarenessUpdate);
      const message = encoding.toUint8Array(encoder);
      // Sent to the author too: the stock client treats a silent socket as dead after 30 s.
      for (const member of room.members) member.send(message);
    });
  };

  const refuse = (socket: WebSocket, code: CloseCode, reason: RefusalReason) => {
    socket.close(code, reason);
  };

  const onConnection = async (socket: WebSocket, request: IncomingMessage) => {
    // Messages may arrive while we authenticate and load; keep them in order until then.
    const early: Uint8Array[] = [];
    let deliver: ((data: Uint8Array) => void) | null = null;
    socket.binaryType = 'nodebuffer';
    socket.on('message', (data: Buffer) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (deliver) deliver(bytes);
      else early.push(bytes);
    });
    socket.on('error', () => socket.terminate());

    const url = new URL(request.url ?? '/', 'http://relay');
    const roomName = decodeURIComponent(url.pathname.slice(SYNC_PATH.length + 1));
    const branchId = branchIdFromRoom(roomName);
    if (!branchId) return refuse(socket, CLOSE_CODE.roomNotFound, REFUSAL_REASON.notARoom);

    const auth = await options.authenticate(url.searchParams.get('token'));
    if (socket.readyState !== socket.OPEN) return;
    if (!auth.ok) {
      return refuse(socket, CLOSE_CODE.unauthorized, auth.code === 'device-revoked' ? REFUSAL_REASON.deviceRevoked : REFUSAL_REASON.noToken);
    }
    if (!canAccessBranch(auth.principal, branchId)) return refuse(socket, CLOSE_CODE.forbidden, REFUSAL_REASON.branchForbidden);

    let room: Room;
    try {
      room = await getRoom(roomName);
    } catch (error) {
      console.error(`[relay] could not load ${roomName}:`, (error as Error).message);
      return socket.close(1011, 'room unavailable');
    }
    if (socket.readyState !== socket.OPEN) return;

    const connection: Connection = {
      socket,
      principal: auth.principal,
      room,
      wantsAcks: url.searchParams.get('ack') === '1',
      awarenessIds: new Set(),
      held: { updates: [], bytes: 0, since: 0 },
      heldTimer: null,
      waiting: null,
      send: (message) => {
        if (socket.readyState === socket.OPEN) socket.send(message, (error) => error && socket.terminate());
      },
    };
    connections.add(connection);
    room.members.add(connection);

    let isAlive = true;
    socket.on('pong', () => (isAlive = true));
    const ping = setInterval(() => {
      if (!isAlive) return socket.terminate();
      isAlive = false;
      socket.ping();
    }, PING_INTERVAL_MS);

    socket.on('close', () => {
      clearInterval(ping);
      stopHeldRetries(connection);
      connections.delete(connection);
      room.members.delete(connection);
      awarenessProtocol.removeAwarenessStates(room.awareness, [...connection.awarenessIds], null);
    });

    // Our side of the handshake: our state vector (the client answers with what we lack)…
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
    syncProtocol.writeSyncStep1(encoder, room.doc);
    connection.send(encoding.toUint8Array(encoder));
    // …who else is here…
    const states = room.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_TYPE.awareness);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...states.keys()]));
      connection.send(encoding.toUint8Array(aw));
    }
    // …and what is already safely stored.
    if (connection.wantsAcks) connection.send(persistedMessage(room.persistedStateVector()));

    deliver = (data) => handleMessage(connection, data);
    for (const data of early.splice(0)) handleMessage(connection, data);
  };

  const handleMessage = (connection: Connection, data: Uint8Array) => {
    const { socket, room } = connection;
    if (socket.readyState !== socket.OPEN) return;
    try {
      const decoder = decoding.createDecoder(data);
      const messageType = decoding.readVarUint(decoder);
      if (messageType === MESSAGE_TYPE.sync) {
        const syncType = decoding.readVarUint(decoder);
        if (syncType === syncProtocol.messageYjsSyncStep1) {
          // Answer only when everything the document holds is stored, so a device never
          // receives changes a crash could still take away from the relay (it would later
          // re-send them as its own — the server's settlement records included).
          const clientStateVector = decoding.readVarUint8Array(decoder);
          room.whenFullyStored(() => {
            const encoder = encoding.createEncoder();
            encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
            syncProtocol.writeSyncStep2(encoder, room.doc, clientStateVector);
            connection.send(encoding.toUint8Array(encoder));
          });
        } else if (syncType === syncProtocol.messageYjsSyncStep2 || syncType === syncProtocol.messageYjsUpdate) {
          // Offline edits arrive as step 2: it gets exactly the same checks as an update.
          acceptUpdate(connection, decoding.readVarUint8Array(decoder));
        } else {
          return refuse(socket, CLOSE_CODE.badRequest, REFUSAL_REASON.malformed);
        }
      } else if (messageType === MESSAGE_TYPE.awareness) {
        awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), connection);
      } else if (messageType === 3 /* query awareness */) {
        const encoder = encoding.createEncoder();
        encoding.writeVarUint(encoder, MESSAGE_TYPE.awareness);
        encoding.writeVarUint8Array(
          encoder,
          awarenessProtocol.encodeAwarenessUpdate(room.awareness, [...room.awareness.getStates().keys()]),
        );
        connection.send(encoding.toUint8Array(encoder));
      } else {
        return refuse(socket, CLOSE_CODE.badRequest, REFUSAL_REASON.malformed);
      }
    } catch {
      refuse(socket, CLOSE_CODE.badRequest, REFUSAL_REASON.malformed);
    }
  };

  type Refusal = { code: CloseCode; reason: RefusalReason; detail: string };
  const refuseUpdate = (connection: Connection, refusal: Refusal) => {
    console.warn(`[relay] refused an update on ${connection.room.name}: ${refusal.reason} (${refusal.detail})`);
    refuse(connection.socket, refusal.code, refusal.reason);
  };

  /**
   * Checks and applies one incoming update, or holds it until what it builds on has arrived.
   * `settled`: what Postgres holds of the settled orders it changes, once read for it.
   */
  const acceptUpdate = (connection: Connection, update: Uint8Array, settled?: SettledRead) => {
    if (update.byteLength > MAX_MESSAGE_BYTES) {
      return refuseUpdate(connection, { code: CLOSE_CODE.messageTooLarge, reason: REFUSAL_REASON.tooLarge, detail: `${update.byteLength} bytes` });
    }
    if (connection.waiting !== null) return void connection.waiting.push(update); // keep the device's order
    const { room, held } = connection;
    if (held.updates.length > 0 || !rotation.acceptsUpdates(room)) {
      if (held.updates.length === 0) held.since = Date.now();
      // Keep the connection's order: a later update is judged together with the held ones.
      held.updates.push(update);
      held.bytes += update.byteLength;
      startHeldRetries(connection);
      return retryHeld(connection);
    }
    const inspection = inspectUpdate(room.doc, update);
    if (inspection.unresolved) {
      held.updates.push(update);
      held.bytes += update.byteLength;
      held.since = Date.now();
      startHeldRetries(connection);
      return;
    }
    const refusal = checkWrites(room.doc, writerKind(connection.principal), inspection.writes);
    if (refusal) return refuseUpdate(connection, refusal);
    applyChecked(connection, update, inspection.writes, settled);
  };

  /**
   * Applies a checked update. One that changes settled orders (a late edit, SYNC-12) waits for
   * those orders' rows in Postgres first: after a crash, a device may re-send through a retired
   * generation a payment or line its successor settled already while the retired room's own copy
   * lost it, and that is not a late change (ROT-13) — no money to hand over, nothing to tell the
   * waiter. Meanwhile the connection's later updates wait behind it; then it is checked again
   * against the room as it is by then.
   */
  const applyChecked = (connection: Connection, update: Uint8Array, writes: Parameters<typeof checkWrites>[2], settled?: SettledRead) => {
    const { room } = connection;
    const late = lateSettledOrderEdits(room.doc, writerKind(connection.principal), writes);
    if (late.length === 0) return Y.applyUpdate(room.doc, update, connection);
    if (settled !== undefined || !options.settledContents) return applyLateEdit(connection, update, late, settled ?? null);
    connection.waiting = [];
    options
      .settledContents(late)
      .catch((error: unknown) => {
        console.error(`[relay] could not read settled orders ${late.join(', ')}, judging by the room's copy:`, (error as Error).message);
        return null;
      })
      .then((contents) => {
        const waiting = connection.waiting ?? [];
        connection.waiting = null;
        for (const next of [update, ...waiting]) {
          // A closed socket's updates were not acknowledged: its device sends them again.
          if (connection.socket.readyState !== connection.socket.OPEN) return;
          acceptUpdate(connection, next, next === update ? contents : undefined);
        }
      });
  };

  /** Applies a late edit: the settled orders leave the room first, and what is new is recorded. */
  const applyLateEdit = (connection: Connection, update: Uint8Array, late: string[], contents: ReadonlyMap<string, SettledContent> | null) => {
    const { room } = connection;
    // What the device meant, read before the order leaves (a scratch copy: the room is untouched).
    const scratch = new Y.Doc();
    Y.applyUpdate(scratch, Y.encodeStateAsUpdate(room.doc));
    Y.applyUpdate(scratch, update);
    const resent = new Set<string>();
    const edits = late.map((orderId): LateEdit => {
      const asMeant = readOrder(scratch, orderId);
      const asSettled = readOrder(room.doc, orderId);
      const order = asMeant.ok ? asMeant.value : null;
      const settled = asSettled.ok ? asSettled.value : null;
      const stored = contents?.get(orderId);
      const settledPayments = stored?.paymentIds ?? new Set(settled?.payments.map((p) => p.id) ?? []);
      const latePayments = (order?.payments ?? []).filter((p) => !settledPayments.has(p.id));
      if (stored !== undefined && order !== null && isHeldBySettledOrder(order, stored)) resent.add(orderId);
      return {
        orderId,
        order,
        settled,
        latePaymentIds: latePayments.map((p) => p.id),
        latePaymentMinor: latePayments.reduce((sum, p) => sum + p.amountMinor, 0),
      };
    });
    scratch.destroy();
    const meant = edits.filter((edit) => !resent.has(edit.orderId));
    const by = connection.principal.kind === 'device' ? connection.principal.deviceId : connection.principal.userId;
    // The settled order is in Postgres; out of the room, the late edit lands in a deleted map.
    // The device is told, through the order's settlement record, that its change went nowhere
    // (not for a re-send: that went where it belongs).
    room.doc.transact(() => {
      for (const orderId of late) ordersRoot(room.doc).delete(orderId);
      for (const edit of meant) {
        const record = readSettlement(room.doc, edit.orderId);
        if (!record) continue;
        const tableId = edit.settled?.tableId ?? edit.order?.tableId ?? null;
        writeSettlement(room.doc, edit.orderId, {
          ...record,
          lateChanges: [...record.lateChanges, { by, at: Date.now(), tableId, latePaymentMinor: edit.latePaymentMinor }],
        });
      }
    }, SERVER_ORIGIN);
    if (resent.size > 0) log(`[relay] re-sent changes of settled order(s) ${[...resent].join(', ')} on ${room.name}: Postgres holds them already`);
    if (meant.length > 0) {
      console.warn(`[relay] late edit of settled order(s) ${meant.map((e) => e.orderId).join(', ')} on ${room.name}: taken, changes nothing, recorded`);
      options.onLateEdit?.(room, connection.principal, meant);
    }
    Y.applyUpdate(room.doc, update, connection);
  };

  // Held updates may be completed by another device's or relay's changes: look again now and then,
  // but only while something is held.
  const startHeldRetries = (connection: Connection) => {
    connection.heldTimer ??= setInterval(() => retryHeld(connection), HELD_RETRY_MS);
  };
  const stopHeldRetries = (connection: Connection) => {
    if (connection.heldTimer) clearInterval(connection.heldTimer);
    connection.heldTimer = null;
  };

  const retryHeld = (connection: Connection) => {
    const { room, held } = connection;
    if (held.updates.length === 0 || connection.waiting !== null || connection.socket.readyState !== connection.socket.OPEN) return;
    // A retired generation takes changes only once they can be carried into its successor.
    if (!rotation.acceptsUpdates(room)) return;
    const merged = Y.mergeUpdates(held.updates);
    const inspection = inspectUpdate(room.doc, merged);
    if (inspection.unresolved) {
      if (held.bytes > HOLD_LIMIT_BYTES || Date.now() - held.since > HOLD_LIMIT_MS) {
        refuseUpdate(connection, { code: CLOSE_CODE.badRequest, reason: REFUSAL_REASON.unplaceable, detail: 'refers to items that never arrived' });
      }
      return;
    }
    held.updates = [];
    held.bytes = 0;
    stopHeldRetries(connection);
    const refusal = checkWrites(room.doc, writerKind(connection.principal), inspection.writes);
    if (refusal) return refuseUpdate(connection, refusal);
    applyChecked(connection, merged, inspection.writes);
  };

  wss.on('connection', (socket: WebSocket, request: IncomingMessage) => {
    onConnection(socket, request).catch((error: unknown) => {
      console.error('[relay] connection failed:', error);
      socket.close(1011, 'internal error');
    });
  });

  return {
    handleUpgrade(request, socket, head) {
      const address = request.socket.remoteAddress ?? 'unknown';
      const token = new URL(request.url ?? '/', 'http://relay').searchParams.get('token') ?? '';
      if (!perAddress.take(address) || (token !== '' && !perToken.take(token))) {
        socket.end('HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
        return;
      }
      wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
    },
    disconnectDevice(deviceId) {
      for (const c of connections) {
        if (c.principal.kind === 'device' && c.principal.deviceId === deviceId) {
          refuse(c.socket, CLOSE_CODE.unauthorized, REFUSAL_REASON.deviceRevoked);
        }
      }
    },
    disconnectSession(tokenHash) {
      for (const c of connections) {
        if (c.principal.kind === 'user' && c.principal.tokenHash === tokenHash) {
          refuse(c.socket, CLOSE_CODE.unauthorized, REFUSAL_REASON.sessionEnded);
        }
      }
    },
    room: getRoom,
    rotate: async (name) => rotation.rotate(await getRoom(name)),
    stats: () => ({ rooms: rooms.size, connections: connections.size, adapter: bus.adapter, busConnected: bus.isConnected() }),
    async close() {
      for (const c of connections) c.socket.terminate();
      const loaded = await Promise.allSettled(rooms.values());
      await rotation.close(); // background compactions finish before their rooms go
      for (const r of loaded) {
        if (r.status === 'fulfilled') {
          await r.value.flushed();
          r.value.destroy();
        }
      }
      rooms.clear();
      wss.close();
    },
  };
}

function persistedMessage(stateVector: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_TYPE.persisted);
  encoding.writeVarUint8Array(encoder, stateVector);
  return encoding.toUint8Array(encoder);
}
