/**
 * `npm run load:realtime:node -- --clients 1000 --rooms 100 [--seconds 30] [--interval-ms 3000]
 *  [--drivers 1] [--target ours|baseline]`
 *
 * Starts the relay in its own process (load-relay.ts) and `--drivers` driver processes that
 * together open `--clients` stock y-websocket WebsocketProviders across `--rooms` branch rooms.
 * Each client adds an order line every `--interval-ms` (jittered) for `--seconds`: a busy dinner
 * service. Every other client in the room records how long the line took to reach it. Prints
 * connection failures, the delivery failure rate (lines that never reached a peer), propagation
 * latency p50/p95/p99, and the relay process's CPU (from /proc) and peak RSS.
 * `--target baseline` runs the same load against the stock @y/websocket-server 0.1.1 (no auth,
 * validation or persistence). LOAD_DATABASE_URL runs our relay on Postgres instead of PGlite.
 * Drivers are separate processes because one Node process holding thousands of Y.Docs saturates
 * its core and then measures itself rather than the relay.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addLine, openOrder, ordersRoot } from '../../shared/live-doc';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    rooms: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    'interval-ms': { type: 'string', default: '3000' },
    'ramp-per-second': { type: 'string', default: '200' },
    drivers: { type: 'string', default: '1' },
    target: { type: 'string', default: 'ours' },
    worker: { type: 'string' },
    plan: { type: 'string' },
  },
});
// Each stock provider adds a process 'exit' listener in Node; thousands of them are expected here.
process.setMaxListeners(0);
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SECONDS = Number(values.seconds);
const INTERVAL_MS = Number(values['interval-ms']);

interface Plan {
  wsUrl: string;
  tokens: [string, string][];
}
interface WorkerResult {
  latencies: number[];
  editsByRoom: Record<string, number>;
  connectedByRoom: Record<string, number>;
  failed: number;
}

if (values.worker !== undefined) await runWorker();
else await runMain();

/** A driver process: its share of the clients, edits on "go", results as one JSON line. */
async function runWorker(): Promise<void> {
  const [index, count] = values.worker!.split('/').map(Number) as [number, number];
  const plan = JSON.parse(readFileSync(values.plan!, 'utf8')) as Plan;
  const mine = plan.tokens.map((t, i) => ({ room: t[0], token: t[1], i })).filter((c) => c.i % count === index);
  const ramp = Number(values['ramp-per-second']) / count;
  const latencies: number[] = [];
  const clients = [];
  for (const [n, c] of mine.entries()) {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(plan.wsUrl, c.room, doc, {
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      params: c.token ? { token: c.token } : {},
      disableBc: true,
    });
    // Every line added by someone else carries its send time in its note: that is the latency.
    ordersRoot(doc).observeDeep((events, tr) => {
      if (tr.local || !isMeasuring) return;
      const t = now();
      for (const event of events) {
        if (!(event.target instanceof Y.Map) || event.path.length !== 2) continue;
        for (const [key, change] of event.changes.keys) {
          if (change.action !== 'add') continue;
          const note = (event.target.get(key) as { note?: string } | undefined)?.note;
          if (note?.startsWith('t=')) latencies.push(t - Number(note.slice(2)));
        }
      }
    });
    clients.push({ doc, provider, room: c.room, orderId: randomUUID() });
    if ((n + 1) % Math.max(1, Math.round(ramp)) === 0) await sleep(1000);
  }
  let isMeasuring = false;
  const deadline = now() + 90_000;
  while (clients.some((c) => !c.provider.synced) && now() < deadline) await sleep(100);
  const connected = clients.filter((c) => c.provider.synced);
  const connectedByRoom: Record<string, number> = {};
  for (const c of connected) connectedByRoom[c.room] = (connectedByRoom[c.room] ?? 0) + 1;
  console.log(`connected ${connected.length}`);
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

  for (const c of connected) {
    openOrder(c.doc, { id: c.orderId, branchId: c.room.slice('branch.'.length), type: 'dine-in', tableId: null, guests: 2, openedAt: Date.now(), openedBy: 'mona', deviceId: 'load' });
  }
  await sleep(2000);
  isMeasuring = true;
  const started = now();
  const editsByRoom: Record<string, number> = {};
  for (const c of connected) {
    const edit = () => {
      if (now() - started > SECONDS * 1000) return;
      addLine(c.doc, c.orderId, {
        id: randomUUID(), itemId: 'cairo-mint-tea', nameEn: 'Tea with Mint', nameAr: 'شاي بالنعناع', qty: 1, unitPriceMinor: 2_000,
        modifiers: [], note: `t=${now()}`, station: 'bar', addedBy: 'mona', addedAt: Date.now(), ticketId: null,
      });
      editsByRoom[c.room] = (editsByRoom[c.room] ?? 0) + 1;
      setTimeout(edit, INTERVAL_MS * (0.5 + Math.random()));
    };
    setTimeout(edit, Math.random() * INTERVAL_MS);
  }
  await sleep(SECONDS * 1000 + 5000); // let the last edits arrive
  const result: WorkerResult = { latencies, editsByRoom, connectedByRoom, failed: mine.length - connected.length };
  // A file, not stdout: process.exit would cut a long line on a pipe.
  const resultFile = `${values.plan!}.result-${index}.json`;
  writeFileSync(resultFile, JSON.stringify(result));
  console.log(`result ${resultFile}`);
  for (const c of clients) c.provider.destroy();
  process.exit(0);
}

