/**
 * `npm run load:realtime:node -- --clients 1000 --rooms 100 [--seconds 30] [--interval-ms 3000]
 *  [--client light|stock] [--drivers 1] [--target ours|baseline]`
 *
 * Starts the relay in its own process (load-relay.ts) and `--drivers` driver processes that
 * together open `--clients` y-websocket clients across `--rooms` branch rooms. Each client adds
 * an order line (to its own order) every `--interval-ms` (jittered) for `--seconds`: a busy
 * dinner service. Every other client in the room records how long the line took to reach it.
 * Prints connection failures, dropped connections, the delivery failure rate (lines that never
 * reached a peer), propagation latency p50/p95/p99, the relay's CPU (from /proc) and peak RSS,
 * each driver's CPU, how long relay and drivers waited for a core, and the load average.
 *
 * `--client light` (default) speaks the y-websocket protocol over `ws` directly and keeps only
 * its own edits; it finds a peer's line by a marker in the received bytes, without applying the
 * update, so 1,000 of them fit in a few percent of a core. `--client stock` opens y-websocket's
 * WebsocketProvider with a full Y.Doc that applies every peer's update, as a tablet does — 1,000
 * of those cost the driver far more than the relay they measure.
 * `--target baseline` runs the same load against the stock @y/websocket-server 0.1.1 (no auth,
 * validation or persistence). LOAD_DATABASE_URL runs our relay on Postgres instead of PGlite.
 * LOAD_RELAY_CPU_PROF=<dir> / LOAD_DRIVER_CPU_PROF=<dir> write V8 CPU profiles of relay / drivers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { addLine, openOrder } from '../../shared/live-doc';
import { MESSAGE_TYPE } from '../../shared/protocol';

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '1000' },
    rooms: { type: 'string', default: '100' },
    seconds: { type: 'string', default: '30' },
    'interval-ms': { type: 'string', default: '3000' },
    'ramp-per-second': { type: 'string', default: '200' },
    'settle-ms': { type: 'string' },
    drivers: { type: 'string', default: '1' },
    // For the test of the harness itself: this many clients (ours only) get a token the relay refuses.
    'invalid-tokens': { type: 'string', default: '0' },
    target: { type: 'string', default: 'ours' },
    client: { type: 'string', default: 'light' },
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
  client: 'stock' | 'light';
  tokens: [string, string][];
}
interface WorkerResult {
  latencies: number[];
  editsByRoom: Record<string, number>;
  connectedByRoom: Record<string, number>;
  failed: number;
  dropped: number;
}

/**
 * One simulated device. `stock`: y-websocket's WebsocketProvider with a full Y.Doc that applies
 * every peer's update (what a tablet does). `light`: the y-websocket protocol spoken over `ws`
 * directly, with a Y.Doc holding only this client's own edits; peers' updates are not applied,
 * only scanned for latency markers — so the driver measures the relay, not its own Yjs work.
 */
interface LoadClient {
  room: string;
  isSynced(): boolean;
  /** True when the socket closed after the client had synced (a dropped connection). */
  isDropped(): boolean;
  /** True when the relay closed the socket for good before the client synced (e.g. 4401). */
  isRefused(): boolean;
  doc: Y.Doc;
  close(): void;
}

// Every line a client adds carries `lat:<client index>:<send time in µs since the epoch>;` in
// its note. Yjs writes strings as UTF-8 inside updates, so the marker can be found in the raw
// bytes of whatever update carries the line, however lines are laid out in the document.
const MARKER = Buffer.from('lat:');
const SEMICOLON = 0x3b;
const markerFor = (index: number) => `lat:${index}:${Math.round(now() * 1000)};`;
/** Records, for each marker of another client in `bytes`, how long ago it was written. */
function recordMarkers(bytes: Buffer, self: number, receivedAt: number, latencies: number[]): void {
  for (let i = bytes.indexOf(MARKER); i !== -1; ) {
    const end = bytes.indexOf(SEMICOLON, i + MARKER.length);
    if (end === -1) return;
    const [sender, micros] = bytes.toString('latin1', i + MARKER.length, end).split(':');
    // The stock server also echoes a client's own update back to it.
    if (Number(sender) !== self) latencies.push(receivedAt - Number(micros) / 1000);
    i = bytes.indexOf(MARKER, end);
  }
}

