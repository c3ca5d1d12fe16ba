/**
 * Room rotation: how a branch's live document stays small over a busy day (issue 3, point 3).
 *
 * A settled order is in Postgres, so the live document only needs what is still going on. The
 * server archives settled orders (deletes them from the document), but Yjs keeps a tombstone per
 * deleted map key, so the document still grows. So the server also rotates the room: it starts a
 * new generation (`branch.cairo` → `branch.cairo.g2` → …) holding only what is still live, chosen
 * by one rule per root (`CARRY_OVER_RULES`), and writes the new room's name into the old
 * document's server-owned `rotation` root. A room is never reset under the same name: devices
 * that still hold the old generation keep talking to it, and what they change there is carried
 * into the new one (`carryChanges`). See docs/PROTOCOL.md, "Rotation".
 *
 * Everything here is pure Yjs over the document model: the relay decides when and stores.
 */
import * as Y from 'yjs';
import { z } from 'zod';
import { orderIdOfReceiptKey, ordersRoot, readSettlement, ROOT, settlementRoot, ticketsRoot } from './live-doc';
import { kitchenTicketSchema } from './schemas/order';

/** SERVER-OWNED root of every generation: which generation it is, and its successor once retired. */
export const ROTATION_ROOT = 'rotation';

/** Transaction origin of changes the server carries from one generation into the next. */
export const CARRY_ORIGIN = 'restoflow-carry';

export const rotationRecordSchema = z.object({
  generation: z.number().int().min(1),
  /** The room this generation continues (null for the first). */
  previous: z.string().nullable(),
  /** Set when the server retires this generation: the room to move to. */
  next: z.string().nullable(),
  startedAt: z.number().int().nonnegative(),
  retiredAt: z.number().int().nonnegative().nullable(),
});
export type RotationRecord = z.infer<typeof rotationRecordSchema>;

const rotationRoot = (doc: Y.Doc) => doc.getMap<unknown>(ROTATION_ROOT);

/** The generation record; a document that never rotated is generation 1 with no record. */
export function readRotation(doc: Y.Doc): RotationRecord {
  const map = rotationRoot(doc);
  const parsed = rotationRecordSchema.safeParse({
    generation: map.get('generation') ?? 1,
    previous: map.get('previous') ?? null,
    next: map.get('next') ?? null,
    startedAt: map.get('startedAt') ?? 0,
    retiredAt: map.get('retiredAt') ?? null,
  });
  return parsed.success ? parsed.data : { generation: 1, previous: null, next: null, startedAt: 0, retiredAt: null };
}

/** The room a retired generation moved to, or null while it is the current one. */
export function successorRoom(doc: Y.Doc): string | null {
  const next = rotationRoot(doc).get('next');
  return typeof next === 'string' ? next : null;
}

export const isRetiredGeneration = (doc: Y.Doc): boolean => successorRoom(doc) !== null;

/** Server only: marks a generation as retired in favour of `next`. One key per field, set once. */
export function retireGeneration(doc: Y.Doc, next: string, now: number): void {
  doc.transact(() => {
    rotationRoot(doc).set('next', next);
    rotationRoot(doc).set('retiredAt', now);
  }, CARRY_ORIGIN);
}

/** Whether an order is still going on: open, or paid and not (yet) settled — rejected included. */
export function isOrderLive(doc: Y.Doc, orderId: string): boolean {
  const order = ordersRoot(doc).get(orderId);
  if (!(order instanceof Y.Map)) return false;
  return readSettlement(doc, orderId)?.status !== 'settled';
}

export interface CarryContext {
  /** The generation being carried from. */
  from: Y.Doc;
  /** Has the server taken this entry elsewhere (e.g. a receipt into its fiscal queue)? */
  isTakenByServer(root: string, key: string): boolean;
}

/**
 * Whether an entry of a root goes into the next generation. One line per root: a root the table
 * does not know is carried whole (nothing is ever dropped by omission).
 */
export type CarryRule = (key: string, value: unknown, context: CarryContext) => boolean;

/** Tickets of live orders, and any ticket the kitchen has not finished. */
function isTicketCarried(value: unknown, from: Y.Doc): boolean {
  const ticket = kitchenTicketSchema.safeParse(value);
  if (!ticket.success) return true; // unreadable: keep it where a person can see it
  return ticket.data.status !== 'ready' || isOrderLive(from, ticket.data.orderId);
}

