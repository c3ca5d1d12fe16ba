/**
 * The ETA e-receipt v1.2 as a zod schema: its structure, and the arithmetic ETA checks (line
 * figures, totals as sums of lines, tax totals per type, buyer identity above the threshold,
 * returns referencing a sale). The builder validates every receipt it makes with it and the ETA
 * sandbox validates every receipt it receives with it, so both sides apply one set of rules.
 *
 * Objects are strict: an unknown key would be sent and hashed, so it is an error, not noise.
 * zod's output re-orders keys; the uuid is always computed over the object as built or received,
 * never over a parse result.
 *
 * Arithmetic is checked exactly, in BigInt units of 10⁻⁵ (ETA allows at most 5 decimals), except
 * rate-based taxes, which may differ from `base × rate` by at most half a piastre (0.005): that is
 * the rounding RestoFlow applies when it computes taxes in whole piastres.
 */
import { z } from 'zod';

/** Receipts at or above this total (EGP) need the buyer's id and name. */
export const BUYER_ID_THRESHOLD_EGP = 150_000;
export const MAX_RECEIPT_LINES = 300;
export const ETA_RECEIPT_TYPE_VERSION = '1.2';

/** SC / RC: coffee & restaurant sale / return; s / r: the generic sale / return. */
export const RECEIPT_TYPES = ['SC', 'RC', 's', 'r'] as const;
export type ReceiptType = (typeof RECEIPT_TYPES)[number];
export const RETURN_RECEIPT_TYPES: readonly ReceiptType[] = ['RC', 'r'];

/** C cash, V visa/card, CC, VC, VO voucher, PR promotion, GC gift card, P points, O other. */
export const PAYMENT_METHOD_CODES = ['C', 'V', 'CC', 'VC', 'VO', 'PR', 'GC', 'P', 'O'] as const;
export type PaymentMethodCode = (typeof PAYMENT_METHOD_CODES)[number];

/** Tax types RestoFlow's rules cover: VAT (T1) and the taxable fees T5–T12 (T9 = service). */
export const SUPPORTED_TAX_TYPES = ['T1', 'T5', 'T6', 'T7', 'T8', 'T9', 'T10', 'T11', 'T12'] as const;
export const VAT_TAX_TYPE = 'T1' as const;
export const SERVICE_TAX_TYPE = 'T9' as const;

const uuidSchema = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex characters');
const text = (max: number) => z.string().min(1).max(max);

/** A decimal with at most 5 places, as JSON will write it (`String(n)`): no exponent forms. */
const amountSchema = z
  .number()
  .refine((n) => Number.isFinite(n) && /^-?\d+(\.\d{1,5})?$/.test(String(n)), 'expected a decimal with at most 5 places')
  .refine((n) => n >= 0, 'expected a non-negative amount');
const rateSchema = amountSchema.refine((n) => n <= 100, 'a rate is a percentage (0–100)');

export const etaHeaderSchema = z.strictObject({
  dateTimeIssued: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,7})?Z$/, 'expected UTC ISO time ending in Z'),
  receiptNumber: text(50),
  uuid: uuidSchema,
  previousUUID: z.union([z.literal(''), uuidSchema]),
  referenceUUID: uuidSchema.optional(),
  referenceOldUUID: uuidSchema.optional(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  exchangeRate: amountSchema,
  sOrderNameCode: text(50).optional(),
  orderdeliveryMode: text(10).optional(),
});

export const etaBranchAddressSchema = z.strictObject({
  country: z.string().regex(/^[A-Z]{2}$/),
  governate: text(100),
  regionCity: text(100),
  street: text(200),
  buildingNumber: text(100),
  postalCode: text(30).optional(),
  floor: text(100).optional(),
  room: text(100).optional(),
  landmark: text(500).optional(),
  additionalInformation: text(500).optional(),
});
export type EtaBranchAddress = z.infer<typeof etaBranchAddressSchema>;

export const etaSellerSchema = z.strictObject({
  rin: z.string().regex(/^\d{9}$/, 'expected a 9-digit registration number'),
  companyTradeName: text(200),
  branchCode: text(50),
  branchAddress: etaBranchAddressSchema,
  deviceSerialNumber: text(100),
  activityCode: z.string().regex(/^\d{4}$/, 'expected a 4-digit activity code'),
});
export type EtaSeller = z.infer<typeof etaSellerSchema>;

export const BUYER_TYPES = ['B', 'P', 'F'] as const;
export const etaBuyerSchema = z.strictObject({
  type: z.enum(BUYER_TYPES),
  id: text(30).optional(),
  name: text(100).optional(),
  mobileNumber: text(30).optional(),
  paymentNumber: text(30).optional(),
});
export type EtaBuyer = z.infer<typeof etaBuyerSchema>;

