/**
 * Receipts as a paying device issues them, without a tablet: a POS serial's chain (receipt
 * numbers, previousUUID) and simple paid orders priced with the shared code. Used by
 * `eta:smoke` to submit a test receipt and by the fiscal tests to drive the sandbox and queue.
 */
import { randomUUID } from 'node:crypto';
import { buildReturnReceipt, buildSaleReceipt, type BuiltReceipt, type LineDiscount } from '../../shared/eta/receipt-builder';
import type { EtaReceipt, EtaSeller } from '../../shared/eta/receipt-schema';
import { priceOrder } from '../../shared/pricing';
import type { TaxSettings } from '../../shared/schemas/catalog';
import { orderLineSchema, type Order, type OrderLine } from '../../shared/schemas/order';

export const SAMPLE_TAX: TaxSettings = { vatRateBp: 1_400, serviceChargeRateBp: 1_200 };

export function sampleSeller(rin: string, deviceSerialNumber: string, branchCode = '0'): EtaSeller {
  return {
    rin,
    companyTradeName: 'Demo Bistro',
    branchCode,
    branchAddress: { country: 'EG', governate: 'Cairo', regionCity: 'Downtown', street: 'Talaat Harb', buildingNumber: '12' },
    deviceSerialNumber,
    activityCode: '5610',
  };
}

/** A paid dine-in cash order of the given unit prices (piastres), one of each. */
export function samplePaidOrder(unitPricesMinor: readonly number[], paidAt: number, tax = SAMPLE_TAX): Order {
  const lines: OrderLine[] = unitPricesMinor.map((unitPriceMinor, i) => orderLineSchema.parse({
    id: randomUUID(), itemId: `item-${i + 1}`, nameEn: `Dish ${i + 1}`, nameAr: `طبق ${i + 1}`, qty: 1, unitPriceMinor,
    modifiers: [], note: '', station: 'grill', addedBy: 'sara', addedAt: paidAt, ticketId: null,
  }));
  const { lines: _priced, ...totals } = priceOrder(lines, tax, 'dine-in');
  return {
    id: randomUUID(), branchId: 'cairo', type: 'dine-in', tableId: 'cairo-t1', guests: 2, openedAt: paidAt - 60_000,
    openedBy: 'sara', deviceId: 'pos-1', status: 'paid', paidAt, totals, lines,
    customer: null, discount: null, billPrintedAt: null,
    payments: [{ id: randomUUID(), method: 'cash', amountMinor: totals.totalMinor, tenderedMinor: totals.totalMinor, changeMinor: 0, tipMinor: 0, part: null, at: paidAt, by: 'sara' }],
  };
}

export interface IssuedReceipt {
  receipt: EtaReceipt;
  uuid: string;
  serial: string;
  order: Order;
}

/** One POS device's receipt chain: each receipt names the previous one's uuid. */
export function createSampleDevice(seller: EtaSeller, options: { tax?: TaxSettings; firstNumber?: number } = {}) {
  const tax = options.tax ?? SAMPLE_TAX;
  let previousUUID = '';
  let next = options.firstNumber ?? 1;
  const unwrap = (built: BuiltReceipt): { receipt: EtaReceipt; uuid: string } => {
    if (!built.ok) throw new Error(`${built.code}: ${built.message} ${JSON.stringify(built.errors ?? [])}`);
    return built;
  };
  const common = (order: Order, issuedAt: number) => ({
    order, tax, seller, issuedAt, previousUUID,
    receiptNumber: `${seller.deviceSerialNumber}-${String(next).padStart(6, '0')}`,
    itemCode: (line: OrderLine) => ({ itemType: 'EGS' as const, itemCode: `EG-${seller.rin}-${line.itemId}` }),
  });
  const advance = (issued: { receipt: EtaReceipt; uuid: string }, order: Order): IssuedReceipt => {
    previousUUID = issued.uuid;
    next++;
    return { ...issued, serial: seller.deviceSerialNumber, order };
  };
  return {
    get previousUUID() {
      return previousUUID;
    },
    async sale(unitPricesMinor: readonly number[] = [10_000], issuedAt = Date.now(), discounts?: LineDiscount[]): Promise<IssuedReceipt> {
      const order = samplePaidOrder(unitPricesMinor, issuedAt, tax);
      return advance(unwrap(await buildSaleReceipt({ ...common(order, issuedAt), ...(discounts ? { discounts } : {}) })), order);
    },
    async returnOf(sale: IssuedReceipt, issuedAt = Date.now()): Promise<IssuedReceipt> {
      return advance(unwrap(await buildReturnReceipt({ ...common(sale.order, issuedAt), referenceUUID: sale.uuid })), sale.order);
    },
  };
}
