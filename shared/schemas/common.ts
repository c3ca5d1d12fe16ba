import { z } from 'zod';

/** Ids made by the server for reference data: short lowercase slugs (`cairo`, `item_koshari`). */
export const slugIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'expected a lowercase id');

/** Ids made on a device for live data (orders, lines, payments, tickets): UUIDs, so an offline
 * tablet never needs the server to name a thing, and a replay carries the same key. */
export const clientIdSchema = z.string().uuid();

export const minorSchema = z.number().int().safe();
export const nonNegativeMinorSchema = minorSchema.nonnegative();
export const basisPointsSchema = z.number().int().min(0).max(10_000);
export const epochMsSchema = z.number().int().nonnegative();
