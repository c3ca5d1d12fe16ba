import { z } from 'zod';
import { ROLES } from '../permissions';
import { basisPointsSchema, nonNegativeMinorSchema, slugIdSchema } from './common';

/**
 * A branch's reference data as the server serves it and as devices cache it in Dexie. The server
 * owns it; `version` grows on every change so a device knows when its cache is stale.
 */

export const taxSettingsSchema = z.object({
  /** VAT, ETA T1 / V009. */
  vatRateBp: basisPointsSchema,
  /** Service charge on dine-in orders, ETA T9 / SC01. */
  serviceChargeRateBp: basisPointsSchema,
});
export type TaxSettings = z.infer<typeof taxSettingsSchema>;

export const zoneSchema = z.object({ id: slugIdSchema, nameEn: z.string().min(1), nameAr: z.string().min(1) });
export type Zone = z.infer<typeof zoneSchema>;

export const diningTableSchema = z.object({
  id: slugIdSchema,
  zoneId: slugIdSchema,
  label: z.string().min(1).max(16),
  seats: z.number().int().positive(),
});
export type DiningTable = z.infer<typeof diningTableSchema>;

export const menuCategorySchema = z.object({ id: slugIdSchema, nameEn: z.string().min(1), nameAr: z.string().min(1) });
export type MenuCategory = z.infer<typeof menuCategorySchema>;

export const modifierOptionSchema = z.object({
  id: slugIdSchema,
  nameEn: z.string().min(1),
  nameAr: z.string().min(1),
  priceMinor: nonNegativeMinorSchema,
});
export type ModifierOption = z.infer<typeof modifierOptionSchema>;

export const modifierGroupSchema = z
  .object({
    id: slugIdSchema,
    nameEn: z.string().min(1),
    nameAr: z.string().min(1),
    /** 1 or more makes the choice required. */
    minSelect: z.number().int().nonnegative(),
    maxSelect: z.number().int().positive(),
    options: z.array(modifierOptionSchema).min(1),
  })
  .refine((g) => g.minSelect <= g.maxSelect, { message: 'minSelect exceeds maxSelect' });
export type ModifierGroup = z.infer<typeof modifierGroupSchema>;

export const menuItemSchema = z.object({
  id: slugIdSchema,
  categoryId: slugIdSchema,
  nameEn: z.string().min(1),
  nameAr: z.string().min(1),
  priceMinor: nonNegativeMinorSchema,
  /** Kitchen station the item's tickets go to (grill, cold, bar…). */
  station: slugIdSchema,
  modifierGroupIds: z.array(slugIdSchema),
});
export type MenuItem = z.infer<typeof menuItemSchema>;

/** PBKDF2-SHA256 of a PIN: WebCrypto can check it on an offline tablet. */
export const pinHashSchema = z.object({
  salt: z.string().min(16),
  iterations: z.number().int().min(10_000),
  hash: z.string().length(64),
});
export type PinHash = z.infer<typeof pinHashSchema>;

export const staffMemberSchema = z.object({
  id: slugIdSchema,
  name: z.string().min(1),
  role: z.enum(ROLES),
  pin: pinHashSchema,
});
export type StaffMember = z.infer<typeof staffMemberSchema>;

export const branchInfoSchema = z.object({
  id: slugIdSchema,
  tenantId: slugIdSchema,
  tenantName: z.string(),
  nameEn: z.string(),
  nameAr: z.string(),
  currency: z.literal('EGP'),
  /**
   * Tax details printed on bills and receipts. Optional so catalogs cached (or built) before they
   * existed still read; a missing or empty value is simply not printed.
   */
  taxRegistrationNumber: z.string().max(20).optional(),
  /** The registered (legal) name of the taxpayer, as on the tax card. */
  taxpayerName: z.string().max(200).optional(),
  addressEn: z.string().max(300).optional(),
  addressAr: z.string().max(300).optional(),
});
export type BranchInfo = z.infer<typeof branchInfoSchema>;

export const catalogSchema = z.object({
  version: z.number().int().nonnegative(),
  branch: branchInfoSchema,
  tax: taxSettingsSchema,
  zones: z.array(zoneSchema),
  tables: z.array(diningTableSchema),
  categories: z.array(menuCategorySchema),
  items: z.array(menuItemSchema),
  modifierGroups: z.array(modifierGroupSchema),
  staff: z.array(staffMemberSchema),
});
export type Catalog = z.infer<typeof catalogSchema>;
