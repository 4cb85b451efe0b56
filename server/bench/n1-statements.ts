/**
 * N1: SQL statements per request at page size 50 ÷ at page size 5, for the desk's proposal list and
 * for a thread's messages, counted inside a platform instance (every statement its pg clients send
 * while the request runs, less transaction brackets and the server's own background work — the
 * filter server/test/statement-count.ts uses). Goal: exactly 1.0, and a handful (≤ 10) each.
 */
import { Child } from './ipc.js';
import { graphql, hotRows, sessionsFor, type BenchContext, type Figure } from './fixtures.js';
import { DESK_LIST, THREAD_MESSAGES } from '../test/client-queries.js';
import { median } from './stats.js';

const HANDFUL = 10;

export async function countStatements(platform: Child, run: () => Promise<unknown>): Promise<Array<{ text: string; values: unknown[] }>> {
  await platform.request({ type: 'count-start' });
  await run();
  const reply = await platform.request<{ type: 'statements'; statements: Array<{ text: string; values: unknown[] }> }>({ type: 'count-stop' });
  return reply.statements;
}

export async function runN1(ctx: BenchContext): Promise<Figure[]> {
  const hot = await hotRows(ctx.url);
  const [desk] = await sessionsFor(ctx.url, [hot.deskIds[0]!]);
  const platform = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
  try {
    const cases: Array<{ id: string; label: string; run: (first: number) => Promise<unknown> }> = [
      { id: 'N1list', label: "statements per request, desk's proposal list, page 50 ÷ page 5", run: (first) => graphql(platform.port, desk!, DESK_LIST, { first }) },
      { id: 'N1thread', label: "statements per request, a thread's messages, page 50 ÷ page 5", run: (first) => graphql(platform.port, desk!, THREAD_MESSAGES, { threadId: hot.sharedThreadId, first }) },
    ];
    const figures: Figure[] = [];
    for (const c of cases) {
      const check = (await c.run(50)) as Record<string, unknown>;
      assertFullPage(c.id, check);
      await c.run(5); // warm: one-off work (the once-a-minute session touch, caches) is not charged
      if (process.env.BENCH_VERBOSE) for (const st of await countStatements(platform, () => c.run(50))) ctx.log(`[${c.id}]   ${st.text.replace(/\s+/g, ' ').slice(0, 160)}`);
      const small: number[] = [];
      const large: number[] = [];
      for (let rep = 0; rep < ctx.reps; rep++) {
        small.push((await countStatements(platform, () => c.run(5))).length);
        large.push((await countStatements(platform, () => c.run(50))).length);
      }
      ctx.log(`[${c.id}] statements at page 5: ${small.join(' ')}; at page 50: ${large.join(' ')}`);
      const subject = median(large);
      const baseline = median(small);
      const ratio = subject / baseline;
      figures.push({ id: c.id, label: c.label, subject, baseline, ratio, unit: 'statements', goal: `= 1.0 and ≤ ${HANDFUL} statements`, pass: ratio === 1 && subject <= HANDFUL });
    }
    return figures;
  } finally {
    await platform.stop();
  }
}

/** A page of 50 must really hold 50 rows, or the comparison says nothing. */
function assertFullPage(id: string, data: Record<string, unknown>): void {
  const edges = ((data.proposals ?? (data.thread as { messages?: unknown } | undefined)?.messages) as { edges?: unknown[] } | undefined)?.edges ?? [];
  if (edges.length !== 50) throw new Error(`${id}: a page of 50 returned ${edges.length} rows`);
}
