/**
 * Chaos for the relay (issue 3, point 4). Clients using the stock y-websocket WebsocketProvider
 * make random order edits across three branch rooms — open orders, add lines, void unsent lines,
 * send to the kitchen, pay (sometimes split across two tenders) — while the relay process is
 * killed with SIGKILL and restarted at random moments. Afterwards:
 * - every client and the database agree on every document (state vectors and contents);
 * - every paid order has exactly one row in `orders` (and nothing else does);
 * - no edit is lost: every line a client added and did not void is in the stored document;
 * - every client's changes are acknowledged as stored (its pending count is zero).
 * With `rotation`, the relay also archives settled orders and rotates rooms by that policy while
 * the clients (stock ones, which stay on the room they joined) keep editing the retired
 * generations: then the lines of a paid order in `order_lines`, and those of an order still open
 * in the branch's current generation (carried), must be exactly the lines its client kept.
 * `runChaos` returns the figures; relay-chaos.test.ts runs a short form, `npm run chaos` a long one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as decoding from 'lib0/decoding';
import pg from 'pg';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import {
  addLine,
  listOrders,
  ordersRoot,
  settlementRoot,
  ticketsRoot,
  openOrder,
  readOrder,
  readSettlement,
  recordPayment,
  removeUnsentLine,
  sendToKitchen,
} from '../../shared/live-doc';
import { priceOrder } from '../../shared/pricing';
import { isRetiredGeneration, successorRoom } from '../../shared/live-doc-carry-over';
import { MESSAGE_TYPE, roomNameForBranch } from '../../shared/protocol';
import { catalogSchema, type Catalog } from '../../shared/schemas/catalog';
import { openPglite, openPostgres, type Database } from '../../server/db/database';
import type { RotationPolicy } from '../../server/relay/rotation';

export interface ChaosOptions {
  clients: number;
  kills: number;
  /** Pause between kills, ms (random within). */
  killEveryMs: [number, number];
  /** Pause between a client's edits, ms (random within). */
  editEveryMs: [number, number];
  /** Postgres URL to run against; otherwise PGlite in a temp folder. */
  databaseUrl?: string;
  /** Archive and rotate rooms by this policy (off when absent). */
  rotation?: RotationPolicy;
  log?: (line: string) => void;
}

export interface ChaosReport {
  engine: 'pglite' | 'postgres';
  kills: number;
  clients: number;
  edits: number;
  ordersOpened: number;
  ordersPaid: number;
  settledRows: number;
  duplicateRows: number;
  unexpectedRows: number;
  lostLines: string[];
  /** Rooms rotated (generations beyond the first, all branches). */
  rotations: number;
  /** Lines of open orders missing from their branch's current generation. */
  uncarriedLines: string[];
  /**
   * Lines a client does not have (it removed them, or never added them) that are on its order
   * in Postgres (paid) or in the branch's current generation (open).
   */
  extraLines: string[];
  unsettledPaidOrders: string[];
  /**
   * Late changes the server recorded (audit `late-change`). The clients here never touch an order
   * once they paid it, so each one is a re-send after a crash taken for a late change: a waiter
   * would be told to hand money to the manager that was never taken twice.
   */
  lateChanges: string[];
  divergentClients: string[];
  clientsWithPendingChanges: number;
  refusedClients: string[];
  /** For the first divergent client: what differs, to debug a failure. */
  divergenceSample: string | null;
  /**
   * For each unsettled paid order, to debug a failure: the order in its client's document and in
   * every stored generation of its branch (status, lines, payments, settlement record), and any
   * refusal stored for it.
   */
  unsettledDetail: string[];
  /** The relay's lines that tell of a failure (could not…, failed, refused), first 40. */
  relayProblems: string[];
  seconds: number;
}

const BRANCHES = ['cairo', 'alex', 'giza'] as const;

