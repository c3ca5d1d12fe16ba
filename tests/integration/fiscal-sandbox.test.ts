import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  etaErrorBodySchema,
  receiptDetailsSchema,
  submissionDetailsSchema,
  submissionResponseSchema,
  tokenResponseSchema,
} from '../../shared/eta/api';
import type { EtaReceipt } from '../../shared/eta/receipt-schema';
import { computeReceiptUuid } from '../../shared/eta/uuid';
import { startEtaSandbox, type RunningEtaSandbox, type SandboxConfig } from '../../server/fiscal/eta-sandbox';
import { createSampleDevice, sampleSeller } from '../../server/fiscal/sample-receipts';

const RIN = '123456789';
const CLIENT = { clientId: 'resto-client', clientSecret: 'resto-secret-value', rin: RIN };
const KEY = 'pos-preshared-key';
const BASE_CONFIG: SandboxConfig = { clients: [CLIENT], presharedKey: KEY };

let clock = Date.now();
const running: RunningEtaSandbox[] = [];
async function sandbox(config: Partial<SandboxConfig> = {}): Promise<RunningEtaSandbox> {
  const s = await startEtaSandbox({ ...BASE_CONFIG, ...config }, { now: () => clock });
  running.push(s);
  return s;
}
afterEach(async () => {
  for (const s of running.splice(0)) await s.close();
  clock = Date.now();
});

async function requestToken(url: string, serial: string, overrides: { secret?: string; key?: string } = {}) {
  const response = await fetch(`${url}/connect/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', posserial: serial, presharedkey: overrides.key ?? KEY, pososversion: 'Android 14' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: CLIENT.clientId, client_secret: overrides.secret ?? CLIENT.clientSecret }),
  });
  return { status: response.status, body: (await response.json()) as unknown };
}
async function token(url: string, serial: string): Promise<string> {
  return tokenResponseSchema.parse((await requestToken(url, serial)).body).access_token;
}
async function submitRaw(url: string, accessToken: string, body: string) {
  const response = await fetch(`${url}/api/v1/receiptsubmissions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    body,
  });
  const text = await response.text();
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? (JSON.parse(text) as unknown) : null };
}
const envelope = (receipts: readonly unknown[]) => JSON.stringify({ receipts, signatures: [{ signatureType: 'I', value: '' }] });
const submit = (url: string, accessToken: string, receipts: readonly unknown[]) => submitRaw(url, accessToken, envelope(receipts));
const accepted = (body: unknown) => submissionResponseSchema.parse(body);

