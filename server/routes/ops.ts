import { Hono } from 'hono';
import type { Relay } from '../relay/relay';

/** Health for load balancers and operators. No branch data, so no authentication. */
export function opsRoutes(relay: Relay) {
  return new Hono().get('/realtime-health', (c) => {
    const stats = relay.stats();
    return c.json({ ok: true, adapter: 'memory' as const, redisConnected: false, rooms: stats.rooms, connections: stats.connections }, 200);
  });
}
