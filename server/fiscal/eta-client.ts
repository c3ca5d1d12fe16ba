/**
 * The ETA e-receipt HTTP client: token per POS serial, submission, status. It knows base URLs
 * only (the sandbox in development and tests, ETA in production) and never throws for what ETA
 * or the network can do: every call returns a tagged answer the queue records and decides on.
 * Every answer body is parsed with the zod schemas of shared/eta/api.ts.
 */
import {
  ETA_SUBMISSIONS_PATH,
  ETA_TOKEN_PATH,
  etaErrorBodySchema,
  etaReceiptDetailsPath,
  POS_HEADERS,
  receiptDetailsSchema,
  submissionResponseSchema,
  tokenErrorSchema,
  tokenResponseSchema,
  type EtaErrorBody,
  type ReceiptDetails,
  type SubmissionResponse,
} from '../../shared/eta/api';

export interface EtaClientOptions {
  identityUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  posPresharedKey: string;
  posOsVersion?: string;
  posModelFramework?: string;
  /** Per request; a slow ETA must not hold a batch forever. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export type TokenAnswer =
  | { kind: 'token'; accessToken: string; expiresInSeconds: number }
  | { kind: 'refused'; status: number; error: string }
  | { kind: 'failed'; status: number | null; message: string };

export type SubmitAnswer =
  | { kind: 'processed'; status: number; response: SubmissionResponse }
  | { kind: 'unauthorized'; status: 401 }
  | { kind: 'throttled'; status: 429; retryAfterMs: number | null }
  | { kind: 'duplicate-submission'; status: 422; retryAfterMs: number | null }
  | { kind: 'refused'; status: number; error: EtaErrorBody | null }
  | { kind: 'server-error'; status: number; retryAfterMs: number | null }
  | { kind: 'network-error'; status: null; message: string };

export type ReceiptStatusAnswer =
  | { kind: 'found'; details: ReceiptDetails['receipt'] }
  | { kind: 'not-found' }
  | { kind: 'unauthorized' }
  | { kind: 'failed'; message: string };

/** `Retry-After` as milliseconds: seconds, or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export function createEtaClient(options: EtaClientOptions) {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const identity = options.identityUrl.replace(/\/+$/, '');
  const api = options.apiUrl.replace(/\/+$/, '');

  return {
    async requestToken(posSerial: string): Promise<TokenAnswer> {
      try {
        const response = await doFetch(`${identity}${ETA_TOKEN_PATH}`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            [POS_HEADERS.serial]: posSerial,
            [POS_HEADERS.presharedKey]: options.posPresharedKey,
            [POS_HEADERS.osVersion]: options.posOsVersion ?? 'RestoFlow',
            [POS_HEADERS.modelFramework]: options.posModelFramework ?? 'RestoFlow PWA',
          },
          body: new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret }),
          signal: AbortSignal.timeout(timeoutMs),
        });
        const body = await readJson(response);
        const token = tokenResponseSchema.safeParse(body);
        if (response.ok && token.success) {
          return { kind: 'token', accessToken: token.data.access_token, expiresInSeconds: token.data.expires_in };
        }
        const refusal = tokenErrorSchema.safeParse(body);
        if (response.status >= 400 && response.status < 500 && refusal.success) {
          return { kind: 'refused', status: response.status, error: refusal.data.error };
        }
        return { kind: 'failed', status: response.status, message: `unexpected token answer (${response.status})` };
      } catch (error) {
        return { kind: 'failed', status: null, message: describe(error) };
      }
    },

    /** Posts a submission body (JSON text built by the caller, so each receipt is sent byte for byte as hashed). */
    async submit(accessToken: string, body: string): Promise<SubmitAnswer> {
      let response: Response;
      try {
        response = await doFetch(`${api}${ETA_SUBMISSIONS_PATH}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { kind: 'network-error', status: null, message: describe(error) };
      }
      const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
      let json: unknown;
      try {
        json = await readJson(response);
      } catch (error) {
        return { kind: 'network-error', status: null, message: describe(error) };
      }
      if (response.status === 401) return { kind: 'unauthorized', status: 401 };
      if (response.status === 429) return { kind: 'throttled', status: 429, retryAfterMs };
      if (response.status >= 500) return { kind: 'server-error', status: response.status, retryAfterMs };
      const error = etaErrorBodySchema.safeParse(json);
      if (response.status === 422 && error.success && error.data.error.code === 'DuplicateSubmission') {
        return { kind: 'duplicate-submission', status: 422, retryAfterMs };
      }
      const processed = submissionResponseSchema.safeParse(json);
      if (response.ok && processed.success) return { kind: 'processed', status: response.status, response: processed.data };
      return { kind: 'refused', status: response.status, error: error.success ? error.data : null };
    },

    async receiptStatus(accessToken: string, uuid: string): Promise<ReceiptStatusAnswer> {
      try {
        const response = await doFetch(`${api}${etaReceiptDetailsPath(uuid)}`, {
          headers: { authorization: `Bearer ${accessToken}` },
          signal: AbortSignal.timeout(timeoutMs),
        });
        const json = await readJson(response);
        if (response.status === 404) return { kind: 'not-found' };
        if (response.status === 401) return { kind: 'unauthorized' };
        const details = receiptDetailsSchema.safeParse(json);
        if (response.ok && details.success) return { kind: 'found', details: details.data.receipt };
        return { kind: 'failed', message: `unexpected receipt status answer (${response.status})` };
      } catch (error) {
        return { kind: 'failed', message: describe(error) };
      }
    },
  };
}

export type EtaClient = ReturnType<typeof createEtaClient>;
