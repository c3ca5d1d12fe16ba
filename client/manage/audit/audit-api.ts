import { auditPageSchema, type AuditAction } from '../../../shared/schemas/audit';
import { requestJson } from '../../sync/api-client';

/** The audit log endpoint (docs/SPEC.md AUDIT-03) as the manager's browser calls it. */

export const AUDIT_PAGE_SIZE = 30;

export function fetchAuditPage(branchId: string, token: string, options: { action: AuditAction | null; before: string | null }) {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (options.action) query.set('action', options.action);
  if (options.before) query.set('before', options.before);
  return requestJson(`/api/branches/${encodeURIComponent(branchId)}/audit?${query.toString()}`, auditPageSchema, { token });
}
