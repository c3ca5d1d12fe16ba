import { describe, expect, it } from 'vitest';
import type { Payment } from '../../../shared/schemas/order';
import { inferSplit, partSlug, recallSplit, rememberSplit } from './split-state';

const pay = (part: string | null, amountMinor: number): Payment => ({
  id: crypto.randomUUID(),
  method: 'cash',
  amountMinor,
  tenderedMinor: amountMinor,
  changeMinor: 0,
  tipMinor: 0,
  part,
  at: 1,
  by: 'sara',
  deviceId: null,
});

describe('split state', () => {
  it('[BIL-03] a tablet that did not see the split finds it again from the payments\' part labels', () => {
    expect(inferSplit([], 2)).toEqual({ mode: 'whole' });
    expect(inferSplit([pay('share 1/3', 100)], 2)).toEqual({ mode: 'equal', shares: 3 });
    expect(inferSplit([pay('seat 2', 100)], 2)).toEqual({ mode: 'seat' });
    expect(inferSplit([pay('guest 4', 100)], 2)).toEqual({ mode: 'items', guests: 4, assignment: {} });
    expect(inferSplit([pay('amount 1', 60), pay('amount 1', 40), pay('amount 2', 50)], 2)).toEqual({ mode: 'amount', amounts: [100, 50] });
  });

  it('keeps the split chosen on this tablet per order', () => {
    rememberSplit('order-a', { mode: 'equal', shares: 5 });
    expect(recallSplit('order-a', [], 2)).toEqual({ mode: 'equal', shares: 5 });
    expect(recallSplit('order-b', [], 2)).toEqual({ mode: 'whole' });
  });

  it('turns part labels into test id fragments', () => {
    expect([null, 'seat 2', 'share 1/3', 'rest'].map(partSlug)).toEqual(['whole', 'seat-2', 'share-1-3', 'rest']);
  });
});
