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
 *
 * Besides the size policy, a current generation rotates once per business day (`dailyAt` in the
 * branch's time zone, business-day.ts). Every loaded room's stored log is compacted in the
 * background (compaction.ts), and retired generations past the retention period are pruned to a
 * tombstone (retention.ts); a periodic sweep runs the daily check and the retention.
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
  readRotation,
  retireGeneration,
  successorRoom,
} from '../../shared/live-doc-carry-over';
import { ordersRoot, SERVER_ORIGIN, settlementRoot, ticketsRoot } from '../../shared/live-doc';
import { generationOfRoom, roomForGeneration } from '../../shared/protocol';
import type { SettlementRecord } from '../../shared/schemas/order';
import type { DocumentStore } from '../db/document-store';
import { businessDayOf } from './business-day';
import { DEFAULT_COMPACTION_POLICY, watchCompaction, type CompactionPolicy, type RoomCompaction } from './compaction';
import { createRetention } from './retention';
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
  /** Also rotate once per business day, starting at this local time ("HH:MM"); absent/null: never. */
  dailyAt?: string | null;
  /** IANA time zone of `dailyAt` (default Africa/Cairo). */
  timeZone?: string;
  /** When a room's stored log is compacted in the background (default DEFAULT_COMPACTION_POLICY). */
  compaction?: CompactionPolicy;
  /** Retired generations are pruned to a tombstone this many days after retiring; absent/0: kept. */
  retainRetiredDays?: number;
  /** How often the daily rotation and the retention are looked at besides after stored changes. */
  sweepEveryMs?: number;
  /** The clock for business days, rotation records and retention (tests inject one). */
  clock?: () => number;
}

/** How long a size rotation that would not help is left alone (unless orders settle meanwhile). */
export const DECLINED_SIZE_RECHECK_MS = 30_000;

export const DEFAULT_ROTATION_POLICY: RotationPolicy = {
  maxDocumentKB: 192,
  maxSettledOrders: 1_000,
  maxLogKB: 2_048,
  archiveSettled: true,
  checkEveryMs: 1_000,
  dailyAt: '04:00',
  timeZone: 'Africa/Cairo',
  compaction: DEFAULT_COMPACTION_POLICY,
  retainRetiredDays: 7,
  sweepEveryMs: 5 * 60_000,
};

