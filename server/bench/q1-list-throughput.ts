/**
 * Q1: requests per second of the desk's proposal list (50 a page, with organisation, matches and
 * message counts) through the full stack (HTTP, Apollo, type-graphql, MikroORM, the session check)
 * ÷ a raw node:http + pg handler running the same SQL: the statements the platform ran for that
 * very request, captured inside it with their values, replayed one after the other on one pooled
 * connection and answered as JSON. Closed loop, the same concurrency for both, alternating.
 */
import { Child } from './ipc.js';
import { graphql, hotRows, httpRequest, sessionsFor, type BenchContext, type Figure } from './fixtures.js';
import { countStatements } from './n1-statements.js';
import { DESK_LIST } from '../test/client-queries.js';
import { median } from './stats.js';

const CONCURRENCY = 8;
const SECONDS = 3;

/** Requests completed per second by `concurrency` loops, each sending the next request when its last answered. */
export async function closedLoop(seconds: number, concurrency: number, request: (loop: number) => Promise<void>): Promise<number> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (performance.now() < end) {
        await request(loop);
        done += 1;
      }
    }),
  );
  return done / ((performance.now() - started) / 1000);
}

export async function runQ1(ctx: BenchContext): Promise<Figure> {
  const hot = await hotRows(ctx.url);
  const [desk] = await sessionsFor(ctx.url, [hot.deskIds[0]!]);
  const platform = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
  const raw = await Child.start('raw-list-child.ts', { DATABASE_URL: ctx.url });
  try {
    const variables = { first: 50 };
    await graphql(platform.port, desk!, DESK_LIST, variables);
    const statements = await countStatements(platform, () => graphql(platform.port, desk!, DESK_LIST, variables));
    await raw.request({ type: 'init', payload: statements });
    ctx.log(`[Q1] the list costs ${statements.length} statements; the raw handler replays them`);
    const full = async () => {
      await graphql(platform.port, desk!, DESK_LIST, variables);
    };
    const bare = async () => {
      const { status, text } = await httpRequest(raw.port, 'GET', '/', null);
      if (status !== 200) throw new Error(`raw list: ${status} ${text.slice(0, 300)}`);
    };
    // Warm both (JIT, the pools, the plan caches).
    await closedLoop(1, CONCURRENCY, full);
    await closedLoop(1, CONCURRENCY, bare);
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let rep = 0; rep < ctx.reps; rep++) {
      baseline.push(await closedLoop(SECONDS, CONCURRENCY, bare));
      subject.push(await closedLoop(SECONDS, CONCURRENCY, full));
      ctx.log(`[Q1] rep ${rep + 1}: full stack ${subject.at(-1)!.toFixed(1)} rps, raw ${baseline.at(-1)!.toFixed(1)} rps`);
    }
    const s = median(subject);
    const b = median(baseline);
    return { id: 'Q1', label: "desk's proposal list, 50 a page: requests/s, full stack ÷ raw pg + node:http", subject: s, baseline: b, ratio: s / b, unit: 'rps', goal: '≥ 0.4', pass: s / b >= 0.4 };
  } finally {
    await platform.stop();
    await raw.stop();
  }
}