const discountSchema = z.strictObject({
  amount: amountSchema,
  description: text(500),
  rate: rateSchema.optional(),
});

export const etaTaxableItemSchema = z.strictObject({
  taxType: z.enum(SUPPORTED_TAX_TYPES),
  amount: amountSchema,
  subType: text(50),
  rate: rateSchema,
});

export const etaItemSchema = z.strictObject({
  internalCode: text(100),
  description: text(500),
  itemType: z.enum(['GS1', 'EGS']),
  itemCode: text(100),
  unitType: text(30),
  quantity: amountSchema.refine((n) => n > 0, 'quantity must be positive'),
  unitPrice: amountSchema,
  netSale: amountSchema,
  totalSale: amountSchema,
  total: amountSchema,
  commercialDiscountData: z.array(discountSchema).min(1).optional(),
  itemDiscountData: z.array(discountSchema).min(1).optional(),
  taxableItems: z.array(etaTaxableItemSchema).min(1).optional(),
});
export type EtaItem = z.infer<typeof etaItemSchema>;

const receiptShape = z.strictObject({
  header: etaHeaderSchema,
  documentType: z.strictObject({ receiptType: z.enum(RECEIPT_TYPES), typeVersion: z.literal(ETA_RECEIPT_TYPE_VERSION) }),
  seller: etaSellerSchema,
  buyer: etaBuyerSchema,
  itemData: z.array(etaItemSchema).min(1).max(MAX_RECEIPT_LINES),
  totalSales: amountSchema,
  totalCommercialDiscount: amountSchema,
  totalItemsDiscount: amountSchema,
  netAmount: amountSchema,
  feesAmount: z.literal(0),
  totalAmount: amountSchema,
  taxTotals: z.array(z.strictObject({ taxType: z.enum(SUPPORTED_TAX_TYPES), amount: amountSchema })).min(1).optional(),
  paymentMethod: z.enum(PAYMENT_METHOD_CODES),
  adjustment: z.literal(0),
});

/** Amounts as BigInt units of 10⁻⁵; exact for every amount the schema lets through. */
const UNITS_PER_ONE = 100_000n;
const units = (n: number): bigint => {
  const [whole = '0', fraction = ''] = String(n).split('.');
  const sign = whole.startsWith('-') ? -1n : 1n;
  return sign * (BigInt(whole.replace('-', '')) * UNITS_PER_ONE + BigInt(fraction.padEnd(5, '0')));
};
const sum = (values: readonly bigint[]) => values.reduce((a, b) => a + b, 0n);
const abs = (v: bigint) => (v < 0n ? -v : v);
const HALF_PIASTRE = 500n; // 0.005 in units of 10⁻⁵

type ReceiptShape = z.infer<typeof receiptShape>;

function checkArithmetic(receipt: ReceiptShape, ctx: z.RefinementCtx): void {
  const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const lineTotals: bigint[] = [];
  const taxByType = new Map<string, bigint>();

  receipt.itemData.forEach((item, i) => {
    const path = ['itemData', i];
    // totalSale = quantity × unitPrice, to 5 places (product is in units of 10⁻¹⁰)
    const product = units(item.quantity) * units(item.unitPrice);
    if (abs(units(item.totalSale) * UNITS_PER_ONE - product) * 2n > UNITS_PER_ONE) {
      issue([...path, 'totalSale'], 'totalSale must equal quantity × unitPrice');
    }
    const commercial = sum((item.commercialDiscountData ?? []).map((d) => units(d.amount)));
    if (units(item.netSale) !== units(item.totalSale) - commercial) {
      issue([...path, 'netSale'], 'netSale must equal totalSale minus commercial discounts');
    }
    const taxes = item.taxableItems ?? [];
    const seen = new Set<string>();
    let feesTotal = 0n;
    for (const t of taxes) {
      if (seen.has(t.taxType)) issue([...path, 'taxableItems'], `${t.taxType} appears twice on one line`);
      seen.add(t.taxType);
      if (t.taxType !== VAT_TAX_TYPE) feesTotal += units(t.amount);
      taxByType.set(t.taxType, (taxByType.get(t.taxType) ?? 0n) + units(t.amount));
    }
    taxes.forEach((t, j) => {
      // VAT is charged on net + taxable fees (T5–T12); a fee on the net sale
      const base = units(item.netSale) + (t.taxType === VAT_TAX_TYPE ? feesTotal : 0n);
      const expected = base * units(t.rate); // units of 10⁻¹⁰ × 100 (rate is a percentage)
      if (abs(units(t.amount) * UNITS_PER_ONE * 100n - expected) > HALF_PIASTRE * UNITS_PER_ONE * 100n) {
        issue([...path, 'taxableItems', j, 'amount'], `${t.taxType} amount must be ${t.rate} % of its base`);
      }
    });
    const itemDiscounts = sum((item.itemDiscountData ?? []).map((d) => units(d.amount)));
    const expectedTotal = units(item.netSale) + sum(taxes.map((t) => units(t.amount))) - itemDiscounts;
    if (units(item.total) !== expectedTotal) {
      issue([...path, 'total'], 'total must equal netSale + taxes − item discounts');
    }
    lineTotals.push(units(item.total));
  });

  const totals: Array<[keyof ReceiptShape, bigint]> = [
    ['totalSales', sum(receipt.itemData.map((i) => units(i.totalSale)))],
    ['totalCommercialDiscount', sum(receipt.itemData.flatMap((i) => (i.commercialDiscountData ?? []).map((d) => units(d.amount))))],
    ['totalItemsDiscount', sum(receipt.itemData.flatMap((i) => (i.itemDiscountData ?? []).map((d) => units(d.amount))))],
    ['netAmount', sum(receipt.itemData.map((i) => units(i.netSale)))],
    ['totalAmount', sum(lineTotals)],
  ];
  for (const [key, expected] of totals) {
    const value = receipt[key];
    if (typeof value === 'number' && units(value) !== expected) issue([key], `${key} must equal the sum of the lines`);
  }

  const declared = receipt.taxTotals ?? [];
  const declaredTypes = new Set(declared.map((t) => t.taxType));
  if (declaredTypes.size !== declared.length) issue(['taxTotals'], 'each tax type appears once in taxTotals');
  for (const [type, amount] of taxByType) {
    const entry = declared.find((t) => t.taxType === type);
    if (!entry || units(entry.amount) !== amount) issue(['taxTotals'], `taxTotals ${type} must equal the sum of the lines' ${type}`);
  }
  for (const type of declaredTypes) if (!taxByType.has(type)) issue(['taxTotals'], `taxTotals lists ${type}, which no line has`);
}