async function runMain(): Promise<void> {
  const CLIENTS = Number(values.clients);
  const ROOMS = Number(values.rooms);
  const DRIVERS = Math.max(1, Number(values.drivers));
  const TARGET = values.target === 'baseline' ? 'baseline' : 'ours';
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const procStats = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, rssMb: rssKb / 1024 };
  };

  const relayProcess = spawn(
    process.execPath,
    [
      // LOAD_RELAY_CPU_PROF=<dir> writes a V8 CPU profile of the relay (open it in Chrome DevTools).
      ...(process.env.LOAD_RELAY_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOAD_RELAY_CPU_PROF] : []),
      '--import', 'tsx', 'tests/load/load-relay.ts', '--target', TARGET, '--rooms', String(ROOMS), '--clients', String(CLIENTS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  );
  const ready = await new Promise<{ url: string; pid: number; tokens: [string, string][] }>((resolve, reject) => {
    createInterface({ input: relayProcess.stdout! }).on('line', (line) => line.startsWith('{"ready"') && resolve(JSON.parse(line)));
    relayProcess.on('exit', (code) => reject(new Error(`relay exited early (${code})`)));
  });
  const planFile = join(mkdtempSync(join(tmpdir(), 'rf-load-plan-')), 'plan.json');
  writeFileSync(planFile, JSON.stringify({ wsUrl: ready.url.replace('http', 'ws') + (TARGET === 'ours' ? '/sync' : ''), tokens: ready.tokens } satisfies Plan));
  console.log(`relay (${TARGET}) at ${ready.url}, pid ${ready.pid}; ${DRIVERS} driver processes open ${CLIENTS} clients across ${ROOMS} rooms…`);

  const connectStarted = now();
  const drivers: { child: ChildProcess; connected: Promise<number>; result: Promise<WorkerResult> }[] = [];
  for (let i = 0; i < DRIVERS; i++) {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'tests/load/realtime-load.ts', '--worker', `${i}/${DRIVERS}`, '--plan', planFile,
        '--seconds', String(SECONDS), '--interval-ms', String(INTERVAL_MS), '--ramp-per-second', String(values['ramp-per-second'])],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout! });
    const connected = new Promise<number>((resolve) => lines.on('line', (l) => l.startsWith('connected ') && resolve(Number(l.slice(10)))));
    const result = new Promise<WorkerResult>((resolve) => lines.on('line', (l) => l.startsWith('result ') && resolve(JSON.parse(readFileSync(l.slice(7), 'utf8')))));
    drivers.push({ child, connected, result });
  }
  const connectedCounts = await Promise.all(drivers.map((d) => d.connected));
  console.log(`${connectedCounts.reduce((a, b) => a + b, 0)}/${CLIENTS} clients synced in ${((now() - connectStarted) / 1000).toFixed(1)} s`);

  const cpuBefore = procStats(ready.pid);
  const started = now();
  let rssPeak = 0;
  const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, procStats(ready.pid).rssMb)), 500);
  for (const d of drivers) d.child.stdin!.write('go\n');
  const results = await Promise.all(drivers.map((d) => d.result));
  clearInterval(rssTimer);
  const cpuAfter = procStats(ready.pid);
  const elapsed = (now() - started) / 1000;

  const latencies = results.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const connectedByRoom = new Map<string, number>();
  const editsByRoom = new Map<string, number>();
  for (const r of results) {
    for (const [room, n] of Object.entries(r.connectedByRoom)) connectedByRoom.set(room, (connectedByRoom.get(room) ?? 0) + n);
    for (const [room, n] of Object.entries(r.editsByRoom)) editsByRoom.set(room, (editsByRoom.get(room) ?? 0) + n);
  }
  const edits = [...editsByRoom.values()].reduce((a, b) => a + b, 0);
  const expected = [...editsByRoom].reduce((sum, [room, n]) => sum + n * ((connectedByRoom.get(room) ?? 1) - 1), 0);
  const failed = results.reduce((a, r) => a + r.failed, 0);
  const cpuSeconds = cpuAfter.cpuSeconds - cpuBefore.cpuSeconds;
  const fixed = (n: number | undefined) => Number((n ?? NaN).toFixed(1));
  console.log(JSON.stringify({
    target: TARGET, clients: CLIENTS, rooms: ROOMS, drivers: DRIVERS,
    connectionFailures: failed, connectionFailureRate: failed / CLIENTS,
    edits, editsPerSecond: Math.round(edits / SECONDS),
    deliveries: latencies.length, expectedDeliveries: expected,
    deliveryFailureRate: expected === 0 ? 0 : Math.max(0, 1 - latencies.length / expected),
    latencyMs: { p50: fixed(percentile(latencies, 50)), p95: fixed(percentile(latencies, 95)), p99: fixed(percentile(latencies, 99)), max: fixed(latencies.at(-1)) },
    relayCpuPercentOfOneCore: Math.round((cpuSeconds / elapsed) * 100),
    relayCpuMsPerEdit: Number(((cpuSeconds * 1000) / Math.max(1, edits)).toFixed(3)),
    relayRssMbPeak: Math.round(Math.max(rssPeak, cpuAfter.rssMb)),
  }, null, 2));
  relayProcess.kill('SIGTERM');
  await sleep(500);
  process.exit(0);
}
