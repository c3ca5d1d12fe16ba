/**
 * Errors a route can raise, and the one place they become HTTP answers:
 * `{ error: { code, message, details } }` with the status that belongs to the code.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import { HTTP_STATUS_BY_CODE, type ErrorBody, type ErrorCode } from '../../shared/errors';

export class HttpProblem extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function problemResponse(c: Context, code: ErrorCode, message: string, details?: unknown) {
  const status = (HTTP_STATUS_BY_CODE[code] ?? 400) as ContentfulStatusCode;
  const body: ErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  return c.json(body, status);
}

export function onError(error: Error, c: Context) {
  if (error instanceof HttpProblem) return problemResponse(c, error.code, error.message, error.details);
  console.error('[http] unexpected error:', error);
  return problemResponse(c, 'internal-error', 'Something went wrong on the server.');
}

/** Parses a JSON body with a schema, or answers 400 validation-failed with the zod issues. */
export async function parseJsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new HttpProblem('validation-failed', 'The request body is not valid JSON.');
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new HttpProblem(
      'validation-failed',
      'The request body is not valid.',
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
