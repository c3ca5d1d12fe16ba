import { describe, expect, it } from 'vitest';
import { checkPaidOrder } from './settlement-rules';
import { priceOrder } from './pricing';
import type { Catalog } from './schemas/catalog';
import { orderLineSchema, type Order, type OrderLine } from './schemas/order';

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
const koshari = (overrides: Partial<OrderLine> = {}): OrderLine => orderLineSchema.parse({
  id: '00000000-0000-4000-8000-000000000001', itemId: 'koshari', nameEn: 'Koshari', nameAr: 'كشري', qty: 2,
  unitPriceMinor: 5_500, modifiers: [large], note: '', station: 'hot', addedBy: 'sara', addedAt: 1, ticketId: null, ...overrides,
});

/** A correctly paid order with the given lines; `tweak` breaks it in one way. */
function paidOrder(lines: OrderLine[], tweak: (o: Order) => Order = (o) => o): Order {
  const { lines: _l, ...totals } = priceOrder(lines, catalog.tax, 'dine-in');
  return tweak({
    id: '00000000-0000-4000-8000-0000000000aa', branchId: 'cairo', type: 'dine-in', tableId: 't1', guests: 2,
    openedAt: 1, openedBy: 'sara', deviceId: 'pos-1', status: 'paid', paidAt: 2, totals, lines,
    customer: null, discount: null, billPrintedAt: null,
    payments: [{ id: '00000000-0000-4000-8000-0000000000bb', method: 'cash', amountMinor: totals.totalMinor,
      tenderedMinor: totals.totalMinor + 500, changeMinor: 500, tipMinor: 0, part: null, at: 2, by: 'sara' }],
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

describe('[SET-08] voids of sent lines and discounts need a permitted person', () => {
  const withStaff = {
    ...catalog,
    staff: [
      { id: 'sara', name: 'Sara', role: 'waiter' as const, pin: { salt: 'x'.repeat(16), iterations: 10_000, hash: '0'.repeat(64) } },
      { id: 'mona', name: 'Mona', role: 'manager' as const, pin: { salt: 'x'.repeat(16), iterations: 10_000, hash: '0'.repeat(64) } },
    ],
  };
  const sentVoid = (approvedBy: string | null) =>
    koshari({ id: '00000000-0000-4000-8000-000000000002', ticketId: '00000000-0000-4000-8000-000000000009', sentQty: 0, void: { reason: 'cold', by: 'sara', at: 1, approvedBy } });
  const discount = (by: string, approvedBy: string | null) => ({ kind: 'percent' as const, value: 1_000, reason: 'regular', by, at: 1, approvedBy });

  it('a sent line voided by a waiter alone is refused; with a manager approving it settles', () => {
    expect(checkPaidOrder(paidOrder([koshari(), sentVoid(null)]), withStaff)).toMatchObject({ ok: false, problem: { code: 'permission-denied' } });
    expect(checkPaidOrder(paidOrder([koshari(), sentVoid('mona')]), withStaff).ok).toBe(true);
  });

  it('a discount by a waiter needs a manager; a manager may give one', () => {
    expect(checkPaidOrder(paidOrder([koshari({ discount: discount('sara', null) })]), withStaff)).toMatchObject({ ok: false, problem: { code: 'permission-denied' } });
    expect(checkPaidOrder(paidOrder([koshari({ discount: discount('sara', 'mona') })]), withStaff).ok).toBe(true);
    expect(checkPaidOrder(paidOrder([koshari({ discount: discount('mona', null) })]), withStaff).ok).toBe(true);
  });
});
