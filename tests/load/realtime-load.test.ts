/**
 * The load harness in short form (the figures come from the long runs in docs/PERFORMANCE.md):
 * it must connect every client, see every edit reach the room's other clients, and count what
 * the relay refuses as a connection failure rather than as a success.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface LoadSummary {
  target: string;
  client: string;
  connectionFailures: number;
  droppedConnections: number;
  edits: number;
  deliveries: number;
  expectedDeliveries: number;
  latencyMs: { p50: number; p99: number };
}

async function load(...args: string[]): Promise<LoadSummary> {
  const { stdout } = await run('npm', ['run', '-s', 'load:realtime:node', '--', '--clients', '20', '--rooms', '2', '--seconds', '3', '--interval-ms', '1000', ...args], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  // The summary is the last thing printed: one pretty-printed JSON object.
  return JSON.parse(stdout.slice(stdout.indexOf('\n{\n') + 1)) as LoadSummary;
}

describe('npm run load:realtime:node (short form)', () => {
  // Two of the 20 clients (one in each room) get a token the relay does not know: they must be
  // counted as connection failures, and every edit of the 18 others must reach its room's 8 peers.
  it.each(['light', 'stock'])('[SYNC-01][SYNC-03][SYNC-16] %s clients on our relay: refused ones counted as failures, every edit of the others delivered', async (client) => {
    const summary = await load('--client', client, '--invalid-tokens', '2');
    expect(summary).toMatchObject({ target: 'ours', client, connectionFailures: 2, droppedConnections: 0 });
    expect(summary.edits).toBeGreaterThan(18);
    expect(summary.expectedDeliveries).toBe(summary.edits * 8);
    expect(summary.deliveries).toBe(summary.expectedDeliveries);
  }, 120_000);

  it('light clients against the stock @y/websocket-server baseline: every edit delivered (its echo of a client’s own edit not counted)', async () => {
    const summary = await load('--client', 'light', '--target', 'baseline');
    expect(summary).toMatchObject({ target: 'baseline', client: 'light', connectionFailures: 0, droppedConnections: 0 });
    expect(summary.expectedDeliveries).toBe(summary.edits * 9);
    expect(summary.deliveries).toBe(summary.expectedDeliveries);
  }, 120_000);
});
