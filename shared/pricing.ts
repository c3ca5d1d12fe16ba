import { applyRate, sumMinor, type Minor } from './money';
import type { TaxSettings } from './schemas/catalog';
import type { Discount, OrderLine, OrderTotals, OrderType } from './schemas/order';

/**
 * Order totals, computed identically on the tablet (to show the bill) and on the server (to
 * settle it). Taxes are computed per line and then summed, as the ETA receipt does:
 *   gross    = qty × (unit price + Σ modifier prices)
 *   net      = gross − line discount − the line's share of the order discount
 *   service  = net × service rate            (dine-in only; ETA T9 / SC01)
 *   vat      = (net + service) × VAT rate    (ETA T1 / V009; the service charge is taxable)
 *   total    = net + service + vat
 * Example from the ETA rules: net 100.00 → service 12.00 → VAT 15.68 → total 127.68.
 * Voided lines stay in the order but count for nothing. An order discount is spread over the
 * lines in proportion to their net (largest remainder, so the shares add up to the piastre),
 * because ETA taxes each line after its own discount.
 */
export interface PricedLine {
  lineId: string;
  grossMinor: Minor;
  /** Line discount plus the line's share of the order discount. */
  discountMinor: Minor;
  netMinor: Minor;
  serviceMinor: Minor;
  vatMinor: Minor;
  totalMinor: Minor;
}

export interface PricedOrder extends OrderTotals {
  lines: PricedLine[];
}

type PricingLine = Pick<OrderLine, 'id' | 'qty' | 'unitPriceMinor' | 'modifiers'> & {
  /** Any non-null void makes the line count for nothing. */
  void?: unknown;
  discount?: Pick<Discount, 'kind' | 'value'> | null;
};

/** qty × (unit price + modifiers), before any discount. */
export function lineNetMinor(line: Pick<OrderLine, 'qty' | 'unitPriceMinor' | 'modifiers'>): Minor {
  const unit = line.unitPriceMinor + sumMinor(line.modifiers.map((m) => m.priceMinor));
  return unit * line.qty;
}

/** How much a discount takes off `base`: never more than `base`, never negative. */
export function discountAmount(discount: Pick<Discount, 'kind' | 'value'> | null | undefined, base: Minor): Minor {
  if (!discount || base <= 0) return 0;
  const off = discount.kind === 'percent' ? applyRate(base, Math.min(discount.value, 10_000)) : discount.value;
  return Math.min(Math.max(0, off), base);
}

/**
 * Splits `amount` over `weights` in proportion, in whole piastres, so the parts add up to
 * exactly `amount` (largest remainder; ties go to the earlier weight).
 */
export function allocateByWeight(amount: Minor, weights: readonly Minor[]): Minor[] {
  const totalWeight = sumMinor(weights);
  if (totalWeight <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const exact = weights.map((w) => (amount * w) / totalWeight);
  const parts = exact.map((x) => Math.floor(x));
  let left = amount - sumMinor(parts);
  const byRemainder = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of byRemainder) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left -= 1;
  }
  return parts;
}

export function priceOrder(
  lines: readonly PricingLine[],
  tax: TaxSettings,
  type: OrderType,
  orderDiscount: Pick<Discount, 'kind' | 'value'> | null = null,
): PricedOrder {
  const serviceRate = type === 'dine-in' ? tax.serviceChargeRateBp : 0;
  const counted = lines.map((line) => !line.void);
  const gross = lines.map((line, i) => (counted[i] ? lineNetMinor(line) : 0));
  const afterLineDiscount = lines.map((line, i) => (gross[i] ?? 0) - discountAmount(line.discount, gross[i] ?? 0));
  const orderOff = discountAmount(orderDiscount, sumMinor(afterLineDiscount));
  const shares = allocateByWeight(orderOff, afterLineDiscount);
  const priced = lines.map((line, i): PricedLine => {
    const grossMinor = gross[i] ?? 0;
    const netMinor = (afterLineDiscount[i] ?? 0) - (shares[i] ?? 0);
    const serviceMinor = applyRate(netMinor, serviceRate);
    const vatMinor = applyRate(netMinor + serviceMinor, tax.vatRateBp);
    return {
      lineId: line.id,
      grossMinor,
      discountMinor: grossMinor - netMinor,
      netMinor,
      serviceMinor,
      vatMinor,
      totalMinor: netMinor + serviceMinor + vatMinor,
    };
  });
  return {
    lines: priced,
    subtotalMinor: sumMinor(priced.map((l) => l.grossMinor)),
    discountMinor: sumMinor(priced.map((l) => l.discountMinor)),
    serviceMinor: sumMinor(priced.map((l) => l.serviceMinor)),
    vatMinor: sumMinor(priced.map((l) => l.vatMinor)),
    totalMinor: sumMinor(priced.map((l) => l.totalMinor)),
  };
}

/** Prices an order as it stands: its lines (voids count nothing), line and order discounts. */
export function priceOrderAsIs(
  order: { lines: readonly PricingLine[]; type: OrderType; discount: Pick<Discount, 'kind' | 'value'> | null },
  tax: TaxSettings,
): PricedOrder {
  return priceOrder(order.lines, tax, order.type, order.discount);
}

/** Change due for cash handed over against what is still owed (never negative). */
export function changeDue(owedMinor: Minor, tenderedMinor: Minor): Minor {
  return Math.max(0, tenderedMinor - owedMinor);
}
