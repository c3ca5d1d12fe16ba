/**
 * A light reader of Yjs v1 updates for the relay's inspection (update-inspection.ts): the ids,
 * neighbours, parent and length of every struct, and the delete set — without building Yjs items
 * or decoding their content. `Y.decodeUpdate` decodes every string and JSON value of the update,
 * and `Y.applyUpdate` then decodes it all again; the content is only needed for the few items
 * written directly under a root map (a whole ticket, receipt or order), so it is read lazily, for
 * those, from where it sits in the bytes. Under the 1,000-client load the inspection's decode was
 * about two thirds of the inspection, itself about 7 % of the relay's CPU per edit
 * (docs/PERFORMANCE.md).
 *
 * The format is Yjs's (yjs/src/utils/encoding.js `readClientsStructRefs`, `readItemContent`,
 * `readDeleteSet`; lib0 `readAny`); `update-structs.test.ts` checks it against `Y.decodeUpdate`
 * on random documents. Anything that does not parse throws: the relay refuses it as malformed.
 */
import * as decoding from 'lib0/decoding';

export interface StructId {
  client: number;
  clock: number;
}

export interface LightItem {
  kind: 'item';
  id: StructId;
  length: number;
  origin: StructId | null;
  rightOrigin: StructId | null;
  /** A root type's name, the id of the item holding the parent type, or null (same as a neighbour's). */
  parent: string | StructId | null;
  parentSub: string | null;
  /** Yjs content ref (8: ContentAny, 7: ContentType, 1: ContentDeleted…). */
  contentRef: number;
  /** The first value of a ContentAny item, decoded on demand. */
  firstValue(): unknown;
}

export interface LightGC {
  kind: 'gc';
  id: StructId;
  length: number;
}

export interface LightUpdate {
  structs: (LightItem | LightGC)[];
  ds: Map<number, { clock: number; len: number }[]>;
}

const BIT6 = 32;
const BIT7 = 64;
const BIT8 = 128;
const BITS5 = 31;

/** Yjs content ref of ContentAny (plain values: the entries the write policy reads). */
export const CONTENT_ANY = 8;

const readId = (d: decoding.Decoder): StructId => ({ client: decoding.readVarUint(d), clock: decoding.readVarUint(d) });

function skipBytes(d: decoding.Decoder, n: number): void {
  if (n < 0 || d.pos + n > d.arr.length) throw new Error('unexpected end of update');
  d.pos += n;
}

/** Skips a varString and returns its length in UTF-16 code units (what `string.length` gives). */
function skipStringUtf16Length(d: decoding.Decoder): number {
  const byteLength = decoding.readVarUint(d);
  const start = d.pos;
  skipBytes(d, byteLength);
  let units = 0;
  for (let i = start; i < start + byteLength; i++) {
    const b = d.arr[i]!;
    if ((b & 0xc0) !== 0x80) units++; // a character starts here
    if ((b & 0xf8) === 0xf0) units++; // four bytes: a surrogate pair in UTF-16
  }
  return units;
}

function skipVarString(d: decoding.Decoder): void {
  skipBytes(d, decoding.readVarUint(d));
}

/** Skips one lib0 `any` value without building it. */
function skipAny(d: decoding.Decoder, depth = 0): void {
  if (depth > 1_000) throw new Error('value nested too deep');
  const type = decoding.readUint8(d);
  switch (type) {
    case 127: // undefined
    case 126: // null
    case 121: // false
    case 120: // true
      return;
    case 125: // varInt
      while ((decoding.readUint8(d) & 0x80) !== 0) {
        /* continuation bytes */
      }
      return;
    case 124: // float32
      return skipBytes(d, 4);
    case 123: // float64
    case 122: // bigint64
      return skipBytes(d, 8);
    case 119: // string
    case 116: // Uint8Array
      return skipVarString(d);
    case 118: {
      // object<string, any>
      const len = decoding.readVarUint(d);
      for (let i = 0; i < len; i++) {
        skipVarString(d);
        skipAny(d, depth + 1);
      }
      return;
    }
    case 117: {
      // array<any>
      const len = decoding.readVarUint(d);
      for (let i = 0; i < len; i++) skipAny(d, depth + 1);
      return;
    }
    default:
      throw new Error(`unknown value type ${type}`);
  }
}

