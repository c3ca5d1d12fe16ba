import { describe, expect, it } from 'vitest';
import type { RefundableOrder } from '../../../shared/schemas/refund';
import { pickEverything, selectedLines, setPicked } from './refund-selection';

const order: RefundableOrder = {
  id: 'o', branchId: 'cairo', tableId: null, orderType: 'dine-in', paidAt: '', totalMinor: 0, refundedMinor: 0, paidDeviceId: 'pos-1',
  methods: ['cash'], refunds: [],
  lines: [
    { lineId: 'a', nameEn: 'A', nameAr: 'أ', qty: 3, refundedQty: 1, isVoided: false, netMinor: 240, serviceMinor: 29, vatMinor: 31, totalMinor: 300 },
    { lineId: 'b', nameEn: 'B', nameAr: 'ب', qty: 1, refundedQty: 0, isVoided: true, netMinor: 0, serviceMinor: 0, vatMinor: 0, totalMinor: 0 },
    { lineId: 'c', nameEn: 'C', nameAr: 'ج', qty: 2, refundedQty: 0, isVoided: false, netMinor: 160, serviceMinor: 19, vatMinor: 21, totalMinor: 200 },
  ],
};

describe('refund selection', () => {
  it('[REF-03] never picks more than is left, nor a voided line', () => {
    expect(setPicked(order, {}, 'a', 5)).toEqual({ a: 2 });
    expect(setPicked(order, {}, 'b', 1)).toEqual({});
    expect(setPicked(order, { a: 2 }, 'a', 0)).toEqual({});
    expect(pickEverything(order)).toEqual({ a: 2, c: 2 });
    expect(selectedLines(order, { c: 1, a: 1 })).toEqual([{ lineId: 'a', qty: 1 }, { lineId: 'c', qty: 1 }]);
  });
});
