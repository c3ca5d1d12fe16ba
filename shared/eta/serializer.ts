/**
 * The ETA SDK's canonical serialization ("document serialization approach"), the text whose
 * SHA-256 is a receipt's uuid. Walking the document from the root in its own key order:
 *   - a property: `"NAME"` (the name upper-cased) followed by its serialized value;
 *   - an array property: `"NAME"` once, then `"NAME"` + serialized element for each element;
 *   - a simple value: in double quotes, exactly as the sent JSON writes it (0.0 stays 0.0,
 *     strings keep their JSON escaping).
 *
 * Two entry points, because "as written" depends on who wrote the JSON:
 *   - `serializeJsonText` works from JSON text and keeps each literal's raw text. It reproduces
 *     the SDK's own example byte for byte, and it is what a receiver (the ETA sandbox) must use:
 *     it hashes what arrived, not what a JSON parser would make of it.
 *   - `serializeDocument` works from a JS value that will be sent with `JSON.stringify`, so a
 *     number is written as `String(n)` and a string as `JSON.stringify(s)`. For any such value,
 *     `serializeDocument(v) === serializeJsonText(JSON.stringify(v))` (a property test holds
 *     us to it).
 *
 * Why our own tokenizer: lossless-json keeps number text but decodes strings, so `"\u00e9"` and
 * `"é"` would serialize alike although the sent bytes differ; we need every scalar's raw text,
 * object key order and duplicate-key refusal, which is ~100 lines with no dependency and no I/O.
 */

/** A JSON value as `JSON.stringify` would send it (undefined properties are left out). */
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue | undefined;
}

/** JSON parsed with every scalar's raw text kept (strings with their quotes and escapes). */
export type JsonNode =
  | { kind: 'object'; members: Array<readonly [name: string, value: JsonNode]> }
  | { kind: 'array'; items: JsonNode[] }
  | { kind: 'scalar'; raw: string };

export class JsonTextError extends SyntaxError {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'JsonTextError';
  }
}

const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
// A JSON string: no raw control characters, only the escapes RFC 8259 allows.
const STRING_PATTERN = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const LITERAL_PATTERN = /true|false|null/y;

/**
 * Parses strict JSON (RFC 8259) into a `JsonNode` tree that keeps each scalar as written.
 * Duplicate keys are refused: a reader and a hasher could disagree on which one counts.
 */
export function parseJsonPreservingLiterals(text: string): JsonNode {
  let pos = 0;

  const skipWhitespace = () => {
    while (pos < text.length) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) pos++;
      else break;
    }
  };
  const match = (pattern: RegExp): string | null => {
    pattern.lastIndex = pos;
    const m = pattern.exec(text);
    if (!m) return null;
    pos += m[0].length;
    return m[0];
  };
  const expect = (char: string) => {
    if (text[pos] !== char) throw new JsonTextError(`expected '${char}'`, pos);
    pos++;
  };

  const parseValue = (depth: number): JsonNode => {
    if (depth > 64) throw new JsonTextError('nesting too deep', pos);
    skipWhitespace();
    const c = text[pos];
    if (c === '{') {
      pos++;
      const members: Array<readonly [string, JsonNode]> = [];
      const seen = new Set<string>();
      skipWhitespace();
      if (text[pos] === '}') {
        pos++;
        return { kind: 'object', members };
      }
      for (;;) {
        skipWhitespace();
        const at = pos;
        const rawKey = match(STRING_PATTERN);
        if (rawKey === null) throw new JsonTextError('expected a property name', pos);
        const name = JSON.parse(rawKey) as string;
        if (seen.has(name)) throw new JsonTextError(`duplicate key "${name}"`, at);
        seen.add(name);
        skipWhitespace();
        expect(':');
        members.push([name, parseValue(depth + 1)]);
        skipWhitespace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        expect('}');
        return { kind: 'object', members };
      }
    }
    if (c === '[') {
      pos++;
      const items: JsonNode[] = [];
      skipWhitespace();
      if (text[pos] === ']') {
        pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(parseValue(depth + 1));
        skipWhitespace();
        if (text[pos] === ',') {
          pos++;
          continue;
        }
        expect(']');
        return { kind: 'array', items };
      }
    }
    const raw = match(c === '"' ? STRING_PATTERN : c === '-' || (c !== undefined && c >= '0' && c <= '9') ? NUMBER_PATTERN : LITERAL_PATTERN);
    if (raw === null) throw new JsonTextError('unexpected character', pos);
    return { kind: 'scalar', raw };
  };

  const root = parseValue(0);
  skipWhitespace();
  if (pos !== text.length) throw new JsonTextError('unexpected text after the document', pos);
  return root;
}

/** The member `name` of an object node, if any. */
export function memberOf(node: JsonNode, name: string): JsonNode | undefined {
  return node.kind === 'object' ? node.members.find(([n]) => n === name)?.[1] : undefined;
}

const propertyName = (name: string) => JSON.stringify(name.toUpperCase());

function serializeNodeMembers(members: ReadonlyArray<readonly [string, JsonNode]>): string {
  let out = '';
  for (const [name, value] of members) {
    const label = propertyName(name);
    if (value.kind === 'array') {
      out += label;
      for (const item of value.items) out += label + serializeNodeElement(item);
    } else {
      out += label + serializeNodeElement(value);
    }
  }
  return out;
}

function serializeNodeElement(node: JsonNode): string {
  switch (node.kind) {
    case 'object':
      return serializeNodeMembers(node.members);
    case 'array':
      throw new TypeError('an array directly inside an array has no ETA serialization');
    case 'scalar':
      // A string's raw text already has its quotes; numbers and literals get them here.
      return node.raw.startsWith('"') ? node.raw : `"${node.raw}"`;
  }
}

/** Canonical serialization of a parsed document (its root must be an object). */
export function serializeNode(root: JsonNode): string {
  if (root.kind !== 'object') throw new TypeError('an ETA document is a JSON object');
  return serializeNodeMembers(root.members);
}

/** Canonical serialization of JSON text, keeping every literal exactly as written. */
export function serializeJsonText(text: string): string {
  return serializeNode(parseJsonPreservingLiterals(text));
}

function scalarText(value: string | number | boolean | null): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`${value} cannot be sent as JSON`);
    return `"${String(value)}"`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return `"${String(value)}"`;
}

function serializeObjectMembers(object: JsonObject): string {
  let out = '';
  for (const [name, value] of Object.entries(object)) {
    if (value === undefined) continue; // JSON.stringify leaves it out, so the hash must too
    const label = propertyName(name);
    if (Array.isArray(value)) {
      out += label;
      for (const item of value) out += label + serializeElement(item);
    } else {
      out += label + serializeElement(value);
    }
  }
  return out;
}

function serializeElement(value: JsonValue): string {
  if (Array.isArray(value)) throw new TypeError('an array directly inside an array has no ETA serialization');
  if (value !== null && typeof value === 'object') return serializeObjectMembers(value);
  return scalarText(value);
}

/** Canonical serialization of a document that will be sent as `JSON.stringify(document)`. */
export function serializeDocument(document: JsonObject): string {
  return serializeObjectMembers(document);
}
