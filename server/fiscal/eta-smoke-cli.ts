/**
 * `npm run eta:smoke [-- --timeout 60] [-- --production]`: submits one test receipt through the
 * real submission queue and shows it SUBMITTED in the fiscal log (FIS-31, docs/FISCAL.md).
 *
 * Endpoint: with no ETA_* variable at all, or ETA_ENV=sandbox without ETA_API_URL, it starts the
 * project's ETA sandbox in-process on a free 127.0.0.1 port (credentials from the ETA_* values
 * that are set, sandbox defaults for the rest); otherwise it uses the configured ETA, parsed by
 * eta-config.ts exactly as `eta:check` does. Production needs `--production`: a receipt sent there
 * is a real tax document.
 *
 * Database: DATABASE_URL, else PGlite in DATA_DIR (default ./data), as `npm start` — migrated,
 * never wiped. The receipt comes from its own POS serial `SMOKE-<epoch ms>`, so it starts a fresh
 * chain, cannot break a real device's chain, and stays recognisable as a test in the tables. The
 * worker is restricted to that serial (no other device's receipt is sent), and start-up recovery
 * is not run (it would reset batches a running server holds).
 *
 * Output: endpoint, receipt uuid, final state, one line per fiscal log row, then `ok: true`
 * (exit 0) or `ok: false — <reason>` (exit 1). Secrets are never printed; only URL hosts are.
 * A receipt still PENDING at the deadline is moved to DEAD_LETTER, so no later worker sends it.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config';
import { openDatabase, type Database } from '../db/database';
import { abandonFiscalReceipt, getFiscalReceipts, type FiscalState } from '../db/fiscal-queries';
import { migrate } from '../db/migrate';
import { createEtaClient } from './eta-client';
import { describeEtaConfig, ETA_KEYS, loadEtaConfig, type EtaConfig } from './eta-config';
import { startEtaSandbox, type RunningEtaSandbox } from './eta-sandbox';
import { createSampleDevice, sampleSeller } from './sample-receipts';
import { createSubmissionQueue } from './submission-queue';

const FINAL_STATES: readonly FiscalState[] = ['SUBMITTED', 'REJECTED', 'DEAD_LETTER'];
/** How often the receipt's state is read while the worker runs. */
const WATCH_INTERVAL_MS = 100;

/**
 * What the in-process sandbox uses for the ETA_* keys an operator did not set; the URLs are
 * placeholders replaced by the sandbox's address once it listens (its port is only known then).
 */
const SANDBOX_DEFAULTS: Record<string, string> = {
  ETA_ENV: 'sandbox',
  ETA_CLIENT_ID: 'sandbox-client',
  ETA_CLIENT_SECRET: 'sandbox-secret',
  ETA_IDENTITY_URL: 'http://127.0.0.1',
  ETA_API_URL: 'http://127.0.0.1',
  ETA_PORTAL_URL: 'http://127.0.0.1',
  ETA_TAXPAYER_RIN: '123456789',
  ETA_ACTIVITY_CODE: '5610',
  ETA_BRANCH_CODE: '0',
  ETA_POS_PRESHARED_KEY: 'sandbox-preshared-key',
};

const argsSchema = z.object({
  timeout: z.coerce.number().positive().max(3600).default(60),
  production: z.boolean().default(false),
});

const print = (line: string) => console.log(line);

/** Prints the final line and sets the exit code; the caller still closes what it opened. */
function finish(ok: boolean, reason?: string): void {
  print(ok ? 'ok: true' : `ok: false — ${reason ?? 'unknown'}`);
  process.exitCode = ok ? 0 : 1;
}