function openStockClient(wsUrl: string, room: string, token: string, onPeerBytes: (bytes: Buffer, at: number) => void): LoadClient {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(wsUrl, room, doc, {
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    params: token ? { token } : {},
    disableBc: true,
  });
  // The provider already encodes each applied remote transaction for its own 'update' listener;
  // scanning those bytes costs little (an observeDeep walking the event tree cost more) and does
  // not depend on how lines are stored.
  doc.on('update', (update: Uint8Array, origin: unknown) => {
    if (origin === provider) onPeerBytes(Buffer.from(update.buffer, update.byteOffset, update.byteLength), now());
  });
  let isDropped = false;
  let isRefused = false;
  // y-websocket stops reconnecting on a 44xx close and says so with 'closed'.
  provider.on('closed', () => (isRefused = !provider.synced));
  provider.on('status', ({ status }: { status: string }) => {
    if (status === 'disconnected' && provider.synced) isDropped = true;
  });
  return { room, doc, isSynced: () => provider.synced, isDropped: () => isDropped, isRefused: () => isRefused, close: () => provider.destroy() };
}

function openLightClient(wsUrl: string, room: string, token: string, onPeerBytes: (bytes: Buffer, at: number) => void): LoadClient {
  const doc = new Y.Doc();
  const socket = new WebSocket(`${wsUrl}/${room}${token ? `?token=${encodeURIComponent(token)}` : ''}`);
  socket.binaryType = 'nodebuffer';
  let isSynced = false;
  let isDropped = false;
  let isClosed = false;
  const send = (build: (encoder: encoding.Encoder) => void) => {
    if (socket.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_TYPE.sync);
    build(encoder);
    socket.send(encoding.toUint8Array(encoder));
  };
  // The doc holds only this client's transactions: each is one sync update to the relay.
  doc.on('update', (update: Uint8Array) => send((e) => syncProtocol.writeUpdate(e, update)));
  // Like the stock client: our state vector first (the relay answers with step 2).
  socket.on('open', () => send((e) => syncProtocol.writeSyncStep1(e, doc)));
  socket.on('message', (data: Buffer) => {
    const at = now();
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MESSAGE_TYPE.sync) return; // awareness, acks: not needed
    const syncType = decoding.readVarUint(decoder);
    if (syncType === syncProtocol.messageYjsSyncStep1) {
      // The relay's state vector: answer with what it lacks of ours (nothing, or our own edits).
      const stateVector = decoding.readVarUint8Array(decoder);
      send((e) => syncProtocol.writeSyncStep2(e, doc, stateVector));
    } else if (syncType === syncProtocol.messageYjsSyncStep2) {
      isSynced = true; // the room's document, which this client does not need to apply
    } else if (syncType === syncProtocol.messageYjsUpdate) {
      onPeerBytes(data, at);
    }
  });
  // This client never reconnects: a close is final either way.
  socket.on('close', () => {
    isClosed = true;
    if (isSynced) isDropped = true;
  });
  socket.on('error', () => undefined); // counted as a connection failure (never synced) or a drop
  return { room, doc, isSynced: () => isSynced, isDropped: () => isDropped, isRefused: () => isClosed && !isSynced, close: () => socket.terminate() };
}

