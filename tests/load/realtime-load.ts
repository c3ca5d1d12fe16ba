/**
 * `npm run load:realtime:node -- --clients 1000 --rooms 100 [--seconds 30] [--interval-ms 3000]
 *  [--target ours|baseline]`
 *
 * Starts the relay in its own process (load-relay.ts), opens `--clients` stock y-websocket
 * WebsocketProviders from this process across `--rooms` branch rooms, and has each client add an
 * order line every `--interval-ms` (jittered) for `--seconds`: a busy dinner service. Every
 * other client in the room records how long the line took to reach it. Prints connection
 * failures, the delivery failure rate, propagation latency p50/p95/p99, and the relay process's
 * CPU (from /proc) and RSS. `--target baseline` runs the same load against the stock
 * @y/websocket-server 0.1.1 (no auth, validation or persistence) for comparison.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
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
    target: { type: 'string', default: 'ours' },
  },
});
const CLIENTS = Number(values.clients);
const ROOMS = Number(values.rooms);
const SECONDS = Number(values.seconds);
const INTERVAL_MS = Number(values['interval-ms']);
const RAMP = Number(values['ramp-per-second']);
const TARGET = values.target === 'baseline' ? 'baseline' : 'ours';

// Each stock provider adds a process 'exit' listener in Node; a thousand of them is expected here.
process.setMaxListeners(0);

const now = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

function procStats(pid: number): { cpuSeconds: number; rssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rssMb: rssKb / 1024 };
}

// 1. the relay, in its own process
const relayProcess = spawn(
  process.execPath,
  [
    // LOAD_RELAY_CPU_PROF=<dir> writes a V8 CPU profile of the relay (open it in Chrome DevTools).
    ...(process.env.LOAD_RELAY_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOAD_RELAY_CPU_PROF] : []),
    '--import', 'tsx', 'tests/load/load-relay.ts', '--target', TARGET, '--rooms', String(ROOMS), '--clients', String(CLIENTS)],
  { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
);
const ready = await new Promise<{ url: string; pid: number; tokens: [string, string][] }>((resolve, reject) => {
  const lines = createInterface({ input: relayProcess.stdout });
  lines.on('line', (line) => {
    if (line.startsWith('{"ready"')) resolve(JSON.parse(line));
  });
  relayProcess.on('exit', (code) => reject(new Error(`relay exited early (${code})`)));
});
const relayPid = ready.pid;
const wsUrl = ready.url.replace('http', 'ws') + (TARGET === 'ours' ? '/sync' : '');
console.log(`relay (${TARGET}) at ${ready.url}, pid ${relayPid}; opening ${CLIENTS} clients across ${ROOMS} rooms…`);

// 2. the clients
interface LoadClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  orderId: string;
  room: string;
}
const latencies: number[] = [];
let deliveries = 0;
let sentEdits = 0;
const roomSize = new Map<string, number>();
const clients: LoadClient[] = [];
const connectStarted = now();
for (let i = 0; i < CLIENTS; i++) {
  const [room, token] = ready.tokens[i]!;
  roomSize.set(room, (roomSize.get(room) ?? 0) + 1);
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  });
  const client: LoadClient = { doc, provider, orderId: randomUUID(), room };
  // Every line added by someone else carries its send time in its note: that is the latency.
  ordersRoot(doc).observeDeep((events, tr) => {
    if (tr.local) return;
    const t = now();
    for (const event of events) {
      if (!(event.target instanceof Y.Map) || event.path.length !== 2) continue;
      for (const [key, change] of event.changes.keys) {
        if (change.action !== 'add') continue;
        const note = (event.target.get(key) as { note?: string } | undefined)?.note;
        if (note?.startsWith('t=')) {
          latencies.push(t - Number(note.slice(2)));
          deliveries++;
        }
      }
    }
  });
  clients.push(client);
  if ((i + 1) % RAMP === 0) await sleep(1000);
}
const deadline = now() + 60_000;
while (clients.some((c) => !c.provider.synced) && now() < deadline) await sleep(100);
const connected = clients.filter((c) => c.provider.synced);
const connectionFailures = CLIENTS - connected.length;
console.log(`${connected.length}/${CLIENTS} clients synced in ${((now() - connectStarted) / 1000).toFixed(1)} s`);

// each client opens its own order once, then adds lines to it
for (const c of connected) {
  openOrder(c.doc, {
    id: c.orderId, branchId: c.room.slice('branch.'.length), type: 'dine-in', tableId: null, guests: 2,
    openedAt: Date.now(), openedBy: 'mona', deviceId: 'load',
  });
}
await sleep(2000);
latencies.length = 0;
deliveries = 0;

// 3. the busy service
const cpuBefore = procStats(relayPid);
const started = now();
const timers: NodeJS.Timeout[] = [];
let rssPeak = 0;
const rssTimer = setInterval(() => (rssPeak = Math.max(rssPeak, procStats(relayPid).rssMb)), 500);
const expectedDeliveries: number[] = [];
for (const c of connected) {
  const peers = connected.filter((o) => o.room === c.room).length - 1;
  const edit = () => {
    if (now() - started > SECONDS * 1000) return;
    addLine(c.doc, c.orderId, {
      id: randomUUID(), itemId: 'cairo-mint-tea', nameEn: 'Tea with Mint', nameAr: 'شاي بالنعناع', qty: 1,
      unitPriceMinor: 2_000, modifiers: [], note: `t=${now()}`, station: 'bar', addedBy: 'mona', addedAt: Date.now(), ticketId: null,
    });
    sentEdits++;
    expectedDeliveries.push(peers);
    timers.push(setTimeout(edit, INTERVAL_MS * (0.5 + Math.random())));
  };
  timers.push(setTimeout(edit, Math.random() * INTERVAL_MS));
}
await sleep(SECONDS * 1000 + 3000); // let the last edits arrive
clearInterval(rssTimer);
const cpuAfter = procStats(relayPid);
const elapsed = (now() - started) / 1000;

// 4. report
latencies.sort((a, b) => a - b);
const expected = expectedDeliveries.reduce((a, b) => a + b, 0);
const cpuSeconds = cpuAfter.cpuSeconds - cpuBefore.cpuSeconds;
const report = {
  target: TARGET,
  clients: CLIENTS,
  rooms: ROOMS,
  connectionFailures,
  connectionFailureRate: connectionFailures / CLIENTS,
  edits: sentEdits,
  editsPerSecond: Math.round(sentEdits / elapsed),
  deliveries,
  expectedDeliveries: expected,
  deliveryFailureRate: expected === 0 ? 0 : Math.max(0, 1 - deliveries / expected),
  latencyMs: {
    p50: Number(percentile(latencies, 50).toFixed(1)),
    p95: Number(percentile(latencies, 95).toFixed(1)),
    p99: Number(percentile(latencies, 99).toFixed(1)),
    max: Number((latencies.at(-1) ?? NaN).toFixed(1)),
  },
  relayCpuPercentOfOneCore: Math.round((cpuSeconds / elapsed) * 100),
  relayCpuMsPerEdit: Number(((cpuSeconds * 1000) / Math.max(1, sentEdits)).toFixed(3)),
  relayRssMbPeak: Math.round(Math.max(rssPeak, cpuAfter.rssMb)),
};
console.log(JSON.stringify(report, null, 2));

for (const t of timers) clearTimeout(t);
for (const c of clients) c.provider.destroy();
relayProcess.kill('SIGTERM');
await sleep(500);
process.exit(0);
