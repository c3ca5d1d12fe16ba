/**
 * The ETA_* settings, parsed with zod. Each key is checked on its own so an operator learns every
 * missing or invalid key at once, and reasons are our own words: a zod message could quote the
 * value, and two of these values are secrets that must never reach a log or a terminal.
 *
 * The hosts default per environment (production: id.eta.gov.eg, api.invoicing.eta.gov.eg,
 * invoicing.eta.gov.eg; pre-production inserts `preprod.`); the sandbox has no fixed address, so
 * there the three URLs are required. Outside the sandbox they must be https.
 */
import { z } from 'zod';

export const ETA_ENVIRONMENTS = ['sandbox', 'preprod', 'production'] as const;
export type EtaEnvironment = (typeof ETA_ENVIRONMENTS)[number];

/** Keys whose values are never printed, not even in part. */
export const ETA_SECRET_KEYS = ['ETA_CLIENT_SECRET', 'ETA_POS_PRESHARED_KEY'] as const;

const DEFAULT_HOSTS: Record<Exclude<EtaEnvironment, 'sandbox'>, { identity: string; api: string; portal: string }> = {
  production: { identity: 'https://id.eta.gov.eg', api: 'https://api.invoicing.eta.gov.eg', portal: 'https://invoicing.eta.gov.eg' },
  preprod: {
    identity: 'https://id.preprod.eta.gov.eg',
    api: 'https://api.preprod.invoicing.eta.gov.eg',
    portal: 'https://preprod.invoicing.eta.gov.eg',
  },
};

const httpUrl = z.string().refine((v) => {
  try {
    const url = new URL(v);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
});

/** Each key: its schema and the reason shown when the value does not pass it. */
const KEY_RULES = {
  ETA_ENV: { schema: z.enum(ETA_ENVIRONMENTS), reason: 'expected sandbox, preprod or production' },
  ETA_CLIENT_ID: { schema: z.string().min(1).max(200), reason: 'expected the client id from the ETA portal' },
  ETA_CLIENT_SECRET: { schema: z.string().min(8).max(500), reason: 'expected the client secret from the ETA portal (8 characters or more)' },
  ETA_IDENTITY_URL: { schema: httpUrl, reason: 'expected an http(s) URL without query' },
  ETA_API_URL: { schema: httpUrl, reason: 'expected an http(s) URL without query' },
  ETA_PORTAL_URL: { schema: httpUrl, reason: 'expected an http(s) URL without query' },
  ETA_TAXPAYER_RIN: { schema: z.string().regex(/^\d{9}$/), reason: 'expected the 9-digit registration number' },
  ETA_ACTIVITY_CODE: { schema: z.string().regex(/^\d{4}$/), reason: 'expected a 4-digit activity code (restaurants: 5610)' },
  ETA_BRANCH_CODE: { schema: z.string().regex(/^\d{1,10}$/), reason: 'expected the portal branch id in digits ("0" = head office)' },
  ETA_POS_PRESHARED_KEY: { schema: z.string().min(8).max(500), reason: 'expected the POS pre-shared key (8 characters or more)' },
} as const;
export type EtaKey = keyof typeof KEY_RULES;
export const ETA_KEYS = Object.keys(KEY_RULES) as EtaKey[];
const URL_KEYS = ['ETA_IDENTITY_URL', 'ETA_API_URL', 'ETA_PORTAL_URL'] as const;

export interface EtaConfig {
  environment: EtaEnvironment;
  clientId: string;
  clientSecret: string;
  identityUrl: string;
  apiUrl: string;
  portalUrl: string;
  taxpayerRin: string;
  activityCode: string;
  branchCode: string;
  posPresharedKey: string;
}

export type EtaConfigResult =
  | { ok: true; config: EtaConfig }
  | { ok: false; missing: EtaKey[]; invalid: Array<{ key: EtaKey; reason: string }> };

const trimSlash = (url: string) => url.replace(/\/+$/, '');

export function loadEtaConfig(env: Readonly<Record<string, string | undefined>>): EtaConfigResult {
  const missing: EtaKey[] = [];
  const invalid: Array<{ key: EtaKey; reason: string }> = [];
  const values = new Map<EtaKey, string>();

  const environment = KEY_RULES.ETA_ENV.schema.safeParse(env.ETA_ENV);
  const hasDefaultHosts = environment.success && environment.data !== 'sandbox';
  for (const key of ETA_KEYS) {
    const raw = env[key]?.trim();
    if (!raw) {
      const defaulted = hasDefaultHosts && (URL_KEYS as readonly string[]).includes(key);
      if (!defaulted) missing.push(key);
      continue;
    }
    const rule = KEY_RULES[key];
    if (rule.schema.safeParse(raw).success) values.set(key, raw);
    else invalid.push({ key, reason: rule.reason });
  }

  if (environment.success && environment.data !== 'sandbox') {
    for (const key of URL_KEYS) {
      const url = values.get(key);
      if (url && !url.startsWith('https://')) invalid.push({ key, reason: `expected https in ${environment.data}` });
    }
  }
  if (missing.length || invalid.length || !environment.success) return { ok: false, missing, invalid };

  const env_ = environment.data;
  const defaults = env_ === 'sandbox' ? undefined : DEFAULT_HOSTS[env_];
  const pick = (key: EtaKey) => values.get(key) ?? '';
  return {
    ok: true,
    config: {
      environment: env_,
      clientId: pick('ETA_CLIENT_ID'),
      clientSecret: pick('ETA_CLIENT_SECRET'),
      identityUrl: trimSlash(values.get('ETA_IDENTITY_URL') ?? defaults?.identity ?? ''),
      apiUrl: trimSlash(values.get('ETA_API_URL') ?? defaults?.api ?? ''),
      portalUrl: trimSlash(values.get('ETA_PORTAL_URL') ?? defaults?.portal ?? ''),
      taxpayerRin: pick('ETA_TAXPAYER_RIN'),
      activityCode: pick('ETA_ACTIVITY_CODE'),
      branchCode: pick('ETA_BRANCH_CODE'),
      posPresharedKey: pick('ETA_POS_PRESHARED_KEY'),
    },
  };
}

/** What `eta:check` prints: `ok: true|false`, then non-secret facts or the keys to fix. */
export function describeEtaConfig(result: EtaConfigResult): string[] {
  if (result.ok) {
    const c = result.config;
    return [
      'ok: true',
      `environment: ${c.environment}`,
      `identity: ${c.identityUrl}`,
      `api: ${c.apiUrl}`,
      `portal: ${c.portalUrl}`,
      `taxpayer RIN: ${c.taxpayerRin}, activity ${c.activityCode}, branch ${c.branchCode}`,
    ];
  }
  return [
    'ok: false',
    ...(result.missing.length ? [`missing: ${result.missing.join(', ')}`] : []),
    ...result.invalid.map((i) => `invalid: ${i.key} (${i.reason})`),
  ];
}