/** Every root of the live document must have a rule here (the compiler checks). */
export const CARRY_OVER_RULES = {
  /** Open orders, and paid orders not settled yet (waiting, or rejected for a manager). */
  orders: (orderId, _value, { from }) => isOrderLive(from, orderId),
  tickets: (_ticketId, value, { from }) => isTicketCarried(value, from),
  /** Records of orders still live (a rejection stays visible); a settled order's goes with it. */
  settlement: (orderId, _value, { from }) => isOrderLive(from, orderId),
  /** Receipts the server has not taken into its fiscal queue, and those of live orders. */
  receipts: (key, _value, context) => isOrderLive(context.from, orderIdOfReceiptKey(key)) || !context.isTakenByServer('receipts', key),
  /** Print outcomes of the tickets that are carried. */
  printJobs: (ticketId, _value, { from }) => {
    const ticket = ticketsRoot(from).get(ticketId);
    return ticket !== undefined && isTicketCarried(ticket, from);
  },
  /** Written fresh for every generation. */
  [ROTATION_ROOT]: () => false,
} satisfies Record<(typeof ROOT)[keyof typeof ROOT] | typeof ROTATION_ROOT, CarryRule>;

const rulesByRoot: Readonly<Record<string, CarryRule | undefined>> = CARRY_OVER_RULES;
const ruleFor = (root: string): CarryRule => rulesByRoot[root] ?? (() => true);

/** A fresh copy of a document value: new shared types, same JSON. */
function copyValue(value: unknown): unknown {
  if (value instanceof Y.Map) {
    const map = new Y.Map<unknown>();
    for (const [key, inner] of value.entries()) map.set(key, copyValue(inner));
    return map;
  }
  if (value instanceof Y.Array) {
    const array = new Y.Array<unknown>();
    array.push(value.toArray().map(copyValue));
    return array;
  }
  if (value instanceof Y.Text) return new Y.Text(value.toString());
  return value;
}

/** Root maps the document has (names of shared types at the top level). */
function rootNames(doc: Y.Doc): string[] {
  return [...doc.share.keys()];
}

/**
 * Fills a fresh document (the next generation) with what is live in `from`, and its rotation
 * record. Call inside one transaction of `to`. Returns how many entries were carried per root.
 */
export function carryOver(
  from: Y.Doc,
  to: Y.Doc,
  record: Omit<RotationRecord, 'next' | 'retiredAt'>,
  isTakenByServer: CarryContext['isTakenByServer'] = (root, key) => root === 'receipts' && readSettlement(from, orderIdOfReceiptKey(key))?.status === 'settled',
): Record<string, number> {
  const context: CarryContext = { from, isTakenByServer };
  const counts: Record<string, number> = {};
  to.transact(() => {
    for (const root of rootNames(from)) {
      if (root === ROTATION_ROOT) continue;
      const source = from.getMap<unknown>(root);
      const target = to.getMap<unknown>(root);
      const rule = ruleFor(root);
      let carried = 0;
      for (const [key, value] of source.entries()) {
        if (!rule(key, value, context)) continue;
        target.set(key, copyValue(value));
        carried++;
      }
      counts[root] = carried;
    }
    const rotation = rotationRoot(to);
    rotation.set('generation', record.generation);
    rotation.set('previous', record.previous);
    rotation.set('startedAt', record.startedAt);
  }, CARRY_ORIGIN);
  return counts;
}

/** Resolves a path of map keys below a root; null if any step is missing or not a map. */
function mapAt(doc: Y.Doc, root: string, path: readonly (string | number)[]): Y.Map<unknown> | null {
  let current: Y.Map<unknown> = doc.getMap<unknown>(root);
  for (const step of path) {
    const next = typeof step === 'string' ? current.get(step) : undefined;
    if (!(next instanceof Y.Map)) return null;
    current = next;
  }
  return current;
}

/**
 * Keys of a map that a transaction touched but `event.keys` leaves out: mostly a key added and
 * removed in the same transaction, which Yjs reports as no change at all. That is no change for
 * the retired room, but a later generation may hold the add: a retired room stores a device's
 * change only after its carried copy is stored in the successor (which does the same with its
 * own), so a crash in between keeps the copy there and loses the change here; the device, which
 * meanwhile removed what it added (a line taken off before it was sent), then re-sends both at
 * once (ROT-12, CHAOS-01). Also a key set by a write that lost a conflict, which changed nothing
 * anywhere: only keys the retired room lacks are acted on (`carryRemovals`).
 */
function keysTouchedWithoutChange(event: Y.YEvent<Y.AbstractType<unknown>>): string[] {
  const changed = event.transaction.changed;
  const touched = changed.get(event.target as Parameters<typeof changed.get>[0]);
  if (!touched) return [];
  return [...touched].filter((key): key is string => key !== null && !event.keys.has(key));
}

/**
 * Makes each key the change touched and left absent in `source` (the retired room's map) absent
 * in `target` (the successor's): deletes it there, or, where the successor lacks it too, sets and
 * deletes it in one go. That is no change there either, but it is a touch the successor's own
 * carrying sees, so the removal travels down a chain of generations to the one that kept the key
 * (the crash that lost it here may have lost it in the successor as well). Costs one deleted item
 * per generation, only in this case. Returns how many keys it removed.
 */
