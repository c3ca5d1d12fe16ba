/**
 * One database interface over two engines: PGlite (real Postgres compiled to WASM, in-process,
 * on a data folder) when DATABASE_URL is unset, and a `pg` Pool against a Postgres server when it
 * is set. The same SQL and migrations serve both. All SQL lives under server/db/.
 */
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface Queryable {
  query<Row = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: Row[] }>;
}

export interface Database extends Queryable {
  /** Runs several statements separated by semicolons (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction; rolls back on error, retries on serialization failures. */
  transact<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Queries on one connection kept for them alone (reconnected after an error), for a steady
   * stream of small writes — the relay's update log. They skip the pool's check-out and release
   * (about a third of the client-side cost of a small INSERT here) and never queue behind a
   * long report on a busy pool. PGlite has one connection: its own.
   */
  dedicated(): Queryable;
  close(): Promise<void>;
  readonly engine: 'pglite' | 'postgres';
}

const RETRYABLE_SQLSTATES = new Set(['40001', '40P01']);
const MAX_TRANSACTION_ATTEMPTS = 5;

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

async function withRetry<T>(attempt: () => Promise<T>): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= MAX_TRANSACTION_ATTEMPTS || !RETRYABLE_SQLSTATES.has(sqlState(error) ?? '')) throw error;
      await new Promise((r) => setTimeout(r, 5 * 2 ** n + Math.random() * 10));
    }
  }
}

/** PGlite on a folder (or in memory with `dataDir` undefined). */
export async function openPglite(dataDir?: string): Promise<Database> {
  const db = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  const database: Database = {
    engine: 'pglite',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(sql, params as unknown[]);
      return { rows: result.rows };
    },
    async exec(sql) {
      await db.exec(sql);
    },
    dedicated: () => database,
    transact(work) {
      return withRetry(() =>
        db.transaction(async (tx) =>
          work({
            async query<Row>(sql: string, params: readonly unknown[] = []) {
              return { rows: (await tx.query<Row>(sql, params as unknown[])).rows };
            },
          }),
        ),
      );
    },
    async close() {
      await db.close();
    },
  };
  return database;
}

/** A pg Pool; `searchPath` puts every connection in one schema (tests use a schema per run). */
export async function openPostgres(url: string, options: { searchPath?: string; max?: number } = {}): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
  });
  // Idle clients can error when the server restarts; without a listener that would crash the process.
  pool.on('error', (error) => console.error('[db] idle client error:', error.message));
  await pool.query('select 1');
  // The dedicated connection (`dedicated` above): taken from the pool on first use, and again
  // after an error. The promise itself says which taking is current.
  let own: Promise<pg.PoolClient> | null = null;
  const takeOwn = (): Promise<pg.PoolClient> => {
    const taken = pool.connect();
    own = taken;
    taken.then(
      // A checked-out client that errors (the server restarted) must not crash the process.
      (client) => client.on('error', (error) => dropOwn(taken, client, error)),
      () => {
        if (own === taken) own = null;
      },
    );
    return taken;
  };
  const dropOwn = (taken: Promise<pg.PoolClient>, client: pg.PoolClient, error: Error) => {
    if (own !== taken) return; // dropped already
    own = null;
    client.release(error); // a broken connection is closed, not returned to the pool
  };
  const dedicated: Queryable = {
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const taken = own ?? takeOwn();
      const client = await taken;
      try {
        return { rows: (await client.query(sql, params as unknown[])).rows as Row[] };
      } catch (error) {
        dropOwn(taken, client, error as Error); // the next write starts on a new connection
        throw error;
      }
    },
  };
  return {
    engine: 'postgres',
    async query<Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query(sql, params as unknown[]);
      return { rows: result.rows as Row[] };
    },
    async exec(sql) {
      await pool.query(sql);
    },
    transact(work) {
      return withRetry(async () => {
        const client = await pool.connect();
        try {
          await client.query('begin');
          const value = await work({
            async query<Row>(sql: string, params: readonly unknown[] = []) {
              return { rows: (await client.query(sql, params as unknown[])).rows as Row[] };
            },
          });
          await client.query('commit');
          return value;
        } catch (error) {
          await client.query('rollback').catch(() => undefined);
          throw error;
        } finally {
          client.release();
        }
      });
    },
    dedicated: () => dedicated,
    async close() {
      const taken = own;
      own = null;
      (await taken?.catch(() => null))?.release();
      await pool.end();
    },
  };
}

/** The engine the environment asks for: Postgres with DATABASE_URL, else PGlite in DATA_DIR. */
export function openDatabase(config: { databaseUrl?: string | undefined; dataDir: string }): Promise<Database> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openPglite(config.dataDir);
}
