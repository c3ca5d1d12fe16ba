import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceOrder } from '../pricing';
import type { TaxSettings } from '../schemas/catalog';
import { orderLineSchema, type Order, type OrderLine, type Payment } from '../schemas/order';
import { buildReturnReceipt, buildSaleReceipt, etaText, type ReceiptInputBase } from './receipt-builder';
import { etaReceiptSchema, type EtaReceipt, type EtaSeller } from './receipt-schema';
import { computeReceiptUuid, computeReceiptUuidFromText } from './uuid';

const TAX: TaxSettings = { vatRateBp: 1_400, serviceChargeRateBp: 1_200 };
const SELLER: EtaSeller = {
  rin: '123456789',
  companyTradeName: 'Demo Bistro',
  branchCode: '0',
  branchAddress: { country: 'EG', governate: 'Cairo', regionCity: 'Downtown', street: 'Talaat Harb', buildingNumber: '12' },
  deviceSerialNumber: 'POS-CAI-0001',
  activityCode: '5610',
};
const ISSUED_AT = Date.parse('2026-02-03T10:15:00.456Z');
let counter = 0;
const uuid = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function line(unitPriceMinor: number, qty = 1, modifierPrices: number[] = [], name = 'Koshari'): OrderLine {
  return orderLineSchema.parse({
    id: uuid(), itemId: `item-${counter}`, nameEn: name, nameAr: 'كشري', qty, unitPriceMinor,
    modifiers: modifierPrices.map((priceMinor, i) => ({ groupId: 'size', optionId: `o${i}`, nameEn: `Extra ${i}`, nameAr: 'x', priceMinor })),
    note: '', station: 'grill', addedBy: 'sara', addedAt: ISSUED_AT, ticketId: null,
  });
}

function paidOrder(lines: OrderLine[], options: { type?: Order['type']; tax?: TaxSettings; methods?: Payment['method'][] } = {}): Order {
  const type = options.type ?? 'dine-in';
  const { lines: _l, ...totals } = priceOrder(lines, options.tax ?? TAX, type);
  const methods = options.methods ?? ['cash'];
  const share = Math.floor(totals.totalMinor / methods.length);
  return {
    id: uuid(), branchId: 'cairo', type, tableId: type === 'dine-in' ? 'cairo-t1' : null, guests: 2,
    openedAt: ISSUED_AT - 60_000, openedBy: 'sara', deviceId: 'pos-1', status: 'paid', paidAt: ISSUED_AT, totals, lines,
    customer: null, discount: null, billPrintedAt: null,
    payments: methods.map((method, i) => {
      const amountMinor = i === 0 ? totals.totalMinor - share * (methods.length - 1) : share;
      return { id: uuid(), method, amountMinor, tenderedMinor: amountMinor, changeMinor: 0, tipMinor: 0, part: null, at: ISSUED_AT, by: 'sara' };
    }),
  };
}

const input = (order: Order, extra: Partial<ReceiptInputBase> = {}): ReceiptInputBase => ({
  order, tax: TAX, seller: SELLER, receiptNumber: 'CAI-POS1-000001', previousUUID: '', issuedAt: ISSUED_AT,
  itemCode: (l) => ({ itemType: 'EGS', itemCode: `EG-123456789-${l.itemId}` }), ...extra,
});

async function sale(order: Order, extra: Partial<ReceiptInputBase> = {}): Promise<{ receipt: EtaReceipt; uuid: string }> {
  const built = await buildSaleReceipt(input(order, extra));
  if (!built.ok) throw new Error(`${built.code}: ${built.message} ${JSON.stringify(built.errors)}`);
  return built;
}

const taxOf = (receipt: EtaReceipt, lineIndex: number, type: string) =>
  receipt.itemData[lineIndex]?.taxableItems?.find((t) => t.taxType === type);

