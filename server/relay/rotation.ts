/**
 * Bounded live documents: archiving settled orders and rotating a branch's room into a new
 * generation (shared/live-doc-carry-over.ts has the rules; docs/PROTOCOL.md, "Rotation").
 *
 * Ordering that matters:
 * - rotation runs under the branch's settlement lock (across relays too), so no settlement is
 *   half-way while the live orders are copied, and two relays never rotate one room twice;
 * - the next generation's first content (the carried orders) is stored before the old one's
 *   pointer to it: the old room's commits wait for the new room's (`commitAfter`). A crash in
 *   between leaves an unreferenced room, which the next rotation skips (a room is never reused);
 * - a device's change applied to a retired generation is carried into the successor in the same
 *   synchronous step, and the retired room commits (and acknowledges) it only after the carried
 *   copy is stored. So an acknowledged late change is never lost, and one lost to a crash is
 *   re-sent by its device (not acknowledged) and carried again;
 * - a retired room accepts a device's changes only once its successor is loaded and linked;
 *   until then they wait with the connection's held updates.
 * - the successor's settlement outcomes are mirrored back into the retired document, so a device
 *   still on it (the stock client cannot move) sees its orders settle, and the write policy
 *   there refuses edits of orders settled after the rotation.
 */
import * as Y from 'yjs';
import {
  archiveSettledOrders,
  carryChanges,
  carryOver,
  CARRY_OVER_RULES,
  type CarryContext,
  ROTATION_ROOT,
  isRetiredGeneration,
  retireGeneration,
  successorRoom,
} from '../../shared/live-doc-carry-over';
import { ordersRoot, SERVER_ORIGIN, settlementRoot } from '../../shared/live-doc';
import { generationOfRoom, roomForGeneration } from '../../shared/protocol';
import type { SettlementRecord } from '../../shared/schemas/order';
import type { DocumentStore } from '../db/document-store';
import { BUS_ORIGIN, type Room } from './room';
import type { RoomBus } from './room-bus';

/** When a current generation is rotated (server/config.ts reads them from the environment). */
export interface RotationPolicy {
  /** Rotate once the live document encodes to more than this (tombstones of archived orders). */
  maxDocumentKB: number;
  /** …or once this many settled orders have passed through the generation. */
  maxSettledOrders: number;
  /** …or once the generation's stored update log exceeds this (bounds the load time). */
  maxLogKB: number;
  /** Delete settled orders from the live document (they are in Postgres). */
  archiveSettled: boolean;
  /** How often a busy room is checked at most. */
  checkEveryMs: number;
}

export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  maxDocumentKB: 192,
  maxSettledOrders: 1_000,
  maxLogKB: 2_048,
  archiveSettled: true,
  checkEveryMs: 1_000,
};

export interface Rotation {
  /** Prepares a freshly loaded room: a retired one is linked to its successor before use. */
  attach(room: Room): Promise<void>;
  /** Whether devices' changes to this room may be applied now (false while linking). */
  acceptsUpdates(room: Room): boolean;
  /** Rotates a current room now; returns the successor's name (the existing one if retired). */
  rotate(room: Room): Promise<string>;
}

interface RotationDeps {
  store: DocumentStore;
  bus: RoomBus;
  getRoom(name: string): Promise<Room>;
  policy: RotationPolicy | null;
  /**
   * Which entries the server has already taken elsewhere (e.g. receipts in its fiscal queue),
   * asked once per rotation; by default a receipt counts as taken once its order is settled.
   */
  takenByServer?: (room: Room) => Promise<CarryContext['isTakenByServer']>;
  log(line: string): void;
}

/** Changes of devices (and carried ones from an older generation) are carried; the rest are not. */
function isCarried(origin: unknown): boolean {
  return origin !== 'load' && origin !== BUS_ORIGIN && origin !== SERVER_ORIGIN;
}

