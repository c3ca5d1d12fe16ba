/**
 * REST failover between relays (docs/PROTOCOL.md "Several relays: failover", SCALE-05): the
 * same list the sync socket walks, so that a tablet whose relay died can still read the catalog,
 * open a shift or save a customer through another one.
 *
 * Only a network failure moves on (fetch threw: no HTTP answer at all). An HTTP answer, even a
 * 5xx, came from a live relay that shares the database with the others; another relay would
 * most likely answer the same, and a POST that got one may have done its work.
 *
 * A request that failed may still have reached the dead relay (the connection can drop after
 * the request was sent), and fetch cannot say which. So only a replay-safe request is sent again
 * to the next relay: every GET, and a POST the caller marks `isReplaySafe` because the server
 * makes a second copy harmless (see RequestOptions in api-client.ts). Any other POST fails as
 * `network`, as it did before failover existed; the base still moves past the relay that failed,
 * so that the person's own retry goes to the next one.
 *
 * Where to start: the relay that last answered, kept in memory. There is no timed return to the
 * origin; the list is walked round from the current base, so the origin is tried again as soon
 * as the relay in use fails, and a reload starts from the origin. That is what the sync socket
 * does too ("the device then stays where it synced"), and both share the database, so being on
 * different relays for a while is harmless.
 *
 * A relay whose process died refuses the connection at once; one whose machine or network died
 * does not answer at all, and fetch would wait for the browser's own limit (minutes). So a
 * replay-safe request gives each relay `attemptTimeoutMs` (default 8 s, well above a loaded
 * relay's answer) before it moves on. A POST that is not replay-safe keeps the browser's limit:
 * cutting it short could not make it safe to send again.
 */

export interface ApiFailover {
  /**
   * Fetches `path` (`/api/...`) from the current base, then, when that throws and the request is
   * replay-safe, from each next base in turn. Answers the first HTTP response; throws the last
   * error when no base answered, or at once when the caller aborted.
   */
  fetch(path: string, init: RequestInit, policy: { isReplaySafe: boolean }): Promise<Response>;
  /** The base the next request is sent to first. */
  currentBase(): string | undefined;
}

/**
 * `listBases` answers the HTTP bases in the device's order, origin first (read on each request:
 * the server's list can change between two of them).
 */
export const DEFAULT_ATTEMPT_TIMEOUT_MS = 8_000;

/** The caller's signal (if any) and a deadline, whichever comes first. */
function withTimeout(signal: AbortSignal | null | undefined, ms: number): AbortSignal {
  const deadline = AbortSignal.timeout(ms);
  return signal ? AbortSignal.any([signal, deadline]) : deadline;
}

export function createApiFailover(
  listBases: () => readonly string[],
  options: { attemptTimeoutMs?: number } = {},
): ApiFailover {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? DEFAULT_ATTEMPT_TIMEOUT_MS;
  // The base that last answered, or the one after a failed non-replay-safe request; undefined:
  // the first of the list. A base no longer in the list also means the first.
  let current: string | undefined;

  const rotation = (bases: readonly string[]): string[] => {
    const start = current === undefined ? -1 : bases.indexOf(current);
    return start <= 0 ? [...bases] : [...bases.slice(start), ...bases.slice(0, start)];
  };

  return {
    currentBase: () => rotation(listBases())[0],
    async fetch(path, init, { isReplaySafe }) {
      const order = rotation(listBases());
      let lastError: unknown = new TypeError('no API base to send to');
      for (const [index, base] of order.entries()) {
        try {
          const response = await fetch(base + path, isReplaySafe ? { ...init, signal: withTimeout(init.signal, attemptTimeoutMs) } : init);
          current = base;
          return response;
        } catch (error) {
          // The caller gave up (left the screen): not a relay failure, nothing to move.
          if (init.signal?.aborted) throw error;
          lastError = error;
          if (!isReplaySafe) {
            current = order[(index + 1) % order.length];
            throw error;
          }
        }
      }
      // Every relay failed (most likely this device is offline): keep the current base.
      throw lastError;
    },
  };
}
