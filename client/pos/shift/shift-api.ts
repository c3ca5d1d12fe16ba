import { z } from 'zod';
import type { CashMovementBody, CloseShiftBody, OpenShiftBody } from '../../../shared/schemas/shift';
import { currentShiftAnswerSchema, shiftReportSchema, shiftSchema } from '../../../shared/schemas/shift';
import { requestJson } from '../../sync/api-client';

/**
 * The shift endpoints as the tablet calls them. Shifts are online operations: each call is one
 * request, answered or failed, never queued. `approval` carries the manager's PIN for the
 * server to check ([AUDIT-02]); the waiter at the tablet is named as the one who did it.
 */

export interface ShiftCaller {
  branchId: string;
  deviceToken: string;
  staffId: string;
  approval: { approverId: string; pin: string } | null;
}

const shiftAnswerSchema = z.object({ shift: shiftSchema });
const reportAnswerSchema = z.object({ report: shiftReportSchema });

const path = (caller: ShiftCaller, rest: string) => `/api/branches/${encodeURIComponent(caller.branchId)}/shifts${rest}`;

const headersOf = (caller: ShiftCaller): Record<string, string> => ({
  'X-Staff-Id': caller.staffId,
  ...(caller.approval ? { 'X-Approver-Id': caller.approval.approverId, 'X-Approver-Pin': caller.approval.pin } : {}),
});

// Every shift POST may be re-sent to another relay (api-client.ts, isReplaySafe): open and
// cash movements carry a client-made id the server answers again, and a second close is refused.
const options = (caller: ShiftCaller, body?: unknown) => ({
  token: caller.deviceToken,
  headers: headersOf(caller),
  ...(body === undefined ? {} : { method: 'POST' as const, body, isReplaySafe: true }),
});

export const fetchCurrentShift = (caller: ShiftCaller) => requestJson(path(caller, '/current'), currentShiftAnswerSchema, options(caller));

export const openShift = (caller: ShiftCaller, body: OpenShiftBody) => requestJson(path(caller, ''), shiftAnswerSchema, options(caller, body));

export const addCashMovement = (caller: ShiftCaller, shiftId: string, body: CashMovementBody) =>
  requestJson(path(caller, `/${shiftId}/cash-movements`), shiftAnswerSchema, options(caller, body));

export const fetchShiftReport = (caller: ShiftCaller, shiftId: string) =>
  requestJson(path(caller, `/${shiftId}/report`), reportAnswerSchema, options(caller));

export const closeShift = (caller: ShiftCaller, shiftId: string, body: CloseShiftBody) =>
  requestJson(path(caller, `/${shiftId}/close`), reportAnswerSchema, options(caller, body));
