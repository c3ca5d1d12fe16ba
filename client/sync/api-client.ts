import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../shared/errors';
import { createApiFailover } from './api-failover';
import { knownApiBases } from './relay-list';

/**
 * The REST side of the server: the page's own origin, or, when that cannot be reached, the next
 * relay the device knows (api-failover.ts). Every answer is parsed with its shared zod schema,
 * and every failure comes back as a value (never a throw) the screens can turn into text:
 * either the server's error code or `network` when no relay could be reached.
 */

export type ApiFailure =
  | { kind: 'network' }
  | { kind: 'http'; status: number; code: ErrorCode; message: string };

export type ApiResult<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

const knownCode = (code: string): ErrorCode => ERROR_CODES.find((c) => c === code) ?? 'internal-error';

interface RequestOptions {
  method?: 'GET' | 'POST';
  token?: string | null;
  body?: unknown;
  signal?: AbortSignal;
  /** Extra headers, e.g. the staff member and manager approval a tablet sends (X-Staff-Id…). */
  headers?: Record<string, string>;
  /**
   * A POST that may be sent again to another relay when the first attempt got no answer (GETs
   * always may). Only set it where the server makes a second copy harmless: it dedupes on an
   * id the client made (shift open, cash movement, refund: the first answer again), upserts on a
   * natural key (a customer by phone), or refuses a repeat without effect (closing a closed
   * shift: 409). Never for a POST that creates something each time (login, pairing, a fiscal
   * correction): the first attempt may have reached the relay before it died.
   */
  isReplaySafe?: boolean;
}

// The module's "current API base": which relay answered last (api-failover.ts). The list is read
// at each request, so a refreshed relay list applies at once.
const failover = createApiFailover(() => knownApiBases());

async function send(path: string, options: RequestOptions): Promise<ApiResult<Response>> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  const method = options.method ?? 'GET';
  let response: Response;
  try {
    response = await failover.fetch(
      path,
      {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: options.signal,
        cache: 'no-store',
      },
      { isReplaySafe: method === 'GET' || options.isReplaySafe === true },
    );
  } catch {
    return { ok: false, failure: { kind: 'network' } };
  }
  if (response.ok) return { ok: true, value: response };

  const parsed = errorBodySchema.safeParse(await response.json().catch(() => null));
  const code: ErrorCode = parsed.success
    ? knownCode(parsed.data.error.code)
    : response.status === 401
      ? 'unauthenticated'
      : response.status === 403
        ? 'forbidden'
        : response.status === 404
          ? 'not-found'
          : 'internal-error';
  return {
    ok: false,
    failure: { kind: 'http', status: response.status, code, message: parsed.success ? parsed.data.error.message : '' },
  };
}

/** A request whose answer is JSON of the given shape. */
export async function requestJson<T>(path: string, schema: z.ZodType<T>, options: RequestOptions = {}): Promise<ApiResult<T>> {
  const sent = await send(path, options);
  if (!sent.ok) return sent;
  const parsed = schema.safeParse(await sent.value.json().catch(() => undefined));
  if (!parsed.success) {
    return {
      ok: false,
      failure: { kind: 'http', status: sent.value.status, code: 'internal-error', message: 'unexpected answer from the server' },
    };
  }
  return { ok: true, value: parsed.data };
}

/** A request answered with no body (204). */
export async function requestNoContent(path: string, options: RequestOptions = {}): Promise<ApiResult<null>> {
  const sent = await send(path, options);
  return sent.ok ? { ok: true, value: null } : sent;
}
