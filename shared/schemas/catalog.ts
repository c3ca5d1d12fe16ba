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
  /**
   * Prep-time target in minutes: the kitchen screen colours a ticket as it ages past it.
   * Optional so catalogs cached (or written in tests) before it existed still read; see `prepMinutesOf`.
   */
  prepMinutes: z.number().int().min(1).max(240).optional(),
});
export type MenuItem = z.infer<typeof menuItemSchema>;

/** The target a kitchen screen uses for an item with none set. */
export const DEFAULT_PREP_MINUTES = 10;

export const prepMinutesOf = (item: Pick<MenuItem, 'prepMinutes'> | undefined): number => item?.prepMinutes ?? DEFAULT_PREP_MINUTES;

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

/** A network printer of a kitchen station (raw TCP, ESC/POS). */
export const stationPrinterSchema = z.object({
  /** IP address or LAN host name; no scheme, no port. */
  host: z
    .string()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:_-]+$/, 'expected a host name or an IP address'),
  port: z.number().int().min(1).max(65_535).default(9100),
});
export type StationPrinter = z.infer<typeof stationPrinterSchema>;

/** A kitchen station of a branch (grill, cold, bar, pastry…): menu items name it by id. */
export const stationSchema = z.object({
  id: slugIdSchema,
  nameEn: z.string().min(1).max(40),
  nameAr: z.string().min(1).max(40),
  /** Null: the station works from its kitchen screen only. */
  printer: stationPrinterSchema.nullable().default(null),
  backupPrinter: stationPrinterSchema.nullable().default(null),
  /** When both printers fail the screen flags the ticket; false: the tablet says to tell the kitchen. */
  fallbackToScreen: z.boolean().default(true),
});
export type Station = z.infer<typeof stationSchema>;

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
  /** Kitchen stations; missing in catalogs cached before stations existed (see `stationsOf`). */
  stations: z.array(stationSchema).optional(),
  modifierGroups: z.array(modifierGroupSchema),
  staff: z.array(staffMemberSchema),
});
export type Catalog = z.infer<typeof catalogSchema>;

/**
 * The catalog's stations, plus one named after its id for any station an item names that the
 * catalog does not list (an old cached catalog), so a kitchen screen can always offer it.
 */
export function stationsOf(catalog: Pick<Catalog, 'stations' | 'items'>): Station[] {
  const listed = catalog.stations ?? [];
  const known = new Set(listed.map((s) => s.id));
  const extra: Station[] = [];
  for (const item of catalog.items) {
    if (known.has(item.station)) continue;
    known.add(item.station);
    extra.push({ id: item.station, nameEn: item.station, nameAr: item.station, printer: null, backupPrinter: null, fallbackToScreen: true });
  }
  return [...listed, ...extra];
}
