import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { loadEtaConfig } from '../../server/fiscal/eta-config';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const SECRET = 'cs-7f3e9a1b-SECRET-client-value';
const KEY = 'psk-4d2c8e6f-SECRET-preshared';
const VALID = {
  ETA_ENV: 'sandbox',
  ETA_CLIENT_ID: 'restoflow-client',
  ETA_CLIENT_SECRET: SECRET,
  ETA_IDENTITY_URL: 'http://127.0.0.1:7070',
  ETA_API_URL: 'http://127.0.0.1:7070/',
  ETA_PORTAL_URL: 'http://127.0.0.1:7070',
  ETA_TAXPAYER_RIN: '123456789',
  ETA_ACTIVITY_CODE: '5610',
  ETA_BRANCH_CODE: '0',
  ETA_POS_PRESHARED_KEY: KEY,
};

/** Runs `npm run -s eta:check` with exactly these ETA_* variables (none inherited). */
async function etaCheck(vars: Record<string, string>) {
  const env: NodeJS.ProcessEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('ETA_')));
  const result = await run('npm', ['run', '-s', 'eta:check'], { cwd: ROOT, env: { ...env, ...vars } }).then(
    (r) => ({ code: 0, ...r }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  );
  return result;
}

describe.concurrent('npm run eta:check', () => {
  it('[FIS-30] prints ok: true and exits 0 when every ETA_* setting is present and valid', async () => {
    const { code, stdout, stderr } = await etaCheck(VALID);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe('ok: true');
    expect(stdout).toContain('api: http://127.0.0.1:7070\n');
    expect(stdout + stderr).not.toContain(SECRET);
    expect(stdout + stderr).not.toContain(KEY);
  });

  it('[FIS-30] prints ok: false with the missing and invalid keys, exits 1, and never prints a secret', async () => {
    const shortSecret = 'Qx7#pZ';
    const { ETA_CLIENT_ID: _id, ETA_ACTIVITY_CODE: _code, ...partial } = VALID;
    const { code, stdout, stderr } = await etaCheck({ ...partial, ETA_TAXPAYER_RIN: '12345', ETA_CLIENT_SECRET: shortSecret });
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toBe('ok: false');
    expect(lines).toContain('missing: ETA_CLIENT_ID, ETA_ACTIVITY_CODE');
    expect(lines.some((l) => l.startsWith('invalid: ETA_TAXPAYER_RIN '))).toBe(true);
    expect(lines.some((l) => l.startsWith('invalid: ETA_CLIENT_SECRET '))).toBe(true);
    for (const secret of [shortSecret, KEY]) {
      expect(stdout).not.toContain(secret);
      expect(stderr).not.toContain(secret);
    }
    expect(stdout).not.toContain('12345');
  });
});

describe('ETA settings', () => {
  it('[FIS-30] require the three URLs in the sandbox, default them in production and insist on https there', () => {
    const { ETA_IDENTITY_URL: _i, ETA_API_URL: _a, ETA_PORTAL_URL: _p, ...noUrls } = VALID;
    const sandbox = loadEtaConfig(noUrls);
    expect(sandbox).toMatchObject({ ok: false, missing: ['ETA_IDENTITY_URL', 'ETA_API_URL', 'ETA_PORTAL_URL'] });
    const production = loadEtaConfig({ ...noUrls, ETA_ENV: 'production' });
    expect(production).toMatchObject({
      ok: true,
      config: { identityUrl: 'https://id.eta.gov.eg', apiUrl: 'https://api.invoicing.eta.gov.eg', portalUrl: 'https://invoicing.eta.gov.eg' },
    });
    const preprod = loadEtaConfig({ ...noUrls, ETA_ENV: 'preprod' });
    expect(preprod).toMatchObject({ ok: true, config: { identityUrl: 'https://id.preprod.eta.gov.eg' } });
    const plainHttp = loadEtaConfig({ ...VALID, ETA_ENV: 'production' });
    expect(plainHttp).toMatchObject({ ok: false, invalid: [{ key: 'ETA_IDENTITY_URL' }, { key: 'ETA_API_URL' }, { key: 'ETA_PORTAL_URL' }] });
    expect(loadEtaConfig({ ...VALID, ETA_ENV: 'staging' })).toMatchObject({ ok: false, invalid: [{ key: 'ETA_ENV' }] });
    expect(loadEtaConfig(VALID)).toMatchObject({ ok: true, config: { apiUrl: 'http://127.0.0.1:7070' } });
  });
});
