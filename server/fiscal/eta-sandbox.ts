/**
 * The ETA sandbox: an HTTP server with ETA's e-receipt endpoints and rules, because nothing we run
 * can reach the real service. The real client only knows base URLs, so it is pointed here in
 * development and tests.
 *
 * It does what ETA does with a submission — token per POS serial, size and count limits, one
 * serial per submission, structure and arithmetic (the shared zod schema), each uuid recomputed
 * from the bytes received, each device's previousUUID chain, 24-hour limit, 422 for the same
 * payload within 10 minutes — and it can misbehave on purpose (latency, 5xx before or after doing
 * the work, 429 with Retry-After, tokens dying early, random rejections), deterministically from a
 * seed. It counts acceptances per uuid so a test can prove no receipt was accepted twice.
 *
 * Chain rule: a device's chain is the sequence of its receipts the sandbox received with a uuid
 * that verifies (valid or not: ETA keeps invalid receipts too). A receipt must name the last of
 * them as previousUUID ("" for the first). A correction (referenceOldUUID = a rejected receipt of
 * the same device) names the rejected receipt's previousUUID instead and does not extend the chain.
 */
import { createHash } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import {
  DUPLICATE_SUBMISSION_WINDOW_MS,
  ETA_SUBMISSIONS_PATH,
  ETA_TOKEN_PATH,
  MAX_RECEIPT_AGE_MS,
  MAX_SUBMISSION_BYTES,
  POS_HEADERS,
  submissionRequestSchema,
  tokenRequestSchema,
  type EtaErrorBody,
  type EtaErrorCode,
  type ReceiptDetails,
  type RejectedDocument,
  type SubmissionDetails,
  type SubmissionResponse,
  type TokenResponse,
} from '../../shared/eta/api';
import { etaReceiptSchema, RETURN_RECEIPT_TYPES, toEtaPropertyErrors, type EtaPropertyError } from '../../shared/eta/receipt-schema';
import { memberOf, parseJsonPreservingLiterals, type JsonNode } from '../../shared/eta/serializer';
import { computeReceiptUuidFromNode } from '../../shared/eta/uuid';

const rate = z.number().min(0).max(1);

export const sandboxConfigSchema = z.object({
  /** Taxpayers allowed to ask for tokens; `rin` is checked against each receipt's seller. */
  clients: z
    .array(z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), rin: z.string().regex(/^\d{9}$/) }))
    .min(1),
  /** The pre-shared key every POS sends (ETA_POS_PRESHARED_KEY). */
  presharedKey: z.string().min(1),
  /** Registered POS serials; any serial is accepted when left out. */
  posSerials: z.array(z.string().min(1)).optional(),
  tokenLifetimeSeconds: z.number().int().positive().default(3600),
  /** Seed of every random decision (faults, ids): the same seed and requests give the same run. */
  seed: z.number().int().default(1),
  /** How far ahead of the sandbox's clock a dateTimeIssued may be (device clocks drift). */
  clockSkewMs: z.number().int().nonnegative().default(5 * 60 * 1000),
  faults: z
    .object({
      /** Delay before answering each submission, uniformly in [min, max] ms. */
      latencyMs: z.object({ min: z.number().int().nonnegative(), max: z.number().int().nonnegative() }).default({ min: 0, max: 0 }),
      /** Share of submissions answered 5xx without doing anything. */
      serverErrorRate: rate.default(0),
      /** Share answered 5xx after the submission was fully processed (the answer is lost). */
      serverErrorAfterProcessingRate: rate.default(0),
      /** Share answered 429 with Retry-After. */
      throttleRate: rate.default(0),
      retryAfterSeconds: z.number().int().nonnegative().default(1),
      /** Share of submissions whose (otherwise valid) token is declared expired: 401. */
      tokenExpiryRate: rate.default(0),
      /** Share of valid receipts rejected anyway (error code `InjectedRejection`). */
      rejectionRate: rate.default(0),
    })
    .default({
      latencyMs: { min: 0, max: 0 },
      serverErrorRate: 0,
      serverErrorAfterProcessingRate: 0,
      throttleRate: 0,
      retryAfterSeconds: 1,
      tokenExpiryRate: 0,
      rejectionRate: 0,
    }),
});
export type SandboxConfig = z.input<typeof sandboxConfigSchema>;
type ParsedConfig = z.output<typeof sandboxConfigSchema>;

