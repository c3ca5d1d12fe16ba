/**
 * Helpers that act like real devices against a running server: HTTP login/pairing, and the stock
 * y-websocket WebsocketProvider in Node (with `ws`), exactly the protocol's reference client.
 */
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { roomNameForBranch } from '../../shared/protocol';
import { deviceCredentialsSchema, loginAnswerSchema, type DeviceCredentials } from '../../shared/schemas/auth';
import { DEMO_PASSWORD } from '../../server/db/seed';
import { waitFor } from './wait';

export async function login(baseUrl: string, email = 'manager@demo.restoflow.test', password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return loginAnswerSchema.parse(await res.json()).token;
}

export async function pairDevice(
  baseUrl: string,
  sessionToken: string,
  branchId: string,
  kind: 'pos' | 'kds' = 'pos',
): Promise<DeviceCredentials> {
  const res = await fetch(`${baseUrl}/api/devices`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${sessionToken}` },
    body: JSON.stringify({ branchId, kind, name: `${kind} test` }),
  });
  if (res.status !== 201) throw new Error(`pairing failed: ${res.status} ${await res.text()}`);
  return deviceCredentialsSchema.parse(await res.json());
}

export interface TestClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** A stock WebsocketProvider on the branch's room. `doc` may be given to resume a replica. */
export function connectClient(
  baseUrl: string,
  branchId: string,
  token: string | null,
  options: { doc?: Y.Doc; room?: string; ack?: boolean; failoverUrls?: string[] } = {},
): TestClient {
  const doc = options.doc ?? new Y.Doc();
  const params: Record<string, string> = {};
  if (token) params.token = token;
  if (options.ack) params.ack = '1';
  const provider = new WebsocketProvider(
    baseUrl.replace(/^http/, 'ws') + '/sync',
    options.room ?? roomNameForBranch(branchId),
    doc,
    { WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, params, disableBc: true },
  );
  const closes: { code: number; reason: string }[] = [];
  const relays = [baseUrl, ...(options.failoverUrls ?? [])].map((u) => u.replace(/^http/, 'ws') + '/sync');
  let relayIndex = 0;
  provider.on('connection-close', (event) => {
    if (event) closes.push({ code: event.code, reason: event.reason });
    // Given several relay addresses, a client moves to the next one when its socket drops.
    if (relays.length > 1) {
      relayIndex = (relayIndex + 1) % relays.length;
      provider.serverUrl = relays[relayIndex]!;
    }
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
    },
  };
}

export async function waitSynced(client: TestClient, timeoutMs = 10_000): Promise<void> {
  await waitFor(() => client.provider.synced, { timeoutMs });
}

export interface JsonCall {
  method?: string;
  token?: string;
  json?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP request to the server as a device or a manager would make it; the answer as JSON. */
export async function callJson(baseUrl: string, path: string, init: JsonCall = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(baseUrl + path, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}
