import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: server/src/config → ../../.. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

export type NodeEnv = 'development' | 'production' | 'test';

/** Everything the server reads from the environment, parsed and validated once at start. */
export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string | undefined;
  /** An external PostgreSQL; when absent the server starts an embedded one under dataDir. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Where attachment bytes are kept (local disk storage); never inside clientDist. */
  attachmentsDir: string;
  embeddedPgPort: number | undefined;
  seedDemo: boolean;
  clientDist: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** A session ends after this long without use. */
  sessionIdleMinutes: number;
  /** A session ends this long after login, however active. */
  sessionAbsoluteHours: number;
  /** Failed logins per e-mail address within loginThrottleWindowMinutes before refusing. */
  loginThrottleMax: number;
  loginThrottleWindowMinutes: number;
  /** How often open websockets are checked against their sessions (idle, expired, or ended elsewhere). */
  socketSessionCheckSeconds: number;
  /** An external SMTP server (smtp:// or smtps://); when absent mail goes to a local catcher started with the platform. */
  smtpUrl: string | undefined;
  /** The From of every mail. */
  mailFrom: string;
  /** Where people reach the app, for absolute links in mail; no trailing slash. */
  publicBaseUrl: string;
  /** A failed mail is retried after this × 2^(attempts−1), at most × 60. */
  mailRetryBaseSeconds: number;
  /** The Tokyo hour (0–23) from which each day's mail digests go out. */
  mailDigestHour: number;
  /** A partnership's report is due soon when its agreed term ends within this many business days. */
  reportDueBusinessDays: number;
  /** The event feed looks for events a lost wake-up (NOTIFY) left behind this often. */
  eventSweepSeconds: number;
  /** Origins besides the server's own (and PUBLIC_BASE_URL's) from which browsers may post and open websockets. */
  allowedOrigins: string[];
  /** The platform's database statements are cancelled after this long (0: never). */
  databaseStatementTimeoutMs: number;
  /** Per-minute budgets of mutations per person and per address, and of login/registration per address (0: unlimited). */
  rateLimits: RateLimits;
}

export interface RateLimits {
  mutationsPerPerson: number;
  mutationsPerAddress: number;
  signInPerAddress: number;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
}

type Env = Record<string, string | undefined>;

function readInt(env: Env, name: string, fallback: number | undefined, min: number, max: number, problems: string[]): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  // Digits only: Number() would also take ' ' (as 0), '0x10' and '1e3'.
  const value = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return fallback;
  }
  return value;
}

function readBool(env: Env, name: string, fallback: boolean, problems: string[]): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false (got "${raw}")`);
  return fallback;
}

function readEnum<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  problems.push(`${name} must be one of ${allowed.join(', ')} (got "${raw}")`);
  return fallback;
}

function readDatabaseUrl(env: Env, problems: string[]): string | undefined {
  const raw = env.DATABASE_URL;
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error('protocol');
    if (!url.pathname || url.pathname === '/') throw new Error('database');
    return raw;
  } catch {
    // Never echo the value: it may hold a password.
    problems.push('DATABASE_URL must look like postgres://user@host:5432/database');
    return undefined;
  }
}

function readSmtpUrl(env: Env, problems: string[]): string | undefined {
  const raw = env.SMTP_URL;
  if (raw === undefined || raw === '') return undefined;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') throw new Error('protocol');
    if (!url.hostname) throw new Error('host');
    return raw;
  } catch {
    // Never echo the value: it may hold a password.
    problems.push('SMTP_URL must look like smtp://user:password@host:587 or smtps://host:465');
    return undefined;
  }
}

function readMailFrom(env: Env, problems: string[]): string {
  const raw = env.MAIL_FROM;
  if (raw === undefined || raw === '') return '板橋区 公民連携デスク <renkei-desk@localhost>';
  if (/[\r\n]/.test(raw) || !/@/.test(raw) || raw.length > 200) {
    problems.push('MAIL_FROM must be one address like "名前 <desk@example.jp>" on one line');
    return raw.replace(/[\r\n]/g, ' ');
  }
  return raw.trim();
}

function readPublicBaseUrl(env: Env, port: number, problems: string[]): string {
  const raw = env.PUBLIC_BASE_URL;
  if (raw === undefined || raw === '') return `http://localhost:${port}`;
  try {
    const url = new URL(raw);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
    if (url.username || url.password || url.search || url.hash) throw new Error('extras');
    return url.toString().replace(/\/+$/, '');
  } catch {
    problems.push('PUBLIC_BASE_URL must be an http(s) URL like https://renkei.example.jp, without credentials, query or fragment');
    return `http://localhost:${port}`;
  }
}

