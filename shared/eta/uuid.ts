/**
 * A receipt's uuid: SHA-256 (lowercase hex) over the canonical serialization of the receipt as
 * sent, with `header.uuid` set to "" — the key kept in its place, since the serialization follows
 * key order. `previousUUID` (and `referenceUUID` on a return) are filled in before hashing, which
 * is what links each device's receipts into a chain.
 *
 * WebCrypto keeps this free of I/O and usable on a tablet as well as on the server.
 */
import { memberOf, parseJsonPreservingLiterals, serializeDocument, serializeNode, type JsonNode, type JsonObject } from './serializer';

export const RECEIPT_UUID_PATTERN = /^[0-9a-f]{64}$/;

/** Lowercase hex SHA-256 of the UTF-8 bytes of `text`. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

/** The receipt with `header.uuid` blanked in place; throws when there is no `header.uuid`. */
export function withBlankUuid<T extends JsonObject>(receipt: T): T {
  const header = receipt.header;
  if (header === null || typeof header !== 'object' || Array.isArray(header) || !('uuid' in header)) {
    throw new TypeError('a receipt needs header.uuid (blank or not) to be hashed');
  }
  const blankHeader = Object.fromEntries(Object.entries(header).map(([k, v]) => [k, k === 'uuid' ? '' : v]));
  return Object.fromEntries(Object.entries(receipt).map(([k, v]) => [k, k === 'header' ? blankHeader : v])) as T;
}

/** The uuid of a receipt that will be sent as `JSON.stringify(receipt)`. */
export async function computeReceiptUuid(receipt: JsonObject): Promise<string> {
  return sha256Hex(serializeDocument(withBlankUuid(receipt)));
}

/** The uuid of a receipt as it arrived (a parsed node keeps the sender's literals). */
export async function computeReceiptUuidFromNode(receipt: JsonNode): Promise<string> {
  const header = memberOf(receipt, 'header');
  if (receipt.kind !== 'object' || header?.kind !== 'object' || !header.members.some(([n]) => n === 'uuid')) {
    throw new TypeError('a receipt needs header.uuid (blank or not) to be hashed');
  }
  const blankHeader: JsonNode = {
    kind: 'object',
    members: header.members.map(([n, v]) => [n, n === 'uuid' ? { kind: 'scalar', raw: '""' } : v] as const),
  };
  return sha256Hex(
    serializeNode({ kind: 'object', members: receipt.members.map(([n, v]) => [n, n === 'header' ? blankHeader : v] as const) }),
  );
}

/** The uuid of the receipt written in `text`, hashing its literals as written. */
export function computeReceiptUuidFromText(text: string): Promise<string> {
  return computeReceiptUuidFromNode(parseJsonPreservingLiterals(text));
}
