/**
 * One step of a paying device's receipt chain, pure: the sale receipt of a paid order as this
 * device issues it — its next receipt number, `previousUUID` = its last receipt's uuid — and the
 * live-document entry that carries it to the server (FIS-51). The tablet runs this under its
 * chain lock (client/fiscal/receipt-chain.ts); tests use it to play a device.
 */
import type { TaxSettings } from '../schemas/catalog';
import type { Order } from '../schemas/order';
import { buildSaleReceipt, type BuiltReceipt } from './receipt-builder';
import { deviceReceiptNumber, egsItemCode, receiptQrLink, type FiscalReceiptEntry, type PosFiscalProfile } from './receipt-entry';

export interface ChainPosition {
  /** The uuid of the device's last receipt; "" before its first. */
  previousUUID: string;
  /** The sequence number the next receipt gets (1 for the first). */
  nextSequence: number;
}

export type IssuedReceipt = { ok: true; entry: FiscalReceiptEntry } | { ok: false; code: Exclude<BuiltReceipt, { ok: true }>['code']; message: string };

export async function issueSaleReceipt(
  order: Order,
  tax: TaxSettings,
  profile: PosFiscalProfile,
  position: ChainPosition,
  issuedAt: number,
): Promise<IssuedReceipt> {
  const receiptNumber = deviceReceiptNumber(profile.serial, position.nextSequence);
  const built = await buildSaleReceipt({
    order,
    tax,
    seller: profile.seller,
    receiptNumber,
    previousUUID: position.previousUUID,
    issuedAt,
    itemCode: (line) => egsItemCode(profile.seller.rin, line.itemId),
  });
  if (!built.ok) return { ok: false, code: built.code, message: built.message };
  return {
    ok: true,
    entry: {
      orderId: order.id,
      deviceId: profile.deviceId,
      serial: profile.serial,
      receiptNumber,
      uuid: built.uuid,
      previousUUID: position.previousUUID,
      issuedAt,
      qrLink: receiptQrLink(profile.portalUrl, built.receipt),
      // Sent as JSON.stringify writes it, which is what the uuid was computed over (FIS-01).
      document: JSON.stringify(built.receipt),
    },
  };
}