export interface Rotation {
  /** Prepares a freshly loaded room: a retired one is linked to its successor before use. */
  attach(room: Room): Promise<void>;
  /** Whether devices' changes to this room may be applied now (false while linking). */
  acceptsUpdates(room: Room): boolean;
  /** Rotates a current room now; returns the successor's name (the existing one if retired). */
  rotate(room: Room): Promise<string>;
  /** Runs the daily-rotation check and the retention of retired generations now (also periodic). */
  sweep(): Promise<void>;
  /** The background compaction of a loaded room. */
  compaction(room: Room): RoomCompaction | undefined;
  /** Stops the periodic sweep and waits for running compactions (before the rooms are destroyed). */
  close(): Promise<void>;
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
  const clock = deps.policy?.clock ?? Date.now;
  const compactions = new Map<Room, RoomCompaction>();
  /** Current generations' checks, for the sweep. */
  const checks = new Map<Room, () => void>();
  const retention = createRetention({ store: deps.store, log: deps.log });
  let sweepTimer: ReturnType<typeof setInterval> | null = null;
  let sweeping: Promise<void> | null = null;
  let isClosed = false;

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
      const now = clock();
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
    // The check below runs up to once a second in every busy room. Encoding the whole document to
    // learn its size, and scanning every settlement and ticket to archive, cost as much as a
    // fifth of the relay's CPU under the 1,000-client load (docs/PERFORMANCE.md), so both are done
    // only when they can matter:
    // - the size is measured again only when it could be over the limit: an update grows the
    //   encoded document by at most about its own size (splitting an item adds a few bytes, so
    //   twice the stored bytes plus 1 KB bounds it safely);
    // - settled orders are archived (and counted) only after the settlements or tickets changed.
    // - when a size limit is passed but rotating would not help (what would be carried is itself
    //   large: many orders open at once), the size is looked at again only after
    //   `DECLINED_SIZE_RECHECK_MS` or once settlements or tickets change (orders leaving are what
    //   makes rotating help). Without this, a busy evening's room over the limit encoded its whole
    //   document and a trial next generation every second; at 5,000 clients that held the relay's
    //   event loop for seconds.
    let measuredBytes = logBytes;
    let storedSinceMeasured = 0;
    let sizeDeclinedUntil = 0;
    let settlementsOrTicketsChanged = true;
    let settledCount = 0;
    const markChanged = () => (settlementsOrTicketsChanged = true);
    settlementRoot(room.doc).observe(markChanged);
    ticketsRoot(room.doc).observe(markChanged);
    // The first generation has no rotation record: its day is the one this relay loaded it in.
    const loadedAt = clock();
    const businessDay = (at: number) => businessDayOf(at, policy.dailyAt!, policy.timeZone ?? 'Africa/Cairo');
    let lastCheck = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let isRotating = false;
    let startDay: { raw: unknown; day: string } = { raw: Symbol('not yet'), day: '' }; // the day the generation started in
    const settledOrders = () => {
      let n = 0;
      for (const record of settlementRoot(room.doc).values()) if (record.status === 'settled') n++;
      return n;
    };
    const check = () => {
      timer = null;
      lastCheck = Date.now();
      if (isRetiredGeneration(room.doc) || isRotating) return;
      if (settlementsOrTicketsChanged) {
        settlementsOrTicketsChanged = false;
        sizeDeclinedUntil = 0;
        if (policy.archiveSettled) archiveSettledOrders(room.doc, SERVER_ORIGIN);
        settledCount = settledOrders();
      }
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
      if (Date.now() >= sizeDeclinedUntil) {
        const documentLimit = policy.maxDocumentKB * 1024;
        if (measuredBytes + 2 * storedSinceMeasured + 1024 > documentLimit) {
          measuredBytes = Y.encodeStateAsUpdate(room.doc).byteLength;
          storedSinceMeasured = 0;
          if (measuredBytes > documentLimit) reasons.push({ why: `document ${Math.round(measuredBytes / 1024)} KB`, limit: documentLimit });
        }
        if (logBytes > policy.maxLogKB * 1024) reasons.push({ why: `update log ${Math.round(logBytes / 1024)} KB`, limit: policy.maxLogKB * 1024 });
      }
      if (settledCount >= policy.maxSettledOrders) reasons.push({ why: `${policy.maxSettledOrders} settled orders`, limit: Infinity });
      if (policy.dailyAt) {
        // The record is parsed only when its start time changed (that is, once per generation).
        const rawStartedAt = room.doc.getMap<unknown>(ROTATION_ROOT).get('startedAt');
        if (rawStartedAt !== startDay.raw) {
          const startedAt = readRotation(room.doc).startedAt || loadedAt;
          startDay = { raw: rawStartedAt, day: businessDay(startedAt) };
        }
        const today = businessDay(clock());
        if (today !== startDay.day) reasons.push({ why: `business day ${today} began`, limit: Infinity });
      }
      const reason = reasons.find((r) => r.limit === Infinity || carried() * 2 <= r.limit)?.why ?? null;
      if (reason === null) {
        if (reasons.length > 0) {
          sizeDeclinedUntil = Date.now() + DECLINED_SIZE_RECHECK_MS;
          deps.log(
            `[relay] not rotating ${room.name} (${reasons.map((r) => r.why).join(', ')}): what would be carried over is ` +
              `${Math.round(carried() / 1024)} KB itself; looking again once orders settle, or in ${DECLINED_SIZE_RECHECK_MS / 1000} s`,
          );
        }
        return;
      }
      isRotating = true;
      deps.log(`[relay] rotating ${room.name}: ${reason}`);
      rotate(room)
        .catch((error: unknown) => deps.log(`[relay] could not rotate ${room.name}: ${(error as Error).message}`))
        .finally(() => (isRotating = false));
    };
    const scheduleCheck = () => {
      if (timer !== null || isRetiredGeneration(room.doc)) return;
      timer = setTimeout(check, Math.max(0, lastCheck + policy.checkEveryMs - Date.now()));
      timer.unref?.();
    };
    room.onStored((updates) => {
      for (const { update } of updates) {
        logBytes += update.byteLength;
        storedSinceMeasured += update.byteLength;
      }
      scheduleCheck();
    });
    checks.set(room, scheduleCheck);
    if (policy.dailyAt) scheduleCheck(); // a room loaded on a later business day rotates at once
  };

  const sweepOnce = async () => {
    const policy = deps.policy;
    for (const [room, scheduleCheck] of checks) {
      if (isClosed) return;
      if (isRetiredGeneration(room.doc)) {
        checks.delete(room);
        continue;
      }
      scheduleCheck(); // the daily rotation of a room nobody changes
      if (!policy?.retainRetiredDays) continue;
      const inUse = new Set([...links.keys()].filter((r) => r.members.size > 0).map((r) => r.name));
      await retention.sweep(room, { now: clock(), retainDays: policy.retainRetiredDays, isInUse: (name) => inUse.has(name) });
    }
  };
  const sweep = (): Promise<void> => {
    sweeping ??= sweepOnce()
      .catch((error: unknown) => deps.log(`[relay] sweep failed: ${(error as Error).message}`))
      .finally(() => (sweeping = null));
    return sweeping;
  };

  return {
    async attach(room) {
      const compaction = watchCompaction(room, {
        store: deps.store,
        bus: deps.bus,
        policy: deps.policy?.compaction ?? DEFAULT_COMPACTION_POLICY,
        loaded: room.loadedLog,
        isRetired: () => isRetiredGeneration(room.doc),
        log: deps.log,
      });
      compactions.set(room, compaction);
      room.doc.on('destroy', () => {
        compaction.stop();
        compactions.delete(room);
        checks.delete(room);
      });
      if (deps.policy && sweepTimer === null && !isClosed) {
        sweepTimer = setInterval(() => void sweep(), deps.policy.sweepEveryMs ?? DEFAULT_ROTATION_POLICY.sweepEveryMs!);
        sweepTimer.unref?.();
      }
      // Another relay may retire this room while we hold it: link as soon as we see the pointer.
      room.doc.getMap<unknown>(ROTATION_ROOT).observe(() => {
        linkToSuccessor(room).catch((error: unknown) => deps.log(`[relay] could not link ${room.name}: ${(error as Error).message}`));
      });
      if (isRetiredGeneration(room.doc)) await linkToSuccessor(room);
      else if (deps.policy) watchPolicy(room, deps.policy);
    },
    acceptsUpdates: (room) => !isRetiredGeneration(room.doc) || links.get(room) === 'linked',
    rotate,
    sweep,
    compaction: (room) => compactions.get(room),
    async close() {
      isClosed = true;
      if (sweepTimer !== null) clearInterval(sweepTimer);
      await sweeping;
      await Promise.all([...compactions.values()].map((c) => c.idle()));
      for (const c of compactions.values()) c.stop();
    },
  };
}
