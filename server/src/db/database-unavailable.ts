/** Socket errors of a database that is down, restarting or unreachable. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** SQLSTATE 57P01–57P03: terminated by an administrator, crash shutdown, cannot connect now (starting, stopping, recovering). */
const SERVER_GOING_CODES = new Set(['57P01', '57P02', '57P03']);
/** What node-postgres and its pool say when the connection went or never came. */
const LOST_CONNECTION = /Connection terminated|connection timeout|timeout exceeded when trying to connect|is not queryable|Query read timeout|Connection ended unexpectedly/i;

/**
 * Whether an error means the database cannot be reached right now — rather than that a statement
 * was wrong — so the caller can say "try again later" instead of reporting an internal error.
 * Follows `cause` and GraphQL's `originalError` a few levels down.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === 'object'; depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_GOING_CODES.has(code) || /^08/.test(code))) return true;
    if (typeof message === 'string' && LOST_CONNECTION.test(message)) return true;
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.originalError ?? next.cause;
  }
  return false;
}