export function createRotation(deps: RotationDeps): Rotation {
  const links = new Map<Room, 'linking' | 'linked'>();

  /** Carries late changes from a retired room into its successor and mirrors settlements back. */
  const link = (room: Room, successor: Room) => {
    if (links.get(room) === 'linked') return;
    links.set(room, 'linked');
    room.commitAfter(() => successor.flushed());
    const roots = new Set([...Object.keys(CARRY_OVER_RULES), ...room.doc.share.keys()]);
    roots.delete(ROTATION_ROOT);
    for (const root of roots) {
      room.doc.getMap<unknown>(root).observeDeep((events, transaction) => {
        if (!isCarried(transaction.origin)) return;
        carryChanges(root, events, room.doc, successor.doc);
      });
    }
    const mirror = (orderIds: Iterable<string>) => {
      const changed: [string, SettlementRecord][] = [];
      for (const orderId of orderIds) {
        if (!ordersRoot(room.doc).has(orderId) && !settlementRoot(room.doc).has(orderId)) continue;
        const record = settlementRoot(successor.doc).get(orderId);
        if (record === undefined || JSON.stringify(record) === JSON.stringify(settlementRoot(room.doc).get(orderId))) continue;
        changed.push([orderId, record]);
      }
      if (changed.length === 0) return;
      room.doc.transact(() => {
        for (const [orderId, record] of changed) settlementRoot(room.doc).set(orderId, record);
      }, SERVER_ORIGIN);
    };
    settlementRoot(successor.doc).observe((event) => mirror(event.keys.keys()));
    mirror(settlementRoot(successor.doc).keys());
  };

  const linkToSuccessor = async (room: Room) => {
    const next = successorRoom(room.doc);
    if (next === null || links.has(room)) return;
    links.set(room, 'linking');
    try {
      link(room, await deps.getRoom(next));
    } catch (error) {
      links.delete(room);
      throw error;
    }
  };

  const rotate = (room: Room): Promise<string> =>
    deps.bus.withLock(`settle:${room.branchId}`, async () => {
      const existing = successorRoom(room.doc);
      if (existing !== null) return existing;
      // A room name left by a rotation that crashed before its pointer was stored is skipped:
      // nobody may have seen it, but it is never reused.
      let generation = (generationOfRoom(room.name) ?? 1) + 1;
      while ((await deps.store.load(roomForGeneration(room.branchId, generation))).length > 0) generation++;
      const nextName = roomForGeneration(room.branchId, generation);
      const next = await deps.getRoom(nextName);
      const isTakenByServer = deps.takenByServer ? await deps.takenByServer(room) : undefined;
      if (successorRoom(room.doc) !== null) return successorRoom(room.doc)!; // another relay was faster
      // No await from here until both documents are changed: nothing slips in between.
      const now = Date.now();
      room.commitAfter(() => next.flushed());
      const counts = carryOver(room.doc, next.doc, { generation, previous: room.name, startedAt: now }, isTakenByServer);
      retireGeneration(room.doc, nextName, now);
      link(room, next);
      await room.flushed();
      deps.log(`[relay] rotated ${room.name} → ${nextName} (${Object.entries(counts).map(([r, n]) => `${r} ${n}`).join(', ')})`);
      return nextName;
    });

  const watchPolicy = (room: Room, policy: RotationPolicy) => {
    let logBytes = Y.encodeStateAsUpdate(room.doc).byteLength;
    let lastCheck = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let isRotating = false;
    const settledOrders = () => {
      let n = 0;
      for (const record of settlementRoot(room.doc).values()) if (record.status === 'settled') n++;
      return n;
    };
    const check = () => {
      timer = null;
      lastCheck = Date.now();
      if (isRetiredGeneration(room.doc) || isRotating) return;
      if (policy.archiveSettled) archiveSettledOrders(room.doc, SERVER_ORIGIN);
      const documentBytes = Y.encodeStateAsUpdate(room.doc).byteLength;
      // Rotating helps only if much of what is over a limit is history: when what is live is
      // itself large (a burst of orders waiting to settle), the new generation would be over
      // that limit at once. The settled-order count always drops to zero.
      let carriedBytes: number | null = null;
      const carried = () => {
        if (carriedBytes === null) {
          const trial = new Y.Doc();
          carryOver(room.doc, trial, { generation: 2, previous: null, startedAt: 0 });
          carriedBytes = Y.encodeStateAsUpdate(trial).byteLength;
          trial.destroy();
        }
        return carriedBytes;
      };
      const reasons: { why: string; limit: number }[] = [];
      if (documentBytes > policy.maxDocumentKB * 1024) reasons.push({ why: `document ${Math.round(documentBytes / 1024)} KB`, limit: policy.maxDocumentKB * 1024 });
      if (logBytes > policy.maxLogKB * 1024) reasons.push({ why: `update log ${Math.round(logBytes / 1024)} KB`, limit: policy.maxLogKB * 1024 });
      if (settledOrders() >= policy.maxSettledOrders) reasons.push({ why: `${policy.maxSettledOrders} settled orders`, limit: Infinity });
      const reason = reasons.find((r) => r.limit === Infinity || carried() * 2 <= r.limit)?.why ?? null;
      if (reason === null) return;
      isRotating = true;
      deps.log(`[relay] rotating ${room.name}: ${reason}`);
      rotate(room)
        .catch((error: unknown) => deps.log(`[relay] could not rotate ${room.name}: ${(error as Error).message}`))
        .finally(() => (isRotating = false));
    };
    room.onStored((updates) => {
      for (const { update } of updates) logBytes += update.byteLength;
      if (timer !== null || isRetiredGeneration(room.doc)) return;
      timer = setTimeout(check, Math.max(0, lastCheck + policy.checkEveryMs - Date.now()));
      timer.unref?.();
    });
  };

  return {
    async attach(room) {
      // Another relay may retire this room while we hold it: link as soon as we see the pointer.
      room.doc.getMap<unknown>(ROTATION_ROOT).observe(() => {
        linkToSuccessor(room).catch((error: unknown) => deps.log(`[relay] could not link ${room.name}: ${(error as Error).message}`));
      });
      if (isRetiredGeneration(room.doc)) await linkToSuccessor(room);
      else if (deps.policy) watchPolicy(room, deps.policy);
    },
    acceptsUpdates: (room) => !isRetiredGeneration(room.doc) || links.get(room) === 'linked',
    rotate,
  };
}
