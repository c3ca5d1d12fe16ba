/**
 * Which ETA the running server talks to, from the ETA_* settings (FIS-30): with none set, or
 * ETA_ENV=sandbox without ETA_API_URL, the project's ETA sandbox is started in-process on a free
 * 127.0.0.1 port, exactly as `eta:smoke` does, so `npm start` issues, verifies and submits demo
 * receipts end to end; otherwise the configured ETA (settings as `eta:check` parses them).
 * Production is refused unless the operator says so: its receipts are real tax documents.
 */
import { DEMO_TAXPAYER_RIN } from '../db/fiscal-device-queries';
import { createEtaClient, type EtaClient } from './eta-client';
import { describeEtaConfig, ETA_KEYS, loadEtaConfig, type EtaConfig } from './eta-config';
import { startEtaSandbox, type RunningEtaSandbox, type SandboxConfig } from './eta-sandbox';

/** Sandbox values for the keys an operator did not set (the URLs become the sandbox's own). */
export const SANDBOX_DEFAULTS: Readonly<Record<string, string>> = {
  ETA_ENV: 'sandbox',
  ETA_CLIENT_ID: 'sandbox-client',
  ETA_CLIENT_SECRET: 'sandbox-secret',
  ETA_IDENTITY_URL: 'http://127.0.0.1',
  ETA_API_URL: 'http://127.0.0.1',
  ETA_PORTAL_URL: 'http://127.0.0.1',
  ETA_TAXPAYER_RIN: DEMO_TAXPAYER_RIN,
  ETA_ACTIVITY_CODE: '5610',
  ETA_BRANCH_CODE: '0',
  ETA_POS_PRESHARED_KEY: 'sandbox-preshared-key',
};

export interface EtaRuntime {
  config: EtaConfig;
  client: EtaClient;
  /** Set when the sandbox runs in this process (tests reach its state through it). */
  sandbox: RunningEtaSandbox | null;
  describe: string;
  close(): Promise<void>;
}

export interface EtaRuntimeOptions {
  /** Faults etc. for the in-process sandbox (tests). */
  sandbox?: Partial<SandboxConfig>;
  allowProduction?: boolean;
  timeoutMs?: number;
}

export async function startEtaRuntime(env: Readonly<Record<string, string | undefined>>, options: EtaRuntimeOptions = {}): Promise<EtaRuntime> {
  const etaEnv = Object.fromEntries(ETA_KEYS.map((k) => [k, env[k]?.trim() || undefined]));
  const anySet = Object.values(etaEnv).some((v) => v !== undefined);
  const inProcess = !anySet || (etaEnv.ETA_ENV === 'sandbox' && etaEnv.ETA_API_URL === undefined);
  const parsed = loadEtaConfig(
    inProcess
      ? { ...SANDBOX_DEFAULTS, ...Object.fromEntries(Object.entries(etaEnv).filter(([k, v]) => v !== undefined && !k.endsWith('_URL'))) }
      : etaEnv,
  );
  if (!parsed.ok) throw new Error(`ETA settings incomplete or invalid: ${describeEtaConfig(parsed).slice(1).join('; ')}`);
  const config = { ...parsed.config };
  if (config.environment === 'production' && !options.allowProduction) {
    throw new Error('ETA_ENV=production needs allowProduction (receipts there are real tax documents)');
  }
  let sandbox: RunningEtaSandbox | null = null;
  if (inProcess) {
    sandbox = await startEtaSandbox(
      {
        clients: [{ clientId: config.clientId, clientSecret: config.clientSecret, rin: config.taxpayerRin }],
        presharedKey: config.posPresharedKey,
        ...options.sandbox,
      },
      { port: 0, host: '127.0.0.1' },
    );
    config.identityUrl = config.apiUrl = config.portalUrl = sandbox.url;
  }
  const client = createEtaClient({
    identityUrl: config.identityUrl, apiUrl: config.apiUrl, clientId: config.clientId, clientSecret: config.clientSecret,
    posPresharedKey: config.posPresharedKey, timeoutMs: options.timeoutMs ?? 15_000,
  });
  const host = (url: string) => {
    try {
      return new URL(url).host;
    } catch {
      return '?';
    }
  };
  return {
    config,
    client,
    sandbox,
    describe: sandbox ? `ETA sandbox (in-process) ${sandbox.url}` : `ETA ${config.environment} ${host(config.apiUrl)}`,
    close: async () => {
      await sandbox?.close();
    },
  };
}
