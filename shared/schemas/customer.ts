import { z } from 'zod';
import { orderCustomerSchema } from './order';

/**
 * A branch's customer as the server keeps it and as tablets cache it: looked up by phone when a
 * takeaway or delivery order is taken. The phone is unique per branch (the key the waiter types).
 */

/** Digits with an optional leading +, as on the order (`orderCustomerSchema.phone`). */
export const customerPhoneSchema = orderCustomerSchema.shape.phone;
export const customerNameSchema = orderCustomerSchema.shape.name;
export const customerAddressSchema = z.string().trim().min(1).max(300);

/** How many addresses a customer keeps (most recent first). */
export const MAX_CUSTOMER_ADDRESSES = 5;

export const customerSchema = z.object({
  id: z.string().min(1).max(64),
  branchId: z.string(),
  phone: customerPhoneSchema,
  name: customerNameSchema,
  /** Most recently used first. */
  addresses: z.array(customerAddressSchema).max(MAX_CUSTOMER_ADDRESSES),
  updatedAt: z.string(),
});
export type Customer = z.infer<typeof customerSchema>;

/**
 * Create, or update the customer with this phone: the name is replaced and the address (if any)
 * becomes the first one. An upsert, so a tablet re-sending a customer typed offline is harmless.
 */
export const saveCustomerBodySchema = z.strictObject({
  phone: customerPhoneSchema,
  name: customerNameSchema,
  address: customerAddressSchema.nullable().optional(),
});
export type SaveCustomerBody = z.infer<typeof saveCustomerBodySchema>;

/** Change a known customer: name and/or the whole address list. */
export const updateCustomerBodySchema = z
  .strictObject({
    name: customerNameSchema.optional(),
    addresses: z.array(customerAddressSchema).max(MAX_CUSTOMER_ADDRESSES).optional(),
  })
  .refine((body) => body.name !== undefined || body.addresses !== undefined, { message: 'nothing to change' });
export type UpdateCustomerBody = z.infer<typeof updateCustomerBodySchema>;

export const customerAnswerSchema = z.object({ customer: customerSchema });
export const customerListAnswerSchema = z.object({ customers: z.array(customerSchema) });

/** Puts an address first, without duplicates, keeping at most MAX_CUSTOMER_ADDRESSES. */
export function withAddressFirst(addresses: readonly string[], address: string | null | undefined): string[] {
  const trimmed = address?.trim();
  if (!trimmed) return [...addresses].slice(0, MAX_CUSTOMER_ADDRESSES);
  return [trimmed, ...addresses.filter((a) => a !== trimmed)].slice(0, MAX_CUSTOMER_ADDRESSES);
}
