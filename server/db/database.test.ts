import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engines, type TestDatabase } from '../../tests/support/db';
import type { Database } from './database';
import { migrate } from './migrate';

describe.each(engines())('database adapter on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await engine.create({ seed: false });
    db = await testDb.open();
  });
  afterAll(async () => {
    await db.close();
    await testDb.destroy();
  });

  it('migrations are recorded and a second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query<{ name: string }>('select name from schema_migrations');
    expect(rows.map((r) => r.name)).toContain('001-initial.sql');
  });

  it('rolls a failed transaction back completely', async () => {
    await expect(
      db.transact(async (tx) => {
        await tx.query(`insert into tenants (id, name, vat_rate_bp, service_charge_rate_bp) values ('t1', 'T', 0, 0)`);
        await tx.query('select * from no_such_table');
      }),
    ).rejects.toThrow();
    const { rows } = await db.query(`select 1 from tenants where id = 't1'`);
    expect(rows).toHaveLength(0);
  });

  it('round-trips bytea as bytes', async () => {
    await db.query(`insert into yjs_updates (room, update) values ('r', $1)`, [new Uint8Array([0, 1, 255])]);
    const { rows } = await db.query<{ update: Uint8Array }>(`select update from yjs_updates where room = 'r'`);
    expect([...new Uint8Array(rows[0]!.update)]).toEqual([0, 1, 255]);
  });

  it('dedicated(): one connection kept for its queries, replaced after the server drops it', async () => {
    const own = db.dedicated();
    const backend = async () => (await own.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    const first = await backend();
    expect(await backend()).toBe(first); // the same connection, not a pool's pick
    if (db.engine === 'pglite') return; // one connection, nothing to drop
    await db.query('select pg_terminate_backend($1)', [first]); // as a server restart would
    // Fails if the drop has not been noticed yet; once noticed, queries go to a new connection.
    await own.query('select 1').catch(() => undefined);
    const second = await backend();
    expect(second).not.toBe(first);
    expect(await backend()).toBe(second);
  });
});
