/**
 * Builds the ETA e-receipt (v1.2) of a settled order: SC for a sale, RC for a return of (part
 * of) a sale, with the restaurant taxes per line — service charge T9/SC01 on the net sale, VAT
 * T1/V009 on net + service — and totals that are the sums of the lines.
 *
 * The figures come from `shared/pricing.ts`, the code that priced the order on the tablet and
 * settled it on the server, so the receipt can never disagree with the bill: all arithmetic is in
 * integer piastres and each amount is converted to a decimal exactly once, when it is written
 * into the receipt. A commercial discount lowers a line's net sale before taxes (so it is priced
 * as a line whose net is the discounted net); an item discount comes off the line's total after
 * taxes, as ETA defines them.
 *
 * The result is validated with `etaReceiptSchema` and carries its uuid, computed over the object
 * exactly as built (key order included), which is the object to send.
 */
import { discountAmount, lineNetMinor, priceOrder, priceOrderAsIs, type PricedLine } from '../pricing';
import { assertMinor, toMajor, type BasisPoints, type Minor } from '../money';
import type { TaxSettings } from '../schemas/catalog';
import type { Order, OrderLine, Payment } from '../schemas/order';
import {
  BUYER_ID_THRESHOLD_EGP,
  ETA_RECEIPT_TYPE_VERSION,
  etaReceiptSchema,
  SERVICE_TAX_TYPE,
  toEtaPropertyErrors,
  VAT_TAX_TYPE,
  type EtaBuyer,
  type EtaPropertyError,
  type EtaReceipt,
  type EtaSeller,
  type PaymentMethodCode,
} from './receipt-schema';
import type { JsonObject } from './serializer';
import { computeReceiptUuid } from './uuid';

export const VAT_SUBTYPE = 'V009';
export const SERVICE_SUBTYPE = 'SC01';
const BUYER_ID_THRESHOLD_MINOR = BUYER_ID_THRESHOLD_EGP * 100;

/**
 * ETA payment method code for the tenders of an order. Cash + card is written `CC` as the ETA
 * notes in the handbook list it; one constant, so it is one line to change if ETA's code table
 * says otherwise.
 */
export const MIXED_CASH_CARD_PAYMENT_CODE: PaymentMethodCode = 'CC';
type PaymentMethod = Payment['method'];
const PAYMENT_CODE_BY_METHOD: Record<PaymentMethod, PaymentMethodCode> = {
  cash: 'C',
  card: 'V',
  // ETA has no wallet code: "O" (other) until its code table says otherwise
  wallet: 'O',
};

export function paymentMethodCode(methods: readonly PaymentMethod[]): PaymentMethodCode {
  const distinct = [...new Set(methods)];
  if (distinct.length === 1 && distinct[0]) return PAYMENT_CODE_BY_METHOD[distinct[0]];
  if (distinct.length === 0) return 'O';
  return MIXED_CASH_CARD_PAYMENT_CODE;
}

/** A discount on one order line, in piastres. */
export interface LineDiscount {
  lineId: string;
  /** commercial: before taxes (lowers the net sale); item: after taxes (off the line total). */
  kind: 'commercial' | 'item';
  amountMinor: Minor;
  description: string;
  /** Informative rate written on the receipt, when the discount was a percentage. */
  rateBp?: BasisPoints;
}

export interface EtaItemCode {
  itemType: 'EGS' | 'GS1';
  itemCode: string;
}

export interface ReceiptInputBase {
  /** The settled (paid) order. */
  order: Order;
  tax: TaxSettings;
  /** The taxpayer, branch and the issuing POS device (its ETA serial). */
  seller: EtaSeller;
  /** The device's next receipt number (unique per branch). */
  receiptNumber: string;
  /** The uuid of this device's previous receipt; "" for the device's first. */
  previousUUID: string;
  /** When the receipt is issued (epoch ms); written as UTC to the second. */
  issuedAt: number;
  /** The item's registered ETA code (EGS or GS1). */
  itemCode: (line: OrderLine) => EtaItemCode;
  /** Defaults to an anonymous person; required (with id and name) from 150,000 EGP. */
  buyer?: EtaBuyer;
  /**
   * Discounts to write on the receipt. Left out, they are the order's own: each line's discount
   * and its share of the order discount as a commercial discount (`orderDiscounts`) [FIS-54].
   */
  discounts?: readonly LineDiscount[];
  /** Set when this receipt corrects a rejected one (same previousUUID, new uuid). */
  referenceOldUUID?: string;
}

