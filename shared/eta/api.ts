/**
 * The ETA e-receipt HTTP API as zod schemas and constants: the token answer, the submission body
 * and answer, the submission details and ETA's error body. The ETA client (the submission queue)
 * parses every answer with these; the ETA sandbox builds its answers to match them.
 */
import { z } from 'zod';

export const ETA_TOKEN_PATH = '/connect/token';
export const ETA_SUBMISSIONS_PATH = '/api/v1/receiptsubmissions';
export const etaSubmissionDetailsPath = (submissionId: string) =>
  `${ETA_SUBMISSIONS_PATH}/${encodeURIComponent(submissionId)}/details`;
/** One receipt's status by uuid: how a client learns the fate of a submission whose answer it lost. */
export const etaReceiptDetailsPath = (uuid: string) => `/api/v1/receipts/${encodeURIComponent(uuid)}/details`;

/** ETA limits per submission. */
export const MAX_RECEIPTS_PER_SUBMISSION = 500;
export const MAX_SUBMISSION_BYTES = 1.5 * 1024 * 1024;
/** The same payload again within this window is answered 422 DuplicateSubmission. */
export const DUPLICATE_SUBMISSION_WINDOW_MS = 10 * 60 * 1000;
/** Receipts must reach ETA within 24 h of being issued. */
export const MAX_RECEIPT_AGE_MS = 24 * 60 * 60 * 1000;

/** Headers a POS sends with its token request. */
export const POS_HEADERS = {
  serial: 'posserial',
  osVersion: 'pososversion',
  modelFramework: 'posmodelframework',
  presharedKey: 'presharedkey',
} as const;

export const tokenRequestSchema = z.object({
  grant_type: z.literal('client_credentials'),
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
});

export const tokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().int().positive(),
  scope: z.string().optional(),
});
export type TokenResponse = z.infer<typeof tokenResponseSchema>;

/** OAuth error answer of the identity service (`invalid_posserial`, `invalid_client`, …). */
export const tokenErrorSchema = z.object({ error: z.string(), error_description: z.string().optional() });

export const submissionRequestSchema = z.object({
  receipts: z.array(z.unknown()).min(1).max(MAX_RECEIPTS_PER_SUBMISSION),
  signatures: z.array(z.object({ signatureType: z.string(), value: z.string() })).optional(),
});

export const propertyErrorSchema = z.object({
  propertyPath: z.string(),
  message: z.string(),
  code: z.string().optional(),
});

export const acceptedDocumentSchema = z.object({
  uuid: z.string(),
  longId: z.string(),
  receiptNumber: z.string(),
  hashKey: z.string(),
});

export const rejectedDocumentSchema = z.object({
  receiptNumber: z.string(),
  uuid: z.string(),
  error: z.object({
    code: z.string(),
    message: z.string(),
    target: z.string().optional(),
    details: z.array(propertyErrorSchema),
  }),
});
export type RejectedDocument = z.infer<typeof rejectedDocumentSchema>;

export const submissionResponseSchema = z.object({
  submissionId: z.string().min(1),
  acceptedDocuments: z.array(acceptedDocumentSchema),
  rejectedDocuments: z.array(rejectedDocumentSchema),
});
export type SubmissionResponse = z.infer<typeof submissionResponseSchema>;

export const RECEIPT_STATUSES = ['Valid', 'Invalid', 'InProgress'] as const;
export const submissionDetailsSchema = z.object({
  submissionUuid: z.string(),
  dateTimeReceived: z.string(),
  receiptCount: z.number().int(),
  status: z.enum(['Valid', 'Invalid', 'PartiallyValid', 'InProgress']),
  receipts: z.array(
    z.object({
      uuid: z.string(),
      receiptNumber: z.string(),
      status: z.enum(RECEIPT_STATUSES),
      errors: z.array(propertyErrorSchema).optional(),
    }),
  ),
  metadata: z.object({ totalPages: z.number().int(), totalCount: z.number().int() }),
});
export type SubmissionDetails = z.infer<typeof submissionDetailsSchema>;

export const receiptDetailsSchema = z.object({
  receipt: z.object({
    uuid: z.string(),
    receiptNumber: z.string(),
    submissionUuid: z.string(),
    status: z.enum(RECEIPT_STATUSES),
    errors: z.array(propertyErrorSchema).optional(),
  }),
});
export type ReceiptDetails = z.infer<typeof receiptDetailsSchema>;

export const ETA_ERROR_CODES = [
  'BadStructure',
  'MaximumSizeExceeded',
  'IncorrectSubmitter',
  'DuplicateSubmission',
  'Unauthorized',
  'TooManyRequests',
  'NotFound',
  'InternalServerError',
] as const;
export type EtaErrorCode = (typeof ETA_ERROR_CODES)[number];

/** ETA's error body: `{ error: { code, message, target, details } }`. */
export const etaErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    target: z.string().optional(),
    details: z.array(propertyErrorSchema).optional(),
  }),
});
export type EtaErrorBody = z.infer<typeof etaErrorBodySchema>;
