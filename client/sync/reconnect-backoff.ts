/**
 * When to try the relay again after a dropped connection: exponential backoff with "full
 * jitter" (a random delay between 0 and the exponential cap). Without jitter, every tablet of a
 * restaurant — and of every restaurant behind a restarted relay — would reconnect in lockstep.
 */
export const RECONNECT_BASE_MS = 250;
export const RECONNECT_CAP_MS = 15_000;

export function reconnectDelayMs(failedAttempts: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.min(failedAttempts, 16));
  return Math.round(random() * ceiling);
}
