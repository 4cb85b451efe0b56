import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './paths.ts';

// `pg` is a dependency of the server package (pnpm's strict layout: resolve it from there).
const requireFromServer = createRequire(join(repoRoot, 'server', 'package.json'));

type PgClient = {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
};
type PgModule = { Client: new (config: { connectionString: string }) => PgClient };

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

async function withClient<T>(url: string, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const { Client } = requireFromServer('pg') as PgModule;
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Creates a fresh, empty database `e2e_<random>` on the server that `baseUrl` points at, with a
 * UTF-8 ctype (Japanese search needs it), and returns its URL.
 */
export async function createTestDatabase(baseUrl: string): Promise<TestDatabase> {
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  await withClient(baseUrl, (c) =>
    c.query(
      `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`,
    ),
  );
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    drop: () => withClient(baseUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
