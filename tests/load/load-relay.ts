/**
 * The relay under load, as its own process (so the load driver's CPU is not counted as the
 * relay's): our server on PGlite in a temp folder (or DATABASE_URL), with `--rooms` extra
 * branches and `--clients` paired devices, or the stock @y/websocket-server as a baseline.
 * Prints one JSON line `{"ready":true,"url":…,"tokens":[[room, token]…]}` when it listens.
 */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { roomNameForBranch } from '../../shared/protocol';
import { loadConfig, serverOptionsFrom } from '../../server/config';
import { startServer } from '../../server/server';
import { engineFor } from '../support/db';

const { values } = parseArgs({
  options: {
    target: { type: 'string', default: 'ours' },
    rooms: { type: 'string', default: '100' },
    clients: { type: 'string', default: '1000' },
    port: { type: 'string', default: '0' },
  },
});
const rooms = Number(values.rooms);
const clients = Number(values.clients);
const roomOf = (i: number) => `load-${String(i % rooms).padStart(4, '0')}`;

if (values.target === 'baseline') {
  // The stock server, unmodified: no auth, no validation, no persistence.
  const port = Number(values.port) || 18_000 + Math.floor(Math.random() * 1000);
  // LOAD_RELAY_CPU_PROF profiles the stock server's own process too (a profile is written only
  // on a clean exit, so then SIGTERM exits it cleanly).
  const server = 'node_modules/@y/websocket-server/src/server.js';
  const args = process.env.LOAD_RELAY_CPU_PROF
    ? ['--cpu-prof', '--cpu-prof-dir', process.env.LOAD_RELAY_CPU_PROF, '--input-type=module', '-e',
        `process.on('SIGTERM', () => process.exit(0)); await import('./${server}');`]
    : [server];
  const child = spawn(process.execPath, args, {
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  child.stdout.once('data', () => {
    const tokens = Array.from({ length: clients }, (_, i) => [roomNameForBranch(roomOf(i)), '']);
    console.log(JSON.stringify({ ready: true, url: `http://127.0.0.1:${port}`, pid: child.pid, tokens }));
  });
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  child.on('exit', () => process.exit(0));
} else {
  // LOAD_DATABASE_URL: a Postgres server, in a schema of its own (dropped afterwards);
  // otherwise the embedded PGlite in a temp folder.
  const scratch = await engineFor(process.env.LOAD_DATABASE_URL).create();
  const db = await scratch.open();
  const tokens: [string, string][] = [];
  await db.transact(async (tx) => {
    for (let r = 0; r < rooms; r++) {
      await tx.query(`insert into branches (id, tenant_id, name_en, name_ar) values ($1, 'demo', $1, $1)`, [roomOf(r)]);
    }
    for (let i = 0; i < clients; i++) {
      const token = `dev_${randomBytes(24).toString('base64url')}`;
      await tx.query(
        `insert into devices (id, branch_id, kind, name, token_hash, paired_by) values ($1, $2, 'pos', $1, $3, 'mona')`,
        [`load-device-${i}`, roomOf(i), createHash('sha256').update(token).digest('hex')],
      );
      tokens.push([roomNameForBranch(roomOf(i)), token]);
    }
  });
  const server = await startServer({
    db,
    // The product's settings from the environment (rotation, compaction, ROOM_GROUP_COMMIT_MS …),
    // as `npm start` reads them; this run's own port, address and Redis below.
    ...serverOptionsFrom(loadConfig(process.env)),
    port: Number(values.port),
    host: '127.0.0.1',
    log: () => undefined,
    // One address opens every connection here; the per-address limit would otherwise be the test.
    rateLimits: { perAddress: { burst: 100_000, perSecond: 100_000 }, perToken: { burst: 10, perSecond: 1 } },
    ...(process.env.SOCKET_REDIS_URL ? { redisUrl: process.env.SOCKET_REDIS_URL } : {}),
  });
  // How long the relay's event loop was blocked: SIGUSR2 prints the figures since the last one
  // as a JSON line and starts over (the driver sends it at the start and end of the edit window).
  const RESOLUTION_MS = 10;
  const loopDelay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  loopDelay.enable();
  process.on('SIGUSR2', () => {
    // The histogram holds the time between samples; the delay is what exceeds the resolution.
    const ms = (ns: number) => Number(Math.max(0, ns / 1e6 - RESOLUTION_MS).toFixed(1));
    console.log(JSON.stringify({ eventLoopDelayMs: { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) } }));
    loopDelay.reset();
  });
  console.log(JSON.stringify({ ready: true, url: server.url, pid: process.pid, tokens }));
  process.on('SIGTERM', () => {
    void server
      .close()
      .then(() => db.close())
      .then(() => scratch.destroy())
      .finally(() => {
        process.exit(0);
      });
  });
}
