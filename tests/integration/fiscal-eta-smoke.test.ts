import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPglite } from '../../server/db/database';
import { getFiscalReceipts, listFiscalLog } from '../../server/db/fiscal-queries';
import { migrate } from '../../server/db/migrate';
import { createEtaClient } from '../../server/fiscal/eta-client';
import { createSampleDevice, sampleSeller } from '../../server/fiscal/sample-receipts';
import { createSubmissionQueue } from '../../server/fiscal/submission-queue';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run -s eta:smoke` on `dataDir` with exactly these ETA_* variables (none inherited). */
async function etaSmoke(dataDir: string, vars: Record<string, string> = {}, args: string[] = []) {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ETA_') && k !== 'DATABASE_URL'),
  );
  return run('npm', ['run', '-s', 'eta:smoke', '--', ...args], { cwd: ROOT, env: { ...env, ...vars, DATA_DIR: dataDir } }).then(
    (r) => ({ code: 0, ...r }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
}

// The two runs share one data folder, in order: it starts fresh except for one receipt of a
// "real" device that the smoke runs must leave alone (creating a PGlite folder costs ~10 s here,
// so it is done once).
describe('npm run eta:smoke', () => {
  let dataDir: string;
  let realUuid: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'restoflow-eta-smoke-'));
    const db = await openPglite(dataDir);
    await migrate(db);
    const real = await createSampleDevice(sampleSeller('123456789', 'POS-REAL')).sale([25_000]);
    realUuid = real.uuid;
    // A client that is never called: the queue is only used to store the receipt.
    const client = createEtaClient({ identityUrl: 'http://127.0.0.1:9', apiUrl: 'http://127.0.0.1:9', clientId: 'x', clientSecret: 'x', posPresharedKey: 'x' });
    expect(await createSubmissionQueue({ db, client }).enqueue([{ receipt: real.receipt }])).toEqual([{ uuid: realUuid, status: 'queued' }]);
    await db.close();
  });
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('[FIS-31] with no ETA_* set, submits a test receipt to the in-process sandbox: SUBMITTED in the fiscal log, ok: true, other devices untouched', async () => {
    const { code, stdout, stderr } = await etaSmoke(dataDir);
    expect({ code, stderr }).toMatchObject({ code: 0 });
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toBe('ok: true');
    expect(stdout).toContain('endpoint: sandbox (in-process) http://127.0.0.1:');
    expect(stdout).toMatch(/uuid [0-9a-f]{64}\n/);
    expect(stdout).toContain('state: SUBMITTED after 1 attempt(s)');
    expect(stdout).toMatch(/attempt 1 {2}\S+Z {2}processed \(HTTP 202\)/);
    expect(stdout).not.toContain('sandbox-secret');
    expect(stdout).not.toContain('sandbox-preshared-key');

    const db = await openPglite(dataDir);
    try {
      const smokeUuid = /uuid ([0-9a-f]{64})/.exec(stdout)![1]!;
      const [smoke, real] = [(await getFiscalReceipts(db, [smokeUuid]))[0], (await getFiscalReceipts(db, [realUuid]))[0]];
      expect(smoke).toMatchObject({ state: 'SUBMITTED', deviceSerial: expect.stringMatching(/^SMOKE-\d+$/) });
      // The worker was restricted to the smoke device: the real device's receipt was not sent anywhere.
      expect(real).toMatchObject({ state: 'PENDING', attempts: 0, deviceSerial: 'POS-REAL' });
      expect((await listFiscalLog(db)).filter((l) => l.receiptUuids.includes(realUuid))).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('[FIS-31] fails cleanly against an ETA that does not answer: exit 1, ok: false with the reason, test receipt retired', async () => {
    const closed = 'http://127.0.0.1:9'; // discard port, nothing listens there
    const { code, stdout } = await etaSmoke(
      dataDir,
      {
        ETA_ENV: 'sandbox', ETA_CLIENT_ID: 'resto-client', ETA_CLIENT_SECRET: 'cs-SECRET-never-printed',
        ETA_IDENTITY_URL: closed, ETA_API_URL: closed, ETA_PORTAL_URL: closed, ETA_TAXPAYER_RIN: '123456789',
        ETA_ACTIVITY_CODE: '5610', ETA_BRANCH_CODE: '0', ETA_POS_PRESHARED_KEY: 'psk-SECRET-never-printed',
      },
      ['--timeout', '2'],
    );
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines.at(-1)).toMatch(/^ok: false — timed out after 2 s with the receipt PENDING \(last error: .*token failed/);
    expect(stdout).toContain('endpoint: 127.0.0.1:9 (ETA_ENV=sandbox');
    expect(stdout).toContain('token-failed');
    expect(stdout).toContain('state: DEAD_LETTER (given up by eta:smoke');
    expect(stdout).not.toContain('SECRET');
  });
});
