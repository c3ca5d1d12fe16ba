/**
 * The tablet app's sync (client/sync/branch-sync.ts) follows a room rotation: it moves to the
 * next generation once its own changes are stored, keeps what it made offline on the old one,
 * remembers the generation across restarts, and deletes the old generation's local copy.
 * Runs the real client module in Node: IndexedDB from fake-indexeddb, WebSocket from `ws`, and
 * the few browser globals it reads (window events, navigator.onLine, location, localStorage).
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { addLine, readOrder } from '../../shared/live-doc';
import { roomNameForBranch } from '../../shared/protocol';
import type { Catalog } from '../../shared/schemas/catalog';
import { loadCatalog } from '../../server/db/catalog-queries';
import type { Database } from '../../server/db/database';
import type { RunningServer } from '../../server/server';
import { acquireBranchSync, type BranchSyncSnapshot } from '../../client/sync/branch-sync';
import { login, pairDevice } from '../support/clients';
import { engines, type TestDatabase } from '../support/db';
import { serveTestDatabase, stopTestDatabase } from '../support/server';
import { lineFor, placePaidOrder } from '../support/orders';
import { waitFor } from '../support/wait';

const browser = { online: true };
const storage = new Map<string, string>();
const windowEvents = new EventTarget();
/** Stubbed only once the server runs: PGlite takes a `window` global for a browser. */
const stubBrowser = (host: string) => {
  vi.stubGlobal('window', windowEvents);
  vi.stubGlobal('navigator', { get onLine() { return browser.online; } });
  vi.stubGlobal('location', { protocol: 'http:', host });
  vi.stubGlobal('WebSocket', WebSocket);
  vi.stubGlobal('localStorage', {
    getItem: (k: string) => storage.get(k) ?? null,
    setItem: (k: string, v: string) => void storage.set(k, v),
    removeItem: (k: string) => void storage.delete(k),
  });
};

const setOnline = (isOnline: boolean) => {
  browser.online = isOnline;
  windowEvents.dispatchEvent(new Event(isOnline ? 'online' : 'offline'));
};

describe.each(engines())('tablet sync across a rotation on $name', (engine) => {
  let testDb: TestDatabase;
  let db: Database;
  let server: RunningServer;
  let cairo: Catalog;
  let token: string;

  beforeAll(async () => {
    ({ testDb, db, server } = await serveTestDatabase(engine));
    stubBrowser(new URL(server.url).host);
    cairo = (await loadCatalog(db, 'cairo'))!;
    token = (await pairDevice(server.url, await login(server.url), 'cairo', 'pos')).token;
    // Each engine is a new server: the rooms' local copies of the previous one must go.
    storage.clear();
    for (const { name } of await indexedDB.databases()) {
      if (name?.startsWith('branch.')) {
        await new Promise((resolve, reject) => {
          const request = indexedDB.deleteDatabase(name);
          request.onsuccess = resolve;
          request.onerror = reject;
        });
      }
    }
  }, 120_000);
  afterAll(async () => {
    vi.unstubAllGlobals();
    await stopTestDatabase({ server, db, testDb });
  });

  it('[ROT-06] the tablet moves to the next generation with the lines it added offline, and remembers it', async () => {
    const first = acquireBranchSync('cairo', token);
    const snap = (): BranchSyncSnapshot => first.sync.getSnapshot();
    await waitFor(() => snap().isReady && snap().status === 'online');
    expect(snap().room).toBe(roomNameForBranch('cairo'));
    const orderId = placePaidOrder(snap().doc, cairo, { tableIndex: 0, pay: false });
    await waitFor(() => snap().pendingCount === 0);
    const oldDoc = snap().doc;

    setOnline(false);
    await waitFor(() => snap().status === 'offline');
    const next = await server.relay.rotate(roomNameForBranch('cairo'));
    const offlineLine = lineFor(cairo, 'kofta');
    addLine(snap().doc, orderId, offlineLine); // made offline, on the old generation
    await waitFor(() => snap().pendingCount > 0);

    setOnline(true);
    await waitFor(() => snap().room === next, { timeoutMs: 15_000 });
    expect(snap().doc).not.toBe(oldDoc);
    const read = readOrder(snap().doc, orderId);
    expect(read.ok && read.value.lines.map((l) => l.id)).toContain(offlineLine.id);
    await waitFor(() => snap().status === 'online' && snap().pendingCount === 0);
    expect(storage.get('restoflow.liveRoom.cairo')).toBe(next);
    // The old generation's local copy is gone; the new one is kept.
    await waitFor(async () => {
      const names = (await indexedDB.databases()).map((d) => d.name);
      return !names.includes(roomNameForBranch('cairo')) && names.includes(next);
    });

    // Edits now go to the new generation.
    const newLine = lineFor(cairo, 'hummus');
    addLine(snap().doc, orderId, newLine);
    const nextRoom = await server.relay.room(next);
    await waitFor(() => {
      const stored = readOrder(nextRoom.doc, orderId);
      return stored.ok && stored.value.lines.some((l) => l.id === newLine.id);
    });
    await waitFor(() => snap().pendingCount === 0);
    first.release();
    // The sync is torn down 2 s after its last user leaves (RELEASE_DELAY_MS); let it go first.
    await new Promise((r) => setTimeout(r, 2_500));
  });
});
