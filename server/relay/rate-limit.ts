/**
 * Token buckets for connection attempts, per client address and per token: a tablet stuck in a
 * reconnect loop, or someone guessing tokens, cannot exhaust the relay. Refused attempts get an
 * HTTP 429 before the upgrade, which clients treat as transient (they back off and retry).
 */
export interface RateLimit {
  /** Bucket size: attempts allowed at once. */
  burst: number;
  /** Attempts regained per second. */
  perSecond: number;
}

export function createRateLimiter(limit: RateLimit, now: () => number = Date.now) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    /** Takes one attempt for `key`; false when the bucket is empty. */
    take(key: string): boolean {
      const t = now();
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: t };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((t - bucket.at) / 1000) * limit.perSecond);
      bucket.at = t;
      const isAllowed = bucket.tokens >= 1;
      if (isAllowed) bucket.tokens -= 1;
      buckets.set(key, bucket);
      if (buckets.size > 50_000) {
        // Forget full buckets so the map cannot grow without bound under a spray of addresses.
        for (const [k, b] of buckets) if (b.tokens + ((t - b.at) / 1000) * limit.perSecond >= limit.burst) buckets.delete(k);
      }
      return isAllowed;
    },
  };
}
