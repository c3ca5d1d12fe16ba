import { Hono } from 'hono';
import type { RelayListAnswer } from '../../shared/schemas/relays';
import type { Database } from '../db/database';
import { authenticate, type AppEnv } from '../http/middleware';

/**
 * Where devices may sync (docs/PROTOCOL.md "Several relays: failover"): the relays configured
 * with `RELAY_URLS`. A device caches the list and, when its relay drops, moves to the next one.
 * Any valid token may ask (no branch data), but not an anonymous caller: the list is the
 * deployment's internal topology.
 */
export function relayRoutes(db: Database, relayUrls: readonly string[]) {
  return new Hono<AppEnv>().use(authenticate(db)).get('/', (c) => {
    const answer: RelayListAnswer = { relays: [...relayUrls] };
    return c.json(answer, 200);
  });
}
