/**
 * `npm run eta:sandbox -- [--port 0] [--seed 1] [--config sandbox.json]`: runs the ETA sandbox.
 * Credentials come from the ETA_* variables when set (so `eta:check` and the queue agree with
 * it), else from sandbox defaults printed at start. Fault options mirror `sandboxConfigSchema`:
 * --latency-ms 50-200, --server-error-rate 0.1, --server-error-after-rate 0.05,
 * --throttle-rate 0.1, --retry-after 1, --token-expiry-rate 0.05, --rejection-rate 0.01,
 * --token-lifetime 3600. A JSON --config file gives the whole configuration instead.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { sandboxConfigSchema, startEtaSandbox, type SandboxConfig } from './eta-sandbox';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    seed: { type: 'string' },
    config: { type: 'string' },
    'latency-ms': { type: 'string' },
    'server-error-rate': { type: 'string' },
    'server-error-after-rate': { type: 'string' },
    'throttle-rate': { type: 'string' },
    'retry-after': { type: 'string' },
    'token-expiry-rate': { type: 'string' },
    'rejection-rate': { type: 'string' },
    'token-lifetime': { type: 'string' },
  },
  strict: true,
});

const num = z.coerce.number();
const optionalNumber = (text: string | undefined) => (text === undefined ? undefined : num.parse(text));
const latency = values['latency-ms']?.split('-').map((n) => num.parse(n));

const fromFlags: SandboxConfig = {
  clients: [
    {
      clientId: process.env.ETA_CLIENT_ID || 'sandbox-client',
      clientSecret: process.env.ETA_CLIENT_SECRET || 'sandbox-secret',
      rin: process.env.ETA_TAXPAYER_RIN || '123456789',
    },
  ],
  presharedKey: process.env.ETA_POS_PRESHARED_KEY || 'sandbox-preshared-key',
  ...(values.seed ? { seed: num.parse(values.seed) } : {}),
  ...(values['token-lifetime'] ? { tokenLifetimeSeconds: num.parse(values['token-lifetime']) } : {}),
  faults: {
    ...(latency ? { latencyMs: { min: latency[0] ?? 0, max: latency[1] ?? latency[0] ?? 0 } } : {}),
    serverErrorRate: optionalNumber(values['server-error-rate']),
    serverErrorAfterProcessingRate: optionalNumber(values['server-error-after-rate']),
    throttleRate: optionalNumber(values['throttle-rate']),
    retryAfterSeconds: optionalNumber(values['retry-after']),
    tokenExpiryRate: optionalNumber(values['token-expiry-rate']),
    rejectionRate: optionalNumber(values['rejection-rate']),
  },
};
const config = sandboxConfigSchema.parse(values.config ? JSON.parse(readFileSync(values.config, 'utf8')) : fromFlags);

const sandbox = await startEtaSandbox(config, { port: num.int().min(0).max(65_535).parse(values.port), host: values.host });
const client = config.clients[0];
console.log(`ETA sandbox listening on ${sandbox.url}`);
console.log(`  ETA_IDENTITY_URL=${sandbox.url} ETA_API_URL=${sandbox.url} ETA_CLIENT_ID=${client?.clientId} ETA_TAXPAYER_RIN=${client?.rin}`);
console.log('  (client secret and pre-shared key: the ETA_* values you set, or the sandbox defaults in eta-sandbox-cli.ts)');

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
