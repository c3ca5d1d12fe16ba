/**
 * `npx tsx tests/bench/audit-log.bench.ts [--entries 200000] [--database-url postgres://…]`
 *
 * The audit log query (AUDIT-03) on a branch with a long history: `--entries` rows spread over two
 * branches, one a second apart; times the first page, a page deep in the history by keyset
 * (`before`, no offset), and an action filter, each the median of 5 runs. A keyset page should
 * cost about the same wherever it starts. Figures only; no assertion (the machine is shared).
 */
import { parseArgs } from 'node:util';
import { listAuditEntries } from '../../server/db/audit-queries';
import type { AuditQuery } from '../../shared/schemas/audit';
import { engineFor } from '../support/db';

const { values } = parseArgs({ options: { entries: { type: 'string', default: '200000' }, 'database-url': { type: 'string' } } });
const entries = Number(values.entries);

async function main() {
  const url = values['database-url'];
  const testDb = await engineFor(url).create();
  const db = await testDb.open();
  try {
    await db.query(
      `insert into audit_log (branch_id, at, action, actor, approved_by, reason, amount_minor)
       select case when g % 2 = 0 then 'cairo' else 'alex' end, now() - (g || ' seconds')::interval,
              (array['void','discount','refund','pay-in','pay-out','shift-open','shift-close'])[1 + g % 7], 'sara', 'hany', 'bench', g
         from generate_series(1, $1::int) g`,
      [entries],
    );
    await db.query('analyze audit_log');
    const time = async (label: string, query: AuditQuery) => {
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        await listAuditEntries(db, 'cairo', query);
        runs.push(performance.now() - started);
      }
      runs.sort((a, b) => a - b);
      console.log(`${url ? 'postgres' : 'pglite'}, ${entries} entries: ${label}: median ${runs[2]!.toFixed(1)} ms of 5`);
    };
    const middle = Math.floor(entries / 4);
    const { rows } = await db.query<{ id: string | number }>(
      `select id from audit_log where branch_id = 'cairo' order by at desc, id desc offset $1 limit 1`, [middle]);
    await time('first page (50)', { limit: 50 });
    await time(`page of 50 after entry ${middle} (keyset)`, { limit: 50, before: String(rows[0]!.id) });
    await time('action=refund, first page (50)', { limit: 50, action: 'refund' });
  } finally {
    await db.close();
    await testDb.destroy();
  }
}

await main();
