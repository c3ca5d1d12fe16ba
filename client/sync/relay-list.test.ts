import { beforeEach, describe, expect, it, vi } from 'vitest';
import { knownRelays } from './relay-list';
import { refreshRelays } from './server-api';

// A page served by relay 1 over https, with a fresh localStorage for every test.
const storage = new Map<string, string>();
beforeEach(() => {
  storage.clear();
  vi.stubGlobal('location', { protocol: 'https:', host: 'relay-1.example.com' });
  vi.stubGlobal('localStorage', {
    getItem: (key: string) => storage.get(key) ?? null,
    setItem: (key: string, value: string) => void storage.set(key, value),
  });
});

const answering = (status: number, body: unknown) =>
  vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } }));

describe('[SCALE-05] the relays a device knows', () => {
  it('is its own origin alone until the server has named others', () => {
    expect(knownRelays()).toEqual(['wss://relay-1.example.com']);
  });

  it('puts the origin first, drops duplicates, and remembers the list for a start with no network', async () => {
    answering(200, { relays: ['wss://relay-2.example.com', 'wss://relay-1.example.com/'] });
    expect(await refreshRelays('dev_token')).toEqual(['wss://relay-1.example.com', 'wss://relay-2.example.com']);
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(knownRelays()).toEqual(['wss://relay-1.example.com', 'wss://relay-2.example.com']);
  });

  it('keeps the remembered list when the server cannot be asked or refuses', async () => {
    answering(200, { relays: ['wss://relay-2.example.com'] });
    await refreshRelays('dev_token');
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
    expect(await refreshRelays('dev_token')).toBeNull();
    answering(401, { error: { code: 'unauthenticated', message: 'Sign in first.' } });
    expect(await refreshRelays('dev_token')).toBeNull();
    expect(knownRelays()).toEqual(['wss://relay-1.example.com', 'wss://relay-2.example.com']);
  });

  it('ignores a server answer or a stored value that is not a list of ws(s):// relays', async () => {
    answering(200, { relays: ['https://relay-2.example.com'] });
    expect(await refreshRelays('dev_token')).toBeNull();
    storage.set('restoflow.relays', '{not json');
    expect(knownRelays()).toEqual(['wss://relay-1.example.com']);
    storage.set('restoflow.relays', JSON.stringify(['wss://relay-2.example.com?x=1']));
    expect(knownRelays()).toEqual(['wss://relay-1.example.com']);
  });
});
