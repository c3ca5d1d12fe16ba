/**
 * The Hono application: REST API under /api, and (when `staticDir` is given) the built PWA with
 * a fallback to index.html for client-side routes. The relay is attached to the HTTP server
 * separately (server.ts) because WebSocket upgrades bypass Hono.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Database } from './db/database';
import { onError, problemResponse } from './http/problem';
import type { Relay } from './relay/relay';
import { auditRoutes } from './routes/audit';
import { authRoutes } from './routes/auth';
import { branchRoutes } from './routes/branches';
import { customerRoutes } from './routes/customers';
import { deviceRoutes } from './routes/devices';
import { fiscalRoutes } from './routes/fiscal';
import type { FiscalService } from './fiscal/fiscal-service';
import { opsRoutes } from './routes/ops';
import { refundRoutes } from './routes/refunds';
import { httpBaseOfRelay } from '../shared/schemas/relays';
import { relayRoutes } from './routes/relays';
import { shiftRoutes } from './routes/shifts';
import { createPinGuard } from './auth/staff-approval';
import { stationRoutes } from './routes/stations';

export interface AppDeps {
  db: Database;
  relay: Relay;
  corsOrigins?: string[];
  staticDir?: string;
  /** ETA submission (fiscal/fiscal-service.ts); the fiscal pages read the database without it. */
  fiscal?: FiscalService | null;
  /** A manager changed a branch's kitchen station printers (kitchen printing re-reads them). */
  onStationsChanged?: (branchId: string) => void;
  /** RELAY_URLS: relays devices may fail over to, served by GET /api/relays. */
  relayUrls?: readonly string[];
}

/**
 * The browser origins of the relays' own pages: `ws:` → `http:`, `wss:` → `https:`, host and
 * port only (an Origin header carries no path; a default port is dropped as browsers do).
 */
export function relayOrigins(relayUrls: readonly string[]): string[] {
  return relayUrls.map((relay) => new URL(httpBaseOfRelay(relay)).origin);
}

export function createApp(deps: AppDeps) {
  // Wrong manager PINs typed on tablets, counted per device for shifts and refunds alike.
  const pinGuard = createPinGuard();
  const api = new Hono()
    .route('/auth', authRoutes(deps.db, { onSessionEnded: (hash) => deps.relay.disconnectSession(hash) }))
    .route('/devices', deviceRoutes(deps.db, { onDeviceRevoked: (id) => deps.relay.disconnectDevice(id) }))
    .route('/branches', branchRoutes(deps.db))
    .route('/fiscal', fiscalRoutes(deps.db, deps.fiscal ?? null))
    .route('/branches/:branchId/customers', customerRoutes(deps.db))
    .route('/branches/:branchId/stations', stationRoutes(deps.db, { onChanged: (branchId) => deps.onStationsChanged?.(branchId) }))
    .route('/branches/:branchId/shifts', shiftRoutes(deps.db, pinGuard))
    .route('/branches/:branchId/refunds', refundRoutes(deps.db, pinGuard))
    .route('/branches/:branchId/audit', auditRoutes(deps.db))
    .route('/ops', opsRoutes(deps.relay))
    .route('/relays', relayRoutes(deps.db, deps.relayUrls ?? []));

  const app = new Hono();
  app.onError(onError);
  // A page served by one relay calls the others' API after a failover (client/sync/api-failover.ts),
  // with an Authorization header, so the browser asks first (preflight): every relay of
  // RELAY_URLS is an allowed origin, next to CORS_ORIGINS. A listed origin only, never `*`.
  const allowedOrigins = [...new Set([...(deps.corsOrigins ?? []), ...relayOrigins(deps.relayUrls ?? [])])];
  if (allowedOrigins.length) app.use('/api/*', cors({ origin: allowedOrigins, credentials: false }));
  app.route('/api', api);
  app.all('/api/*', (c) => problemResponse(c, 'not-found', 'No such endpoint.'));

  const staticDir = deps.staticDir;
  if (staticDir && existsSync(join(staticDir, 'index.html'))) {
    const indexHtml = readFileSync(join(staticDir, 'index.html'), 'utf8');
    app.use('*', async (c, next) => {
      await next();
      // The service worker and the page shell must always be revalidated, or an update never lands.
      if (/\/(sw\.js|index\.html|registerSW\.js|manifest\.webmanifest)?$/.test(c.req.path)) {
        c.header('cache-control', 'no-cache');
      }
    });
    app.use('*', serveStatic({ root: staticDir }));
    app.get('*', (c) => c.html(indexHtml));
  }
  return app;
}

export type AppType = ReturnType<typeof createApp>;
