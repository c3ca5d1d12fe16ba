import { describe, expect, it } from 'vitest';
import { createPinGuard } from './staff-approval';

describe('wrong manager PINs per tablet', () => {
  it('[REF-01] five wrong PINs lock a tablet’s approvals for five minutes; other tablets are not affected', () => {
    let now = 1_000_000;
    const guard = createPinGuard(() => now);
    for (let i = 0; i < 4; i++) guard.recordFailure('pos-a');
    expect(guard.isBlocked('pos-a')).toBe(false);
    guard.recordFailure('pos-a');
    expect(guard.isBlocked('pos-a')).toBe(true);
    expect(guard.isBlocked('pos-b')).toBe(false);
    now += 5 * 60_000 + 1;
    expect(guard.isBlocked('pos-a')).toBe(false);
  });
});
