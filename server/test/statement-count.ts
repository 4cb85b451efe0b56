import pg from 'pg';
import { vi } from 'vitest';

/**
 * Statements the server runs in this process on its own clock — the event feed, the mail
 * dispatcher, the notification mail jobs (their SQL says so: notifications/background-sql.ts), presence refreshes, the once-a-minute session touch — and transaction brackets:
 * they are not what a page of results costs, and counting them makes a statement-count test
 * depend on timing.
 */
const BACKGROUND = /renkei background job|domain_event|pg_snapshot|pg_notify|mail_message|caught_mail|_presence|update "session"|^(begin|commit|rollback|savepoint|release)\b/i;

/** How many times a request is measured: work of the server's own that slips past the filter above
 * (a live subscriber resolving an event for an earlier test) only ever adds statements, so the
 * fewest seen is what the request itself costs. */
const MEASUREMENTS = 3;

function textOf(call: unknown[]): string {
  const first = call[0];
  return (typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '')).trim();
}

/**
 * Counts the statements a request costs, for tests that a page costs the same whatever its size
 * (no N+1). Runs the request once first, unmeasured, so one-off work (a session touch, a cache
 * fill) is not charged to the first size measured.
 */
export async function statementCount<T>(run: () => Promise<T>): Promise<{ n: number; result: T }> {
  await run();
  let fewest = Number.POSITIVE_INFINITY;
  let result: T | undefined;
  for (let i = 0; i < MEASUREMENTS; i += 1) {
    const spy = vi.spyOn(pg.Client.prototype, 'query');
    try {
      result = await run();
      fewest = Math.min(fewest, spy.mock.calls.filter((call) => !BACKGROUND.test(textOf(call))).length);
    } finally {
      spy.mockRestore();
    }
  }
  return { n: fewest, result: result as T };
}
