import { z } from 'zod';
import { ERROR_CODES } from '../../shared/errors';
import {
  branchSummarySchema,
  deviceCredentialsSchema,
  loginAnswerSchema,
  pairedDeviceSchema,
  type LoginBody,
  type PairDeviceBody,
} from '../../shared/schemas/auth';
import { catalogSchema } from '../../shared/schemas/catalog';
import { customerAnswerSchema, customerListAnswerSchema, type SaveCustomerBody } from '../../shared/schemas/customer';
import { relayListAnswerSchema } from '../../shared/schemas/relays';
import { requestJson, requestNoContent } from './api-client';
import { rememberRelays } from './relay-list';

/** The server's REST routes the client uses, one function each (contract in the brief / docs). */

const branchesAnswerSchema = z.object({ branches: z.array(branchSummarySchema) });

export const settlementRejectionSchema = z.object({
  orderId: z.string(),
  // A code this client does not know yet (a newer server) still reads as a refused order.
  code: z.enum(ERROR_CODES).catch('invalid-order'),
  message: z.string(),
  createdAt: z.string(),
});
export type SettlementRejection = z.infer<typeof settlementRejectionSchema>;
const rejectionsAnswerSchema = z.object({ rejections: z.array(settlementRejectionSchema) });

export const settledOrderSchema = z.object({
  id: z.string(),
  tableId: z.string().nullable(),
  totalMinor: z.number().int(),
  paidAt: z.string(),
  settledAt: z.string(),
});
export type SettledOrder = z.infer<typeof settledOrderSchema>;
const settledAnswerSchema = z.object({ orders: z.array(settledOrderSchema) });

const branchPath = (branchId: string, rest: string) => `/api/branches/${encodeURIComponent(branchId)}/${rest}`;

export const login = (body: LoginBody) =>
  requestJson('/api/auth/login', loginAnswerSchema, { method: 'POST', body });

export const logout = (sessionToken: string) =>
  requestNoContent('/api/auth/logout', { method: 'POST', token: sessionToken });

export const listBranches = (sessionToken: string) =>
  requestJson('/api/branches', branchesAnswerSchema, { token: sessionToken });

export const pairDevice = (sessionToken: string, body: PairDeviceBody) =>
  requestJson('/api/devices', deviceCredentialsSchema, { method: 'POST', token: sessionToken, body });

export const fetchThisDevice = (deviceToken: string) =>
  requestJson('/api/devices/me', pairedDeviceSchema, { token: deviceToken });

export const fetchCatalog = (branchId: string, token: string) =>
  requestJson(branchPath(branchId, 'catalog'), catalogSchema, { token });

export const fetchSettlementRejections = (branchId: string, sessionToken: string) =>
  requestJson(branchPath(branchId, 'settlement-rejections'), rejectionsAnswerSchema, { token: sessionToken });

export const fetchSettledOrders = (branchId: string, sessionToken: string) =>
  requestJson(branchPath(branchId, 'settled-orders'), settledAnswerSchema, { token: sessionToken });

/** The branch's customers, for the tablet's offline lookup cache. */
export const fetchCustomers = (branchId: string, token: string) =>
  requestJson(branchPath(branchId, 'customers'), customerListAnswerSchema, { token });

export const findCustomerOnServer = (branchId: string, token: string, phone: string) =>
  requestJson(`${branchPath(branchId, 'customers')}?phone=${encodeURIComponent(phone)}`, customerListAnswerSchema, { token });

/**
 * Create, or update by phone (an upsert: re-sending a customer typed offline is harmless, so it
 * may also be re-sent to another relay, api-client.ts).
 */
export const saveCustomerOnServer = (branchId: string, token: string, body: SaveCustomerBody) =>
  requestJson(branchPath(branchId, 'customers'), customerAnswerSchema, { method: 'POST', token, body, isReplaySafe: true });

/**
 * Asks the server for its relay list and remembers it (relay-list.ts). Returns the new list
 * (origin first), or null when the server could not be asked: the remembered list stays as it was.
 */
export async function refreshRelays(token: string): Promise<string[] | null> {
  const answer = await requestJson('/api/relays', relayListAnswerSchema, { token });
  return answer.ok ? rememberRelays(answer.value.relays) : null;
}
