import { z } from 'zod';
import { refundableOrderSchema, refundSchema, type RefundBody } from '../../../shared/schemas/refund';
import { requestJson } from '../../sync/api-client';

/** The refund endpoints as the manager's browser calls them (its own session: no PIN needed). */

const searchAnswerSchema = z.object({
  orders: z.array(z.object({ id: z.string(), tableId: z.string().nullable(), totalMinor: z.number().int(), refundedMinor: z.number().int(), paidAt: z.string() })),
});
export type FoundOrder = z.infer<typeof searchAnswerSchema>['orders'][number];

const base = (branchId: string) => `/api/branches/${encodeURIComponent(branchId)}/refunds`;

export const searchOrders = (branchId: string, token: string, query: string) =>
  requestJson(`${base(branchId)}/orders?q=${encodeURIComponent(query)}&limit=20`, searchAnswerSchema, { token });

export const fetchRefundableOrder = (branchId: string, token: string, orderId: string) =>
  requestJson(`${base(branchId)}/orders/${encodeURIComponent(orderId)}`, z.object({ order: refundableOrderSchema }), { token });

/** Replay-safe (api-client.ts): the body's client-made id makes a second send return the first refund [REF-04]. */
export const createRefund = (branchId: string, token: string, body: RefundBody) =>
  requestJson(base(branchId), z.object({ refund: refundSchema }), { method: 'POST', token, body, isReplaySafe: true });
