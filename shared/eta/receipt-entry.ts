/**
 * How an issued receipt travels and how a paying tablet knows who it is at ETA.
 *
 * A tablet issues the receipt itself (offline too) and puts it in the branch's live document
 * under `receipts` (orderId → entry); the server reads it from there, verifies it and queues it
 * for ETA. The entry carries the receipt as the exact JSON text that was hashed (`document`):
 * the uuid is a hash of that text, so it must reach the server byte for byte.
 *
 * The POS profile is what the server tells a paired tablet about its fiscal identity: the ETA
 * serial registered for it, the seller block (taxpayer, branch address) and the portal address
 * of the QR link. The tablet keeps it in Dexie so it can issue receipts with no network.
 */
import { z } from 'zod';
import { clientIdSchema, epochMsSchema, slugIdSchema } from '../schemas/common';
import { etaSellerSchema, type EtaReceipt } from './receipt-schema';

const uuidSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');

/** One issued receipt in the live document's `receipts` root, keyed by its order id. */
export const fiscalReceiptEntrySchema = z.object({
  orderId: clientIdSchema,
  /** The issuing device (its pairing id) and its ETA POS serial. */
  deviceId: slugIdSchema,
  serial: z.string().min(1).max(100),
  receiptNumber: z.string().min(1).max(50),
  uuid: uuidSchema,
  previousUUID: z.union([z.literal(''), uuidSchema]),
  issuedAt: epochMsSchema,
  /** The link printed as the receipt's QR code. */
  qrLink: z.string().url().max(2000),
  /** The receipt as the exact JSON text its uuid was computed over. */
  document: z.string().min(2).max(500_000),
});
export type FiscalReceiptEntry = z.infer<typeof fiscalReceiptEntrySchema>;

/** A paying device's fiscal identity (GET /api/fiscal/pos-profile). */
export const posFiscalProfileSchema = z.object({
  deviceId: slugIdSchema,
  branchId: slugIdSchema,
  /** The ETA POS serial registered for this device. */
  serial: z.string().min(1).max(100),
  /** The seller block of every receipt this device issues (its serial included). */
  seller: etaSellerSchema,
  /** ETA portal base URL for the QR link (no trailing slash). */
  portalUrl: z.string().url(),
});
export type PosFiscalProfile = z.infer<typeof posFiscalProfileSchema>;

/**
 * The printed receipt's QR link, as the ETA handbook gives it:
 * `{portal}/receipts/search/{uuid}/share/{dateTimeIssued}#Total:{totalAmount},IssuerRIN:{rin}`.
 */
export function receiptQrLink(portalUrl: string, receipt: Pick<EtaReceipt, 'header' | 'totalAmount' | 'seller'>): string {
  const base = portalUrl.replace(/\/+$/, '');
  return `${base}/receipts/search/${receipt.header.uuid}/share/${receipt.header.dateTimeIssued}#Total:${String(receipt.totalAmount)},IssuerRIN:${receipt.seller.rin}`;
}

/** Receipt numbers a device issues: its serial and a 6-digit sequence (unique per branch). */
export function deviceReceiptNumber(serial: string, sequence: number): string {
  return `${serial}-${String(sequence).padStart(6, '0')}`;
}

/** The EGS item code RestoFlow registers for a menu item: `EG-<RIN>-<item id>`. */
export function egsItemCode(rin: string, itemId: string): { itemType: 'EGS'; itemCode: string } {
  return { itemType: 'EGS', itemCode: `EG-${rin}-${itemId}` };
}