export interface ReturnReceiptInput extends ReceiptInputBase {
  /** The uuid of the sale receipt being returned. */
  referenceUUID: string;
  /** Lines and quantities returned; the whole order when left out. */
  returnedLines?: ReadonlyArray<{ lineId: string; qty: number }>;
}

export const RECEIPT_BUILD_ERRORS = [
  'order-not-paid',
  'unknown-line',
  'invalid-return',
  'invalid-discount',
  'buyer-required',
  'invalid-receipt',
] as const;
export type ReceiptBuildError = (typeof RECEIPT_BUILD_ERRORS)[number];

export type BuiltReceipt = { ok: true; receipt: EtaReceipt; uuid: string } | {
  ok: false;
  code: ReceiptBuildError;
  message: string;
  errors?: EtaPropertyError[];
};

const failure = (code: ReceiptBuildError, message: string, errors?: EtaPropertyError[]): BuiltReceipt => ({
  ok: false,
  code,
  message,
  ...(errors ? { errors } : {}),
});

/** ETA wants UTC to the second: `2026-02-03T10:15:00Z`. */
export function etaDateTime(epochMs: number): string {
  return new Date(Math.floor(epochMs / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** A basis-point rate as the percentage ETA writes (1 400 → 14, 1 250 → 12.5). */
const percent = (bp: BasisPoints) => bp / 100;

/** Free text as ETA takes it: no line/paragraph separators or control characters, ≤ 500 chars. */
export function etaText(text: string, max = 500): string {
  return text
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max);
}

function describeLine(line: OrderLine): string {
  const modifiers = line.modifiers.map((m) => m.nameEn).join(', ');
  return etaText(modifiers ? `${line.nameEn} (${modifiers})` : line.nameEn) || line.itemId;
}

/** `amount × numerator / denominator`, rounded half away from zero, in integers. */
function prorate(amount: Minor, numerator: number, denominator: number): Minor {
  const product = amount * numerator;
  const whole = Math.floor(Math.abs(product) / denominator);
  const rest = Math.abs(product) - whole * denominator;
  return Math.sign(product) * (rest * 2 >= denominator ? whole + 1 : whole);
}

interface ReceiptLine {
  line: OrderLine;
  qty: number;
  commercial: LineDiscount[];
  item: LineDiscount[];
}

function discountEntries(discounts: readonly LineDiscount[]) {
  return discounts.map((d) => ({
    amount: toMajor(d.amountMinor),
    description: etaText(d.description) || 'Discount',
    ...(d.rateBp !== undefined ? { rate: percent(d.rateBp) } : {}),
  }));
}

async function build(
  input: ReceiptInputBase,
  kind: { receiptType: 'SC' } | { receiptType: 'RC'; referenceUUID: string },
  lines: ReceiptLine[],
): Promise<BuiltReceipt> {
  const { order, tax, seller } = input;
  if (order.status !== 'paid' || order.totals === null) return failure('order-not-paid', 'only a paid order gets a receipt');

  // Price each line as ETA sees it: its taxable base is the net sale after commercial discounts.
  const bases = lines.map((l) => {
    const grossMinor = lineNetMinor({ ...l.line, qty: l.qty });
    const commercialMinor = l.commercial.reduce((s, d) => s + assertMinor(d.amountMinor), 0);
    return { id: l.line.id, qty: 1, unitPriceMinor: grossMinor - commercialMinor, modifiers: [], grossMinor, commercialMinor };
  });
  if (bases.some((b) => b.unitPriceMinor < 0)) return failure('invalid-discount', 'a discount exceeds its line');
  const priced = priceOrder(bases, tax, order.type);
  const hasService = order.type === 'dine-in' && tax.serviceChargeRateBp > 0;

  const itemData = lines.map((l, i) => {
    const base = bases[i]!;
    const p: PricedLine = priced.lines[i]!;
    const itemDiscountMinor = l.item.reduce((s, d) => s + assertMinor(d.amountMinor), 0);
    const unitMinor = lineNetMinor({ ...l.line, qty: 1 });
    const code = input.itemCode(l.line);
    return {
      internalCode: l.line.itemId,
      description: describeLine(l.line),
      itemType: code.itemType,
      itemCode: code.itemCode,
      unitType: 'EA',
      quantity: l.qty,
      unitPrice: toMajor(unitMinor),
      netSale: toMajor(p.netMinor),
      totalSale: toMajor(base.grossMinor),
      total: toMajor(p.totalMinor - itemDiscountMinor),
      ...(l.commercial.length ? { commercialDiscountData: discountEntries(l.commercial) } : {}),
      ...(l.item.length ? { itemDiscountData: discountEntries(l.item) } : {}),
      taxableItems: [
        { taxType: VAT_TAX_TYPE, amount: toMajor(p.vatMinor), subType: VAT_SUBTYPE, rate: percent(tax.vatRateBp) },
        ...(hasService
          ? [{ taxType: SERVICE_TAX_TYPE, amount: toMajor(p.serviceMinor), subType: SERVICE_SUBTYPE, rate: percent(tax.serviceChargeRateBp) }]
          : []),
      ],
      itemDiscountMinor,
    };
  });
  const itemDiscountsMinor = itemData.reduce((s, l) => s + l.itemDiscountMinor, 0);
  const totalMinor = priced.totalMinor - itemDiscountsMinor;
  if (itemData.some((l) => l.total < 0)) return failure('invalid-discount', 'an item discount exceeds its line total');

  const buyer: EtaBuyer = input.buyer ?? { type: 'P' };
  if (totalMinor >= BUYER_ID_THRESHOLD_MINOR && (!buyer.id || !buyer.name)) {
    return failure('buyer-required', `a receipt of ${BUYER_ID_THRESHOLD_EGP} EGP or more needs the buyer's id and name`);
  }

  const receipt = {
    header: {
      dateTimeIssued: etaDateTime(input.issuedAt),
      receiptNumber: input.receiptNumber,
      uuid: '',
      previousUUID: input.previousUUID,
      ...(kind.receiptType === 'RC' ? { referenceUUID: kind.referenceUUID } : {}),
      ...(input.referenceOldUUID ? { referenceOldUUID: input.referenceOldUUID } : {}),
      currency: 'EGP',
      exchangeRate: 0,
    },
    documentType: { receiptType: kind.receiptType, typeVersion: ETA_RECEIPT_TYPE_VERSION },
    seller,
    buyer,
    itemData: itemData.map(({ itemDiscountMinor: _omit, ...item }) => item),
    totalSales: toMajor(bases.reduce((s, b) => s + b.grossMinor, 0)),
    totalCommercialDiscount: toMajor(bases.reduce((s, b) => s + b.commercialMinor, 0)),
    totalItemsDiscount: toMajor(itemDiscountsMinor),
    netAmount: toMajor(priced.subtotalMinor),
    feesAmount: 0,
    totalAmount: toMajor(totalMinor),
    taxTotals: [
      { taxType: VAT_TAX_TYPE, amount: toMajor(priced.vatMinor) },
      ...(hasService ? [{ taxType: SERVICE_TAX_TYPE, amount: toMajor(priced.serviceMinor) }] : []),
    ],
    paymentMethod: paymentMethodCode(order.payments.map((p) => p.method)),
    adjustment: 0,
  } satisfies JsonObject & EtaReceipt;

  // Hash, check and return the object as built: zod's parse output re-orders keys.
  const uuid = await computeReceiptUuid(receipt);
  receipt.header.uuid = uuid;
  const checked = etaReceiptSchema.safeParse(receipt);
  if (!checked.success) return failure('invalid-receipt', 'the receipt does not pass the ETA rules', toEtaPropertyErrors(checked.error));
  return { ok: true, receipt, uuid };
}

function splitDiscounts(order: Order, discounts: readonly LineDiscount[]): Map<string, LineDiscount[]> | BuiltReceipt {
  const byLine = new Map<string, LineDiscount[]>();
  for (const d of discounts) {
    if (!order.lines.some((l) => l.id === d.lineId)) return failure('unknown-line', `a discount names line ${d.lineId}, which the order lacks`);
    if (!Number.isSafeInteger(d.amountMinor) || d.amountMinor < 0) return failure('invalid-discount', 'a discount is a whole, non-negative number of piastres');
    byLine.set(d.lineId, [...(byLine.get(d.lineId) ?? []), d]);
  }
  return byLine;
}

/**
 * The order's own discounts as ETA commercial discounts: per line, its line discount plus its
 * share of the order discount, exactly as `shared/pricing.ts` priced them, so the receipt's net,
 * T9, T1 and total equal the settled order's. Voided lines have none (they are left off) [FIS-54].
 */
export function orderDiscounts(order: Order, tax: TaxSettings): LineDiscount[] {
  const priced = priceOrderAsIs(order, tax);
  const discounts: LineDiscount[] = [];
  for (const line of order.lines) {
    const p = priced.lines.find((l) => l.lineId === line.id);
    if (line.void || !p || p.discountMinor <= 0) continue;
    const reasons = [line.discount?.reason, p.discountMinor > discountAmount(line.discount, lineNetMinor(line)) ? order.discount?.reason : undefined].filter(Boolean);
    discounts.push({ lineId: line.id, kind: 'commercial', amountMinor: p.discountMinor, description: reasons.join('; ') || 'Discount' });
  }
  return discounts;
}

/**
 * The sale receipt (SC) of a settled order. Voided lines are left off (they were not sold);
 * tips are not part of the sale, so not of the receipt; wallet payments are `O` [FIS-54].
 */
export async function buildSaleReceipt(input: ReceiptInputBase): Promise<BuiltReceipt> {
  const byLine = splitDiscounts(input.order, input.discounts ?? orderDiscounts(input.order, input.tax));
  if (!(byLine instanceof Map)) return byLine;
  const lines = input.order.lines.filter((line) => !line.void).map((line) => {
    const ds = byLine.get(line.id) ?? [];
    return { line, qty: line.qty, commercial: ds.filter((d) => d.kind === 'commercial'), item: ds.filter((d) => d.kind === 'item') };
  });
  return build(input, { receiptType: 'SC' }, lines);
}

/**
 * The return receipt (RC) of (part of) a settled sale: positive amounts, `referenceUUID` = the
 * sale's uuid. A partly returned line carries its discounts pro rata, rounded to the piastre.
 */
export async function buildReturnReceipt(input: ReturnReceiptInput): Promise<BuiltReceipt> {
  const byLine = splitDiscounts(input.order, input.discounts ?? []);
  if (!(byLine instanceof Map)) return byLine;
  const returned = input.returnedLines ?? input.order.lines.map((l) => ({ lineId: l.id, qty: l.qty }));
  if (returned.length === 0) return failure('invalid-return', 'a return needs at least one line');
  const lines: ReceiptLine[] = [];
  for (const r of returned) {
    const line = input.order.lines.find((l) => l.id === r.lineId);
    if (!line) return failure('unknown-line', `the order has no line ${r.lineId}`);
    if (!Number.isInteger(r.qty) || r.qty < 1 || r.qty > line.qty) {
      return failure('invalid-return', `line ${r.lineId}: return 1 to ${line.qty}, not ${r.qty}`);
    }
    if (lines.some((l) => l.line.id === line.id)) return failure('invalid-return', `line ${r.lineId} is listed twice`);
    const share = (d: LineDiscount): LineDiscount => ({ ...d, amountMinor: prorate(d.amountMinor, r.qty, line.qty) });
    const ds = (byLine.get(line.id) ?? []).map(share);
    lines.push({ line, qty: r.qty, commercial: ds.filter((d) => d.kind === 'commercial'), item: ds.filter((d) => d.kind === 'item') });
  }
  return build(input, { receiptType: 'RC', referenceUUID: input.referenceUUID }, lines);
}
