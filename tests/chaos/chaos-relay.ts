/**
 * The relay as a killable process for the chaos test: the real server on a persistent database
 * (PGlite in --data-dir, or CHAOS_DATABASE_URL + --schema), on a fixed port so clients reconnect
 * to the same address. On first start it seeds the demo data, a third branch, and one device per
 * token given on stdin (JSON array of [branchId, token]), so tokens survive restarts.
 * Prints "ready <port>" when it listens.
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import { openPglite, openPostgres } from '../../server/db/database';
import { migrate } from '../../server/db/migrate';
import { isDatabaseEmpty, seedDemoData } from '../../server/db/seed';
import type { RotationPolicy } from '../../server/relay/rotation';
import { startServer } from '../../server/server';

const { values } = parseArgs({
  options: {
    port: { type: 'string' },
    'data-dir': { type: 'string' },
    schema: { type: 'string' },
    devices: { type: 'string', default: '[]' },
  },
});
const pgUrl = process.env.CHAOS_DATABASE_URL;
const db = pgUrl ? await openPostgres(pgUrl, { searchPath: values.schema ?? 'public' }) : await openPglite(values['data-dir']);
await migrate(db);
if (await isDatabaseEmpty(db)) {
  await seedDemoData(db);
  // A third branch with Cairo's floor plan and menu, so three rooms take real orders.
  const g = (column: string) => `replace(${column}, 'cairo', 'giza')`;
  for (const sql of [
    `insert into branches (id, tenant_id, name_en, name_ar) values ('giza', 'demo', 'Giza', 'الجيزة')`,
    `insert into zones select ${g('id')}, 'giza', name_en, name_ar, sort from zones where branch_id = 'cairo'`,
    `insert into dining_tables select ${g('id')}, 'giza', ${g('zone_id')}, label, seats, sort from dining_tables where branch_id = 'cairo'`,
    `insert into menu_categories select ${g('id')}, 'giza', name_en, name_ar, sort from menu_categories where branch_id = 'cairo'`,
    `insert into modifier_groups select ${g('id')}, 'giza', name_en, name_ar, min_select, max_select from modifier_groups where branch_id = 'cairo'`,
    `insert into modifier_options select ${g('o.id')}, ${g('o.group_id')}, o.name_en, o.name_ar, o.price_minor, o.sort
       from modifier_options o join modifier_groups m on m.id = o.group_id where m.branch_id = 'cairo'`,
    `insert into menu_items select ${g('id')}, 'giza', ${g('category_id')}, name_en, name_ar, price_minor, station, sort, active
       from menu_items where branch_id = 'cairo'`,
    `insert into menu_item_modifier_groups select ${g('mg.item_id')}, ${g('mg.group_id')}, mg.sort
       from menu_item_modifier_groups mg join menu_items i on i.id = mg.item_id where i.branch_id = 'cairo'`,
    `insert into user_branches select user_id, 'giza' from user_branches where branch_id = 'cairo'`,
  ]) {
    await db.query(sql);
  }
}
const devices = JSON.parse(values.devices ?? '[]') as [string, string][];
for (const [i, [branchId, token]] of devices.entries()) {
  await db.query(
    `insert into devices (id, branch_id, kind, name, token_hash, paired_by) values ($1, $2, 'pos', $1, $3, 'mona')
     on conflict (id) do nothing`,
    [`chaos-${i}`, branchId, createHash('sha256').update(token).digest('hex')],
  );
}
// CHAOS_ROTATION: a rotation policy (JSON) when the run archives and rotates rooms.
const rotation = process.env.CHAOS_ROTATION ? (JSON.parse(process.env.CHAOS_ROTATION) as RotationPolicy) : undefined;
const server = await startServer({
  db,
  port: Number(values.port),
  // The relay's own log lines (rotations, settlement refusals) go to stderr: runChaos keeps them
  // for the report when a guarantee breaks.
  log: (line) => console.error(line),
  ...(rotation ? { rotation } : {}),
  rateLimits: { perAddress: { burst: 10_000, perSecond: 10_000 }, perToken: { burst: 100, perSecond: 100 } },
});
console.log(`ready ${server.port}`);