/** Host of a URL only: a configured URL could carry user:password, which must not be printed. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return '(unreadable URL)';
  }
};

function describeError(error: unknown): string {
  if (error === null || error === undefined) return '';
  if (typeof error === 'string') return error;
  const text = JSON.stringify(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { timeout: { type: 'string' }, production: { type: 'boolean' } },
    strict: true,
  });
  const args = argsSchema.safeParse(values);
  if (!args.success) return finish(false, '--timeout expects seconds (a positive number, at most 3600)');
  const timeoutMs = args.data.timeout * 1000;

  // Which ETA: the in-process sandbox unless an operator configured a real endpoint.
  const etaEnv = Object.fromEntries(ETA_KEYS.map((k) => [k, process.env[k]?.trim() || undefined]));
  const anyEtaSet = Object.values(etaEnv).some((v) => v !== undefined);
  const inProcess = !anyEtaSet || (etaEnv.ETA_ENV === 'sandbox' && etaEnv.ETA_API_URL === undefined);
  const parsed = loadEtaConfig(
    inProcess
      ? { ...SANDBOX_DEFAULTS, ...Object.fromEntries(Object.entries(etaEnv).filter(([k, v]) => v !== undefined && !k.endsWith('_URL'))) }
      : etaEnv,
  );
  if (!parsed.ok) {
    for (const line of describeEtaConfig(parsed).slice(1)) print(line);
    return finish(false, 'ETA settings incomplete or invalid (see `npm run eta:check`)');
  }
  const eta: EtaConfig = parsed.config;
  if (eta.environment === 'production' && !args.data.production) {
    return finish(false, 'ETA_ENV=production: a smoke receipt there is a real tax document; add --production to send it anyway');
  }

  let sandbox: RunningEtaSandbox | undefined;
  let db: Database | undefined;
  try {
    if (inProcess) {
      sandbox = await startEtaSandbox({
        clients: [{ clientId: eta.clientId, clientSecret: eta.clientSecret, rin: eta.taxpayerRin }],
        presharedKey: eta.posPresharedKey,
      }, { port: 0, host: '127.0.0.1' });
      eta.identityUrl = eta.apiUrl = eta.portalUrl = sandbox.url;
      print(`endpoint: sandbox (in-process) ${sandbox.url}`);
    } else {
      print(`endpoint: ${hostOf(eta.apiUrl)} (ETA_ENV=${eta.environment}, identity ${hostOf(eta.identityUrl)})`);
    }

    const appConfig = loadConfig(process.env);
    db = await openDatabase({ databaseUrl: appConfig.databaseUrl, dataDir: resolve(appConfig.dataDir) });
    await migrate(db);
    print(`database: ${db.engine === 'pglite' ? `embedded (PGlite) in ${appConfig.dataDir}` : 'Postgres (DATABASE_URL)'}`);

    // A fresh serial per run: its chain starts at previousUUID "" both here and at ETA.
    const serial = `SMOKE-${Date.now()}`;
    const seller = { ...sampleSeller(eta.taxpayerRin, serial, eta.branchCode), activityCode: eta.activityCode, companyTradeName: 'RestoFlow eta:smoke test' };
    const issued = await createSampleDevice(seller).sale([10_000]);
    print(`device: ${serial} (test device)`);
    print(`receipt: ${issued.receipt.header.receiptNumber} uuid ${issued.uuid}`);

    const queue = createSubmissionQueue({
      db,
      client: createEtaClient({
        identityUrl: eta.identityUrl, apiUrl: eta.apiUrl, clientId: eta.clientId, clientSecret: eta.clientSecret,
        posPresharedKey: eta.posPresharedKey,
        // One slow request must not outlive the smoke test's own deadline by much.
        timeoutMs: Math.min(10_000, timeoutMs),
      }),
      devices: [serial],
      // Short backoff: an operator is waiting, and there is one receipt, so no load to spread.
      backoff: { baseMs: 500, maxMs: 5_000 },
      pollIntervalMs: 200,
      concurrency: 1,
      log: (line) => console.error(line),
    });
    const [enqueued] = await queue.enqueue([{ receipt: issued.receipt }]);
    if (enqueued?.status !== 'queued') {
      const problems = enqueued?.status === 'invalid' ? enqueued.problems.map((p) => `${p.propertyPath}: ${p.message}`).join('; ') : 'not stored';
      return finish(false, `test receipt not queued (${problems})`);
    }

    const deadline = Date.now() + timeoutMs;
    queue.start();
    let state: FiscalState = 'PENDING';
    let lastError: unknown = null;
    let attempts = 0;
    try {
      while (Date.now() < deadline) {
        const row = (await getFiscalReceipts(db, [issued.uuid]))[0];
        if (row) ({ state, lastError, attempts } = row);
        if (FINAL_STATES.includes(state)) break;
        await new Promise((r) => setTimeout(r, WATCH_INTERVAL_MS));
      }
    } finally {
      await queue.stop();
    }
    // Read again after stopping: the batch in flight at the deadline may have been recorded since.
    const row = (await getFiscalReceipts(db, [issued.uuid]))[0];
    if (row) ({ state, lastError, attempts } = row);

    print(`state: ${state} after ${attempts} attempt(s)`);
    const { rows: log } = await db.query<{ started_at: string | Date; http_status: number | null; outcome: string; error: string | null }>(
      `select started_at, http_status, outcome, error from fiscal_submission_log
       where device_serial = $1 and $2 = any(receipt_uuids) order by id`,
      [serial, issued.uuid],
    );
    print(`fiscal log (${log.length} row(s)):`);
    log.forEach((l, i) => {
      const at = new Date(l.started_at).toISOString();
      print(`  attempt ${i + 1}  ${at}  ${l.outcome}${l.http_status === null ? '' : ` (HTTP ${l.http_status})`}${l.error ? `  ${l.error}` : ''}`);
    });

    if (state === 'SUBMITTED') return finish(true);
    const why = describeError(lastError);
    if (FINAL_STATES.includes(state)) return finish(false, `receipt ${state}${why ? `: ${why}` : ''}`);
    // Not final: retire it, so no later worker sends a stale test receipt to ETA.
    const retired = await abandonFiscalReceipt(db, issued.uuid, `eta:smoke gave up after ${args.data.timeout} s`, Date.now());
    if (retired) print(`state: DEAD_LETTER (given up by eta:smoke; it will not be sent later)`);
    return finish(false, `timed out after ${args.data.timeout} s with the receipt ${state}${why ? ` (last error: ${why})` : ''}`);
  } finally {
    await db?.close();
    await sandbox?.close();
  }
}

try {
  await main();
} catch (error) {
  // Database or start-up failures: a clear last line rather than a stack trace only.
  console.error(error);
  finish(false, error instanceof Error ? error.message : String(error));
}
