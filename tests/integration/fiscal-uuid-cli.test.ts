import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SALE = join(ROOT, 'tests/fixtures/eta/receipt-sale.json');
const tmp = mkdtempSync(join(tmpdir(), 'rf-eta-uuid-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const etaUuid = (...args: string[]) => run('npm', ['run', '-s', 'eta:uuid', '--', ...args], { cwd: ROOT });

describe.concurrent('npm run -s eta:uuid', () => {
  it('[FIS-02] prints exactly one line: the 64-hex uuid of the receipt as it would be sent', async () => {
    const { stdout } = await etaUuid(SALE);
    // pinned in shared/eta/serializer.test.ts, cross-checked with an independent Python hash
    expect(stdout).toBe('f6dd4e038c3486c78e2b0fc20216d48e1fda9374994bd131219d5bd37905403f\n');
  });

  it('[FIS-02] fails with exit code 1 and a message on stderr for a file that is not a receipt', async () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"header": {"receiptNumber": "1"}}');
    const failure = await etaUuid(bad).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure?.code).toBe(1);
    expect(failure?.stdout).toBe('');
    expect(failure?.stderr).toMatch(/header/);
  });
});