/** Skips an item's content; returns the item's length (how many clock ticks it covers). */
function skipContent(d: decoding.Decoder, contentRef: number): number {
  switch (contentRef) {
    case 1: // ContentDeleted
      return decoding.readVarUint(d);
    case 2: {
      // ContentJSON: strings
      const len = decoding.readVarUint(d);
      for (let i = 0; i < len; i++) skipVarString(d);
      return len;
    }
    case 3: // ContentBinary
      skipVarString(d);
      return 1;
    case 4: // ContentString
      return skipStringUtf16Length(d);
    case 5: // ContentEmbed (JSON)
      skipVarString(d);
      return 1;
    case 6: // ContentFormat (key, JSON)
      skipVarString(d);
      skipVarString(d);
      return 1;
    case 7: {
      // ContentType: type ref, and a name for XmlElement (3) and XmlHook (5)
      const typeRef = decoding.readVarUint(d);
      if (typeRef === 3 || typeRef === 5) skipVarString(d);
      return 1;
    }
    case CONTENT_ANY: {
      const len = decoding.readVarUint(d);
      for (let i = 0; i < len; i++) skipAny(d);
      return len;
    }
    case 9: // ContentDoc (guid, options)
      skipVarString(d);
      skipAny(d);
      return 1;
    default:
      throw new Error(`unknown content ${contentRef}`);
  }
}

export function decodeUpdateLight(update: Uint8Array): LightUpdate {
  const d = decoding.createDecoder(update);
  const structs: (LightItem | LightGC)[] = [];
  const numberOfClients = decoding.readVarUint(d);
  for (let c = 0; c < numberOfClients; c++) {
    const numberOfStructs = decoding.readVarUint(d);
    const client = decoding.readVarUint(d);
    let clock = decoding.readVarUint(d);
    for (let s = 0; s < numberOfStructs; s++) {
      const info = decoding.readUint8(d);
      const contentRef = info & BITS5;
      if (contentRef === 0) {
        const length = decoding.readVarUint(d);
        structs.push({ kind: 'gc', id: { client, clock }, length });
        clock += length;
        continue;
      }
      if (info === 10) {
        clock += decoding.readVarUint(d); // Skip: a gap, nothing is there
        continue;
      }
      const cantCopyParentInfo = (info & (BIT7 | BIT8)) === 0;
      const origin = (info & BIT8) === BIT8 ? readId(d) : null;
      const rightOrigin = (info & BIT7) === BIT7 ? readId(d) : null;
      const parent: string | StructId | null = cantCopyParentInfo
        ? decoding.readVarUint(d) === 1
          ? decoding.readVarString(d)
          : readId(d)
        : null;
      const parentSub = cantCopyParentInfo && (info & BIT6) === BIT6 ? decoding.readVarString(d) : null;
      const contentStart = d.pos;
      const length = skipContent(d, contentRef);
      const firstValue = (): unknown => {
        if (contentRef !== CONTENT_ANY) return undefined;
        const again = decoding.createDecoder(update);
        again.pos = contentStart;
        return decoding.readVarUint(again) > 0 ? decoding.readAny(again) : undefined;
      };
      structs.push({ kind: 'item', id: { client, clock }, length, origin, rightOrigin, parent, parentSub, contentRef, firstValue });
      clock += length;
    }
  }
  const ds = new Map<number, { clock: number; len: number }[]>();
  const numberOfDsClients = decoding.readVarUint(d);
  for (let c = 0; c < numberOfDsClients; c++) {
    const client = decoding.readVarUint(d);
    const numberOfDeletes = decoding.readVarUint(d);
    const ranges: { clock: number; len: number }[] = [];
    for (let i = 0; i < numberOfDeletes; i++) ranges.push({ clock: decoding.readVarUint(d), len: decoding.readVarUint(d) });
    if (numberOfDeletes > 0) ds.set(client, ranges);
  }
  return { structs, ds };
}