/** A driver process: its share of the clients, edits on "go", results as one JSON line. */
async function runWorker(): Promise<void> {
  const [index, count] = values.worker!.split('/').map(Number) as [number, number];
  const plan = JSON.parse(readFileSync(values.plan!, 'utf8')) as Plan;
  const mine = plan.tokens.map((t, i) => ({ room: t[0], token: t[1], i })).filter((c) => c.i % count === index);
  const ramp = Number(values['ramp-per-second']) / count;
  const open = plan.client === 'light' ? openLightClient : openStockClient;
  const latencies: number[] = [];
  let isMeasuring = false;
  const clients: (LoadClient & { index: number; orderId: string })[] = [];
  for (const [n, c] of mine.entries()) {
    const client = open(plan.wsUrl, c.room, c.token, (bytes, at) => {
      if (isMeasuring) recordMarkers(bytes, c.i, at, latencies);
    });
    clients.push({ ...client, index: c.i, orderId: randomUUID() });
    if ((n + 1) % Math.max(1, Math.round(ramp)) === 0) await sleep(1000);
  }
  const deadline = now() + 90_000;
  while (clients.some((c) => !c.isSynced() && !c.isRefused()) && now() < deadline) await sleep(100);
  const connected = clients.filter((c) => c.isSynced());
  const connectedByRoom: Record<string, number> = {};
  for (const c of connected) connectedByRoom[c.room] = (connectedByRoom[c.room] ?? 0) + 1;
  console.log(`connected ${connected.length}`);
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));

  // Each client edits only its own order: the relay's write policy accepts that from a tablet,
  // and the light client's updates then build only on items it made itself.
  // Orders open spread over most of the settle time: all at once, 5,000 of them fan out to
  // 245,000 sockets in one burst that the relay is still working off when measuring starts.
  const settleMs = Number(values['settle-ms']);
  for (const c of connected) {
    setTimeout(() => {
      openOrder(c.doc, { id: c.orderId, branchId: c.room.slice('branch.'.length), type: 'dine-in', tableId: null, guests: 2, openedAt: Date.now(), openedBy: 'mona', deviceId: 'load' });
    }, Math.random() * settleMs * 0.75);
  }
  await sleep(settleMs);
  isMeasuring = true;
  const started = now();
  const editsByRoom: Record<string, number> = {};
  for (const c of connected) {
    const edit = () => {
      if (now() - started > SECONDS * 1000) return;
      addLine(c.doc, c.orderId, {
        id: randomUUID(), itemId: 'cairo-mint-tea', nameEn: 'Tea with Mint', nameAr: 'شاي بالنعناع', qty: 1, unitPriceMinor: 2_000,
        modifiers: [], note: markerFor(c.index), station: 'bar', addedBy: 'mona', addedAt: Date.now(), ticketId: null,
      });
      editsByRoom[c.room] = (editsByRoom[c.room] ?? 0) + 1;
      setTimeout(edit, INTERVAL_MS * (0.5 + Math.random()));
    };
    setTimeout(edit, Math.random() * INTERVAL_MS);
  }
  await sleep(SECONDS * 1000 + 5000); // let the last edits arrive
  const result: WorkerResult = {
    latencies, editsByRoom, connectedByRoom,
    failed: mine.length - connected.length,
    dropped: connected.filter((c) => c.isDropped()).length,
  };
  // A file, not stdout: process.exit would cut a long line on a pipe.
  const resultFile = `${values.plan!}.result-${index}.json`;
  writeFileSync(resultFile, JSON.stringify(result));
  console.log(`result ${resultFile}`);
  for (const c of clients) c.close();
  process.exit(0);
}

