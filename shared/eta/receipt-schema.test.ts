import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { etaReceiptSchema, toEtaPropertyErrors } from './receipt-schema';

type Mutable = Record<string, unknown> & {
  header: Record<string, unknown>;
  documentType: Record<string, unknown>;
  buyer: Record<string, unknown>;
  itemData: Array<Record<string, unknown> & { taxableItems: Array<Record<string, unknown>> }>;
  taxTotals: Array<Record<string, unknown>>;
};
const UUID = 'ab'.repeat(32);
const sample = (): Mutable => {
  const receipt = JSON.parse(readFileSync(new URL('../../tests/fixtures/eta/receipt-sale.json', import.meta.url), 'utf8')) as Mutable;
  receipt.header.uuid = UUID;
  return receipt;
};
const problems = (receipt: unknown) => {
  const result = etaReceiptSchema.safeParse(receipt);
  return result.success ? [] : toEtaPropertyErrors(result.error);
};

describe('ETA receipt schema', () => {
  it('[FIS-09] accepts the sample sale receipt', () => {
    expect(problems(sample())).toEqual([]);
  });

  it('[FIS-09] refuses totals that are not the sums of the lines', () => {
    const r = sample();
    r.totalAmount = 127.69;
    expect(problems(r)).toEqual([{ propertyPath: 'totalAmount', message: 'totalAmount must equal the sum of the lines' }]);
    const t = sample();
    t.taxTotals[0]!.amount = 15.67;
    expect(problems(t).map((p) => p.propertyPath)).toEqual(['taxTotals']);
  });

  it('[FIS-09] refuses line arithmetic that does not hold', () => {
    const r = sample();
    r.itemData[0]!.totalSale = 100.01;
    expect(problems(r).map((p) => p.propertyPath)).toContain('itemData[0].totalSale');
    const vat = sample();
    vat.itemData[0]!.taxableItems[0]!.amount = 14; // VAT on the net alone, forgetting T9
    vat.itemData[0]!.total = 126;
    vat.totalAmount = 126;
    vat.taxTotals[0]!.amount = 14;
    expect(problems(vat)).toEqual([{ propertyPath: 'itemData[0].taxableItems[0].amount', message: 'T1 amount must be 14 % of its base' }]);
  });

  it('[FIS-09] refuses more than 5 decimals, exponent forms, negatives and unknown keys', () => {
    const r = sample();
    r.itemData[0]!.unitPrice = 100.000001;
    expect(problems(r).map((p) => p.propertyPath)).toContain('itemData[0].unitPrice');
    const e = sample();
    e.itemData[0]!.quantity = 1e-7;
    expect(problems(e).map((p) => p.propertyPath)).toContain('itemData[0].quantity');
    const n = sample();
    n.totalAmount = -1;
    expect(problems(n).map((p) => p.propertyPath)).toContain('totalAmount');
    const k = sample();
    k.header.note = 'hi';
    expect(problems(k).map((p) => p.propertyPath)).toContain('header');
  });

  it('[FIS-09] a return needs referenceUUID, a sale must not have one', () => {
    const r = sample();
    r.documentType.receiptType = 'RC';
    expect(problems(r).map((p) => p.propertyPath)).toEqual(['header.referenceUUID']);
    r.header.referenceUUID = 'cd'.repeat(32);
    expect(problems(r)).toEqual([]);
    const s = sample();
    s.header.referenceUUID = 'cd'.repeat(32);
    expect(problems(s).map((p) => p.propertyPath)).toEqual(['header.referenceUUID']);
  });

  it('[FIS-07] buyer identity: B needs a 9-digit id and a name; P a 14-digit id when given', () => {
    const b = sample();
    b.buyer = { type: 'B', id: '12345678', name: 'Acme' };
    expect(problems(b).map((p) => p.propertyPath)).toEqual(['buyer.id']);
    b.buyer = { type: 'B', id: '123456789' };
    expect(problems(b).map((p) => p.propertyPath)).toEqual(['buyer']);
    const p = sample();
    p.buyer = { type: 'P', id: '123' };
    expect(problems(p).map((x) => x.propertyPath)).toEqual(['buyer.id']);
  });

  it('[FIS-09] refuses a receipt chained to itself and a wrong type version', () => {
    const r = sample();
    r.header.previousUUID = UUID;
    expect(problems(r).map((p) => p.propertyPath)).toEqual(['header.previousUUID']);
    const v = sample();
    v.documentType.typeVersion = '1.0';
    expect(problems(v).map((p) => p.propertyPath)).toEqual(['documentType.typeVersion']);
  });
});
