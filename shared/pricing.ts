import { applyRate, sumMinor, type Minor } from './money';
import type { TaxSettings } from './schemas/catalog';
import type { OrderLine, OrderTotals, OrderType } from './schemas/order';

/**
 * Order totals, computed identically on the tablet (to show the bill) and on the server (to
 * settle it). Taxes are computed per line and then summed, as the ETA receipt does:
 *   net      = qty × (unit price + Σ modifier prices)
 *   service  = net × service rate            (dine-in only; ETA T9 / SC01)
 *   vat      = (net + service) × VAT rate    (ETA T1 / V009; the service charge is taxable)
 *   total    = net + service + vat
 * Example from the ETA rules: net 100.00 → service 12.00 → VAT 15.68 → total 127.68.
 */

export interface PricedLine {
  lineId: string;
  netMinor: Minor;
  serviceMinor: Minor;
  vatMinor: Minor;
  totalMinor: Minor;
}

export interface PricedOrder extends OrderTotals {
  lines: PricedLine[];
}

type PricingLine = Pick<OrderLine, 'id' | 'qty' | 'unitPriceMinor' | 'modifiers'>;

export function lineNetMinor(line: Pick<OrderLine, 'qty' | 'unitPriceMinor' | 'modifiers'>): Minor {
  const unit = line.unitPriceMinor + sumMinor(line.modifiers.map((m) => m.priceMinor));
  return unit * line.qty;
}

export function priceOrder(lines: readonly PricingLine[], tax: TaxSettings, type: OrderType): PricedOrder {
  const serviceRate = type === 'dine-in' ? tax.serviceChargeRateBp : 0;
  const priced = lines.map((line): PricedLine => {
    const netMinor = lineNetMinor(line);
    const serviceMinor = applyRate(netMinor, serviceRate);
    const vatMinor = applyRate(netMinor + serviceMinor, tax.vatRateBp);
    return { lineId: line.id, netMinor, serviceMinor, vatMinor, totalMinor: netMinor + serviceMinor + vatMinor };
  });
  return {
    lines: priced,
    subtotalMinor: sumMinor(priced.map((l) => l.netMinor)),
    serviceMinor: sumMinor(priced.map((l) => l.serviceMinor)),
    vatMinor: sumMinor(priced.map((l) => l.vatMinor)),
    totalMinor: sumMinor(priced.map((l) => l.totalMinor)),
  };
}

/** Change due for cash handed over against what is still owed (never negative). */
export function changeDue(owedMinor: Minor, tenderedMinor: Minor): Minor {
  return Math.max(0, tenderedMinor - owedMinor);
}
