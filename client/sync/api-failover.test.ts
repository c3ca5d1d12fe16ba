import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApiFailover } from './api-failover';

/**
 * REST failover against real local HTTP servers (SCALE-05): a stopped one refuses connections
 * exactly as a killed relay's port does, so fetch throws as it would in the browser.
 */

interface Relay {
  base: string;
  /** Requests it answered: method, path and body. */
  seen: string[];
  /** The status it answers with. */
  status: number;
  stop(): Promise<void>;
  /** Listens again on the same port (the relay came back). */
  restart(): Promise<void>;
}

async function startRelay(port = 0): Promise<Relay> {
  let server: Server | undefined;
  const relay: Relay = {
    base: '',
    seen: [],
    status: 200,
    stop: () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())),
    restart: () => listen(Number(new URL(relay.base).port)),
  };
  const listen = (onPort: number) =>
    new Promise<void>((resolve, reject) => {
      server = createServer((request, response) => {
        let body = '';
        request.on('data', (chunk: Buffer) => (body += chunk.toString()));
        request.on('end', () => {
          relay.seen.push(`${request.method} ${request.url} ${body}`.trim());
          response.writeHead(relay.status, { 'content-type': 'application/json', connection: 'close' });
          response.end(JSON.stringify({ from: relay.base }));
        });
      });
      server.once('error', reject);
      server.listen(onPort, '127.0.0.1', () => {
        relay.base = `http://127.0.0.1:${(server!.address() as AddressInfo).port}`;
        resolve();
      });
    });
  await listen(port);
  return relay;
}

const get: RequestInit = { method: 'GET', cache: 'no-store' };
const post = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const from = async (response: Response) => ((await response.json()) as { from: string }).from;

let relays: Relay[] = [];
beforeEach(async () => {
  relays = [await startRelay(), await startRelay(), await startRelay()];
});
afterEach(async () => {
  await Promise.all(relays.map((r) => r.stop()));
  vi.unstubAllGlobals();
});

