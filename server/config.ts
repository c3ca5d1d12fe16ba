/** Environment variables, parsed once with zod so a typo fails at start-up with a clear message. */
import { z } from 'zod';
import { DEFAULT_ROTATION_POLICY, type RotationPolicy } from './relay/rotation';
import { DAILY_AT_PATTERN, isKnownTimeZone } from './relay/business-day';
import { relayListSchema } from '../shared/schemas/relays';
import { DEFAULT_GROUP_COMMIT_MS } from './db/document-store';
import { DEFAULT_COMPACTION_POLICY } from './relay/compaction';
import type { ServerOptions } from './server';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((v) => v === 'true' || v === '1');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z
    .string()
    .regex(/^(postgres(ql)?:\/\/.+)?$/, 'expected postgres://… or empty')
    .optional(),
  DATA_DIR: z.string().default('./data'),
  CORS_ORIGINS: z.string().optional(),
  SOCKET_REDIS_ENABLED: booleanFlag,
  SOCKET_REDIS_URL: z.string().optional(),
  // Bounded live documents (server/relay/rotation.ts, docs/PROTOCOL.md "Rotation").
  ROOM_ROTATION_ENABLED: booleanFlag.default(true),
  ROOM_ROTATE_DOCUMENT_KB: z.coerce.number().int().min(16).max(65_536).default(192),
  ROOM_ROTATE_LOG_KB: z.coerce.number().int().min(64).max(1_048_576).default(2_048),
  ROOM_ROTATE_SETTLED_ORDERS: z.coerce.number().int().min(1).max(1_000_000).default(1_000),
  ROOM_ARCHIVE_SETTLED: booleanFlag.default(true),
  // Business-day rotation ("off" disables it), background compaction of the stored update log,
  // and retention of retired generations (0 keeps them): docs/PROTOCOL.md "Rotation".
  ROOM_ROTATE_DAILY_AT: z
    .string()
    .regex(new RegExp(`${DAILY_AT_PATTERN.source}|^off$`), 'expected HH:MM (00:00–23:59) or off')
    .default('04:00'),
  BRANCH_TIME_ZONE: z.string().refine(isKnownTimeZone, 'expected an IANA time zone such as Africa/Cairo').default('Africa/Cairo'),
  ROOM_COMPACT_AFTER_ROWS: z.coerce.number().int().min(2).max(1_000_000).default(DEFAULT_COMPACTION_POLICY.afterRows),
  ROOM_COMPACT_AFTER_KB: z.coerce.number().int().min(1).max(1_048_576).default(DEFAULT_COMPACTION_POLICY.afterKB),
  ROOM_RETAIN_RETIRED_DAYS: z.coerce.number().int().min(0).max(3_650).default(7),
  // How long a busy relay lets stored updates gather into one INSERT: the whole of it while several
  // rooms share each INSERT, half otherwise (server/db/document-store.ts, groupCommitWaitMs).
  ROOM_GROUP_COMMIT_MS: z.coerce.number().int().min(0).max(100).default(DEFAULT_GROUP_COMMIT_MS),
  // Relays devices may fail over to (docs/PROTOCOL.md "Several relays: failover"): comma-separated
  // ws(s):// base URLs, handed to devices by GET /api/relays.
  RELAY_URLS: z
    .string()
    .default('')
    .transform((list) => list.split(',').map((s) => s.trim()).filter(Boolean))
    .pipe(relayListSchema),
});

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  corsOrigins: string[];
  /** Set when relays share rooms through Redis. */
  redisUrl: string | undefined;
  /** When live rooms are archived and rotated; undefined with ROOM_ROTATION_ENABLED=false. */
  rotation: RotationPolicy | undefined;
  /** Relay base URLs (ws:// or wss://) a device may sync through; empty: the app's origin only. */
  relayUrls: string[];
  /** Longest wait of a busy relay's group commit (ROOM_GROUP_COMMIT_MS). */
  groupCommitMs: number;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${problems}`);
  }
  const e = parsed.data;
  if (e.SOCKET_REDIS_ENABLED && !e.SOCKET_REDIS_URL) {
    throw new Error('invalid environment: SOCKET_REDIS_ENABLED=true needs SOCKET_REDIS_URL (redis://host:6379)');
  }
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL || undefined,
    dataDir: e.DATA_DIR,
    redisUrl: e.SOCKET_REDIS_ENABLED ? e.SOCKET_REDIS_URL : undefined,
    corsOrigins: (e.CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    rotation: e.ROOM_ROTATION_ENABLED
      ? {
          ...DEFAULT_ROTATION_POLICY,
          maxDocumentKB: e.ROOM_ROTATE_DOCUMENT_KB,
          maxLogKB: e.ROOM_ROTATE_LOG_KB,
          maxSettledOrders: e.ROOM_ROTATE_SETTLED_ORDERS,
          archiveSettled: e.ROOM_ARCHIVE_SETTLED,
          dailyAt: e.ROOM_ROTATE_DAILY_AT === 'off' ? null : e.ROOM_ROTATE_DAILY_AT,
          timeZone: e.BRANCH_TIME_ZONE,
          compaction: { afterRows: e.ROOM_COMPACT_AFTER_ROWS, afterKB: e.ROOM_COMPACT_AFTER_KB },
          retainRetiredDays: e.ROOM_RETAIN_RETIRED_DAYS,
        }
      : undefined,
    relayUrls: e.RELAY_URLS,
    groupCommitMs: e.ROOM_GROUP_COMMIT_MS,
  };
}

/**
 * The server options the environment decides. `npm start`, the tests' product process and the
 * load test's relay all start the server from these, so a new setting reaches every one of them
 * (the load relay once ran without the rotation policy `npm start` uses).
 */
export function serverOptionsFrom(
  config: Config,
): Pick<ServerOptions, 'port' | 'host' | 'corsOrigins' | 'redisUrl' | 'rotation' | 'relayUrls' | 'groupCommitMs'> {
  return {
    port: config.port,
    host: config.host,
    corsOrigins: config.corsOrigins,
    ...(config.redisUrl ? { redisUrl: config.redisUrl } : {}),
    ...(config.rotation ? { rotation: config.rotation } : {}),
    relayUrls: config.relayUrls,
    groupCommitMs: config.groupCommitMs,
  };
}
