/**
 * One product server as its own process, for tests that kill it with SIGKILL (a relay that dies
 * drops every socket at once, with no close frame, as a crashed machine would). It is `npm
 * start`'s assembly — `loadConfig(process.env)` then `startServer` — on a database the test has
 * already migrated and seeded: DATABASE_URL plus `--schema` (the test's scratch schema) and the
 * built PWA from `--static-dir`. PORT, SOCKET_REDIS_*, RELAY_URLS and ROOM_* come from the
 * environment like in production. Prints "ready <port>" once it listens.
 */
import { parseArgs } from 'node:util';
import { loadConfig, serverOptionsFrom } from '../../server/config';
import { openPostgres } from '../../server/db/database';
import { startServer } from '../../server/server';

const { values } = parseArgs({
  options: {
    schema: { type: 'string' },
    'static-dir': { type: 'string' },
    'redis-namespace': { type: 'string' },
  },
});
const config = loadConfig(process.env);
if (!config.databaseUrl || !values.schema) throw new Error('product-process needs DATABASE_URL and --schema');
const db = await openPostgres(config.databaseUrl, { searchPath: values.schema });
const server = await startServer({
  db,
  ...serverOptionsFrom(config),
  host: '127.0.0.1',
  log: () => undefined,
  ...(values['static-dir'] ? { staticDir: values['static-dir'] } : {}),
  ...(values['redis-namespace'] ? { redisNamespace: values['redis-namespace'] } : {}),
});
console.log(`ready ${server.port}`);
const shutdown = async () => {
  await server.close();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', () => void shutdown());
