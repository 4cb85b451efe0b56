import { loadConfig, type Config } from '../src/config/env.js';
import { createLogger } from '../src/logging/logger.js';
import { startPlatform, type RunningPlatform } from '../src/http/platform.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export interface TestServer {
  db: TestDatabase;
  platform: RunningPlatform;
  config: Config;
  httpUrl: string;
  wsUrl: string;
  stop(): Promise<void>;
}

/** The real platform on a free port over a fresh database, as a client would reach it. */
export async function startTestServer(overrides: Record<string, string> = {}, db?: TestDatabase): Promise<TestServer> {
  const database = db ?? (await createTestDatabase());
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', CLIENT_DIST: '/nonexistent', ...overrides });
  const platform = await startPlatform(config, database.orm, database.url, createLogger(config.logLevel));
  return {
    db: database,
    platform,
    config,
    httpUrl: `http://127.0.0.1:${platform.port}/graphql`,
    wsUrl: `ws://127.0.0.1:${platform.port}/graphql`,
    async stop() {
      await platform.stop();
      if (!db) await database.dispose();
    },
  };
}
