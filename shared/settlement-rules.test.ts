import { describe, expect, it } from 'vitest';
import { checkPaidOrder } from './settlement-rules';
import { priceOrder } from './pricing';
import type { Catalog } from './schemas/catalog';
import type { Order, OrderLine } from './schemas/order';

const catalog: Catalog = {
  version: 1,
  branch: { id: 'cairo', tenantId: 'demo', tenantName: 'Demo', nameEn: 'Cairo', nameAr: 'القاهرة', currency: 'EGP' },
  tax: { vatRateBp: 1_400, serviceChargeRateBp: 1_200 },
  zones: [{ id: 'in', nameEn: 'In', nameAr: 'داخل' }],
  tables: [{ id: 't1', zoneId: 'in', label: 'T1', seats: 4 }],
  categories: [{ id: 'mains', nameEn: 'Mains', nameAr: 'رئيسي' }],
  items: [
    { id: 'koshari', categoryId: 'mains', nameEn: 'Koshari', nameAr: 'كشري', priceMinor: 5_500, station: 'hot', modifierGroupIds: ['size'] },
    { id: 'tea', categoryId: 'mains', nameEn: 'Tea', nameAr: 'شاي', priceMinor: 2_000, station: 'bar', modifierGroupIds: [] },
  ],
  modifierGroups: [
    { id: 'size', nameEn: 'Size', nameAr: 'الحجم', minSelect: 1, maxSelect: 1, options: [
      { id: 'regular', nameEn: 'Regular', nameAr: 'عادي', priceMinor: 0 },
      { id: 'large', nameEn: 'Large', nameAr: 'كبير', priceMinor: 1_500 },
    ] },
  ],
  staff: [],
};

const large = { groupId: 'size', optionId: 'large', nameEn: 'Large', nameAr: 'كبير', priceMinor: 1_500 };
const koshari = (overrides: Partial<OrderLine> = {}): OrderLine => ({
  id: '00000000-0000-4000-8000-000000000001', itemId: 'koshari', nameEn: 'Koshari', nameAr: 'كشري', qty: 2,
  unitPriceMinor: 5_500, modifiers: [large], note: '', station: 'hot', addedBy: 'sara', addedAt: 1, ticketId: null, ...overrides,
});

/** A correctly paid order with the given lines; `tweak` breaks it in one way. */
function paidOrder(lines: OrderLine[], tweak: (o: Order) => Order = (o) => o): Order {
  const { lines: _l, ...totals } = priceOrder(lines, catalog.tax, 'dine-in');
  return tweak({
    id: '00000000-0000-4000-8000-0000000000aa', branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2,
    openedAt: 1, openedBy: 'sara', deviceId: 'pos-1', status: 'paid', paidAt: 2, totals, lines,
    payments: [{ id: '00000000-0000-4000-8000-0000000000bb', method: 'cash', amountMinor: totals.totalMinor,
      tenderedMinor: totals.totalMinor + 500, changeMinor: 500, at: 2, by: 'sara' }],
  });
}

const codeOf = (order: Order) => {
  const result = checkPaidOrder(order, catalog);
  return result.ok ? 'ok' : result.problem.code;
};

describe('settlement rules', () => {
  it('accepts a correct order and returns the server-priced figures', () => {
    const result = checkPaidOrder(paidOrder([koshari()]), catalog);
    expect(result.ok && result.value.subtotalMinor).toBe(14_000);
  });
  it('[SET-02] refuses an unknown item and a price other than the menu', () => {
    expect(codeOf(paidOrder([koshari({ itemId: 'caviar' })]))).toBe('unknown-item');
    expect(codeOf(paidOrder([koshari({ unitPriceMinor: 100 })]))).toBe('price-mismatch');
  });
  it('[SET-04] refuses missing, foreign, mispriced and too many modifiers', () => {
    expect(codeOf(paidOrder([koshari({ modifiers: [] })]))).toBe('modifier-required');
    expect(codeOf(paidOrder([koshari({ modifiers: [{ ...large, groupId: 'other' }] })]))).toBe('modifier-invalid');
    expect(codeOf(paidOrder([koshari({ modifiers: [{ ...large, priceMinor: 0 }] })]))).toBe('price-mismatch');
    expect(codeOf(paidOrder([koshari({ modifiers: [large, { ...large, optionId: 'regular', priceMinor: 0 }] })]))).toBe('modifier-invalid');
    expect(codeOf(paidOrder([{ ...koshari(), itemId: 'tea', unitPriceMinor: 2_000 }]))).toBe('modifier-invalid');
  });
  it('[SET-05] refuses totals that differ from the server computation', () => {
    expect(codeOf(paidOrder([koshari()], (o) => ({ ...o, totals: { ...o.totals!, vatMinor: o.totals!.vatMinor - 1 } })))).toBe('total-mismatch');
  });
  it('[SET-06] refuses underpayment and change that does not add up', () => {
    expect(codeOf(paidOrder([koshari()], (o) => ({ ...o, payments: [{ ...o.payments[0]!, amountMinor: 100, tenderedMinor: 100, changeMinor: 0 }] })))).toBe('underpaid');
    expect(codeOf(paidOrder([koshari()], (o) => ({ ...o, payments: [{ ...o.payments[0]!, changeMinor: 0 }] })))).toBe('invalid-order');
  });
  it('refuses an order of another branch, an unpaid or empty order, and an unknown table', () => {
    expect(codeOf(paidOrder([koshari()], (o) => ({ ...o, branchId: 'alex' })))).toBe('invalid-order');
    expect(codeOf(paidOrder([koshari()], (o) => ({ ...o, status: 'open' })))).toBe('invalid-order');
    expect(codeOf(paidOrder([]))).toBe('invalid-order');
    expect(codeOf(paidOrder([koshari()], (o) => ({ ...o, tableId: 't99' })))).toBe('unknown-table');
  });
});
