import { z } from 'zod';

/**
 * Relay addresses a device may sync through (docs/PROTOCOL.md "Several relays: failover"). Each
 * is a base: `ws://` or `wss://`, a host, and optionally a path prefix (behind a reverse proxy);
 * the client appends `/sync/<room>`. No query or fragment: the client adds its own parameters.
 * Kept without a trailing slash so the same relay written two ways is one entry.
 */
export const relayUrlSchema = z
  .string()
  .trim()
  .refine((value) => {
    if (!/^wss?:\/\//i.test(value)) return false;
    try {
      const url = new URL(value);
      return url.host !== '' && url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'expected ws://host[:port][/path] or wss://…, without query or fragment')
  .transform((value) => value.replace(/\/+$/, ''));

/**
 * The HTTP base of a relay: the same host and path prefix (`ws:` → `http:`, `wss:` → `https:`),
 * since one process serves the relay and the API on one port. Used by the client's REST failover
 * and by the server's CORS list.
 */
export function httpBaseOfRelay(relay: string): string {
  return relay.replace(/^ws(s?):/i, 'http$1:');
}

/** More than a handful only lengthens a failover walk; the limit keeps a typo from costing much. */
export const MAX_RELAY_URLS = 16;

export const relayListSchema = z.array(relayUrlSchema).max(MAX_RELAY_URLS);

/** `GET /api/relays`: the relays configured with `RELAY_URLS` (empty: only the app's own origin). */
export const relayListAnswerSchema = z.object({ relays: relayListSchema });
export type RelayListAnswer = z.infer<typeof relayListAnswerSchema>;
