/**
 * The databases DB-dependent tests run against: always PGlite (in memory, or on a folder for
 * restart tests), and also the real Postgres server when TEST_DATABASE_URL is set. Each Postgres
 * test database lives in its own schema (`rf_t_<pid>_<random>`), dropped afterwards, so parallel
 * files and runs never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openPglite, openPostgres, type Database } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { seedDemoData } from '../../server/db/seed';

export interface TestDatabase {
  /** Opens (or reopens, after close) the database; the same data each time. */
  open(): Promise<Database>;
  /** Removes the data for good. */
  destroy(): Promise<void>;
}

export interface Engine {
  name: 'pglite' | 'postgres';
  /** A fresh, migrated database with the demo data. */
  create(options?: { seed?: boolean }): Promise<TestDatabase>;
}

const pgliteEngine: Engine = {
  name: 'pglite',
  async create({ seed = true } = {}) {
    const dir = mkdtempSync(join(tmpdir(), 'rf-pglite-'));
    const first = await openPglite(dir);
    await migrate(first);
    if (seed) await seedDemoData(first);
    // Starting PGlite costs a second or two: the first open() gets this instance instead of a
    // second start; later opens (after a close, as restart tests do) start from the folder.
    let unopened: Database | null = first;
    return {
      async open() {
        const db = unopened ?? (await openPglite(dir));
        unopened = null;
        return db;
      },
      async destroy() {
        await unopened?.close();
        unopened = null;
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
};

function postgresEngine(url: string): Engine {
  return {
    name: 'postgres',
    async create({ seed = true } = {}) {
      const schema = `rf_t_${process.pid}_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`create schema ${schema}`);
      await admin.end();
      const first = await openPostgres(url, { searchPath: schema });
      await migrate(first);
      if (seed) await seedDemoData(first);
      await first.close();
      return {
        open: () => openPostgres(url, { searchPath: schema }),
        async destroy() {
          const c = new pg.Client({ connectionString: url });
          await c.connect();
          await c.query(`drop schema if exists ${schema} cascade`);
          await c.end();
        },
      };
    },
  };
}

/** One scratch database for a script (benchmarks, load relay): Postgres at `url`, else PGlite. */
export function engineFor(url: string | undefined): Engine {
  return url ? postgresEngine(url) : pgliteEngine;
}

/** PGlite, plus Postgres when TEST_DATABASE_URL is set. Use with `describe.each(engines())`. */
export function engines(): Engine[] {
  const url = process.env.TEST_DATABASE_URL;
  return url ? [pgliteEngine, postgresEngine(url)] : [pgliteEngine];
}