function carryRemovals(event: Y.YEvent<Y.AbstractType<unknown>>, source: Y.Map<unknown>, target: Y.Map<unknown>, isLeftAlone: (key: string) => boolean = () => false): number {
  let removed = 0;
  for (const key of keysTouchedWithoutChange(event)) {
    if (source.has(key) || isLeftAlone(key)) continue;
    if (!target.has(key)) target.set(key, null);
    target.delete(key);
    removed++;
  }
  return removed;
}

/**
 * Carries changes a device made in a retired generation into its successor: what each change
 * set, replaced or deleted is set, replaced or deleted at the same place in `to`, and what the
 * change left absent here is absent there (see `keysTouchedWithoutChange`). An entry the
 * successor does not have (an order opened offline) is copied whole if its root's rule keeps
 * it. Entries the successor has closed (an order settled there) are left alone, as the relay
 * would refuse that write there. Call from `observeDeep` on the retired document's roots.
 */
export function carryChanges(root: string, events: readonly Y.YEvent<Y.AbstractType<unknown>>[], from: Y.Doc, to: Y.Doc): number {
  if (root === ROTATION_ROOT) return 0;
  const context: CarryContext = { from, isTakenByServer: () => false };
  const rule = ruleFor(root);
  const toRoot = to.getMap<unknown>(root);
  const fromRoot = from.getMap<unknown>(root);
  const copiedEntries = new Set<string>();
  let carried = 0;
  const isClosedInTarget = (entry: string) => root === 'orders' && readSettlement(to, entry)?.status === 'settled';
  const copyEntry = (entry: string) => {
    if (copiedEntries.has(entry)) return;
    copiedEntries.add(entry);
    const value = fromRoot.get(entry);
    if (isClosedInTarget(entry)) return;
    if (value === undefined) {
      if (toRoot.has(entry)) toRoot.delete(entry);
    } else if (toRoot.has(entry) || rule(entry, value, context)) {
      toRoot.set(entry, copyValue(value));
    }
    carried++;
  };
  const sorted = [...events].sort((a, b) => a.path.length - b.path.length);
  to.transact(() => {
    for (const event of sorted) {
      const path = event.path;
      const entry = path[0];
      if (typeof entry === 'string' && copiedEntries.has(entry)) continue;
      if (!(event.target instanceof Y.Map)) {
        // A nested array or text changed: replace the whole entry (the model has none today).
        if (typeof entry === 'string') copyEntry(entry);
        continue;
      }
      if (path.length === 0) {
        for (const key of event.keys.keys()) copyEntry(key);
        carried += carryRemovals(event, fromRoot, toRoot, isClosedInTarget);
        continue;
      }
      if (typeof entry !== 'string' || isClosedInTarget(entry)) continue;
      const target = mapAt(to, root, path);
      const source = mapAt(from, root, path);
      if (!target || !source) {
        copyEntry(entry); // the successor lacks the entry (or its shape differs): take it whole
        continue;
      }
      for (const [key, change] of event.keys) {
        if (change.action === 'delete') target.delete(key);
        else target.set(key, copyValue(source.get(key)));
        carried++;
      }
      carried += carryRemovals(event, source, target);
    }
  }, CARRY_ORIGIN);
  return carried;
}

/**
 * Server only: removes settled orders from the document, with their finished tickets and print
 * outcomes. The settlement record stays (it is what refuses a late edit of the order) until the
 * next rotation leaves it behind. Returns how many orders were archived.
 */
export function archiveSettledOrders(doc: Y.Doc, origin: unknown): number {
  const orders = ordersRoot(doc);
  const tickets = ticketsRoot(doc);
  const printJobs = doc.getMap<unknown>('printJobs');
  const settled = new Set<string>();
  for (const orderId of settlementRoot(doc).keys()) {
    if (readSettlement(doc, orderId)?.status === 'settled') settled.add(orderId);
  }
  const archivedOrders = [...orders.keys()].filter((id) => settled.has(id));
  const finishedTickets: string[] = [];
  for (const [ticketId, value] of tickets.entries()) {
    const ticket = kitchenTicketSchema.safeParse(value);
    if (ticket.success && ticket.data.status === 'ready' && settled.has(ticket.data.orderId)) finishedTickets.push(ticketId);
  }
  if (archivedOrders.length === 0 && finishedTickets.length === 0) return 0;
  doc.transact(() => {
    for (const id of archivedOrders) orders.delete(id);
    for (const id of finishedTickets) {
      tickets.delete(id);
      if (printJobs.has(id)) printJobs.delete(id);
    }
  }, origin);
  return archivedOrders.length;
}
