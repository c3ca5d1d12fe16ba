/**
 * The relay list devices fail over through (SCALE-05, docs/PROTOCOL.md "Several relays:
 * failover"): RELAY_URLS is parsed at start-up, and GET /api/relays hands it to devices.
 * The failover itself, in the tablet app, is in tests/e2e/relay-failover.e2e.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import type { Database } from '../../server/db/database';
import { startServer, type RunningServer } from '../../server/server';
import { relayListAnswerSchema } from '../../shared/schemas/relays';
import { callJson, login, pairDevice } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';

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
    await server?.close();
    await db?.close();
    await testDb?.destroy();
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
});
