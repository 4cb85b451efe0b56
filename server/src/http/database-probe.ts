import pg from 'pg';

/** How long /healthz waits for the database before answering that it is unavailable. */
export const DATABASE_PROBE_TIMEOUT_MS = 2000;

export interface DatabaseProbe {
  /** True when the database answered `select 1` within the bound. */
  reachable(): Promise<boolean>;
  close(): Promise<void>;
}

/**
 * The health check's own connection, apart from the ORM's pool: a database that stopped answering
 * (frozen, or a network gone silent) must not hold /healthz, nor take request connections with it.
 * One probe at a time: concurrent checks share its answer, so a hung database costs one
 * connection, not one per check. A connection that timed out is discarded.
 */
export function databaseProbe(databaseUrl: string, timeoutMs = DATABASE_PROBE_TIMEOUT_MS): DatabaseProbe {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs, idleTimeoutMillis: 30_000 });
  pool.on('error', () => undefined); // an idle probe connection dropped by a restart: the next check opens another
  let inFlight: Promise<boolean> | null = null;
  const check = async (): Promise<boolean> => {
    let timer: NodeJS.Timeout | undefined;
    // The pool's own timeouts bound connecting and the query; this bounds everything else (a stuck TLS or auth exchange).
    const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs + 250)));
    try {
      return await Promise.race([pool.query('select 1').then(() => true, () => false), late]);
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    reachable() {
      inFlight ??= check().finally(() => (inFlight = null));
      return inFlight;
    },
    async close() {
      // A connection stuck on a frozen database would hold end() forever: wait a moment at most.
      await Promise.race([pool.end().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    },
  };
}
