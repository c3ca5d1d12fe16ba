import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonTextError, parseJsonPreservingLiterals, serializeDocument, serializeJsonText, type JsonObject, type JsonValue } from './serializer';
import { computeReceiptUuid, computeReceiptUuidFromText, sha256Hex } from './uuid';

const fixture = (name: string) => readFileSync(new URL(`../../tests/fixtures/eta/${name}`, import.meta.url), 'utf8');

describe('ETA canonical serialization', () => {
  it('[FIS-01] reproduces the SDK example byte for byte from its JSON text', () => {
    const expected = fixture('eta-sdk-invoice-v0.9-one-doc.serialized.txt');
    const actual = serializeJsonText(fixture('eta-sdk-invoice-v0.9-one-doc.json'));
    expect(actual.length).toBe(expected.length);
    expect(actual).toBe(expected);
  });

  it('[FIS-01] keeps number literals as written in text mode and writes String(n) in document mode', () => {
    const text = '{"a": 0.0, "b": [ {"c": 10.50}, {"c": 1e2} ], "d": "x\\u00e9\\"y", "e": true, "f": null}';
    expect(serializeJsonText(text)).toBe('"A""0.0""B""B""C""10.50""B""C""1e2""D""x\\u00e9\\"y""E""true""F""null"');
    const parsed = JSON.parse(text) as JsonObject;
    expect(serializeDocument(parsed)).toBe('"A""0""B""B""C""10.5""B""C""100""D""xé\\"y""E""true""F""null"');
  });

  it('[FIS-01] writes an array property\'s name once, then before every element (empty arrays: once)', () => {
    expect(serializeDocument({ lines: [{ q: 1 }, { q: 2 }], tags: ['a', 'b'], none: [] })).toBe(
      '"LINES""LINES""Q""1""LINES""Q""2""TAGS""TAGS""a""TAGS""b""NONE"',
    );
  });

  it('[FIS-01] document mode equals text mode over JSON.stringify, for any JSON object', () => {
    const key = fc.string({ unit: 'binary', minLength: 1, maxLength: 8 });
    const scalar = fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer(), fc.boolean(), fc.constant(null));
    const { doc } = fc.letrec<{ doc: JsonObject; value: JsonValue }>((tie) => ({
      doc: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
      value: fc.oneof(
        { depthSize: 'small', maxDepth: 4 },
        scalar,
        tie('doc'),
        fc.array(fc.oneof(scalar, tie('doc')), { maxLength: 3 }),
      ),
    }));
    fc.assert(
      fc.property(doc, (d) => serializeDocument(d) === serializeJsonText(JSON.stringify(d))),
      { numRuns: 150 },
    );
  });

  it('[FIS-01] refuses what is not strict JSON, duplicate keys and arrays of arrays', () => {
    expect(() => parseJsonPreservingLiterals('{"a": 01}')).toThrow(JsonTextError);
    expect(() => parseJsonPreservingLiterals('{"a": 1,}')).toThrow(JsonTextError);
    expect(() => parseJsonPreservingLiterals("{'a': 1}")).toThrow(JsonTextError);
    expect(() => parseJsonPreservingLiterals('{"a": "tab\there"}')).toThrow(JsonTextError);
    expect(() => parseJsonPreservingLiterals('{"a": 1} x')).toThrow(JsonTextError);
    expect(() => parseJsonPreservingLiterals('{"a": 1, "a": 2}')).toThrow(/duplicate key/);
    expect(() => serializeJsonText('{"a": [[1]]}')).toThrow(TypeError);
    expect(() => serializeJsonText('[1]')).toThrow(TypeError);
    expect(() => serializeDocument({ a: Number.NaN })).toThrow(RangeError);
  });

  it('[FIS-01] leaves out undefined properties, as JSON.stringify does', () => {
    expect(serializeDocument({ a: 1, b: undefined, c: 'x' })).toBe('"A""1""C""x"');
  });
});

describe('receipt uuid', () => {
  it('[FIS-02] is SHA-256 hex over the serialization with header.uuid blank, key kept in place', async () => {
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const receipt = { header: { a: '1', uuid: 'ff'.repeat(32), b: 2 }, x: [{ y: 1.5 }] };
    const expected = await sha256Hex('"HEADER""A""1""UUID""""B""2""X""X""Y""1.5"');
    expect(await computeReceiptUuid(receipt)).toBe(expected);
    // the uuid already written in does not change the result; moving the key does
    expect(await computeReceiptUuid({ ...receipt, header: { ...receipt.header, uuid: '' } })).toBe(expected);
    expect(await computeReceiptUuid({ header: { uuid: '', a: '1', b: 2 }, x: [{ y: 1.5 }] })).not.toBe(expected);
  });

  it('[FIS-02] pins the uuid of the sample sale receipt (checked with an independent Python hash)', async () => {
    const text = fixture('receipt-sale.json');
    const asSent = await computeReceiptUuid(JSON.parse(text) as JsonObject);
    expect(asSent).toBe('f6dd4e038c3486c78e2b0fc20216d48e1fda9374994bd131219d5bd37905403f');
    // the file writes 100.00 and 0.0: hashing its literals as written gives another uuid
    expect(await computeReceiptUuidFromText(text)).not.toBe(asSent);
    expect(await computeReceiptUuidFromText(JSON.stringify(JSON.parse(text)))).toBe(asSent);
  });

  it('[FIS-02] refuses a receipt without header.uuid', async () => {
    await expect(computeReceiptUuid({ header: { receiptNumber: '1' } })).rejects.toThrow(/header\.uuid/);
    await expect(computeReceiptUuidFromText('{"header": {}}')).rejects.toThrow(/header\.uuid/);
  });
});