/** mulberry32: a tiny seeded PRNG, so fault runs can be replayed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface TokenGrant {
  clientId: string;
  rin: string;
  serial: string;
  expiresAt: number;
}

interface StoredReceipt {
  uuid: string;
  receiptNumber: string;
  serial: string;
  previousUUID: string;
  status: 'Valid' | 'Invalid';
  errors: EtaPropertyError[];
  isSale: boolean;
  submissionId: string;
}

interface StoredSubmission {
  id: string;
  rin: string;
  receivedAt: number;
  receipts: Array<{ uuid: string; receiptNumber: string; status: 'Valid' | 'Invalid'; errors: EtaPropertyError[] }>;
}

export interface SandboxStats {
  tokensIssued: number;
  submissionsReceived: number;
  submissionsProcessed: number;
  accepted: number;
  rejected: number;
  /** Highest number of times one uuid was accepted: 1 when nothing was accepted twice. */
  maxAcceptancesPerUuid: number;
  faults: { latency: number; serverError: number; serverErrorAfterProcessing: number; throttled: number; tokenExpired: number; injectedRejection: number };
}

export interface SandboxState {
  acceptedCount(uuid: string): number;
  acceptedUuids(): string[];
  receiptStatus(uuid: string): { status: 'Valid' | 'Invalid'; errors: EtaPropertyError[] } | undefined;
  stats(): SandboxStats;
  /** Every token issued so far stops working (the next call gets 401). */
  expireAllTokens(): void;
  /** Changes the fault settings from now on (tests turn faults on and off mid-run). */
  setFaults(faults: Partial<ParsedConfig['faults']>): void;
}

export interface SandboxOptions {
  /** The sandbox's clock (epoch ms); tests move it to cross the 24-hour and 10-minute limits. */
  now?: () => number;
}

function etaError(code: EtaErrorCode, message: string, details: EtaPropertyError[] = []): EtaErrorBody {
  return { error: { code, message, target: 'submission', details } };
}

function scalarText(node: JsonNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || !node.raw.startsWith('"')) return undefined;
  const value: unknown = JSON.parse(node.raw);
  return typeof value === 'string' ? value : undefined;
}

