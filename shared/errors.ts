/**
 * Every error the product can report, as kebab-case codes defined once. Checks return these
 * codes; the server maps them to HTTP statuses; the client turns them into text in
 * `client/i18n` (English and Arabic). Never show a raw code to a person.
 */
export const ERROR_CODES = [
  'validation-failed',
  'unauthenticated',
  'invalid-credentials',
  'forbidden',
  'branch-forbidden',
  'device-revoked',
  'not-found',
  'conflict',
  'rate-limited',
  'internal-error',
  // settlement (SET-*) reasons, also written into the live document for managers to see
  'invalid-order',
  'unknown-item',
  'unknown-table',
  'price-mismatch',
  'modifier-required',
  'modifier-invalid',
  'total-mismatch',
  'underpaid',
  'permission-denied',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error answer: `{ error: { code, message, details } }`. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string; details?: unknown };
}

/** HTTP status for each request-level error code. Settlement codes never reach HTTP as such. */
export const HTTP_STATUS_BY_CODE: Partial<Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 429 | 500>> = {
  'validation-failed': 400,
  unauthenticated: 401,
  'invalid-credentials': 401,
  'device-revoked': 401,
  forbidden: 403,
  'branch-forbidden': 403,
  'not-found': 404,
  conflict: 409,
  'rate-limited': 429,
  'internal-error': 500,
};

/** A failed check: what went wrong, in a form both sides understand. */
export interface Problem {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export type Result<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ErrorCode, message: string, details?: unknown): Result<never> => ({
  ok: false,
  problem: { code, message, details },
});
