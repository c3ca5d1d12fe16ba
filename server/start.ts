/**
 * `npm start`: build the PWA if it is missing or older than its sources, migrate, seed demo data
 * into an empty database, and serve everything on one port (default 8080).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, serverOptionsFrom } from './config';
import { openDatabase } from './db/database';
import { migrate } from './db/migrate';
import { DEMO_LOGINS, DEMO_PINS, isDatabaseEmpty, seedDemoData } from './db/seed';
import { startServer } from './server';
import { startEtaRuntime } from './fiscal/eta-runtime';
import { ensureDemoFiscalData } from './db/fiscal-device-queries';
import { createFiscalService } from './fiscal/fiscal-service';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');

function newestMtime(path: string): number {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newestMtime(join(path, f))));
}

function buildClientIfNeeded() {
  if (process.argv.includes('--no-build')) return;
  const built = join(DIST, 'index.html');
  const sources = ['client', 'shared', 'public', 'vite.config.ts'].map((p) => join(ROOT, p));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(...sources.map(newestMtime))) return;
  console.log('Building the tablet app (first start only)…');
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('vite build failed');
}

const startedAt = performance.now();
const config = loadConfig(process.env);
buildClientIfNeeded();
const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: resolve(ROOT, config.dataDir) });
await migrate(db);
if (await isDatabaseEmpty(db)) {
  console.log('Empty database: adding the Demo Bistro demo data…');
  await seedDemoData(db);
} else if (await ensureDemoFiscalData(db)) {
  console.log('Demo data without fiscal registration: added the demo ETA serials and seller details.');
}
// ETA e-receipts (docs/FISCAL.md, FIS-59): the in-process sandbox unless ETA_* settings name one.
const eta = await startEtaRuntime(process.env);
const fiscal = createFiscalService({ db, client: eta.client, portalUrl: eta.config.portalUrl });
const server = await startServer({
  fiscal,
  db,
  ...serverOptionsFrom(config),
  staticDir: DIST,
});
const shownHost = config.host === '0.0.0.0' ? 'localhost' : config.host;

console.log(`
RestoFlow is running (${db.engine === 'pglite' ? `embedded database in ${config.dataDir}` : 'Postgres'}), ready in ${Math.round(performance.now() - startedAt)} ms

  Open  http://${shownHost}:${server.port}/
  E-receipts go to ${eta.describe}

  Manager logins (password "${DEMO_LOGINS[0].password}"):
${DEMO_LOGINS.map((l) => `    ${l.email.padEnd(36)} ${l.who}`).join('\n')}
  Staff PINs on a paired tablet:
${DEMO_PINS.map((p) => `    ${p.pin}  ${p.name} (${p.role}, ${p.branches.join(' + ')})`).join('\n')}
`);

const shutdown = async () => {
  await server.close();
  await eta.close();
  await db.close();
  process.exit(0);
};
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
