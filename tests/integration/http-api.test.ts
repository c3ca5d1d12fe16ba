import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSchema } from '../../shared/schemas/catalog';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { login, pairDevice } from '../support/clients';

describe.each(engines())('HTTP API on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let mona: string;
  let hany: string;

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    mona = await login(server.url);
    hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
  });
  afterAll(async () => {
    await stopTestDatabase({ server, db, testDb });
  });

  const call = (path: string, init: RequestInit & { token?: string; json?: unknown } = {}) =>
    fetch(server.url + path, {
      ...init,
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });

  it('[AUTH-01] logs a manager in with the right password and refuses a wrong one', async () => {
    const wrong = await call('/api/auth/login', { method: 'POST', json: { email: 'manager@demo.restoflow.test', password: 'nope' } });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toMatchObject({ error: { code: 'invalid-credentials' } });
    const unknown = await call('/api/auth/login', { method: 'POST', json: { email: 'nobody@x.test', password: 'nope' } });
    expect(unknown.status).toBe(401);
  });

  it('[AUTH-02] answers a malformed body with 400 and the offending fields', async () => {
    const res = await call('/api/auth/login', { method: 'POST', json: { email: 'not-an-email' } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation-failed');
    expect(body.error.details.map((d) => d.path).sort()).toEqual(['email', 'password']);
    const notJson = await fetch(server.url + '/api/auth/login', { method: 'POST', body: '{', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).toBe(400);
  });

  it('[AUTH-03] refuses every data route without a token, and after logout', async () => {
    expect((await call('/api/branches')).status).toBe(401);
    expect((await call('/api/branches/cairo/catalog')).status).toBe(401);
    const session = await login(server.url);
    expect((await call('/api/branches', { token: session })).status).toBe(200);
    expect((await call('/api/auth/logout', { method: 'POST', token: session })).status).toBe(204);
    expect((await call('/api/branches', { token: session })).status).toBe(401);
  });

  it('[AUTH-04] lists only the branches a manager may see', async () => {
    const res = await call('/api/branches', { token: hany });
    expect(((await res.json()) as { branches: { id: string }[] }).branches.map((b) => b.id)).toEqual(['cairo']);
    const all = await call('/api/branches', { token: mona });
    expect(((await all.json()) as { branches: { id: string }[] }).branches.map((b) => b.id)).toEqual(['alex', 'cairo']);
  });

  it('[AUTH-05] pairs a device only for a branch the manager has', async () => {
    const ok = await pairDevice(server.url, hany, 'cairo');
    expect(ok.token).toMatch(/^dev_/);
    const refused = await call('/api/devices', { method: 'POST', token: hany, json: { branchId: 'alex', kind: 'pos', name: 'T' } });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'branch-forbidden' } });
    const bad = await call('/api/devices', { method: 'POST', token: hany, json: { branchId: 'cairo', kind: 'toaster', name: '' } });
    expect(bad.status).toBe(400);
  });

  it('[AUTH-06] a device may not pair devices or review settlement', async () => {
    const device = await pairDevice(server.url, mona, 'cairo');
    const pair = await call('/api/devices', { method: 'POST', token: device.token, json: { branchId: 'cairo', kind: 'pos', name: 'T' } });
    expect(pair.status).toBe(403);
    expect((await call('/api/branches/cairo/settlement-rejections', { token: device.token })).status).toBe(403);
  });

  it('[AUTH-07] serves a branch catalog to its own devices only', async () => {
    const cairoTablet = await pairDevice(server.url, mona, 'cairo');
    const res = await call('/api/branches/cairo/catalog', { token: cairoTablet.token });
    expect(res.status).toBe(200);
    const catalog = catalogSchema.parse(await res.json());
    expect(catalog.tables.length).toBeGreaterThanOrEqual(12);
    expect(catalog.items.length).toBeGreaterThanOrEqual(25);
    expect(catalog.modifierGroups.some((g) => g.minSelect >= 1)).toBe(true);
    expect(catalog.tax).toEqual({ vatRateBp: 1400, serviceChargeRateBp: 1200 });
    expect(catalog.staff.map((s) => s.role).sort()).toEqual(expect.arrayContaining(['kitchen', 'manager', 'waiter']));
    const other = await call('/api/branches/alex/catalog', { token: cairoTablet.token });
    expect(other.status).toBe(403);
    expect((await call('/api/branches/nowhere/catalog', { token: mona })).status).toBe(403);
  });

  it('[AUTH-08] an unpaired device is refused at once', async () => {
    const device = await pairDevice(server.url, mona, 'cairo');
    expect((await call('/api/devices/me', { token: device.token })).status).toBe(200);
    expect((await call(`/api/devices/${device.id}`, { method: 'DELETE', token: mona })).status).toBe(204);
    const after = await call('/api/devices/me', { token: device.token });
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: { code: 'device-revoked' } });
  });

  it('reports realtime health without authentication', async () => {
    const res = await call('/api/ops/realtime-health');
    expect(await res.json()).toMatchObject({ ok: true, adapter: 'memory', redisConnected: false });
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await call('/api/nope', { token: mona });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ error: { code: 'not-found' } });
  });
});
