import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../server/db/database';
import { getFiscalReceipts, listFiscalLog, nextFiscalAttemptAt } from '../../server/db/fiscal-queries';
import { createEtaClient } from '../../server/fiscal/eta-client';
import { startEtaSandbox, type RunningEtaSandbox, type SandboxConfig } from '../../server/fiscal/eta-sandbox';
import { createSampleDevice, sampleSeller, type IssuedReceipt } from '../../server/fiscal/sample-receipts';
import { createSubmissionQueue, type SubmissionQueueOptions } from '../../server/fiscal/submission-queue';
import { computeReceiptUuidFromText } from '../../shared/eta/uuid';
import { engines, type TestDatabase } from '../support/db';
import { waitFor } from '../support/wait';

const RIN = '123456789';
const CREDS = { clientId: 'resto-client', clientSecret: 'resto-secret-value', presharedKey: 'pos-preshared-key' };
const DEVICES = 5;
const PER_DEVICE = 200;
const STALE_EVERY = 50; // every 50th receipt is issued 25 h ago: ETA must reject it, with a reason
const SANDBOX: SandboxConfig = { clients: [{ clientId: CREDS.clientId, clientSecret: CREDS.clientSecret, rin: RIN }], presharedKey: CREDS.presharedKey };

describe.each(engines())('fiscal submission queue on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let sandbox: RunningEtaSandbox;
  /** One clock for the queue and the sandbox, moved by hand so backoffs take no real time. */
  let clock = Date.now();

  beforeAll(async () => {
    testDb = await engine.create({ seed: false });
    db = await testDb.open();
  });
  afterAll(async () => {
    await db.close();
    await testDb.destroy();
  });
  beforeEach(async () => {
    clock = Date.now();
    await db.exec('delete from fiscal_submission_log; delete from fiscal_receipts; delete from fiscal_devices');
    sandbox = await startEtaSandbox(SANDBOX, { now: () => clock });
  });
  afterEach(async () => {
    await sandbox.close();
  });

  const queue = (options: Partial<SubmissionQueueOptions> = {}, fetchImpl?: typeof fetch) =>
    createSubmissionQueue({
      db,
      client: createEtaClient({
        identityUrl: sandbox.url, apiUrl: sandbox.url, clientId: CREDS.clientId, clientSecret: CREDS.clientSecret,
        posPresharedKey: CREDS.presharedKey, ...(fetchImpl ? { fetch: fetchImpl } : {}),
      }),
      backoff: { baseMs: 1_000, maxMs: 60_000 },
      now: () => clock,
      ...options,
    });

  async function issue(serial: string, count: number, prices: number[] = [10_000]): Promise<IssuedReceipt[]> {
    const device = createSampleDevice(sampleSeller(RIN, serial));
    const out: IssuedReceipt[] = [];
    for (let i = 0; i < count; i++) out.push(await device.sale(prices, clock));
    return out;
  }
  const states = async (receipts: readonly { uuid: string }[]) => (await getFiscalReceipts(db, receipts.map((r) => r.uuid))).map((r) => r.state);

  /** Runs cycles, moving the clock to the next due receipt when nothing was due, until all are final. */
  async function drain(q: ReturnType<typeof queue>, maxCycles = 200): Promise<number> {
    for (let cycle = 0; cycle < maxCycles; cycle++) {
      const counts = await q.counts();
      if (counts.PENDING === 0 && counts.IN_PROGRESS === 0) return cycle;
      const summary = await q.runOnce();
      if (summary.batches === 0) clock = Math.max(clock, (await nextFiscalAttemptAt(db)) ?? clock);
    }
    throw new Error('queue did not drain');
  }

  it('[FIS-40] enqueue verifies each receipt, is idempotent, and keeps the exact text that was hashed', async () => {
    const q = queue();
    const [a, b] = await issue('POS-1', 2);
    const tampered = { ...b!.receipt, totalAmount: b!.receipt.totalAmount + 1 };
    // a device that writes 100.00: the uuid is the hash of its own bytes, which must be sent as they are
    const text = JSON.stringify(a!.receipt).replace('"totalSales":100,', '"totalSales":100.00,').replace(/"uuid":"[0-9a-f]{64}"/, '"uuid":""');
    const uuid = await computeReceiptUuidFromText(text);
    const withZeros = text.replace('"uuid":""', `"uuid":"${uuid}"`);
    expect(await q.enqueue([{ receipt: withZeros }, { receipt: tampered }])).toEqual([
      { uuid, status: 'queued' },
      { uuid: b!.uuid, status: 'invalid', problems: [{ propertyPath: 'totalAmount', message: 'totalAmount must equal the sum of the lines' }] },
    ]);
    expect(await q.enqueue([{ receipt: withZeros }])).toEqual([{ uuid, status: 'already-queued' }]);
    const { rows } = await db.query<{ document: string }>('select document from fiscal_receipts where uuid = $1', [uuid]);
    expect(rows[0]!.document).toBe(withZeros);
    await drain(q);
    expect(sandbox.acceptedCount(uuid)).toBe(1); // the sandbox hashed the bytes we sent: 100.00 intact
  });

  it('[FIS-41] submits one batch per device serial, all SUBMITTED, one log row per attempt, token cached per serial', async () => {
    const q = queue();
    const receipts = [...(await issue('POS-1', 10)), ...(await issue('POS-2', 10)), ...(await issue('POS-3', 10))];
    await q.enqueue(receipts.map((r) => ({ receipt: r.receipt })));
    expect(await q.counts()).toMatchObject({ PENDING: 30 });
    expect(await q.runOnce()).toEqual({ batches: 3, submitted: 30, rejected: 0, retried: 0 });
    expect(new Set(await states(receipts))).toEqual(new Set(['SUBMITTED']));
    const log = await listFiscalLog(db);
    expect(log.map((l) => [l.deviceSerial, l.receiptUuids.length, l.httpStatus, l.outcome]).sort()).toEqual([
      ['POS-1', 10, 202, 'processed'], ['POS-2', 10, 202, 'processed'], ['POS-3', 10, 202, 'processed'],
    ]);
    for (const r of receipts) expect(sandbox.acceptedCount(r.uuid)).toBe(1);
    expect(sandbox.stats().tokensIssued).toBe(3);
    // more receipts later: the cached token is reused
    const more = await issue('POS-4', 1);
    await q.enqueue(more.map((r) => ({ receipt: r.receipt })));
    await q.runOnce();
    expect(sandbox.stats().tokensIssued).toBe(4);
  });

  it('[FIS-42] batches hold at most 500 receipts and 1.5 MB, in chain order', async () => {
    const q = queue();
    const many = await issue('POS-1', 520, [1_000]);
    await q.enqueue(many.map((r) => ({ receipt: r.receipt })));
    const big = await issue('POS-2', 16, Array.from({ length: 300 }, (_, i) => 1_000 + i));
    expect(JSON.stringify(big[0]!.receipt).length).toBeGreaterThan(100_000);
    await q.enqueue(big.map((r) => ({ receipt: r.receipt })));
    await drain(q);
    const log = await listFiscalLog(db);
    const pos1 = log.filter((l) => l.deviceSerial === 'POS-1');
    expect(pos1.map((l) => l.receiptUuids.length)).toEqual([500, 20]);
    expect(pos1.flatMap((l) => l.receiptUuids)).toEqual(many.map((r) => r.uuid));
    const pos2 = log.filter((l) => l.deviceSerial === 'POS-2');
    expect(pos2.length).toBeGreaterThan(1);
    for (const l of pos2) expect(l.payloadBytes).toBeLessThanOrEqual(1.5 * 1024 * 1024);
    expect(pos2.flatMap((l) => l.receiptUuids)).toEqual(big.map((r) => r.uuid));
    expect(sandbox.stats()).toMatchObject({ accepted: 536, rejected: 0, maxAcceptancesPerUuid: 1 });
  });

  it('[FIS-43] refreshes the token on 401 and submits on the next attempt', async () => {
    const q = queue();
    const [first, second] = await issue('POS-1', 2);
    await q.enqueue([{ receipt: first!.receipt }]);
    await q.runOnce();
    sandbox.expireAllTokens();
    await q.enqueue([{ receipt: second!.receipt }]);
    expect(await q.runOnce()).toMatchObject({ batches: 1, retried: 1 });
    const [row] = await getFiscalReceipts(db, [second!.uuid]);
    expect(row).toMatchObject({ state: 'PENDING', attempts: 1, nextAttemptAt: clock }); // no backoff after a 401
    expect(await q.runOnce()).toMatchObject({ batches: 1, submitted: 1 });
    expect(sandbox.stats().tokensIssued).toBe(2);
    expect((await listFiscalLog(db)).map((l) => l.outcome)).toEqual(['processed', 'unauthorized', 'processed']);
  });

  it('[FIS-44] backs off exponentially with jitter and never earlier than Retry-After', async () => {
    const q = queue({ backoff: { baseMs: 1_000, maxMs: 60_000 } });
    const [r] = await issue('POS-1', 1);
    await q.enqueue([{ receipt: r!.receipt }]);
    sandbox.setFaults({ throttleRate: 1, retryAfterSeconds: 30 });
    await q.runOnce();
    let [row] = await getFiscalReceipts(db, [r!.uuid]);
    expect(row).toMatchObject({ state: 'PENDING', attempts: 1 });
    expect(row!.nextAttemptAt - clock).toBeGreaterThanOrEqual(30_000);
    expect((await listFiscalLog(db))[0]).toMatchObject({ httpStatus: 429, outcome: 'throttled', retryAfterMs: 30_000 });
    expect(await q.runOnce()).toMatchObject({ batches: 0 }); // not due yet

    sandbox.setFaults({ throttleRate: 0, serverErrorRate: 1 });
    for (const attempt of [2, 3, 4, 5]) {
      clock = row!.nextAttemptAt;
      await q.runOnce();
      [row] = await getFiscalReceipts(db, [r!.uuid]);
      const ceiling = 1_000 * 2 ** (attempt - 1);
      expect(row!.attempts).toBe(attempt);
      expect(row!.nextAttemptAt - clock).toBeGreaterThanOrEqual(ceiling / 2);
      expect(row!.nextAttemptAt - clock).toBeLessThanOrEqual(ceiling);
    }
    sandbox.setFaults({ serverErrorRate: 0 });
    await drain(q);
    expect(await states([r!])).toEqual(['SUBMITTED']);
  });

  it('[FIS-45] takes a DuplicateSubmission as success only after ETA reports the receipts Valid', async () => {
    const q = queue();
    const valid = await issue('POS-1', 2);
    const stale = await createSampleDevice(sampleSeller(RIN, 'POS-2')).sale([1_000], clock - 25 * 3600_000);
    await q.enqueue([...valid, stale].map((r) => ({ receipt: r.receipt })));
    sandbox.setFaults({ serverErrorAfterProcessingRate: 1 }); // ETA does the work, the answer is lost
    await q.runOnce();
    expect(await states([...valid, stale])).toEqual(['PENDING', 'PENDING', 'PENDING']);
    sandbox.setFaults({ serverErrorAfterProcessingRate: 0 });
    await drain(q);
    expect(await states(valid)).toEqual(['SUBMITTED', 'SUBMITTED']);
    const [rejected] = await getFiscalReceipts(db, [stale.uuid]);
    expect(rejected!.state).toBe('REJECTED'); // Invalid at ETA: a 422 is not a success for it
    expect(JSON.stringify(rejected!.lastError)).toContain('submitted more than 24 hours after issue');
    const outcomes = (await listFiscalLog(db)).map((l) => l.outcome);
    expect(outcomes.filter((o) => o === 'duplicate-submission')).toHaveLength(2);
    for (const r of valid) expect(sandbox.acceptedCount(r.uuid)).toBe(1);
  });

  it('[FIS-45] a grown batch whose first receipts ETA already has: DuplicateReceipt is checked, not rejected', async () => {
    const q = queue();
    const device = createSampleDevice(sampleSeller(RIN, 'POS-1'));
    const first = await device.sale([1_000], clock);
    await q.enqueue([{ receipt: first.receipt }]);
    sandbox.setFaults({ serverErrorAfterProcessingRate: 1 });
    await q.runOnce();
    sandbox.setFaults({ serverErrorAfterProcessingRate: 0 });
    const second = await device.sale([2_000], clock);
    await q.enqueue([{ receipt: second.receipt }]);
    await drain(q);
    expect(await states([first, second])).toEqual(['SUBMITTED', 'SUBMITTED']);
    expect(sandbox.stats().maxAcceptancesPerUuid).toBe(1);
  });

  it('[FIS-46] start-up puts in-flight batches back to PENDING; the attempt counts only once an answer is recorded', async () => {
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // The first process: its submission reaches ETA, then the process "dies" before it records the answer.
    const stuckFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (String(input).endsWith('/receiptsubmissions')) {
        await gate;
        throw new Error('process died');
      }
      return response;
    };
    const first = queue({}, stuckFetch);
    const receipts = await issue('POS-1', 3);
    await first.enqueue(receipts.map((r) => ({ receipt: r.receipt })));
    const orphan = first.runOnce();
    await waitFor(() => sandbox.stats().submissionsProcessed === 1);
    expect((await getFiscalReceipts(db)).map((r) => [r.state, r.attempts])).toEqual([
      ['IN_PROGRESS', 0], ['IN_PROGRESS', 0], ['IN_PROGRESS', 0],
    ]);

    const second = queue(); // the restarted process
    expect(await second.recoverInFlight()).toBe(3);
    expect((await getFiscalReceipts(db)).map((r) => [r.state, r.attempts])).toEqual([['PENDING', 0], ['PENDING', 0], ['PENDING', 0]]);
    await drain(second);
    expect(await states(receipts)).toEqual(['SUBMITTED', 'SUBMITTED', 'SUBMITTED']);

    // The "dead" process's late failure must not overwrite what was recorded since.
    release?.();
    await orphan;
    expect((await getFiscalReceipts(db)).map((r) => [r.state, r.attempts])).toEqual([['SUBMITTED', 1], ['SUBMITTED', 1], ['SUBMITTED', 1]]);
    for (const r of receipts) expect(sandbox.acceptedCount(r.uuid)).toBe(1);
  });

  it('[FIS-47] moves a receipt to DEAD_LETTER after the configured attempts, keeping the error', async () => {
    const q = queue({ maxAttempts: 3 });
    const [r] = await issue('POS-1', 1);
    await q.enqueue([{ receipt: r!.receipt }]);
    sandbox.setFaults({ serverErrorRate: 1 });
    await drain(q);
    const [row] = await getFiscalReceipts(db, [r!.uuid]);
    expect(row).toMatchObject({ state: 'DEAD_LETTER', attempts: 3, lastError: { kind: 'server-error' } });
    expect((await listFiscalLog(db)).map((l) => l.outcome)).toEqual(['server-error', 'server-error', 'server-error']);
    expect(sandbox.acceptedCount(r!.uuid)).toBe(0);
  });

  it('[FIS-48] 1,000 receipts from 5 devices, ~20 % faults, a crash mid-way: every valid one SUBMITTED once, the invalid REJECTED', async () => {
    // about one submission in five goes wrong, in every way ETA can
    sandbox.setFaults({
      latencyMs: { min: 0, max: 5 },
      serverErrorRate: 0.06,
      serverErrorAfterProcessingRate: 0.05,
      throttleRate: 0.05,
      retryAfterSeconds: 0,
      tokenExpiryRate: 0.04,
    });
    const client = (fetchImpl?: typeof fetch) =>
      createEtaClient({
        identityUrl: sandbox.url, apiUrl: sandbox.url, clientId: CREDS.clientId, clientSecret: CREDS.clientSecret,
        posPresharedKey: CREDS.presharedKey, ...(fetchImpl ? { fetch: fetchImpl } : {}),
      });
    // real time here: the backoffs are short and the worker loop sleeps for real
    const options = { db, maxAttempts: 20, maxReceiptsPerBatch: 20, backoff: { baseMs: 5, maxMs: 100 }, pollIntervalMs: 10, now: Date.now };

    // The first process dies with its 12th submission in flight (ETA processed it; no answer recorded).
    let submissions = 0;
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const dyingFetch: typeof fetch = async (input, init) => {
      const isSubmission = String(input).endsWith('/receiptsubmissions');
      const response = await fetch(input, init);
      if (isSubmission && ++submissions === 12) {
        await gate;
        throw new Error('process died');
      }
      return response;
    };

    // Receipts as the 5 tablets issue them (interleaved), made up front so the timing is the queue's.
    const devices = Array.from({ length: DEVICES }, (_, d) => createSampleDevice(sampleSeller(RIN, `POS-${d + 1}`)));
    const issued: IssuedReceipt[] = [];
    for (let i = 0; i < PER_DEVICE; i++) {
      for (const device of devices) {
        const stale = issued.length % STALE_EVERY === STALE_EVERY - 1;
        issued.push(await device.sale([1_000 + (issued.length % 900) * 10], clock - (stale ? 25 * 3600_000 : 0)));
      }
    }
    const waves = Array.from({ length: 10 }, (_, w) => issued.slice(w * 100, (w + 1) * 100).map((r) => ({ receipt: r.receipt })));

    const started = performance.now();
    const first = createSubmissionQueue({ ...options, client: client(dyingFetch) });
    first.start();
    for (const wave of waves.slice(0, 5)) await first.enqueue(wave);
    await waitFor(() => submissions >= 12, { timeoutMs: 30_000 });
    const firstStopped = first.stop(); // it never finishes its cycle: the process is dead

    const second = createSubmissionQueue({ ...options, client: client() });
    const recovered = await second.recoverInFlight();
    second.start();
    for (const wave of waves.slice(5)) await second.enqueue(wave);
    await waitFor(async () => {
      const counts = await second.counts();
      return counts.PENDING === 0 && counts.IN_PROGRESS === 0;
    }, { timeoutMs: 120_000, intervalMs: 50 });
    const elapsedMs = performance.now() - started;
    await second.stop();
    release?.();
    await firstStopped;

    expect(issued).toHaveLength(DEVICES * PER_DEVICE);
    expect(recovered).toBeGreaterThan(0);
    const rows = new Map((await getFiscalReceipts(db)).map((r) => [r.uuid, r]));
    const stale = issued.filter((_, n) => n % STALE_EVERY === STALE_EVERY - 1);
    const valid = issued.filter((_, n) => n % STALE_EVERY !== STALE_EVERY - 1);
    for (const r of valid) {
      expect(rows.get(r.uuid)?.state).toBe('SUBMITTED');
      expect(sandbox.acceptedCount(r.uuid)).toBe(1);
    }
    for (const r of stale) {
      expect(rows.get(r.uuid)?.state).toBe('REJECTED');
      expect(JSON.stringify(rows.get(r.uuid)?.lastError)).toContain('submitted more than 24 hours after issue');
    }
    const stats = sandbox.stats();
    expect(stats.maxAcceptancesPerUuid).toBe(1);
    expect(stats.accepted).toBe(valid.length);
    const log = await listFiscalLog(db);
    const faulty = log.filter((l) => l.outcome !== 'processed').length;
    expect(faulty / log.length).toBeGreaterThan(0.1);
    console.log(
      `[FIS-48 ${engine.name}] ${issued.length} receipts (${valid.length} valid, ${stale.length} invalid) drained in ${(elapsedMs / 1000).toFixed(1)} s ` +
        `(${(issued.length / (elapsedMs / 1000)).toFixed(0)} receipts/s, enqueue to drained); ${log.length} attempts, ${faulty} faulty ` +
        `(${JSON.stringify(stats.faults)}); recovered ${recovered} in flight; success on valid ${valid.length}/${valid.length}`,
    );
  }, 180_000);
});
