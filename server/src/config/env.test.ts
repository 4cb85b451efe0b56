import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, repoRoot } from './env.js';

/** loadConfig's ConfigError for this environment (fails the test if it loads). */
function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('defaults', () => {
  it('an empty environment gives the development defaults', () => {
    expect(loadConfig({})).toEqual({
      nodeEnv: 'development',
      port: 4000,
      host: undefined,
      databaseUrl: undefined,
      dataDir: path.join(repoRoot, '.data'),
      attachmentsDir: path.join(repoRoot, '.data', 'attachments'),
      embeddedPgPort: undefined,
      seedDemo: true,
      clientDist: path.join(repoRoot, 'client', 'dist'),
      logLevel: 'info',
      sessionIdleMinutes: 120,
      sessionAbsoluteHours: 24,
      loginThrottleMax: 5,
      loginThrottleWindowMinutes: 15,
      socketSessionCheckSeconds: 30,
      smtpUrl: undefined,
      mailFrom: '板橋区 公民連携デスク <renkei-desk@localhost>',
      publicBaseUrl: 'http://localhost:4000',
      mailRetryBaseSeconds: 60,
      mailDigestHour: 8,
      reportDueBusinessDays: 10,
      eventSweepSeconds: 1,
      allowedOrigins: [],
      databaseStatementTimeoutMs: 15_000,
      rateLimits: { mutationsPerPerson: 300, mutationsPerAddress: 1200, signInPerAddress: 60 },
    });
  });

  it('empty strings count as unset', () => {
    const empty = Object.fromEntries(
      ['NODE_ENV', 'PORT', 'HOST', 'DATABASE_URL', 'DATA_DIR', 'EMBEDDED_PG_PORT', 'SEED_DEMO', 'CLIENT_DIST', 'LOG_LEVEL', 'SESSION_IDLE_MINUTES'].map((k) => [k, '']),
    );
    expect(loadConfig(empty)).toEqual(loadConfig({}));
  });

  it('repoRoot is the repository root', () => {
    expect(repoRoot).toBe(path.resolve(import.meta.dirname, '../../..'));
  });

  it('production does not seed demo data by default; test logs at warn', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({ nodeEnv: 'production', seedDemo: false, logLevel: 'info' });
    expect(loadConfig({ NODE_ENV: 'test' })).toMatchObject({ nodeEnv: 'test', seedDemo: true, logLevel: 'warn' });
  });

  it('reads every value that is given', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PORT: '8080',
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgresql://renkei:pw@db.internal:5432/renkei',
      DATA_DIR: '/var/lib/renkei',
      EMBEDDED_PG_PORT: '5433',
      SEED_DEMO: 'YES',
      CLIENT_DIST: '/srv/renkei/client',
      LOG_LEVEL: 'debug',
      SESSION_IDLE_MINUTES: '30',
      SESSION_ABSOLUTE_HOURS: '12',
      LOGIN_THROTTLE_MAX: '10',
      LOGIN_THROTTLE_WINDOW_MINUTES: '60',
      SOCKET_SESSION_CHECK_SECONDS: '5',
      SMTP_URL: 'smtps://desk:pw@smtp.example.jp:465',
      MAIL_FROM: '板橋区 <desk@city.example.jp>',
      PUBLIC_BASE_URL: 'https://renkei.example.jp/',
      MAIL_RETRY_BASE_SECONDS: '30',
      MAIL_DIGEST_HOUR: '7',
      REPORT_DUE_BUSINESS_DAYS: '5',
      EVENT_SWEEP_SECONDS: '10',
      ALLOWED_ORIGINS: 'https://staff.example.jp, http://localhost:5173/',
      DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      RATE_LIMIT_MUTATIONS_PER_PERSON: '100',
      RATE_LIMIT_MUTATIONS_PER_ADDRESS: '400',
      RATE_LIMIT_SIGN_IN_PER_ADDRESS: '20',
    });
    expect(config).toEqual({
      nodeEnv: 'production',
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'postgresql://renkei:pw@db.internal:5432/renkei',
      dataDir: '/var/lib/renkei',
      attachmentsDir: '/var/lib/renkei/attachments',
      embeddedPgPort: 5433,
      seedDemo: true,
      clientDist: '/srv/renkei/client',
      logLevel: 'debug',
      sessionIdleMinutes: 30,
      sessionAbsoluteHours: 12,
      loginThrottleMax: 10,
      loginThrottleWindowMinutes: 60,
      socketSessionCheckSeconds: 5,
      smtpUrl: 'smtps://desk:pw@smtp.example.jp:465',
      mailFrom: '板橋区 <desk@city.example.jp>',
      publicBaseUrl: 'https://renkei.example.jp',
      mailRetryBaseSeconds: 30,
      mailDigestHour: 7,
      reportDueBusinessDays: 5,
      eventSweepSeconds: 10,
      allowedOrigins: ['https://staff.example.jp', 'http://localhost:5173'],
      databaseStatementTimeoutMs: 5000,
      rateLimits: { mutationsPerPerson: 100, mutationsPerAddress: 400, signInPerAddress: 20 },
    });
  });

  it('PUBLIC_BASE_URL defaults to localhost on PORT', () => {
    expect(loadConfig({ PORT: '8080' }).publicBaseUrl).toBe('http://localhost:8080');
  });

  it.each([
    ['1', true],
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['0', false],
    ['false', false],
    ['No', false],
  ])('SEED_DEMO=%s is %s', (raw, value) => {
    expect(loadConfig({ SEED_DEMO: raw }).seedDemo).toBe(value);
  });

  it('PORT accepts the ends of its range', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
    expect(loadConfig({ PORT: '65535' }).port).toBe(65535);
  });
});