function checkHeaderAndParties(receipt: ReceiptShape, ctx: z.RefinementCtx): void {
  const issue = (path: Array<string | number>, message: string) => ctx.addIssue({ code: 'custom', path, message });
  const { header, buyer } = receipt;
  const isReturn = RETURN_RECEIPT_TYPES.includes(receipt.documentType.receiptType);
  if (isReturn && !header.referenceUUID) issue(['header', 'referenceUUID'], 'a return must reference the sale it returns');
  if (!isReturn && header.referenceUUID) issue(['header', 'referenceUUID'], 'only a return references a sale');
  if (header.previousUUID === header.uuid) issue(['header', 'previousUUID'], 'a receipt cannot chain to itself');
  if (header.currency === 'EGP' ? header.exchangeRate !== 0 : header.exchangeRate <= 0) {
    issue(['header', 'exchangeRate'], 'exchangeRate is 0 for EGP and positive otherwise');
  }
  const needsIdentity = buyer.type === 'B' || units(receipt.totalAmount) >= BigInt(BUYER_ID_THRESHOLD_EGP) * UNITS_PER_ONE;
  if (needsIdentity && (!buyer.id || !buyer.name)) {
    issue(['buyer'], `the buyer's id and name are required for a business buyer and from ${BUYER_ID_THRESHOLD_EGP} EGP`);
  }
  if (buyer.id && buyer.type === 'B' && !/^\d{9}$/.test(buyer.id)) issue(['buyer', 'id'], 'a business id has 9 digits');
  if (buyer.id && buyer.type === 'P' && !/^\d{14}$/.test(buyer.id)) issue(['buyer', 'id'], 'a national id has 14 digits');
}

/** An ETA e-receipt v1.2 with its arithmetic checked. */
export const etaReceiptSchema = receiptShape.superRefine(
  (receipt, ctx) => {
    checkHeaderAndParties(receipt, ctx);
    checkArithmetic(receipt, ctx);
  },
  // Only a well-formed receipt is worth doing sums on (amounts must be plain decimals by then).
  { when: (payload) => payload.issues.length === 0 },
);
export type EtaReceipt = z.infer<typeof etaReceiptSchema>;

/** ETA's way of naming a problem: the JSON path of the property and a message. */
export interface EtaPropertyError {
  propertyPath: string;
  message: string;
  /** A machine-readable reason where ETA gives one (`DuplicateReceipt`, `ChainBroken`, …). */
  code?: string;
}

/** zod issues in ETA's `{propertyPath, message}` form (`itemData[0].total`). */
export function toEtaPropertyErrors(error: z.ZodError): EtaPropertyError[] {
  return error.issues.map((i) => ({
    propertyPath: i.path.map((p, n) => (typeof p === 'number' ? `[${p}]` : `${n === 0 ? '' : '.'}${String(p)}`)).join(''),
    message: i.message,
  }));
}
