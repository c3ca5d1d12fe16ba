import { Hono } from 'hono';
import type { Relay } from '../relay/relay';

/** Health for load balancers and operators. No branch data, so no authentication. */
export function opsRoutes(relay: Relay) {
  return new Hono().get('/realtime-health', (c) => {
    const stats = relay.stats();
    const isHealthy = stats.adapter === 'memory' || stats.busConnected;
    return c.json(
      { ok: isHealthy, adapter: stats.adapter, redisConnected: stats.busConnected, rooms: stats.rooms, connections: stats.connections },
      isHealthy ? 200 : 503,
    );
  });
}