async function runMain(): Promise<void> {
  const CLIENTS = Number(values.clients);
  const ROOMS = Number(values.rooms);
  const DRIVERS = Math.max(1, Number(values.drivers));
  const TARGET = values.target === 'baseline' ? 'baseline' : 'ours';
  // Between "go" and the first edit every client opens its order: 2 s, or 2 ms per client.
  const SETTLE_MS = Math.max(2000, 2 * CLIENTS);
  if (values.client !== 'light' && values.client !== 'stock') throw new Error('--client is light or stock');
  const CLIENT = values.client;
  const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const procStats = (pid: number) => {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    // schedstat: ns on a CPU, ns runnable but waiting for one (main thread: where the JS runs).
    const waitNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return { cpuSeconds: (Number(fields[11]) + Number(fields[12])) / 100, rssMb: rssKb / 1024, runQueueWaitSeconds: waitNs / 1e9 };
  };

  const relayProcess = spawn(
    process.execPath,
    [
      // LOAD_RELAY_CPU_PROF=<dir> writes a V8 CPU profile of the relay (open it in Chrome DevTools).
      ...(process.env.LOAD_RELAY_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOAD_RELAY_CPU_PROF] : []),
      // Bundled, as `npm start` runs the server (scripts/run-bundled.mjs: no tsx `__name` wrappers).
      'scripts/run-bundled.mjs', 'tests/load/load-relay.ts', '--target', TARGET, '--rooms', String(ROOMS), '--clients', String(CLIENTS),
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: process.env },
  );
  const ready = await new Promise<{ url: string; pid: number; tokens: [string, string][] }>((resolve, reject) => {
    createInterface({ input: relayProcess.stdout! }).on('line', (line) => line.startsWith('{"ready"') && resolve(JSON.parse(line)));
    relayProcess.on('exit', (code) => reject(new Error(`relay exited early (${code})`)));
  });
  const invalid = Number(values['invalid-tokens']);
  const tokens = ready.tokens.map(([room, token], i): [string, string] => [room, i < invalid ? 'dev_not-a-paired-device' : token]);
  // Our relay reports its event-loop delay on SIGUSR2 (load-relay.ts); the stock server cannot.
  let relayLoopDelay: unknown = null;
  createInterface({ input: relayProcess.stdout! }).on('line', (line) => {
    if (line.startsWith('{"eventLoopDelayMs"')) relayLoopDelay = (JSON.parse(line) as { eventLoopDelayMs: unknown }).eventLoopDelayMs;
  });
  const markLoopDelay = () => TARGET === 'ours' && process.kill(ready.pid, 'SIGUSR2');
  const planFile = join(mkdtempSync(join(tmpdir(), 'rf-load-plan-')), 'plan.json');
  writeFileSync(planFile, JSON.stringify({ wsUrl: ready.url.replace('http', 'ws') + (TARGET === 'ours' ? '/sync' : ''), client: CLIENT, tokens } satisfies Plan));
  console.log(`relay (${TARGET}) at ${ready.url}, pid ${ready.pid}; ${DRIVERS} driver processes open ${CLIENTS} ${CLIENT} clients across ${ROOMS} rooms…`);

  const connectStarted = now();
  const drivers: { child: ChildProcess; connected: Promise<number>; result: Promise<WorkerResult> }[] = [];
  for (let i = 0; i < DRIVERS; i++) {
    const child = spawn(
      process.execPath,
      [...(process.env.LOAD_DRIVER_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOAD_DRIVER_CPU_PROF] : []),
        '--import', 'tsx', 'tests/load/realtime-load.ts', '--worker', `${i}/${DRIVERS}`, '--plan', planFile,
        '--seconds', String(SECONDS), '--interval-ms', String(INTERVAL_MS), '--ramp-per-second', String(values['ramp-per-second']),
        '--settle-ms', String(SETTLE_MS)],
      { stdio: ['pipe', 'pipe', 'inherit'] },
    );
    const lines = createInterface({ input: child.stdout! });
    const connected = new Promise<number>((resolve) => lines.on('line', (l) => l.startsWith('connected ') && resolve(Number(l.slice(10)))));
    const result = new Promise<WorkerResult>((resolve, reject) => {
      lines.on('line', (l) => l.startsWith('result ') && resolve(JSON.parse(readFileSync(l.slice(7), 'utf8'))));
      child.on('exit', (code) => reject(new Error(`driver ${i} exited (${code}) without a result`)));
    });
    // A driver that dies before connecting must not leave us waiting forever.
    result.catch((error: Error) => {
      console.error(error.message);
      for (const d of drivers) d.child.kill('SIGTERM');
      relayProcess.kill('SIGTERM');
      setTimeout(() => process.exit(1), 500);
    });
    drivers.push({ child, connected, result });
  }
  const connectedCounts = await Promise.all(drivers.map((d) => d.connected));
  console.log(`${connectedCounts.reduce((a, b) => a + b, 0)}/${CLIENTS} clients synced in ${((now() - connectStarted) / 1000).toFixed(1)} s`);

  // CPU seconds of the relay and of each driver; a driver that has exited keeps its last reading.
  const driverCpu = drivers.map(() => 0);
  const driverWait = drivers.map(() => 0);
  const sampleCpu = () => {
    drivers.forEach((d, i) => {
      try {
        const stats = procStats(d.child.pid!);
        driverCpu[i] = stats.cpuSeconds;
        driverWait[i] = stats.runQueueWaitSeconds;
      } catch {
        // exited after writing its result
      }
    });
    const relay = procStats(ready.pid);
    return { relay: relay.cpuSeconds, relayWait: relay.runQueueWaitSeconds, drivers: [...driverCpu], driverWaits: [...driverWait] };
  };
  const cpuBefore = sampleCpu();
  const loadBefore = loadavg()[0]!;
  let rssPeak = 0;
  const rssTimer = setInterval(() => {
    rssPeak = Math.max(rssPeak, procStats(ready.pid).rssMb);
    sampleCpu();
  }, 500);
  // The edit window (drivers open their orders for SETTLE_MS after "go", then edit for --seconds):
  // percentages of a core are measured over it, so the idle tail does not dilute them.
  const editWindow = (async () => {
    await sleep(SETTLE_MS);
    const from = sampleCpu();
    markLoopDelay();
    await sleep(SECONDS * 1000);
    markLoopDelay();
    return { from, to: sampleCpu(), load: loadavg()[0]! };
  })();
  for (const d of drivers) d.child.stdin!.write('go\n');
  const results = await Promise.all(drivers.map((d) => d.result));
  clearInterval(rssTimer);
  const cpuAfter = sampleCpu();
  const relayRssMb = procStats(ready.pid).rssMb;
  const w = await editWindow;
  const percentOfCore = (seconds: number) => Math.round((seconds / SECONDS) * 100);

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
  const dropped = results.reduce((a, r) => a + r.dropped, 0);
  const cpuSeconds = cpuAfter.relay - cpuBefore.relay;
  const fixed = (n: number | undefined) => Number((n ?? NaN).toFixed(1));
  console.log(JSON.stringify({
    target: TARGET, client: CLIENT, clients: CLIENTS, rooms: ROOMS, drivers: DRIVERS,
    connectionFailures: failed, connectionFailureRate: failed / CLIENTS, droppedConnections: dropped,
    edits, editsPerSecond: Math.round(edits / SECONDS),
    deliveries: latencies.length, expectedDeliveries: expected,
    deliveryFailureRate: expected === 0 ? 0 : Math.max(0, 1 - latencies.length / expected),
    latencyMs: { p50: fixed(percentile(latencies, 50)), p95: fixed(percentile(latencies, 95)), p99: fixed(percentile(latencies, 99)), max: fixed(latencies.at(-1)) },
    // Over the edit window. Per edit: everything from "go" until the last delivery, divided by the edits.
    relayCpuPercentOfOneCore: percentOfCore(w.to.relay - w.from.relay),
    relayCpuMsPerEdit: Number(((cpuSeconds * 1000) / Math.max(1, edits)).toFixed(3)),
    relayRssMbPeak: Math.round(Math.max(rssPeak, relayRssMb)),
    // Over the edit window: a relay whose loop stalls for hundreds of ms delays every delivery then.
    relayEventLoopDelayMs: relayLoopDelay,
    // A driver near 100 % measures itself rather than the relay.
    driverCpuPercentOfOneCore: w.to.drivers.map((s, i) => percentOfCore(s - w.from.drivers[i]!)),
    // Time the process was ready to run but waited for a core (other processes on the machine):
    // milliseconds per second of the edit window. Tens or more mean the machine, not the code, is slow.
    runQueueWaitMsPerSecond: {
      relay: Math.round(((w.to.relayWait - w.from.relayWait) * 1000) / SECONDS),
      drivers: w.to.driverWaits.map((s, i) => Math.round(((s - w.from.driverWaits[i]!) * 1000) / SECONDS)),
    },
    // The machine's 1-minute load average (includes this run's own relay and drivers; 2 cores).
    loadAverage1m: { beforeGo: Number(loadBefore.toFixed(2)), endOfEdits: Number(w.load.toFixed(2)) },
  }, null, 2));
  relayProcess.kill('SIGTERM');
  await sleep(500);
  process.exit(0);
}

// Last, so that every constant above is initialised before the first client needs it.
if (values.worker !== undefined) await runWorker();
else await runMain();