/** The Hono app of the sandbox and a handle on its state. */
export function createEtaSandboxApp(config: SandboxConfig, options: SandboxOptions = {}): { app: Hono; state: SandboxState } {
  const cfg: ParsedConfig = sandboxConfigSchema.parse(config);
  const now = options.now ?? Date.now;
  const random = seededRandom(cfg.seed);
  const chance = (p: number) => p > 0 && random() < p;
  const randomId = (length: number, alphabet = '0123456789ABCDEFGHJKMNPQRSTVWXYZ') =>
    Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');

  const tokens = new Map<string, TokenGrant>();
  const receipts = new Map<string, StoredReceipt>();
  const chainHead = new Map<string, string>();
  const submissions = new Map<string, StoredSubmission>();
  const recentPayloads = new Map<string, { submissionId: string; at: number }>();
  const acceptances = new Map<string, number>();
  const stats: SandboxStats = {
    tokensIssued: 0,
    submissionsReceived: 0,
    submissionsProcessed: 0,
    accepted: 0,
    rejected: 0,
    maxAcceptancesPerUuid: 0,
    faults: { latency: 0, serverError: 0, serverErrorAfterProcessing: 0, throttled: 0, tokenExpired: 0, injectedRejection: 0 },
  };
  // Receipts of one device must be checked one submission at a time, or two could both extend
  // the same chain head.
  let processing: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = processing.then(work, work);
    processing = run.catch(() => undefined);
    return run;
  };

  const bearer = (c: Context): TokenGrant | undefined => {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer (.+)$/i.exec(header);
    const grant = match?.[1] ? tokens.get(match[1]) : undefined;
    return grant && grant.expiresAt > now() ? grant : undefined;
  };
  const unauthorized = (c: Context) => {
    c.header('WWW-Authenticate', 'Bearer error="invalid_token"');
    return c.json(etaError('Unauthorized', 'The access token is missing, invalid or expired.'), 401);
  };
  const serverError = (c: Context) => {
    const status = ([500, 502, 503, 504] as const)[Math.floor(random() * 4)] ?? 500;
    return c.json(etaError('InternalServerError', 'Injected server error.'), status);
  };

  interface CheckedReceipt {
    uuid: string;
    receiptNumber: string;
    errors: EtaPropertyError[];
    previousUUID: string;
    isSale: boolean;
    /** The uuid verifies and is new: the receipt is kept (valid or not). */
    isStored: boolean;
    /** It extends its device's chain. */
    joinsChain: boolean;
  }

  /** `node` is the receipt as received (for hashing), `value` the same receipt parsed. */
  async function checkReceipt(node: JsonNode, value: unknown, grant: TokenGrant, receivedAt: number): Promise<CheckedReceipt> {
    const errors: EtaPropertyError[] = [];
    const header = memberOf(node, 'header');
    const receiptNumber = scalarText(memberOf(header ?? node, 'receiptNumber')) ?? '';
    const claimedUuid = scalarText(memberOf(header ?? node, 'uuid')) ?? '';
    const parsed = etaReceiptSchema.safeParse(value);
    if (!parsed.success) errors.push(...toEtaPropertyErrors(parsed.error));

    let computed: string | undefined;
    try {
      computed = await computeReceiptUuidFromNode(node);
    } catch {
      computed = undefined;
    }
    const uuidVerifies = computed !== undefined && computed === claimedUuid;
    if (!uuidVerifies) errors.push({ propertyPath: 'header.uuid', message: 'uuid does not match the hash of the receipt' });

    const known = uuidVerifies ? receipts.get(claimedUuid) : undefined;
    if (known) {
      errors.push({ propertyPath: 'header.uuid', message: `receipt already submitted (${known.status})`, code: 'DuplicateReceipt' });
      return { uuid: claimedUuid, receiptNumber, errors, previousUUID: '', isSale: false, isStored: false, joinsChain: false };
    }

    // The chain is checked on what was sent even when the receipt fails other rules: ETA keeps
    // invalid receipts, and a device's next receipt names them as previousUUID.
    const previousUUID = scalarText(memberOf(header ?? node, 'previousUUID')) ?? '';
    const oldUuid = scalarText(memberOf(header ?? node, 'referenceOldUUID'));
    let joinsChain = false;
    if (uuidVerifies) {
      const head = chainHead.get(grant.serial) ?? '';
      if (oldUuid) {
        const old = receipts.get(oldUuid);
        if (!old || old.serial !== grant.serial || old.status !== 'Invalid') {
          errors.push({ propertyPath: 'header.referenceOldUUID', message: 'referenceOldUUID is not a rejected receipt of this device' });
        } else if (previousUUID !== old.previousUUID) {
          errors.push({ propertyPath: 'header.previousUUID', message: 'a correction keeps the previousUUID of the receipt it corrects' });
        }
      } else if (previousUUID !== head) {
        errors.push({
          propertyPath: 'header.previousUUID',
          message: head ? `previousUUID must be ${head}, the device's last receipt` : 'the device\'s first receipt has previousUUID ""',
          code: 'ChainBroken',
        });
      } else {
        joinsChain = true;
      }
    }
    if (parsed.success && uuidVerifies) {
      const receipt = parsed.data;
      const issuedAt = Date.parse(receipt.header.dateTimeIssued);
      if (issuedAt > receivedAt + cfg.clockSkewMs) errors.push({ propertyPath: 'header.dateTimeIssued', message: 'issued in the future' });
      if (issuedAt < receivedAt - MAX_RECEIPT_AGE_MS) {
        errors.push({ propertyPath: 'header.dateTimeIssued', message: 'submitted more than 24 hours after issue' });
      }
      if (RETURN_RECEIPT_TYPES.includes(receipt.documentType.receiptType)) {
        const sale = receipts.get(receipt.header.referenceUUID ?? '');
        if (!sale || sale.status !== 'Valid' || !sale.isSale) {
          errors.push({ propertyPath: 'header.referenceUUID', message: 'referenceUUID is not an accepted sale receipt' });
        }
      }
      if (errors.length === 0 && chance(cfg.faults.rejectionRate)) {
        stats.faults.injectedRejection++;
        errors.push({ propertyPath: '', message: 'Injected rejection.', code: 'InjectedRejection' });
      }
    }
    const isSale = parsed.success && !RETURN_RECEIPT_TYPES.includes(parsed.data.documentType.receiptType);
    return { uuid: claimedUuid, receiptNumber, errors, previousUUID, isSale, isStored: uuidVerifies, joinsChain };
  }

  const app = new Hono();

  app.post(ETA_TOKEN_PATH, async (c) => {
    const form = tokenRequestSchema.safeParse(await c.req.parseBody().catch(() => ({})));
    if (!form.success) return c.json({ error: 'invalid_request', error_description: 'expected a client_credentials form' }, 400);
    const client = cfg.clients.find((k) => k.clientId === form.data.client_id && k.clientSecret === form.data.client_secret);
    if (!client) return c.json({ error: 'invalid_client' }, 400);
    const serial = c.req.header(POS_HEADERS.serial)?.trim();
    if (!serial || (cfg.posSerials && !cfg.posSerials.includes(serial))) return c.json({ error: 'invalid_posserial' }, 400);
    if (c.req.header(POS_HEADERS.presharedKey) !== cfg.presharedKey) return c.json({ error: 'invalid_presharedkey' }, 400);
    const accessToken = randomId(48, 'abcdefghijklmnopqrstuvwxyz0123456789');
    stats.tokensIssued++;
    tokens.set(accessToken, { clientId: client.clientId, rin: client.rin, serial, expiresAt: now() + cfg.tokenLifetimeSeconds * 1000 });
    return c.json(
      { access_token: accessToken, token_type: 'Bearer', expires_in: cfg.tokenLifetimeSeconds, scope: 'InvoicingAPI' } satisfies TokenResponse,
      200,
    );
  });

  app.post(ETA_SUBMISSIONS_PATH, async (c) => {
    stats.submissionsReceived++;
    const { min, max } = cfg.faults.latencyMs;
    if (max > 0) {
      stats.faults.latency++;
      await new Promise((r) => setTimeout(r, min + Math.floor(random() * (Math.max(max, min) - min + 1))));
    }
    const grant = bearer(c);
    if (!grant) return unauthorized(c);
    if (chance(cfg.faults.tokenExpiryRate)) {
      stats.faults.tokenExpired++;
      grant.expiresAt = 0;
      return unauthorized(c);
    }
    if (chance(cfg.faults.throttleRate)) {
      stats.faults.throttled++;
      c.header('Retry-After', String(cfg.faults.retryAfterSeconds));
      return c.json(etaError('TooManyRequests', 'Too many requests.'), 429);
    }
    if (chance(cfg.faults.serverErrorRate)) {
      stats.faults.serverError++;
      return serverError(c);
    }

    const body = await c.req.text();
    if (Buffer.byteLength(body, 'utf8') > MAX_SUBMISSION_BYTES) {
      return c.json(etaError('MaximumSizeExceeded', `A submission is at most ${MAX_SUBMISSION_BYTES} bytes.`), 400);
    }
    let root: JsonNode;
    let envelope: unknown;
    try {
      root = parseJsonPreservingLiterals(body);
      envelope = JSON.parse(body);
    } catch (error) {
      return c.json(etaError('BadStructure', `The body is not JSON: ${error instanceof Error ? error.message : 'unreadable'}.`), 400);
    }
    const shape = submissionRequestSchema.safeParse(envelope);
    const receiptNodes = memberOf(root, 'receipts');
    if (!shape.success || receiptNodes?.kind !== 'array') {
      const details = shape.success ? [] : toEtaPropertyErrors(shape.error);
      return c.json(etaError('BadStructure', 'Expected {"receipts": [1–500 receipts], "signatures": [...]}.', details), 400);
    }
    for (const [i, r] of receiptNodes.items.entries()) {
      const seller = memberOf(r, 'seller');
      const serial = scalarText(memberOf(seller ?? r, 'deviceSerialNumber'));
      const rin = scalarText(memberOf(seller ?? r, 'rin'));
      if (serial !== grant.serial || rin !== grant.rin) {
        return c.json(
          etaError('IncorrectSubmitter', 'Every receipt must come from the authenticated taxpayer and POS serial.', [
            { propertyPath: `receipts[${i}].seller`, message: `expected rin ${grant.rin} and deviceSerialNumber ${grant.serial}` },
          ]),
          403,
        );
      }
    }

    const outcome = await exclusive(async () => {
      const receivedAt = now();
      const payloadHash = createHash('sha256').update(`${grant.rin}\n${body}`).digest('hex');
      const previous = recentPayloads.get(payloadHash);
      if (previous && receivedAt - previous.at < DUPLICATE_SUBMISSION_WINDOW_MS) {
        return { duplicateOf: previous, retryAfterSeconds: Math.ceil((previous.at + DUPLICATE_SUBMISSION_WINDOW_MS - receivedAt) / 1000) };
      }
      const submissionId = randomId(26);
      const answer: SubmissionResponse = { submissionId, acceptedDocuments: [], rejectedDocuments: [] };
      const stored: StoredSubmission = { id: submissionId, rin: grant.rin, receivedAt, receipts: [] };
      for (const [i, node] of receiptNodes.items.entries()) {
        const checked = await checkReceipt(node, shape.data.receipts[i], grant, receivedAt);
        const status = checked.errors.length === 0 ? 'Valid' : 'Invalid';
        if (checked.isStored) {
          receipts.set(checked.uuid, {
            uuid: checked.uuid, receiptNumber: checked.receiptNumber, serial: grant.serial, previousUUID: checked.previousUUID,
            status, errors: checked.errors, isSale: checked.isSale, submissionId,
          });
          if (checked.joinsChain) chainHead.set(grant.serial, checked.uuid);
        }
        stored.receipts.push({ uuid: checked.uuid, receiptNumber: checked.receiptNumber, status, errors: checked.errors });
        if (status === 'Valid') {
          const count = (acceptances.get(checked.uuid) ?? 0) + 1;
          acceptances.set(checked.uuid, count);
          stats.accepted++;
          stats.maxAcceptancesPerUuid = Math.max(stats.maxAcceptancesPerUuid, count);
          answer.acceptedDocuments.push({
            uuid: checked.uuid, longId: randomId(40, 'abcdefghijklmnopqrstuvwxyz0123456789'), receiptNumber: checked.receiptNumber,
            hashKey: createHash('sha256').update(checked.uuid).digest('base64'),
          });
        } else {
          stats.rejected++;
          const rejected: RejectedDocument = {
            receiptNumber: checked.receiptNumber,
            uuid: checked.uuid,
            error: { code: 'ValidationError', message: 'The receipt is invalid.', target: checked.receiptNumber, details: checked.errors },
          };
          answer.rejectedDocuments.push(rejected);
        }
      }
      submissions.set(submissionId, stored);
      recentPayloads.set(payloadHash, { submissionId, at: receivedAt });
      stats.submissionsProcessed++;
      return { answer };
    });

    if ('duplicateOf' in outcome) {
      c.header('Retry-After', String(outcome.retryAfterSeconds));
      return c.json(etaError('DuplicateSubmission', 'The same submission was received in the last 10 minutes.'), 422);
    }
    if (chance(cfg.faults.serverErrorAfterProcessingRate)) {
      stats.faults.serverErrorAfterProcessing++;
      return serverError(c);
    }
    return c.json(outcome.answer, 202);
  });

  app.get(`${ETA_SUBMISSIONS_PATH}/:id/details`, (c) => {
    const grant = bearer(c);
    if (!grant) return unauthorized(c);
    const submission = submissions.get(c.req.param('id'));
    if (!submission || submission.rin !== grant.rin) return c.json(etaError('NotFound', 'No such submission.'), 404);
    const query = z
      .object({ PageNo: z.coerce.number().int().min(1).default(1), PageSize: z.coerce.number().int().min(1).max(100).default(100) })
      .safeParse({ PageNo: c.req.query('PageNo'), PageSize: c.req.query('PageSize') });
    if (!query.success) return c.json(etaError('BadStructure', 'PageNo ≥ 1 and 1 ≤ PageSize ≤ 100.'), 400);
    const { PageNo, PageSize } = query.data;
    const valid = submission.receipts.filter((r) => r.status === 'Valid').length;
    const details: SubmissionDetails = {
      submissionUuid: submission.id,
      dateTimeReceived: new Date(submission.receivedAt).toISOString(),
      receiptCount: submission.receipts.length,
      status: valid === submission.receipts.length ? 'Valid' : valid === 0 ? 'Invalid' : 'PartiallyValid',
      receipts: submission.receipts.slice((PageNo - 1) * PageSize, PageNo * PageSize).map((r) => ({
        uuid: r.uuid, receiptNumber: r.receiptNumber, status: r.status, ...(r.errors.length ? { errors: r.errors } : {}),
      })),
      metadata: { totalPages: Math.ceil(submission.receipts.length / PageSize), totalCount: submission.receipts.length },
    };
    return c.json(details, 200);
  });

  app.get('/api/v1/receipts/:uuid/details', (c) => {
    const grant = bearer(c);
    if (!grant) return unauthorized(c);
    const stored = receipts.get(c.req.param('uuid'));
    const submission = stored ? submissions.get(stored.submissionId) : undefined;
    if (!stored || !submission || submission.rin !== grant.rin) return c.json(etaError('NotFound', 'No such receipt.'), 404);
    const details: ReceiptDetails = {
      receipt: {
        uuid: stored.uuid, receiptNumber: stored.receiptNumber, submissionUuid: stored.submissionId, status: stored.status,
        ...(stored.errors.length ? { errors: stored.errors } : {}),
      },
    };
    return c.json(details, 200);
  });

  const state: SandboxState = {
    acceptedCount: (uuid) => acceptances.get(uuid) ?? 0,
    acceptedUuids: () => [...acceptances.keys()],
    receiptStatus: (uuid) => {
      const r = receipts.get(uuid);
      return r ? { status: r.status, errors: r.errors } : undefined;
    },
    stats: () => structuredClone(stats),
    expireAllTokens: () => {
      for (const grant of tokens.values()) grant.expiresAt = 0;
    },
    setFaults: (faults) => {
      cfg.faults = { ...cfg.faults, ...faults };
    },
  };
  return { app, state };
}

export interface RunningEtaSandbox extends SandboxState {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts the sandbox on `port` (0: any free port) and `host` (default 127.0.0.1). */
export async function startEtaSandbox(
  config: SandboxConfig,
  options: SandboxOptions & { port?: number; host?: string } = {},
): Promise<RunningEtaSandbox> {
  const { app, state } = createEtaSandboxApp(config, options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 0, hostname: host }, () => resolve(s));
  });
  const port = (server.address() as AddressInfo).port;
  return {
    ...state,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