/** ALLOWED_ORIGINS: comma-separated http(s) origins, e.g. https://renkei.example.jp,https://staff.example.jp */
function readAllowedOrigins(env: Env, problems: string[]): string[] {
  const raw = env.ALLOWED_ORIGINS;
  if (raw === undefined || raw.trim() === '') return [];
  const origins: string[] = [];
  for (const item of raw.split(',').map((part) => part.trim()).filter(Boolean)) {
    try {
      const url = new URL(item);
      if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== item.replace(/\/+$/, '')) throw new Error('not an origin');
      origins.push(url.origin);
    } catch {
      problems.push(`ALLOWED_ORIGINS must list origins like https://renkei.example.jp, separated by commas (got "${item}")`);
    }
  }
  return origins;
}

/** ATTACHMENTS_DIR, by default <DATA_DIR>/attachments: uploaded files must never be served as client files. */
function readAttachmentsDir(env: Env, dataDir: string, clientDist: string, problems: string[]): string {
  const dir = path.resolve(env.ATTACHMENTS_DIR || path.join(dataDir, 'attachments'));
  const relative = path.relative(clientDist, dir);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    problems.push(`ATTACHMENTS_DIR must not be inside the served client files (${clientDist})`);
  }
  return dir;
}

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const nodeEnv = readEnum(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development', problems);
  const dataDir = path.resolve(env.DATA_DIR || path.join(repoRoot, '.data'));
  const clientDist = path.resolve(env.CLIENT_DIST || path.join(repoRoot, 'client', 'dist'));
  const port = readInt(env, 'PORT', 4000, 0, 65535, problems)!;
  const config: Config = {
    nodeEnv,
    port,
    host: env.HOST || undefined,
    databaseUrl: readDatabaseUrl(env, problems),
    dataDir,
    attachmentsDir: readAttachmentsDir(env, dataDir, clientDist, problems),
    embeddedPgPort: readInt(env, 'EMBEDDED_PG_PORT', undefined, 1024, 65535, problems),
    seedDemo: readBool(env, 'SEED_DEMO', nodeEnv !== 'production', problems),
    clientDist,
    logLevel: readEnum(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, nodeEnv === 'test' ? 'warn' : 'info', problems),
    sessionIdleMinutes: readInt(env, 'SESSION_IDLE_MINUTES', 120, 1, 60 * 24 * 30, problems)!,
    sessionAbsoluteHours: readInt(env, 'SESSION_ABSOLUTE_HOURS', 24, 1, 24 * 90, problems)!,
    loginThrottleMax: readInt(env, 'LOGIN_THROTTLE_MAX', 5, 1, 1000, problems)!,
    loginThrottleWindowMinutes: readInt(env, 'LOGIN_THROTTLE_WINDOW_MINUTES', 15, 1, 24 * 60, problems)!,
    socketSessionCheckSeconds: readInt(env, 'SOCKET_SESSION_CHECK_SECONDS', 30, 1, 3600, problems)!,
    smtpUrl: readSmtpUrl(env, problems),
    mailFrom: readMailFrom(env, problems),
    publicBaseUrl: readPublicBaseUrl(env, port, problems),
    mailRetryBaseSeconds: readInt(env, 'MAIL_RETRY_BASE_SECONDS', 60, 1, 3600, problems)!,
    eventSweepSeconds: readInt(env, 'EVENT_SWEEP_SECONDS', 1, 1, 3600, problems)!,
    mailDigestHour: readInt(env, 'MAIL_DIGEST_HOUR', 8, 0, 23, problems)!,
    reportDueBusinessDays: readInt(env, 'REPORT_DUE_BUSINESS_DAYS', 10, 1, 60, problems)!,
    allowedOrigins: readAllowedOrigins(env, problems),
    databaseStatementTimeoutMs: readInt(env, 'DATABASE_STATEMENT_TIMEOUT_MS', 15_000, 0, 3_600_000, problems)!,
    // Off in tests unless a test sets them: hundreds of mutations a minute from one address is what tests do.
    rateLimits: {
      mutationsPerPerson: readInt(env, 'RATE_LIMIT_MUTATIONS_PER_PERSON', nodeEnv === 'test' ? 0 : 300, 0, 1_000_000, problems)!,
      mutationsPerAddress: readInt(env, 'RATE_LIMIT_MUTATIONS_PER_ADDRESS', nodeEnv === 'test' ? 0 : 1200, 0, 1_000_000, problems)!,
      signInPerAddress: readInt(env, 'RATE_LIMIT_SIGN_IN_PER_ADDRESS', nodeEnv === 'test' ? 0 : 60, 0, 1_000_000, problems)!,
    },
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
