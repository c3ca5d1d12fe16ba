import type { TicketItem } from '../../../shared/schemas/order';

/**
 * Kitchen ticket ids derived from what the ticket says, so that two tablets pressing "send" on the
 * same order at the same moment, each seeing the same unsent lines, write the same ticket key in
 * the live document: Yjs keeps one value per key, so the kitchen gets one ticket, not two, and
 * both tablets mark the lines with the same ticket.
 *
 * The id covers the order, the station and, per item, the line, what happens to it (new, change,
 * void, with quantities) and the ticket that last carried the line. The last part keeps a later,
 * identical change (2 → 3 again after 3 → 2) from reusing an old ticket's id.
 */
export function ticketIdFor(
  orderId: string,
  station: string,
  items: readonly TicketItem[],
  previousTicketOf: (lineId: string) => string | null,
): string {
  const key = [
    orderId,
    station,
    ...[...items]
      .sort((a, b) => a.lineId.localeCompare(b.lineId))
      .map((item) => [item.lineId, item.kind, item.qty, item.previousQty ?? '-', previousTicketOf(item.lineId) ?? '-'].join(':')),
  ].join('|');
  return uuidFromHash(hash128(key));
}

/** cyrb128: a fast 128-bit string hash (not cryptographic; the inputs already hold random line ids). */
function hash128(text: string): [number, number, number, number] {
  let h1 = 1779033703;
  let h2 = 3144134277;
  let h3 = 1013904242;
  let h4 = 2773480762;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}

/** A version-8 (custom) UUID from 128 bits, so it passes the schema's UUID check. */
function uuidFromHash(words: readonly number[]): string {
  const hex = words.map((w) => w.toString(16).padStart(8, '0')).join('');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
