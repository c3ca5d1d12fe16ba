import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceOrderAsIs } from '../pricing';
import type { TaxSettings } from '../schemas/catalog';
import { orderLineSchema, type Order } from '../schemas/order';
import { receiptQrLink, type PosFiscalProfile } from './receipt-entry';
import { issueSaleReceipt } from './receipt-issue';
import { etaReceiptSchema } from './receipt-schema';
import { computeReceiptUuidFromText } from './uuid';

const TAX: TaxSettings = { vatRateBp: 1_400, serviceChargeRateBp: 1_200 };
const PROFILE: PosFiscalProfile = {
  deviceId: 'pos-1', branchId: 'cairo', serial: 'RF-CAIRO-POS-01', portalUrl: 'https://invoicing.eta.gov.eg/',
  seller: {
    rin: '123456789', companyTradeName: 'Demo Bistro', branchCode: '0', deviceSerialNumber: 'RF-CAIRO-POS-01', activityCode: '5610',
    branchAddress: { country: 'EG', governate: 'Cairo', regionCity: 'Downtown', street: 'Talaat Harb', buildingNumber: '12' },
  },
};
const AT = Date.parse('2026-02-03T10:15:00Z');
const stamp = { reason: 'regular', by: 'sara', at: AT, approvedBy: 'mona' };
let n = 0;
const id = () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`;

/** An order of the v2 model: voids, line and order discounts, tips, wallet payments. */
function order(spec: { prices: number[]; voided: boolean[]; lineDiscountBp: number[]; orderDiscount: number; tip: number; type: Order['type'] }): Order {
  const lines = spec.prices.map((unitPriceMinor, i) => orderLineSchema.parse({
    id: id(), itemId: `item-${i}`, nameEn: `Dish ${i}`, nameAr: 'طبق', qty: 1 + (i % 3), unitPriceMinor, modifiers: [], note: '',
    station: 'grill', addedBy: 'sara', addedAt: AT, ticketId: null,
    void: spec.voided[i] ? stamp : null,
    discount: spec.lineDiscountBp[i] ? { ...stamp, kind: 'percent', value: spec.lineDiscountBp[i] } : null,
  }));
  const base = {
    id: id(), branchId: 'cairo', type: spec.type, tableId: spec.type === 'dine-in' ? 'cairo-t1' : null, guests: 2, openedAt: AT - 1,
    openedBy: 'sara', deviceId: 'pos-1', status: 'paid' as const, paidAt: AT, customer: null, billPrintedAt: null, lines,
    discount: spec.orderDiscount ? { ...stamp, kind: 'amount' as const, value: spec.orderDiscount } : null,
  };
  const { lines: _priced, ...totals } = priceOrderAsIs(base, TAX);
  return {
    ...base, totals,
    payments: [
      { id: id(), method: 'wallet', amountMinor: totals.totalMinor, tenderedMinor: totals.totalMinor, changeMinor: 0, tipMinor: spec.tip, part: null, at: AT, by: 'sara', deviceId: 'pos-1' },
    ],
  };
}

const minor = (amount: number) => Math.round(amount * 100);

describe('issuing a receipt from an order as paid', () => {
  it('[FIS-54] voided lines are left off; line and order discounts are commercial discounts; totals equal the settled order; tips are not sold; wallet is O', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 100, max: 50_000 }), { minLength: 2, maxLength: 6 }),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.array(fc.constantFrom(0, 0, 500, 1_000, 2_500), { minLength: 6, maxLength: 6 }),
        fc.integer({ min: 0, max: 3_000 }),
        fc.integer({ min: 0, max: 2_000 }),
        fc.constantFrom<Order['type']>('dine-in', 'takeaway'),
        async (prices, voids, discounts, orderDiscount, tip, type) => {
          const voided = prices.map((_, i) => (i === 0 ? false : voids[i]!)); // at least one line sold
          const o = order({ prices, voided, lineDiscountBp: discounts, orderDiscount, tip, type });
          const issued = await issueSaleReceipt(o, TAX, PROFILE, { previousUUID: '', nextSequence: 7 }, AT);
          expect(issued.ok).toBe(true);
          if (!issued.ok) return;
          const receipt = etaReceiptSchema.parse(JSON.parse(issued.entry.document));
          expect(receipt.itemData).toHaveLength(voided.filter((v) => !v).length);
          expect(minor(receipt.totalAmount)).toBe(o.totals!.totalMinor);
          expect(minor(receipt.taxTotals!.find((t) => t.taxType === 'T1')!.amount)).toBe(o.totals!.vatMinor);
          expect(minor(receipt.totalCommercialDiscount)).toBe(o.totals!.discountMinor);
          expect(receipt.paymentMethod).toBe('O');
          expect(await computeReceiptUuidFromText(issued.entry.document)).toBe(issued.entry.uuid);
          expect(issued.entry.receiptNumber).toBe('RF-CAIRO-POS-01-000007');
        },
      ),
      { numRuns: 60 },
    );
  });

  it('[FIS-53] the QR link is the portal share link with the total and the issuer RIN', async () => {
    const o = order({ prices: [10_000], voided: [false], lineDiscountBp: [0], orderDiscount: 0, tip: 0, type: 'dine-in' });
    const issued = await issueSaleReceipt(o, TAX, PROFILE, { previousUUID: '', nextSequence: 1 }, AT);
    if (!issued.ok) throw new Error(issued.message);
    expect(issued.entry.qrLink).toBe(`https://invoicing.eta.gov.eg/receipts/search/${issued.entry.uuid}/share/2026-02-03T10:15:00Z#Total:127.68,IssuerRIN:123456789`);
    const receipt = etaReceiptSchema.parse(JSON.parse(issued.entry.document));
    expect(receiptQrLink('https://invoicing.eta.gov.eg', receipt)).toBe(issued.entry.qrLink);
  });
});
