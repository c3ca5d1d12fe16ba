/**
 * The set-up most integration tests share: a fresh demo database of the engine under test with
 * the real server on it (its log silenced), and the teardown of both. A file keeps its own
 * variables and assigns them: `({ testDb, db, server } = await serveTestDatabase(engine));`.
 */
import type { Database } from '../../server/db/database';
import { startServer, type RunningServer, type ServerOptions } from '../../server/server';
import type { Engine, TestDatabase } from './db';

export interface ServedDatabase {
  testDb: TestDatabase;
  db: Database;
  server: RunningServer;
}

export async function serveTestDatabase(engine: Engine, options: Omit<ServerOptions, 'db'> = {}): Promise<ServedDatabase> {
  const testDb = await engine.create();
  const db = await testDb.open();
  const server = await startServer({ db, log: () => undefined, ...options });
  return { testDb, db, server };
}

/** Stops the server, closes the database and removes it; what was never started is skipped. */
export async function stopTestDatabase(served: Partial<ServedDatabase>): Promise<void> {
  await served.server?.close();
  await served.db?.close();
  await served.testDb?.destroy();
}
