/**
 * Marks the SQL of the notification jobs (mailer, digest, reminders) as background work, so a
 * test counting what a request costs (test/statement-count.ts) does not count what a job does at
 * the same moment on its own clock.
 */
export const BACKGROUND_SQL = '/* renkei background job */';

export function background(sql: string): string {
  return `${BACKGROUND_SQL} ${sql}`;
}