describe('ETA receipt builder', () => {
  it('[FIS-04] reproduces the ETA example per line: net 100.00 → T9 12.00 → T1 15.68 → total 127.68', async () => {
    const { receipt } = await sale(paidOrder([line(10_000)]));
    const item = receipt.itemData[0]!;
    expect(item).toMatchObject({ quantity: 1, unitPrice: 100, totalSale: 100, netSale: 100, total: 127.68 });
    expect(item.taxableItems).toEqual([
      { taxType: 'T1', amount: 15.68, subType: 'V009', rate: 14 },
      { taxType: 'T9', amount: 12, subType: 'SC01', rate: 12 },
    ]);
    expect(receipt).toMatchObject({ totalSales: 100, netAmount: 100, totalAmount: 127.68, feesAmount: 0, adjustment: 0 });
    expect(receipt.taxTotals).toEqual([{ taxType: 'T1', amount: 15.68 }, { taxType: 'T9', amount: 12 }]);
  });

  it('[FIS-04] takeaway has no T9 line and VAT on the net alone', async () => {
    const { receipt } = await sale(paidOrder([line(10_000)], { type: 'takeaway' }));
    expect(receipt.itemData[0]!.taxableItems).toEqual([{ taxType: 'T1', amount: 14, subType: 'V009', rate: 14 }]);
    expect(receipt.taxTotals).toEqual([{ taxType: 'T1', amount: 14 }]);
    expect(receipt.totalAmount).toBe(114);
  });

  it('[FIS-03] a sale is SC v1.2, in EGP, UTC to the second, uuid over the object as built', async () => {
    const { receipt, uuid: id } = await sale(paidOrder([line(5_500, 2, [1_500])]));
    expect(receipt.documentType).toEqual({ receiptType: 'SC', typeVersion: '1.2' });
    expect(receipt.header).toEqual({
      dateTimeIssued: '2026-02-03T10:15:00Z', receiptNumber: 'CAI-POS1-000001', uuid: id, previousUUID: '', currency: 'EGP', exchangeRate: 0,
    });
    expect(Object.keys(receipt.header)).toEqual(['dateTimeIssued', 'receiptNumber', 'uuid', 'previousUUID', 'currency', 'exchangeRate']);
    expect(receipt.itemData[0]).toMatchObject({ description: 'Koshari (Extra 0)', quantity: 2, unitPrice: 70, totalSale: 140 });
    expect(await computeReceiptUuid(receipt)).toBe(id);
    // what the sandbox computes from the bytes we send
    expect(await computeReceiptUuidFromText(JSON.stringify(receipt))).toBe(id);
  });

  it('[FIS-03] a return is RC with referenceUUID = the sale, positive amounts, whole or in part', async () => {
    const a = line(10_000, 3);
    const b = line(3_000);
    const order = paidOrder([a, b]);
    const original = await sale(order);
    const whole = await buildReturnReceipt({ ...input(order, { receiptNumber: 'R1', previousUUID: original.uuid }), referenceUUID: original.uuid });
    if (!whole.ok) throw new Error(whole.message);
    expect(whole.receipt.documentType.receiptType).toBe('RC');
    expect(whole.receipt.header.referenceUUID).toBe(original.uuid);
    expect(whole.receipt.header.previousUUID).toBe(original.uuid);
    expect(whole.receipt.totalAmount).toBe(original.receipt.totalAmount);

    const part = await buildReturnReceipt({
      ...input(order, { receiptNumber: 'R2', previousUUID: whole.uuid }), referenceUUID: original.uuid, returnedLines: [{ lineId: a.id, qty: 1 }],
    });
    if (!part.ok) throw new Error(part.message);
    expect(part.receipt.itemData).toHaveLength(1);
    expect(part.receipt.itemData[0]).toMatchObject({ quantity: 1, totalSale: 100, total: 127.68 });
    expect(part.receipt.totalAmount).toBe(127.68);

    const tooMany = await buildReturnReceipt({ ...input(order), referenceUUID: original.uuid, returnedLines: [{ lineId: a.id, qty: 4 }] });
    expect(tooMany).toMatchObject({ ok: false, code: 'invalid-return' });
    const stranger = await buildReturnReceipt({ ...input(order), referenceUUID: original.uuid, returnedLines: [{ lineId: uuid(), qty: 1 }] });
    expect(stranger).toMatchObject({ ok: false, code: 'unknown-line' });
  });

  it('[FIS-05] a commercial discount lowers the taxable net; an item discount comes off the total after taxes', async () => {
    const l = line(10_000);
    const { receipt } = await sale(paidOrder([l]), {
      discounts: [
        { lineId: l.id, kind: 'commercial', amountMinor: 1_000, description: 'Happy hour', rateBp: 1_000 },
        { lineId: l.id, kind: 'item', amountMinor: 500, description: 'Loyalty' },
      ],
    });
    const item = receipt.itemData[0]!;
    // net 90.00 → service 10.80 → VAT (90 + 10.80) × 14 % = 14.112 → 14.11; 90 + 10.80 + 14.11 − 5 = 109.91
    expect(item).toMatchObject({ totalSale: 100, netSale: 90, total: 109.91 });
    expect(item.commercialDiscountData).toEqual([{ amount: 10, description: 'Happy hour', rate: 10 }]);
    expect(item.itemDiscountData).toEqual([{ amount: 5, description: 'Loyalty' }]);
    expect(taxOf(receipt, 0, 'T9')?.amount).toBe(10.8);
    expect(taxOf(receipt, 0, 'T1')?.amount).toBe(14.11);
    expect(receipt).toMatchObject({ totalSales: 100, totalCommercialDiscount: 10, totalItemsDiscount: 5, netAmount: 90, totalAmount: 109.91 });

    const tooBig = await buildSaleReceipt(input(paidOrder([l]), { discounts: [{ lineId: l.id, kind: 'commercial', amountMinor: 10_001, description: 'x' }] }));
    expect(tooBig).toMatchObject({ ok: false, code: 'invalid-discount' });
    const fractional = await buildSaleReceipt(input(paidOrder([l]), { discounts: [{ lineId: l.id, kind: 'item', amountMinor: 0.5, description: 'x' }] }));
    expect(fractional).toMatchObject({ ok: false, code: 'invalid-discount' });
  });

  it('[FIS-06] pays C for cash, V for card, CC for both', async () => {
    expect((await sale(paidOrder([line(10_000)], { methods: ['cash'] }))).receipt.paymentMethod).toBe('C');
    expect((await sale(paidOrder([line(10_000)], { methods: ['card'] }))).receipt.paymentMethod).toBe('V');
    expect((await sale(paidOrder([line(10_000)], { methods: ['card', 'cash'] }))).receipt.paymentMethod).toBe('CC');
  });

  it('[FIS-07] needs the buyer\'s id and name from 150,000 EGP, not below', async () => {
    const noTax: TaxSettings = { vatRateBp: 0, serviceChargeRateBp: 0 };
    const below = paidOrder([line(14_999_999)], { type: 'takeaway', tax: noTax });
    expect((await sale(below, { tax: noTax })).receipt.buyer).toEqual({ type: 'P' });
    const at = paidOrder([line(15_000_000)], { type: 'takeaway', tax: noTax });
    expect(await buildSaleReceipt(input(at, { tax: noTax }))).toMatchObject({ ok: false, code: 'buyer-required' });
    const buyer = { type: 'P' as const, id: '29001011234567', name: 'Mona Adel' };
    expect((await sale(at, { tax: noTax, buyer })).receipt.buyer).toEqual(buyer);
    // a business buyer always needs both, with a 9-digit id
    const business = await buildSaleReceipt(input(below, { tax: noTax, buyer: { type: 'B', name: 'Acme' } }));
    expect(business).toMatchObject({ ok: false, code: 'invalid-receipt', errors: [{ propertyPath: 'buyer' }] });
  });

  it('[FIS-08] amounts are decimals converted once from piastres; the receipt equals priceOrder for any order', async () => {
    const lineArb = fc.record({
      price: fc.integer({ min: 0, max: 500_000 }),
      qty: fc.integer({ min: 1, max: 30 }),
      mods: fc.array(fc.integer({ min: 0, max: 5_000 }), { maxLength: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(lineArb, { minLength: 1, maxLength: 12 }),
        fc.constantFrom<Order['type']>('dine-in', 'takeaway'),
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.subarray<Payment['method']>(['cash', 'card'], { minLength: 1 }),
        async (specs, type, vatRateBp, serviceChargeRateBp, methods) => {
          const tax = { vatRateBp, serviceChargeRateBp };
          const order = paidOrder(specs.map((s) => line(s.price, s.qty, s.mods)), { type, tax, methods });
          if ((order.totals?.totalMinor ?? 0) >= 15_000_000) return; // needs a named buyer: FIS-07
          const { receipt } = await sale(order, { tax });
          const priced = priceOrder(order.lines, tax, type);
          const piastres = (n: number) => Math.round(n * 100);
          expect(piastres(receipt.totalAmount)).toBe(priced.totalMinor);
          expect(piastres(receipt.netAmount)).toBe(priced.subtotalMinor);
          expect(piastres(receipt.taxTotals?.find((t) => t.taxType === 'T1')?.amount ?? -1)).toBe(priced.vatMinor);
          expect(piastres(receipt.taxTotals?.find((t) => t.taxType === 'T9')?.amount ?? 0)).toBe(priced.serviceMinor);
          receipt.itemData.forEach((item, i) => expect(piastres(item.total)).toBe(priced.lines[i]!.totalMinor));
          for (const n of JSON.stringify(receipt).match(/-?\d+\.\d+/g) ?? []) expect(n.split('.')[1]!.length).toBeLessThanOrEqual(2);
          expect(etaReceiptSchema.safeParse(receipt).success).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('[FIS-08] keeps descriptions free of line separators and control characters', async () => {
    expect(etaText('Fish\u2028and\u2029chips\n\ttoday ')).toBe('Fish and chips today');
    const { receipt } = await sale(paidOrder([line(1_000, 1, [], 'Tea\u2028(mint)')]));
    expect(receipt.itemData[0]!.description).toBe('Tea (mint)');
    expect(JSON.stringify(receipt)).not.toMatch(/[\u2028\u2029]/);
  });

  it('[FIS-03] refuses to write a receipt for an order that is not paid', async () => {
    const order = { ...paidOrder([line(1_000)]), status: 'open' as const, totals: null };
    expect(await buildSaleReceipt(input(order))).toMatchObject({ ok: false, code: 'order-not-paid' });
  });
});
