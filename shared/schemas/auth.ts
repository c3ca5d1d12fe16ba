import { z } from 'zod';
import { DEVICE_KINDS, ROLES } from '../permissions';
import { slugIdSchema } from './common';

/** HTTP bodies and answers of the auth and device routes. */

export const loginBodySchema = z.object({
  email: z.string().email().max(200),
  password: z.string().min(1).max(200),
});
export type LoginBody = z.infer<typeof loginBodySchema>;

export const sessionUserSchema = z.object({
  id: slugIdSchema,
  name: z.string(),
  role: z.enum(ROLES),
  branchIds: z.array(slugIdSchema),
});
export type SessionUser = z.infer<typeof sessionUserSchema>;

export const loginAnswerSchema = z.object({ token: z.string(), user: sessionUserSchema });
export type LoginAnswer = z.infer<typeof loginAnswerSchema>;

export const pairDeviceBodySchema = z.object({
  branchId: slugIdSchema,
  kind: z.enum(DEVICE_KINDS),
  name: z.string().trim().min(1).max(60),
});
export type PairDeviceBody = z.infer<typeof pairDeviceBodySchema>;

export const pairedDeviceSchema = z.object({
  id: slugIdSchema,
  branchId: slugIdSchema,
  kind: z.enum(DEVICE_KINDS),
  name: z.string(),
});
export type PairedDevice = z.infer<typeof pairedDeviceSchema>;

/** The answer to pairing, and what a device keeps in its local store. */
export const deviceCredentialsSchema = pairedDeviceSchema.extend({ token: z.string().min(20) });
export type DeviceCredentials = z.infer<typeof deviceCredentialsSchema>;

export const branchSummarySchema = z.object({ id: slugIdSchema, nameEn: z.string(), nameAr: z.string() });
export type BranchSummary = z.infer<typeof branchSummarySchema>;
