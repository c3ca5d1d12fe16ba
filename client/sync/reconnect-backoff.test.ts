import { describe, expect, it } from 'vitest';
import { RECONNECT_BASE_MS, RECONNECT_CAP_MS, reconnectDelayMs } from './reconnect-backoff';

describe('reconnect backoff', () => {
  it('[SYNC-17] grows exponentially up to a cap, with the whole range jittered', () => {
    expect(reconnectDelayMs(0, () => 1)).toBe(RECONNECT_BASE_MS);
    expect(reconnectDelayMs(3, () => 1)).toBe(RECONNECT_BASE_MS * 8);
    expect(reconnectDelayMs(40, () => 1)).toBe(RECONNECT_CAP_MS);
    expect(reconnectDelayMs(5, () => 0)).toBe(0);
    const delays = new Set(Array.from({ length: 50 }, () => reconnectDelayMs(6)));
    expect(delays.size).toBeGreaterThan(40); // spread out, not in lockstep
  });
});
