/**
 * The relay list devices fail over through (SCALE-05, docs/PROTOCOL.md "Several relays:
 * failover"): RELAY_URLS is parsed at start-up, and GET /api/relays hands it to devices. The
 * relays' own pages may call any relay's API (CORS), so REST calls can fail over too; no other
 * origin may. The failover itself, in the tablet app, is in tests/e2e/relay-failover.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relayOrigins } from '../../server/app';
import { loadConfig } from '../../server/config';
import type { Database } from '../../server/db/database';
import { startServer, type RunningServer } from '../../server/server';
import { relayListAnswerSchema } from '../../shared/schemas/relays';
import { callJson, login, pairDevice } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { stopTestDatabase } from '../support/server';

describe('[SCALE-05] RELAY_URLS', () => {
  it('is read as a list of ws(s):// bases, trailing slashes dropped; unset means none', () => {
    expect(loadConfig({}).relayUrls).toEqual([]);
    expect(loadConfig({ RELAY_URLS: ' wss://relay-1.example.com/ , ws://10.0.0.2:8080,wss://edge.example.com/rf ' }).relayUrls).toEqual([
      'wss://relay-1.example.com',
      'ws://10.0.0.2:8080',
      'wss://edge.example.com/rf',
    ]);
  });

  it.each([
    ['an http address', 'http://relay-1.example.com'],
    ['a query string', 'wss://relay-1.example.com?token=x'],
    ['no host', 'wss://'],
    ['not a URL', 'relay-1'],
  ])('refuses %s at start-up', (_what, value) => {
    expect(() => loadConfig({ RELAY_URLS: value })).toThrow(/RELAY_URLS/);
  });

  it('gives the browser origins of the relays: ws → http, wss → https, no path, no default port', () => {
    expect(relayOrigins(['ws://10.0.0.2:8080', 'wss://edge.example.com/rf', 'wss://relay-1.example.com:443', 'WS://Relay-3.example.com'])).toEqual([
      'http://10.0.0.2:8080',
      'https://edge.example.com',
      'https://relay-1.example.com',
      'http://relay-3.example.com',
    ]);
  });
});

describe.each(engines())('[SCALE-05] GET /api/relays on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  const relays = ['ws://127.0.0.1:9001', 'wss://relay-2.example.com'];

  beforeAll(async () => {
    testDb = await engine.create();
    db = await testDb.open();
    server = await startServer({ db, log: () => undefined, relayUrls: relays });
  });
  afterAll(async () => {
    await stopTestDatabase({ server, db, testDb });
  });

  it('gives a paired device the configured relays', async () => {
    const manager = await login(server.url);
    const device = await pairDevice(server.url, manager, 'cairo', 'pos');
    const answer = await callJson(server.url, '/api/relays', { token: device.token });
    expect(answer.status).toBe(200);
    expect(relayListAnswerSchema.parse(answer.body)).toEqual({ relays });
  });

  it('refuses a caller without a valid token (401)', async () => {
    expect((await callJson(server.url, '/api/relays')).status).toBe(401);
    expect((await callJson(server.url, '/api/relays', { token: 'dev_not-a-real-token-at-all' })).status).toBe(401);
  });

  // What a browser sends before a cross-origin request carrying Authorization and X-Staff-Id.
  const preflight = (origin: string, path = '/api/branches/cairo/shifts') =>
    fetch(server.url + path, {
      method: 'OPTIONS',
      headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'authorization,content-type,x-staff-id' },
    });

  it("lets the relays' own pages call this relay's API (CORS preflight and answer, errors included)", async () => {
    for (const origin of ['http://127.0.0.1:9001', 'https://relay-2.example.com']) {
      const asked = await preflight(origin);
      expect(asked.status).toBe(204);
      expect(asked.headers.get('access-control-allow-origin')).toBe(origin);
      expect(asked.headers.get('access-control-allow-methods')).toContain('POST');
      expect(asked.headers.get('access-control-allow-headers')).toBe('authorization,content-type,x-staff-id');
    }
    const manager = await login(server.url);
    const device = await pairDevice(server.url, manager, 'cairo', 'pos');
    const answered = await fetch(`${server.url}/api/relays`, { headers: { Origin: 'http://127.0.0.1:9001', authorization: `Bearer ${device.token}` } });
    expect(answered.status).toBe(200);
    expect(answered.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:9001');
    // An HTTP error must reach the page as one (not as a network failure, which would fail over).
    const refused = await fetch(`${server.url}/api/relays`, { headers: { Origin: 'https://relay-2.example.com' } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe('https://relay-2.example.com');
  });

  it('gives any other origin no Access-Control-Allow-Origin (not *), and nothing outside /api', async () => {
    // another port of a relay's host, a relay's scheme unconverted, another site
    for (const origin of ['http://127.0.0.1:9002', 'ws://127.0.0.1:9001', 'http://relay-2.example.com', 'https://evil.example.com']) {
      const asked = await preflight(origin);
      expect(asked.headers.get('access-control-allow-origin')).toBeNull();
      const answered = await fetch(`${server.url}/api/relays`, { headers: { Origin: origin } });
      expect(answered.status).toBe(401);
      expect(answered.headers.get('access-control-allow-origin')).toBeNull();
    }
    const page = await fetch(`${server.url}/sync-status`, { headers: { Origin: 'http://127.0.0.1:9001' } });
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });
});
