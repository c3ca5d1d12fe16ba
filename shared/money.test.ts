import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyRate, formatMoney, parseMajorInput, sumMinor } from './money';

describe('money', () => {
  it('[MON-01] applies a rate in integer piastres, rounding half away from zero', () => {
    expect(applyRate(10_000, 1_400)).toBe(1_400);
    expect(applyRate(11_200, 1_400)).toBe(1_568);
    expect(applyRate(5, 1_000)).toBe(1); // 0.5 piastre rounds up
    expect(applyRate(4, 1_000)).toBe(0);
    expect(applyRate(-5, 1_000)).toBe(-1);
  });

  it('[MON-01] never returns a fraction', () => {
    fc.assert(
      fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.integer({ min: 0, max: 10_000 }), (a, r) =>
        Number.isInteger(applyRate(a, r)),
      ),
    );
  });

  it('refuses non-integer amounts', () => {
    expect(() => sumMinor([1, 2.5])).toThrow(RangeError);
  });

  it('parses what a cashier types, in Western or Arabic-Indic digits', () => {
    expect(parseMajorInput('12.5')).toBe(1_250);
    expect(parseMajorInput('٥٠٠')).toBe(50_000);
    expect(parseMajorInput('١٢٫٥')).toBe(1_250);
    expect(parseMajorInput('1.234')).toBeNull();
    expect(parseMajorInput('abc')).toBeNull();
  });

  it('formats money per locale', () => {
    expect(formatMoney(12_768, 'en')).toContain('127.68');
    expect(formatMoney(12_768, 'ar')).toContain('١٢٧٫٦٨');
  });
});
