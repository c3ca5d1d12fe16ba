/**
 * Money is always an integer number of minor units (piastres for EGP). Decimal amounts exist
 * only at the edges: display (Intl) and the ETA serializer. Every rounding rule lives here so
 * the tablet and the server round the same way.
 */

/** Integer minor units (piastres). */
export type Minor = number;

/** Basis points: 1 400 = 14 %. Rates are stored this way so they stay integers too. */
export type BasisPoints = number;

export function assertMinor(value: number): Minor {
  if (!Number.isSafeInteger(value)) throw new RangeError(`not an integer amount of minor units: ${value}`);
  return value;
}

/**
 * `amount × rate / 10 000`, rounded half away from zero to a whole piastre.
 * Integer arithmetic only, so 100.00 × 14 % is exactly 14.00 and never 13.999….
 */
export function applyRate(amount: Minor, rate: BasisPoints): Minor {
  assertMinor(amount);
  assertMinor(rate);
  const product = amount * rate;
  const sign = product < 0 ? -1 : 1;
  const abs = Math.abs(product);
  const whole = Math.floor(abs / 10_000);
  const remainder = abs - whole * 10_000;
  return sign * (remainder * 2 >= 10_000 ? whole + 1 : whole);
}

export function sumMinor(values: readonly Minor[]): Minor {
  let total = 0;
  for (const v of values) total += assertMinor(v);
  return total;
}

/** Minor units to a decimal number (for display and the ETA edge only). */
export function toMajor(amount: Minor, minorDigits = 2): number {
  return amount / 10 ** minorDigits;
}

/** A decimal string typed by a person ("12.5", "١٢٫٥") to minor units, or null when unreadable. */
export function parseMajorInput(text: string, minorDigits = 2): Minor | null {
  const western = text
    .trim()
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u066B,]/g, '.');
  if (!/^\d+(\.\d*)?$/.test(western)) return null;
  const [whole = '0', fraction = ''] = western.split('.');
  if (fraction.length > minorDigits) return null;
  return Number(whole) * 10 ** minorDigits + Number(fraction.padEnd(minorDigits, '0') || '0');
}

/** Localised money text: `formatMoney(12768, 'ar')` → "‏١٢٧٫٦٨ ج.م.‏". */
export function formatMoney(amount: Minor, locale: 'en' | 'ar', currency = 'EGP'): string {
  return new Intl.NumberFormat(locale === 'ar' ? 'ar-EG' : 'en-EG', { style: 'currency', currency }).format(
    toMajor(amount),
  );
}