describe('bad values', () => {
  // prettier-ignore
  const BAD: [string, string, string][] = [
    ['PORT', 'abc', 'PORT'],
    ['PORT', '70000', 'PORT'],
    ['PORT', '-1', 'PORT'],
    ['PORT', '4000.5', 'PORT'],
    ['EMBEDDED_PG_PORT', '80', 'EMBEDDED_PG_PORT'],
    ['SEED_DEMO', 'maybe', 'SEED_DEMO'],
    ['NODE_ENV', 'staging', 'NODE_ENV'],
    ['NODE_ENV', 'Production', 'NODE_ENV'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL'],
    ['DATABASE_URL', 'mysql://x', 'DATABASE_URL'],
    ['DATABASE_URL', 'not a url', 'DATABASE_URL'],
    ['DATABASE_URL', 'postgres://db.internal:5432', 'DATABASE_URL'],
    ['DATABASE_URL', 'postgres://db.internal:5432/', 'DATABASE_URL'],
    ['SESSION_IDLE_MINUTES', '0', 'SESSION_IDLE_MINUTES'],
    ['SESSION_ABSOLUTE_HOURS', '2161', 'SESSION_ABSOLUTE_HOURS'],
    ['LOGIN_THROTTLE_MAX', '1001', 'LOGIN_THROTTLE_MAX'],
    ['LOGIN_THROTTLE_WINDOW_MINUTES', 'fifteen', 'LOGIN_THROTTLE_WINDOW_MINUTES'],
    ['SOCKET_SESSION_CHECK_SECONDS', '0', 'SOCKET_SESSION_CHECK_SECONDS'],
    ['SOCKET_SESSION_CHECK_SECONDS', '3601', 'SOCKET_SESSION_CHECK_SECONDS'],
    ['SMTP_URL', 'http://smtp.example.jp', 'SMTP_URL'],
    ['SMTP_URL', 'smtp.example.jp:587', 'SMTP_URL'],
    ['MAIL_FROM', 'desk\r\nBcc: x@example.jp', 'MAIL_FROM'],
    ['MAIL_FROM', 'no address', 'MAIL_FROM'],
    ['PUBLIC_BASE_URL', 'ftp://renkei.example.jp', 'PUBLIC_BASE_URL'],
    ['PUBLIC_BASE_URL', 'https://u:p@renkei.example.jp', 'PUBLIC_BASE_URL'],
    ['MAIL_RETRY_BASE_SECONDS', '0', 'MAIL_RETRY_BASE_SECONDS'],
    ['EVENT_SWEEP_SECONDS', '0', 'EVENT_SWEEP_SECONDS'],
    ['MAIL_DIGEST_HOUR', '24', 'MAIL_DIGEST_HOUR'],
    ['REPORT_DUE_BUSINESS_DAYS', '0', 'REPORT_DUE_BUSINESS_DAYS'],
  ];
  it.each(BAD)('%s=%j is one problem naming the variable', (name, value, mentioned) => {
    const error = configError({ [name]: value });
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(mentioned);
    expect(error.message).toContain(error.problems[0]);
  });

  it('every problem is listed at once', () => {
    const error = configError({ PORT: 'abc', SEED_DEMO: 'maybe', NODE_ENV: 'staging', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SESSION_IDLE_MINUTES: '-5' });
    const names = ['NODE_ENV', 'PORT', 'DATABASE_URL', 'SEED_DEMO', 'LOG_LEVEL', 'SESSION_IDLE_MINUTES'];
    expect(error.problems).toHaveLength(names.length);
    for (const name of names) {
      expect(error.problems.filter((p) => p.startsWith(name)), name).toHaveLength(1);
      expect(error.message).toContain(name);
    }
    expect(error.message.startsWith('Invalid configuration:')).toBe(true);
  });

  it('PORT=70000 states the allowed range', () => {
    expect(configError({ PORT: '70000' }).problems[0]).toBe('PORT must be a whole number from 0 to 65535 (got "70000")');
  });

  it.each([
    'mysql://renkei:Hunter2-s3cret@db.internal/renkei',
    'postgres://renkei:Hunter2-s3cret@db.internal:5432',
    'postgres://renkei:Hunter2-s3cret@db.internal:5432/',
    'postgres://renkei:Hunter2-s3cret@db internal/renkei',
  ])('a refused DATABASE_URL never echoes its password: %s', (url) => {
    const error = configError({ DATABASE_URL: url, PORT: 'abc' });
    expect(error.problems).toHaveLength(2);
    const everything = `${error.message}\n${error.problems.join('\n')}\n${error.stack ?? ''}\n${JSON.stringify(error)}`;
    expect(everything).not.toContain('Hunter2-s3cret');
    expect(everything).not.toContain('Hunter2');
    expect(everything).toContain('DATABASE_URL');
  });
});

it.each(['http://desk:Hunter2-s3cret@smtp.example.jp', 'smtp://desk:Hunter2-s3cret@smtp example.jp:587'])('a refused SMTP_URL never echoes its password: %s', (url) => {
  const error = configError({ SMTP_URL: url });
  const everything = `${error.message}\n${error.problems.join('\n')}\n${error.stack ?? ''}\n${JSON.stringify(error)}`;
  expect(everything).not.toContain('Hunter2');
  expect(everything).toContain('SMTP_URL');
});

describe('numbers are digits only', () => {
  it.each([' ', '0x10', '1e3', '4000.0', '-1', '40 00'])('PORT=%j is refused rather than read as some other number', (raw) => {
    expect(() => loadConfig({ PORT: raw })).toThrow(ConfigError);
  });
});

describe('ATTACHMENTS_DIR', () => {
  it('is read when given, and refused inside the served client files', () => {
    expect(loadConfig({ ATTACHMENTS_DIR: '/srv/files' }).attachmentsDir).toBe('/srv/files');
    expect(configError({ CLIENT_DIST: '/srv/client', ATTACHMENTS_DIR: '/srv/client/uploads' }).problems).toEqual([expect.stringContaining('ATTACHMENTS_DIR')]);
    expect(configError({ CLIENT_DIST: '/srv/client', ATTACHMENTS_DIR: '/srv/client' }).problems).toHaveLength(1);
  });
});

describe('hardening settings', () => {
  it('rate limits are off under NODE_ENV=test unless set', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).rateLimits).toEqual({ mutationsPerPerson: 0, mutationsPerAddress: 0, signInPerAddress: 0 });
    expect(loadConfig({ NODE_ENV: 'test', RATE_LIMIT_SIGN_IN_PER_ADDRESS: '3' }).rateLimits.signInPerAddress).toBe(3);
  });

  it.each(['renkei.example.jp', 'https://renkei.example.jp/path', 'ftp://renkei.example.jp', '*'])('ALLOWED_ORIGINS refuses %j, which is not an origin', (item) => {
    expect(configError({ ALLOWED_ORIGINS: `https://ok.example.jp,${item}` }).problems).toEqual([expect.stringContaining('ALLOWED_ORIGINS')]);
  });

  it('DATABASE_STATEMENT_TIMEOUT_MS is a whole number of milliseconds, 0 for none', () => {
    expect(loadConfig({ DATABASE_STATEMENT_TIMEOUT_MS: '0' }).databaseStatementTimeoutMs).toBe(0);
    expect(configError({ DATABASE_STATEMENT_TIMEOUT_MS: '15s' }).problems).toEqual([expect.stringContaining('DATABASE_STATEMENT_TIMEOUT_MS')]);
  });
});
