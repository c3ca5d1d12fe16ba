/**
 * The customers API [CUS-01…04]: branch-scoped, permission-checked lookup by phone, the list a
 * tablet caches, and save-by-phone (an upsert, so a tablet re-sending an offline customer is
 * harmless). Real server, real database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerAnswerSchema, customerListAnswerSchema } from '../../shared/schemas/customer';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { login, pairDevice } from '../support/clients';

describe.each(engines())('customers API on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let mona: string;
  let hany: string;
  let cairoTablet: string;
  let alexTablet: string;
  let kitchen: string;

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    mona = await login(server.url);
    hany = await login(server.url, 'cairo.manager@demo.restoflow.test');
    cairoTablet = (await pairDevice(server.url, mona, 'cairo')).token;
    alexTablet = (await pairDevice(server.url, mona, 'alex')).token;
    kitchen = (await pairDevice(server.url, mona, 'cairo', 'kds')).token;
  });
  afterAll(async () => {
    await stopTestDatabase({ server, db, testDb });
  });

  const call = (path: string, init: { method?: string; token?: string; json?: unknown } = {}) =>
    fetch(server.url + path, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });

  it('[CUS-01] a tablet creates a customer, then saving the same phone updates it (name, address first, no duplicates)', async () => {
    const created = await call('/api/branches/cairo/customers', {
      method: 'POST', token: cairoTablet, json: { phone: '01001234567', name: 'Nour Adel', address: '12 Tahrir St, flat 3' },
    });
    expect(created.status).toBe(201);
    const first = customerAnswerSchema.parse(await created.json()).customer;
    expect(first).toMatchObject({ branchId: 'cairo', phone: '01001234567', name: 'Nour Adel', addresses: ['12 Tahrir St, flat 3'] });
    expect(first.id).toMatch(/^cus_/);

    const again = await call('/api/branches/cairo/customers', {
      method: 'POST', token: cairoTablet, json: { phone: '01001234567', name: 'Nour A.', address: '5 Nile Corniche' },
    });
    expect(again.status).toBe(200);
    const second = customerAnswerSchema.parse(await again.json()).customer;
    expect(second).toMatchObject({ id: first.id, name: 'Nour A.', addresses: ['5 Nile Corniche', '12 Tahrir St, flat 3'] });

    // the replay of an offline save changes nothing but the order of addresses
    const replay = await call('/api/branches/cairo/customers', {
      method: 'POST', token: cairoTablet, json: { phone: '01001234567', name: 'Nour A.', address: '5 Nile Corniche' },
    });
    expect(customerAnswerSchema.parse(await replay.json()).customer.addresses).toEqual(['5 Nile Corniche', '12 Tahrir St, flat 3']);
    const { rows } = await db.query<{ n: string | number }>(`select count(*) as n from customers where phone = '01001234567'`);
    expect(Number(rows[0]!.n)).toBe(1);
  });

  it('[CUS-02] looks a customer up by phone and lists the branch’s customers for the tablet cache', async () => {
    const found = await call('/api/branches/cairo/customers?phone=01001234567', { token: cairoTablet });
    expect(found.status).toBe(200);
    expect(customerListAnswerSchema.parse(await found.json()).customers.map((c) => c.name)).toEqual(['Nour A.']);
    const missing = await call('/api/branches/cairo/customers?phone=01119999999', { token: cairoTablet });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'not-found' } });

    await call('/api/branches/cairo/customers', { method: 'POST', token: hany, json: { phone: '+201234567890', name: 'Karim Said', address: null } });
    const list = customerListAnswerSchema.parse(await (await call('/api/branches/cairo/customers', { token: cairoTablet })).json());
    expect(list.customers.map((c) => c.phone).sort()).toEqual(['+201234567890', '01001234567']);

    const byId = await call(`/api/branches/cairo/customers/${list.customers[0]!.id}`, { token: cairoTablet });
    expect(byId.status).toBe(200);
  });

  it('[CUS-02] a manager updates a customer’s name and addresses', async () => {
    const list = customerListAnswerSchema.parse(await (await call('/api/branches/cairo/customers', { token: hany })).json());
    const karim = list.customers.find((c) => c.name === 'Karim Said')!;
    const patched = await call(`/api/branches/cairo/customers/${karim.id}`, {
      method: 'PATCH', token: hany, json: { name: 'Karim S.', addresses: ['Zamalek, 26 July St'] },
    });
    expect(patched.status).toBe(200);
    expect(customerAnswerSchema.parse(await patched.json()).customer).toMatchObject({ name: 'Karim S.', addresses: ['Zamalek, 26 July St'] });
    const empty = await call(`/api/branches/cairo/customers/${karim.id}`, { method: 'PATCH', token: hany, json: {} });
    expect(empty.status).toBe(400);
    const unknown = await call('/api/branches/cairo/customers/cus_nope', { method: 'PATCH', token: hany, json: { name: 'X' } });
    expect(unknown.status).toBe(404);
  });

  it('[CUS-03][CUS-04] refuses no token, other branches, the kitchen screen and malformed input', async () => {
    expect((await call('/api/branches/cairo/customers')).status).toBe(401);
    expect((await call('/api/branches/cairo/customers', { method: 'POST', json: { phone: '0100000000', name: 'A' } })).status).toBe(401);

    const otherBranch = await call('/api/branches/alex/customers', { token: cairoTablet });
    expect(otherBranch.status).toBe(403);
    expect(await otherBranch.json()).toMatchObject({ error: { code: 'branch-forbidden' } });
    expect((await call('/api/branches/alex/customers', { method: 'POST', token: hany, json: { phone: '0100000000', name: 'A' } })).status).toBe(403);
    // Alexandria sees none of Cairo's customers, even by id
    const cairoList = customerListAnswerSchema.parse(await (await call('/api/branches/cairo/customers', { token: mona })).json());
    expect((await call(`/api/branches/alex/customers/${cairoList.customers[0]!.id}`, { token: alexTablet })).status).toBe(404);
    expect(customerListAnswerSchema.parse(await (await call('/api/branches/alex/customers', { token: alexTablet })).json()).customers).toEqual([]);

    const kds = await call('/api/branches/cairo/customers', { token: kitchen });
    expect(kds.status).toBe(403);
    expect(await kds.json()).toMatchObject({ error: { code: 'forbidden', details: { permission: 'customers:read' } } });
    const kdsWrite = await call('/api/branches/cairo/customers', { method: 'POST', token: kitchen, json: { phone: '0100000000', name: 'A' } });
    expect(kdsWrite.status).toBe(403);

    const bad = await call('/api/branches/cairo/customers', { method: 'POST', token: cairoTablet, json: { phone: 'call me', name: '', extra: 1 } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
    expect(body.error.code).toBe('validation-failed');
    expect(body.error.details.map((d) => d.path)).toEqual(expect.arrayContaining(['phone', 'name']));
    expect((await call('/api/branches/cairo/customers?phone=abc', { token: cairoTablet })).status).toBe(400);
  });
});