describe('ETA sandbox over HTTP', () => {
  it('[FIS-20] issues a token for a known client, POS serial and pre-shared key, and refuses the rest', async () => {
    const s = await sandbox({ posSerials: ['POS-1'] });
    const ok = await requestToken(s.url, 'POS-1');
    expect(ok.status).toBe(200);
    expect(tokenResponseSchema.parse(ok.body)).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect(await requestToken(s.url, 'POS-1', { secret: 'wrong' })).toEqual({ status: 400, body: { error: 'invalid_client' } });
    expect(await requestToken(s.url, 'POS-9')).toEqual({ status: 400, body: { error: 'invalid_posserial' } });
    expect(await requestToken(s.url, 'POS-1', { key: 'wrong' })).toEqual({ status: 400, body: { error: 'invalid_presharedkey' } });
  });

  it('[FIS-21] accepts a device chain, answers like ETA, and reports status per submission and per receipt', async () => {
    const s = await sandbox();
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const chain = [await device.sale([10_000]), await device.sale([5_500, 3_000]), await device.sale([32_000])];
    expect((await submit(s.url, 'not-a-token', [chain[0]!.receipt])).status).toBe(401);
    const t = await token(s.url, 'POS-1');
    const first = await submit(s.url, t, chain.map((r) => r.receipt));
    expect(first.status).toBe(202);
    const answer = accepted(first.body);
    expect(answer.rejectedDocuments).toEqual([]);
    expect(answer.acceptedDocuments.map((d) => [d.uuid, d.receiptNumber])).toEqual(chain.map((r) => [r.uuid, r.receipt.header.receiptNumber]));
    for (const r of chain) expect(s.acceptedCount(r.uuid)).toBe(1);

    const details = await fetch(`${s.url}/api/v1/receiptsubmissions/${answer.submissionId}/details?PageNo=1&PageSize=2`, {
      headers: { authorization: `Bearer ${t}` },
    });
    const parsed = submissionDetailsSchema.parse(await details.json());
    expect(parsed).toMatchObject({ status: 'Valid', receiptCount: 3, metadata: { totalPages: 2, totalCount: 3 } });
    expect(parsed.receipts).toHaveLength(2);
    const one = await fetch(`${s.url}/api/v1/receipts/${chain[1]!.uuid}/details`, { headers: { authorization: `Bearer ${t}` } });
    expect(receiptDetailsSchema.parse(await one.json()).receipt).toMatchObject({ status: 'Valid', submissionUuid: answer.submissionId });
  });

  it('[FIS-22] refuses empty, oversized, over-count and foreign-serial submissions as a whole', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const receipt = (await device.sale()).receipt;
    const code = (body: unknown) => etaErrorBodySchema.parse(body).error.code;

    const empty = await submit(s.url, t, []);
    expect([empty.status, code(empty.body)]).toEqual([400, 'BadStructure']);
    const tooMany = await submit(s.url, t, Array.from({ length: 501 }, () => receipt));
    expect([tooMany.status, code(tooMany.body)]).toEqual([400, 'BadStructure']);
    const big = await submitRaw(s.url, t, envelope([{ ...receipt, padding: 'x'.repeat(1.5 * 1024 * 1024) }]));
    expect([big.status, code(big.body)]).toEqual([400, 'MaximumSizeExceeded']);
    const garbage = await submitRaw(s.url, t, '{"receipts": [');
    expect([garbage.status, code(garbage.body)]).toEqual([400, 'BadStructure']);
    const other = createSampleDevice(sampleSeller(RIN, 'POS-2'));
    const foreign = await submit(s.url, t, [(await other.sale()).receipt]);
    expect([foreign.status, code(foreign.body)]).toEqual([403, 'IncorrectSubmitter']);
    expect(s.stats().accepted).toBe(0);
  });

  it('[FIS-23] rejects a receipt whose uuid is not the hash of what was sent (tampering, or literals like 100.00)', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const r = await device.sale([10_000]);
    const tampered: EtaReceipt = structuredClone(r.receipt);
    tampered.buyer = { type: 'P', name: 'Someone Else' };
    const bad = accepted((await submit(s.url, t, [tampered])).body);
    expect(bad.rejectedDocuments[0]?.error.details).toContainEqual({ propertyPath: 'header.uuid', message: 'uuid does not match the hash of the receipt' });

    // The same receipt with its amounts written with trailing zeros: same values, other bytes.
    const withZeros = envelope([r.receipt]).replace('"totalSales":100,', '"totalSales":100.00,');
    expect(withZeros).toContain('100.00');
    const zeros = accepted((await submitRaw(s.url, t, withZeros)).body);
    expect(zeros.rejectedDocuments.map((d) => d.error.details[0]?.propertyPath)).toEqual(['header.uuid']);

    const good = accepted((await submit(s.url, t, [r.receipt])).body);
    expect(good.acceptedDocuments.map((d) => d.uuid)).toEqual([r.uuid]);
  });

  it('[FIS-23] rejects receipts that break ETA rules, with the property path, and keeps the others', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const good = await device.sale([2_000]);
    const wrongTotal = structuredClone((await device.sale([10_000])).receipt);
    wrongTotal.totalAmount = 127.67;
    wrongTotal.header.uuid = await computeReceiptUuid(wrongTotal);
    const answer = accepted((await submit(s.url, t, [good.receipt, wrongTotal])).body);
    expect(answer.rejectedDocuments).toHaveLength(1);
    expect(answer.rejectedDocuments[0]!.error.details).toEqual([{ propertyPath: 'totalAmount', message: 'totalAmount must equal the sum of the lines' }]);
    expect(answer.acceptedDocuments.map((d) => d.uuid)).toEqual([good.uuid]);
    // the invalid receipt stays in the device's chain: the next one names it
    const next = structuredClone((await device.sale([3_000])).receipt);
    next.header.previousUUID = wrongTotal.header.uuid;
    next.header.uuid = await computeReceiptUuid(next);
    expect(accepted((await submit(s.url, t, [next])).body).acceptedDocuments).toHaveLength(1);
  });

  it('[FIS-24] checks each device\'s previousUUID chain against what it received before', async () => {
    const s = await sandbox();
    const t1 = await token(s.url, 'POS-1');
    const t2 = await token(s.url, 'POS-2');
    const d1 = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const d2 = createSampleDevice(sampleSeller(RIN, 'POS-2'));
    const [a1, a2, a3] = [await d1.sale(), await d1.sale(), await d1.sale()];
    const b1 = await d2.sale();
    // a2 before a1: a2 does not follow the device's (empty) chain
    const outOfOrder = accepted((await submit(s.url, t1, [a2!.receipt])).body);
    expect(outOfOrder.rejectedDocuments[0]?.error.details[0]).toMatchObject({ propertyPath: 'header.previousUUID', code: 'ChainBroken' });
    // the rejected a2 did not join the chain; a1 then a3 skips a2
    expect(accepted((await submit(s.url, t1, [a1!.receipt])).body).acceptedDocuments).toHaveLength(1);
    const skipping = accepted((await submit(s.url, t1, [a3!.receipt])).body);
    expect(skipping.rejectedDocuments[0]?.error.details[0]?.code).toBe('ChainBroken');
    // chains are per device: POS-2's first receipt starts from ""
    expect(accepted((await submit(s.url, t2, [b1.receipt])).body).acceptedDocuments).toHaveLength(1);
  });

  it('[FIS-24] a correction re-issues a rejected receipt with its previousUUID and referenceOldUUID', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const first = await device.sale();
    const broken = structuredClone((await device.sale([4_000])).receipt);
    broken.itemData[0]!.description = 'x'.repeat(501); // fails the schema, uuid still verifies
    broken.header.uuid = await computeReceiptUuid(broken);
    expect(accepted((await submit(s.url, t, [first.receipt, broken])).body).rejectedDocuments).toHaveLength(1);

    const correction = structuredClone(broken);
    correction.itemData[0]!.description = 'Dish 1';
    correction.header = { ...correction.header, uuid: '', referenceOldUUID: broken.header.uuid };
    correction.header.uuid = await computeReceiptUuid(correction);
    const answer = accepted((await submit(s.url, t, [correction])).body);
    expect(answer.acceptedDocuments.map((d) => d.uuid)).toEqual([correction.header.uuid]);
    expect(s.receiptStatus(broken.header.uuid)?.status).toBe('Invalid');
  });

  it('[FIS-25] answers 422 DuplicateSubmission with Retry-After for the same payload within 10 minutes; never accepts a uuid twice', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const receipts = [(await device.sale()).receipt, (await device.sale()).receipt];
    expect((await submit(s.url, t, receipts)).status).toBe(202);
    clock += 9 * 60 * 1000;
    const again = await submit(s.url, t, receipts);
    expect(again.status).toBe(422);
    expect(etaErrorBodySchema.parse(again.body).error.code).toBe('DuplicateSubmission');
    expect(Number(again.retryAfter)).toBe(60);
    // same receipts in another payload (or after the window): each is refused as already submitted
    clock += 2 * 60 * 1000;
    const later = accepted((await submit(s.url, t, receipts)).body);
    expect(later.rejectedDocuments.map((d) => d.error.details[0]?.code)).toEqual(['DuplicateReceipt', 'DuplicateReceipt']);
    for (const r of receipts) expect(s.acceptedCount(r.header.uuid)).toBe(1);
    expect(s.stats().maxAcceptancesPerUuid).toBe(1);
  });

  it('[FIS-25] refuses receipts submitted more than 24 hours after issue, or issued in the future', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const old = await device.sale([1_000], clock - 25 * 3600 * 1000);
    const future = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const ahead = await future.sale([1_000], clock + 3600 * 1000);
    const answer = accepted((await submit(s.url, t, [old.receipt])).body);
    expect(answer.rejectedDocuments[0]?.error.details).toContainEqual({ propertyPath: 'header.dateTimeIssued', message: 'submitted more than 24 hours after issue' });
    const s2 = await sandbox();
    const answer2 = accepted((await submit(s2.url, await token(s2.url, 'POS-1'), [ahead.receipt])).body);
    expect(answer2.rejectedDocuments[0]?.error.details).toContainEqual({ propertyPath: 'header.dateTimeIssued', message: 'issued in the future' });
  });

  it('[FIS-26] accepts a return that references an accepted sale, and refuses one that does not', async () => {
    const s = await sandbox();
    const t = await token(s.url, 'POS-1');
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const sale = await device.sale([10_000, 2_000]);
    const ret = await device.returnOf(sale);
    expect(ret.receipt.documentType.receiptType).toBe('RC');
    const answer = accepted((await submit(s.url, t, [sale.receipt, ret.receipt])).body);
    expect(answer.acceptedDocuments.map((d) => d.uuid)).toEqual([sale.uuid, ret.uuid]);

    const other = await sandbox();
    const lone = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const unknownSale = await createSampleDevice(sampleSeller(RIN, 'POS-9')).sale();
    const orphan = await lone.returnOf(unknownSale);
    const refused = accepted((await submit(other.url, await token(other.url, 'POS-1'), [orphan.receipt])).body);
    expect(refused.rejectedDocuments[0]?.error.details).toContainEqual({
      propertyPath: 'header.referenceUUID', message: 'referenceUUID is not an accepted sale receipt',
    });
  });

  it('[FIS-27] expires tokens after expires_in, or on demand: 401 until a new token', async () => {
    const s = await sandbox({ tokenLifetimeSeconds: 60 });
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const r = await device.sale();
    const t = await token(s.url, 'POS-1');
    clock += 61_000;
    expect((await submit(s.url, t, [r.receipt])).status).toBe(401);
    const fresh = await token(s.url, 'POS-1');
    s.expireAllTokens();
    expect((await submit(s.url, fresh, [r.receipt])).status).toBe(401);
    expect((await submit(s.url, await token(s.url, 'POS-1'), [r.receipt])).status).toBe(202);
  });

  it('[FIS-28] injects faults by configuration, the same way for the same seed', async () => {
    const faults = { latencyMs: { min: 1, max: 3 }, serverErrorRate: 0.15, serverErrorAfterProcessingRate: 0.1, throttleRate: 0.15, retryAfterSeconds: 3, tokenExpiryRate: 0.1, rejectionRate: 0.1 };
    const runs: Array<{ statuses: string[]; accepted: number; injected: number }> = [];
    for (let run = 0; run < 2; run++) {
      clock = Date.parse('2026-01-01T01:00:00Z');
      const s = await sandbox({ seed: 1, faults });
      const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
      const statuses: string[] = [];
      let t = await token(s.url, 'POS-1');
      for (let i = 0; i < 20; i++) {
        const r = await device.sale([1_000 + i], Date.parse('2026-01-01T00:00:00Z') + i * 1000);
        // a client that retries the same payload until ETA has it (a 422 means it already has)
        for (let attempt = 0; attempt < 20; attempt++) {
          const res = await submit(s.url, t, [r.receipt]);
          statuses.push(String(res.status));
          if (res.status === 401) t = await token(s.url, 'POS-1');
          if (res.status === 429) expect(res.retryAfter).toBe('3');
          if (res.status === 202 || res.status === 422) break;
        }
        expect(s.receiptStatus(r.uuid)).toBeDefined();
      }
      const stats = s.stats();
      runs.push({ statuses, accepted: stats.accepted, injected: stats.faults.injectedRejection });
      expect(stats.faults.latency).toBe(statuses.length);
      expect(stats.maxAcceptancesPerUuid).toBe(1);
      expect(stats.accepted + stats.faults.injectedRejection).toBe(20);
    }
    expect(runs[1]).toEqual(runs[0]);
    const seen = new Set(runs[0]!.statuses);
    for (const status of ['202', '401', '422', '429']) expect(seen).toContain(status);
    expect([...seen].some((st) => /^5\d\d$/.test(st))).toBe(true);
    expect(runs[0]!.injected).toBeGreaterThan(0);
  });

  it('[FIS-28] a 5xx after processing keeps the work: the receipts are accepted once, findable by uuid', async () => {
    const s = await sandbox({ faults: { serverErrorAfterProcessingRate: 1 } });
    const t = await token(s.url, 'POS-1');
    const r = await createSampleDevice(sampleSeller(RIN, 'POS-1')).sale();
    const res = await submit(s.url, t, [r.receipt]);
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(s.acceptedCount(r.uuid)).toBe(1);
    const one = await fetch(`${s.url}/api/v1/receipts/${r.uuid}/details`, { headers: { authorization: `Bearer ${t}` } });
    expect(receiptDetailsSchema.parse(await one.json()).receipt.status).toBe('Valid');
  });
});

describe('npm run eta:sandbox', () => {
  const ROOT = fileURLToPath(new URL('../..', import.meta.url));
  let child: ReturnType<typeof spawn> | undefined;
  let url = '';
  beforeAll(async () => {
    child = spawn('npm', ['run', '-s', 'eta:sandbox', '--', '--port', '0', '--seed', '7'], {
      cwd: ROOT, detached: true, env: { ...process.env, ETA_CLIENT_ID: CLIENT.clientId, ETA_CLIENT_SECRET: CLIENT.clientSecret, ETA_TAXPAYER_RIN: RIN, ETA_POS_PRESHARED_KEY: KEY },
    });
    url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child?.stdout?.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(out);
        if (match?.[1]) resolve(match[1]);
      });
      child?.on('exit', (code) => reject(new Error(`eta:sandbox exited with ${code}`)));
    });
  });
  afterAll(() => {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
  });

  it('[FIS-20] starts on the given port and serves the token endpoint with the ETA_* credentials', async () => {
    const answer = await requestToken(url, 'POS-1');
    expect(answer.status).toBe(200);
    expect(tokenResponseSchema.safeParse(answer.body).success).toBe(true);
  });
});
