import { httpBaseOfRelay, relayListSchema } from '../../shared/schemas/relays';

/**
 * The relays this device may sync through, in the order it tries them (docs/PROTOCOL.md
 * "Several relays: failover"). The app's own origin always comes first: that is the relay the
 * page came from, and with no `RELAY_URLS` configured the only one. The server's list
 * (`GET /api/relays`, asked by `refreshRelays` in server-api.ts) follows, remembered in localStorage so that a tablet restarted with its
 * relay gone still knows where else to go. localStorage rather than Dexie for the same reason
 * as live-room.ts: the sync starts synchronously and needs the list at once. What is read back
 * is parsed with zod: an older app version, or a hand-edited value, falls back to the origin.
 */
const STORAGE_KEY = 'restoflow.relays';

/** The relay base the page was served from: `ws(s)://host[:port]`. */
export function originRelay(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}

function withOriginFirst(configured: readonly string[]): string[] {
  return [...new Set([originRelay(), ...configured])];
}

function readCachedRelays(): string[] {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    if (raw === null) return [];
    const parsed = relayListSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : [];
  } catch {
    // No storage (private mode) or unreadable JSON: the origin alone.
    return [];
  }
}

/** The origin, then the cached server list; available with no network. */
export function knownRelays(): string[] {
  return withOriginFirst(readCachedRelays());
}

/** The REST bases REST calls fail over through (api-failover.ts), in the relays' order. */
export function knownApiBases(): string[] {
  return knownRelays().map(httpBaseOfRelay);
}

/**
 * Remembers the server's relay list (from `GET /api/relays`) and returns the new list, origin
 * first. Without storage the list lasts until the page closes.
 */
export function rememberRelays(relays: readonly string[]): string[] {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(relays));
  } catch {
    // No storage (private mode): kept for this page only, by the caller.
  }
  return withOriginFirst(relays);
}
