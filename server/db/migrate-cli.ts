/** `npm run db:migrate`: applies pending migrations to DATABASE_URL, or to PGlite in DATA_DIR. */
import { loadConfig } from '../config';
import { openDatabase } from './database';
import { migrate } from './migrate';

const config = loadConfig(process.env);
const db = await openDatabase(config);
try {
  const applied = await migrate(db);
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
} finally {
  await db.close();
}