describe('[SCALE-05] REST calls fail over between relays', () => {
  it('moves on from a relay that takes the connection but never answers (its machine is gone), after the attempt timeout', async () => {
    // A TCP port that accepts and then says nothing, as a relay behind a dead machine's
    // half-open connection or a hung process does: fetch alone would wait minutes.
    const held: Socket[] = [];
    const silent = createTcpServer((socket) => held.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const silentBase = `http://127.0.0.1:${(silent.address() as AddressInfo).port}`;
    try {
      const [relay2] = relays as [Relay];
      const failover = createApiFailover(() => [silentBase, relay2.base], { attemptTimeoutMs: 300 });
      const started = performance.now();
      expect(await from(await failover.fetch('/api/catalog', get, { isReplaySafe: true }))).toBe(relay2.base);
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(failover.currentBase()).toBe(relay2.base);
      // A call the caller cancels is still the caller's: it is not taken for a dead relay.
      const cancelled = new AbortController();
      const pending = createApiFailover(() => [silentBase, relay2.base], { attemptTimeoutMs: 10_000 }).fetch(
        '/api/catalog',
        { ...get, signal: cancelled.signal },
        { isReplaySafe: true },
      );
      cancelled.abort();
      await expect(pending).rejects.toThrow();
      expect(relay2.seen).toEqual(['GET /api/catalog']);
    } finally {
      for (const socket of held) socket.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('goes to the next relay when its own is down, and stays there for later calls', async () => {
    const [origin, relay2, relay3] = relays as [Relay, Relay, Relay];
    const failover = createApiFailover(() => [origin.base, relay2.base, relay3.base]);
    expect(await from(await failover.fetch('/api/catalog', get, { isReplaySafe: true }))).toBe(origin.base);

    await origin.stop();
    expect(await from(await failover.fetch('/api/catalog', get, { isReplaySafe: true }))).toBe(relay2.base);
    expect(failover.currentBase()).toBe(relay2.base);
    // The origin is back, but the device stays on the relay that answered: no walk per call.
    await origin.restart();
    expect(await from(await failover.fetch('/api/shifts/current', get, { isReplaySafe: true }))).toBe(relay2.base);
    expect(origin.seen).toEqual(['GET /api/catalog']);

    // relay 2 dies too: the walk goes on round the list (relay 3), then back to the origin.
    await relay2.stop();
    expect(await from(await failover.fetch('/api/catalog', get, { isReplaySafe: true }))).toBe(relay3.base);
    await relay3.stop();
    expect(await from(await failover.fetch('/api/catalog', get, { isReplaySafe: true }))).toBe(origin.base);
  });

  it('does not fail over on an HTTP error: a 500 or a 409 is the answer', async () => {
    const [origin, relay2] = relays as [Relay, Relay];
    const failover = createApiFailover(() => [origin.base, relay2.base]);
    origin.status = 500;
    expect((await failover.fetch('/api/catalog', get, { isReplaySafe: true })).status).toBe(500);
    origin.status = 409;
    expect((await failover.fetch('/api/shifts', post({ id: 'a' }), { isReplaySafe: true })).status).toBe(409);
    expect(relay2.seen).toEqual([]);
    expect(failover.currentBase()).toBe(origin.base);
  });

  it('re-sends a replay-safe POST, body and all, to the next relay', async () => {
    const [origin, relay2] = relays as [Relay, Relay];
    const failover = createApiFailover(() => [origin.base, relay2.base]);
    await origin.stop();
    const response = await failover.fetch('/api/branches/cairo/shifts', post({ id: 'shift-1', floatMinor: 500 }), { isReplaySafe: true });
    expect(await from(response)).toBe(relay2.base);
    expect(relay2.seen).toEqual(['POST /api/branches/cairo/shifts {"id":"shift-1","floatMinor":500}']);
  });

  it('never re-sends any other POST, but its next call goes to the next relay', async () => {
    const [origin, relay2] = relays as [Relay, Relay];
    const failover = createApiFailover(() => [origin.base, relay2.base]);
    await origin.stop();
    await expect(failover.fetch('/api/devices', post({ name: 'tablet' }), { isReplaySafe: false })).rejects.toThrow();
    expect(relay2.seen).toEqual([]);
    // The person tries again: that is their decision, and it goes to the relay that may answer.
    expect(failover.currentBase()).toBe(relay2.base);
    expect(await from(await failover.fetch('/api/devices', post({ name: 'tablet' }), { isReplaySafe: false }))).toBe(relay2.base);
    expect(relay2.seen).toEqual(['POST /api/devices {"name":"tablet"}']);
  });

  it('throws when no relay answers (offline), and keeps its current relay', async () => {
    const [origin, relay2] = relays as [Relay, Relay];
    const failover = createApiFailover(() => [origin.base, relay2.base]);
    await origin.stop();
    await failover.fetch('/api/catalog', get, { isReplaySafe: true });
    await relay2.stop();
    await expect(failover.fetch('/api/catalog', get, { isReplaySafe: true })).rejects.toThrow();
    expect(failover.currentBase()).toBe(relay2.base);
  });

  it('stops at once when the caller aborted: a cancelled request is not a dead relay', async () => {
    const [origin, relay2] = relays as [Relay, Relay];
    const failover = createApiFailover(() => [origin.base, relay2.base]);
    const controller = new AbortController();
    controller.abort();
    await expect(failover.fetch('/api/catalog', { ...get, signal: controller.signal }, { isReplaySafe: true })).rejects.toThrow();
    expect(relay2.seen).toEqual([]);
    expect(failover.currentBase()).toBe(origin.base);
  });

  it('follows a changed list: a current relay no longer listed means the origin first', async () => {
    const [origin, relay2, relay3] = relays as [Relay, Relay, Relay];
    let bases = [origin.base, relay2.base];
    const failover = createApiFailover(() => bases);
    await origin.stop();
    await failover.fetch('/api/catalog', get, { isReplaySafe: true });
    await origin.restart();
    bases = [origin.base, relay3.base];
    expect(await from(await failover.fetch('/api/catalog', get, { isReplaySafe: true }))).toBe(origin.base);
  });
});

describe('[SCALE-05] the API client on a page whose relay died', () => {
  it("sends its calls to the cached relays' HTTP bases (ws → http), GETs and replay-safe POSTs only", async () => {
    const [origin, relay2] = relays as [Relay, Relay];
    const storage = new Map<string, string>([['restoflow.relays', JSON.stringify([`ws://${new URL(relay2.base).host}`])]]);
    vi.stubGlobal('location', { protocol: 'http:', host: new URL(origin.base).host });
    vi.stubGlobal('localStorage', { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => void storage.set(key, value) });
    // A fresh module: its current base starts at the origin.
    vi.resetModules();
    const { requestJson, requestNoContent } = await import('./api-client');
    const { z } = await import('zod');
    const answer = z.object({ from: z.string() });
    await origin.stop();

    // a GET, and then a replay-safe POST, reach relay 2
    expect(await requestJson('/api/branches/cairo/catalog', answer, { token: 'dev_x' })).toEqual({ ok: true, value: { from: relay2.base } });
    expect(await requestJson('/api/branches/cairo/customers', answer, { method: 'POST', token: 'dev_x', body: { phone: '0100' }, isReplaySafe: true })).toEqual({
      ok: true,
      value: { from: relay2.base },
    });
    expect(relay2.seen).toEqual(['GET /api/branches/cairo/catalog', 'POST /api/branches/cairo/customers {"phone":"0100"}']);

    // relay 2 dies and the origin is back: a POST that is not replay-safe (logout) fails as
    // offline and is not re-sent to the origin
    await relay2.stop();
    await origin.restart();
    expect(await requestNoContent('/api/auth/logout', { method: 'POST', token: 'ses_x' })).toEqual({ ok: false, failure: { kind: 'network' } });
    expect(origin.seen).toEqual([]);
  });
});
