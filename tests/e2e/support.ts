/** Starts the real server (built PWA + API + relay) on PGlite in a temp folder, on a free port. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openPglite, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { seedDemoData } from '../../server/db/seed';
import { startServer, type RunningServer } from '../../server/server';

/** The built PWA. E2E_DIST lets parallel work build and test into separate folders. */
export const DIST = process.env.E2E_DIST ?? fileURLToPath(new URL('../../dist', import.meta.url));
export const SCREENSHOTS = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

export async function startProductServer(): Promise<{ server: RunningServer; db: Database; stop(): Promise<void> }> {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('dist/ is missing: run `vite build` first (npm test does)');
  const dir = mkdtempSync(join(tmpdir(), 'rf-e2e-'));
  const db = await openPglite(dir);
  await migrate(db);
  await seedDemoData(db);
  const server = await startServer({ db, staticDir: DIST, log: () => undefined });
  return {
    server,
    db,
    async stop() {
      await server.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