/** Order-independent forms: replicas integrate the same updates in different orders, and
 * `encodeStateVector` / `toJSON` follow Map insertion order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
/** The document's contents through its typed roots (a fresh doc's untyped roots don't render). */
function contents(doc: Y.Doc): Record<string, Record<string, unknown>> {
  return { orders: ordersRoot(doc).toJSON(), tickets: ticketsRoot(doc).toJSON(), settlement: settlementRoot(doc).toJSON() };
}
function canonicalStateVector(doc: Y.Doc): string {
  return [...Y.decodeStateVector(Y.encodeStateVector(doc)).entries()].sort((a, b) => a[0] - b[0]).map(([c, k]) => `${c}:${k}`).join(',');
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = ([lo, hi]: [number, number]) => lo + Math.random() * (hi - lo);
const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface ChaosClient {
  name: string;
  branchId: string;
  doc: Y.Doc;
  provider: WebsocketProvider;
  catalog: Catalog;
  currentOrder: string | null;
  /** Lines this client added and did not void, per order. */
  keptLines: Map<string, Set<string>>;
  paid: Set<string>;
  acked: Map<number, number>;
  refusal: string | null;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const started = Date.now();
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = mkdtempSync(join(tmpdir(), 'rf-chaos-'));
  const schema = `rf_chaos_${process.pid}_${randomBytes(3).toString('hex')}`;
  if (options.databaseUrl) {
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    await admin.end();
  }
  const devices = Array.from({ length: options.clients }, (_, i) => [BRANCHES[i % BRANCHES.length]!, `dev_chaos_${randomBytes(18).toString('base64url')}`] as [string, string]);

  let relay: ChildProcess | null = null;
  const relayProblems: string[] = [];
  const startRelay = async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/chaos/chaos-relay.ts', '--port', String(port), '--data-dir', dataDir, '--schema', schema, '--devices', JSON.stringify(devices)],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: {
          ...process.env,
          ...(options.databaseUrl ? { CHAOS_DATABASE_URL: options.databaseUrl } : {}),
          ...(options.rotation ? { CHAOS_ROTATION: JSON.stringify(options.rotation) } : {}),
        },
      },
    );
    child.stderr?.on('data', (d: Buffer) => {
      const text = d.toString();
      for (const line of text.split('\n')) {
        if (/could not|failed|error|refused/i.test(line) && relayProblems.length < 40) relayProblems.push(line.slice(0, 400));
      }
      if (!/ExperimentalWarning|MaxListeners|trace-warnings|refused an update/.test(text)) log(`[relay] ${text.trim()}`);
      if (/refused an update/.test(text)) log(`[relay] ${text.trim()}`);
    });
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => line.startsWith('ready') && resolve());
      child.once('exit', (code) => reject(new Error(`relay exited during start (${code})`)));
    });
    relay = child;
  };
  const killRelay = async (signal: NodeJS.Signals) => {
    const child = relay;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
    relay = null;
  };

  await startRelay();
  const catalogs = new Map<string, Catalog>();
  for (const branchId of BRANCHES) {
    const token = devices.find(([b]) => b === branchId)![1];
    const res = await fetch(`${base}/api/branches/${branchId}/catalog`, { headers: { authorization: `Bearer ${token}` } });
    catalogs.set(branchId, catalogSchema.parse(await res.json()));
  }

  const clients: ChaosClient[] = devices.map(([branchId, token], i) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://127.0.0.1:${port}/sync`, roomNameForBranch(branchId), doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: { token, ack: '1' },
      disableBc: true,
      maxBackoffTime: 1_000,
    });
    const client: ChaosClient = {
      name: `client-${i}@${branchId}`, branchId, doc, provider, catalog: catalogs.get(branchId)!, currentOrder: null,
      keptLines: new Map(), paid: new Set(), acked: new Map(), refusal: null,
    };
    provider.messageHandlers[MESSAGE_TYPE.persisted] = (_encoder, decoder) => {
      client.acked = Y.decodeStateVector(decoding.readVarUint8Array(decoder));
    };
    provider.on('connection-close', (event) => {
      if (event && event.code >= 4400 && event.code < 4500) client.refusal = `${event.code} ${event.reason}`;
    });
    return client;
  });

  // Random edits, each client on its own orders (a paid order is never touched again).
  let edits = 0;
  let ordersOpened = 0;
  let isEditing = true;
  const editLoop = async (c: ChaosClient) => {
    while (isEditing) {
      await sleep(between(options.editEveryMs));
      if (!isEditing) break;
      const now = Date.now();
      if (c.currentOrder === null) {
        const orderId = randomUUID();
        openOrder(c.doc, {
          id: orderId, branchId: c.branchId, type: Math.random() < 0.8 ? 'dine-in' : 'takeaway',
          tableId: pick(c.catalog.tables).id, guests: 2, openedAt: now, openedBy: 'sara', deviceId: 'chaos',
        });
        c.currentOrder = orderId;
        c.keptLines.set(orderId, new Set());
        ordersOpened++;
      } else {
        const orderId = c.currentOrder;
        const read = readOrder(c.doc, orderId);
        if (!read.ok) throw new Error(`${c.name}: own order unreadable: ${read.error}`);
        const order = read.value;
        const roll = Math.random();
        const unsent = order.lines.filter((l) => l.ticketId === null);
        const isPartlyPaid = order.payments.length > 0; // after a first tender only the rest is paid
        if (!isPartlyPaid && (roll < 0.55 || order.lines.length === 0)) {
          const item = pick(c.catalog.items);
          const modifiers = item.modifierGroupIds.flatMap((gid) => {
            const group = c.catalog.modifierGroups.find((g) => g.id === gid)!;
            return group.minSelect > 0 ? [pick(group.options)].map((o) => ({ groupId: gid, optionId: o.id, nameEn: o.nameEn, nameAr: o.nameAr, priceMinor: o.priceMinor })) : [];
          });
          const lineId = randomUUID();
          addLine(c.doc, orderId, {
            id: lineId, itemId: item.id, nameEn: item.nameEn, nameAr: item.nameAr, qty: 1 + Math.floor(Math.random() * 3),
            unitPriceMinor: item.priceMinor, modifiers, note: '', station: item.station, addedBy: 'sara', addedAt: now, ticketId: null,
          });
          c.keptLines.get(orderId)!.add(lineId);
        } else if (!isPartlyPaid && roll < 0.65 && unsent.length > 0) {
          const line = pick(unsent);
          removeUnsentLine(c.doc, orderId, line.id); // a void before it was sent
          c.keptLines.get(orderId)!.delete(line.id);
        } else if (!isPartlyPaid && roll < 0.85) {
          sendToKitchen(c.doc, { orderId, newTicketId: () => randomUUID(), tableLabel: 'T', by: 'sara', waiterName: 'Sara', now });
        } else {
          const { lines: _lines, ...totals } = priceOrder(order.lines, c.catalog.tax, order.type);
          const paidSoFar = order.payments.reduce((s, p) => s + p.amountMinor, 0);
          const owed = totals.totalMinor - paidSoFar;
          // Split tender: half now (card), the rest on a later turn (cash, with change).
          const amount = paidSoFar === 0 && Math.random() < 0.4 ? Math.floor(owed / 2) : owed;
          const tendered = amount === owed ? Math.ceil(amount / 5_000) * 5_000 : amount;
          recordPayment(c.doc, orderId, {
            id: randomUUID(), method: amount === owed ? 'cash' : 'card', amountMinor: amount, tenderedMinor: tendered,
            changeMinor: tendered - amount, at: now, by: 'sara',
          }, totals, now);
          if (amount === owed) {
            c.paid.add(orderId);
            c.currentOrder = null;
          }
        }
      }
      edits++;
    }
  };
  const loops = clients.map((c) => editLoop(c));

  for (let k = 0; k < options.kills; k++) {
    await sleep(between(options.killEveryMs));
    await killRelay('SIGKILL');
    log(`killed the relay (${k + 1}/${options.kills}) after ${edits} edits`);
    await sleep(Math.random() * 500);
    await startRelay();
  }
  await sleep(between(options.killEveryMs));
  isEditing = false;
  await Promise.all(loops);

  // Quiet period: wait until every client is synced and sees its changes stored and settled.
  const ownClock = (c: ChaosClient) => Y.decodeStateVector(Y.encodeStateVector(c.doc)).get(c.doc.clientID) ?? 0;
  const deadline = Date.now() + 90_000;
  const isQuiet = () =>
    clients.every((c) => c.refusal !== null || (
      c.provider.synced &&
      (c.acked.get(c.doc.clientID) ?? 0) >= ownClock(c) &&
      [...c.paid].every((id) => readSettlement(c.doc, id)?.status === 'settled')
    ));
  while (!isQuiet() && Date.now() < deadline) await sleep(200);
  // and every client of a room has the same document
  const sameState = () =>
    BRANCHES.every((b) => new Set(clients.filter((c) => c.branchId === b).map((c) => canonicalStateVector(c.doc))).size <= 1);
  while (!sameState() && Date.now() < deadline) await sleep(200);

  await killRelay('SIGTERM');
  for (const c of clients) c.provider.destroy();

  // Verification against what is stored.
  const db: Database = options.databaseUrl ? await openPostgres(options.databaseUrl, { searchPath: schema }) : await openPglite(dataDir);
  try {
    const loadStored = async (room: string) => {
      const doc = new Y.Doc();
      const { rows } = await db.query<{ update: Uint8Array }>('select update from yjs_updates where room = $1 order by id', [room]);
      for (const r of rows) Y.applyUpdate(doc, new Uint8Array(r.update));
      return doc;
    };
    // The room the clients joined, and the branch's current generation (the end of the pointers).
    const stored = new Map<string, Y.Doc>();
    const current = new Map<string, Y.Doc>();
    const generations = new Map<string, { room: string; doc: Y.Doc }[]>();
    let rotations = 0;
    for (const branchId of BRANCHES) {
      let doc = await loadStored(roomNameForBranch(branchId));
      stored.set(branchId, doc);
      const chain = [{ room: roomNameForBranch(branchId), doc }];
      for (let next = successorRoom(doc); next !== null; next = successorRoom(doc)) {
        doc = await loadStored(next);
        chain.push({ room: next, doc });
        rotations++;
      }
      generations.set(branchId, chain);
      current.set(branchId, doc);
    }
    const divergentClients = clients
      .filter((c) => {
        const s = stored.get(c.branchId)!;
        return canonicalStateVector(c.doc) !== canonicalStateVector(s) || canonicalJson(contents(c.doc)) !== canonicalJson(contents(s));
      })
      .map((c) => c.name);
    const firstDivergent = clients.find((c) => divergentClients.includes(c.name));
    let divergenceSample: string | null = null;
    if (firstDivergent) {
      const s = stored.get(firstDivergent.branchId)!;
      const mine = contents(firstDivergent.doc);
      const theirs = contents(s);
      const diffs: string[] = [`sv client=${canonicalStateVector(firstDivergent.doc)} stored=${canonicalStateVector(s)}`];
      for (const root of new Set([...Object.keys(mine), ...Object.keys(theirs)])) {
        for (const key of new Set([...Object.keys(mine[root] ?? {}), ...Object.keys(theirs[root] ?? {})])) {
          const a = canonicalJson(mine[root]?.[key]);
          const b = canonicalJson(theirs[root]?.[key]);
          if (a !== b) diffs.push(`${root}/${key}: client=${a.slice(0, 300)} stored=${b.slice(0, 300)}`);
        }
      }
      divergenceSample = diffs.slice(0, 6).join('\n');
    }
    // A paid order's lines must be in Postgres (the document may have archived it); an open
    // order's in the room the client edited and, carried, in the current generation.
    const { rows: lineRows } = await db.query<{ order_id: string; line_id: string }>('select order_id, line_id from order_lines');
    const settledLines = new Set(lineRows.map((r) => `${r.order_id}:${r.line_id}`));
    const settledLinesOf = new Map<string, string[]>();
    for (const r of lineRows) {
      const lines = settledLinesOf.get(r.order_id) ?? [];
      lines.push(r.line_id);
      settledLinesOf.set(r.order_id, lines);
    }
    const lostLines: string[] = [];
    const uncarriedLines: string[] = [];
    const extraLines: string[] = [];
    for (const c of clients) {
      const orders = new Map(listOrders(stored.get(c.branchId)!).map((o) => [o.id, o]));
      const currentOrders = new Map(listOrders(current.get(c.branchId)!).map((o) => [o.id, o]));
      for (const [orderId, lineIds] of c.keptLines) {
        const isPaid = c.paid.has(orderId);
        const storedLines = new Set(orders.get(orderId)?.lines.map((l) => l.id) ?? []);
        const carriedLines = new Set(currentOrders.get(orderId)?.lines.map((l) => l.id) ?? []);
        for (const id of lineIds) {
          if (isPaid ? !settledLines.has(`${orderId}:${id}`) : !storedLines.has(id)) lostLines.push(`${c.name}:${orderId}:${id}`);
          if (!isPaid && !carriedLines.has(id)) uncarriedLines.push(`${c.name}:${orderId}:${id}`);
        }
        for (const id of isPaid ? (settledLinesOf.get(orderId) ?? []) : carriedLines) {
          if (!lineIds.has(id)) extraLines.push(`${c.name}:${orderId}:${id}`);
        }
      }
    }
    const paidIds = clients.flatMap((c) => [...c.paid]);
    const { rows } = await db.query<{ id: string; n: string | number }>('select id, count(*) as n from orders group by id');
    const rowCount = new Map(rows.map((r) => [r.id, Number(r.n)]));
    const unsettledPaidOrders = paidIds.filter((id) => (rowCount.get(id) ?? 0) === 0);
    const paidSet = new Set(paidIds);
    const { rows: lateRows } = await db.query<{ order_id: string; amount_minor: string | number | null }>(
      "select order_id, amount_minor from audit_log where action = 'late-change' order by id",
    );
    const lateChanges = lateRows.map((r) => `${r.order_id} (${r.amount_minor ?? 0} late)`);
    const describeOrder = (doc: Y.Doc, orderId: string) => {
      const raw = ordersRoot(doc).get(orderId) as Y.Map<unknown> | undefined;
      const settlement = JSON.stringify(settlementRoot(doc).get(orderId) ?? null);
      if (!raw) return `absent, settlement ${settlement}`;
      const read = readOrder(doc, orderId);
      const shape = read.ok ? `${read.value.lines.length} lines, ${read.value.payments.length} payments` : `unreadable: ${read.error.slice(0, 200)}`;
      return `status ${String(raw.get('status'))}, ${shape}, settlement ${settlement}`;
    };
    const unsettledDetail: string[] = [];
    for (const orderId of unsettledPaidOrders) {
      const owner = clients.find((c) => c.paid.has(orderId))!;
      const { rows: refusals } = await db.query<{ code: string; message: string }>('select code, message from settlement_rejections where order_id = $1', [orderId]);
      unsettledDetail.push(
        [
          `${orderId} (${owner.name}): in the client ${describeOrder(owner.doc, orderId)}`,
          ...generations.get(owner.branchId)!.map(({ room, doc }) => `  ${room}${isRetiredGeneration(doc) ? ' (retired)' : ''}: ${describeOrder(doc, orderId)}`),
          `  refusals: ${JSON.stringify(refusals)}`,
        ].join('\n'),
      );
    }
    return {
      engine: db.engine,
      kills: options.kills,
      clients: options.clients,
      edits,
      ordersOpened,
      ordersPaid: paidIds.length,
      settledRows: rows.reduce((s, r) => s + Number(r.n), 0),
      duplicateRows: rows.filter((r) => Number(r.n) > 1).length,
      unexpectedRows: rows.filter((r) => !paidSet.has(r.id)).length,
      lostLines,
      rotations,
      uncarriedLines,
      extraLines,
      unsettledPaidOrders,
      lateChanges,
      divergentClients,
      clientsWithPendingChanges: clients.filter((c) => (c.acked.get(c.doc.clientID) ?? 0) < ownClock(c)).length,
      refusedClients: clients.filter((c) => c.refusal).map((c) => `${c.name}: ${c.refusal}`),
      divergenceSample,
      unsettledDetail,
      relayProblems,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await db.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (options.databaseUrl) {
      const admin = new pg.Client({ connectionString: options.databaseUrl });
      await admin.connect();
      await admin.query(`drop schema ${schema} cascade`);
      await admin.end();
    }
  }
}
