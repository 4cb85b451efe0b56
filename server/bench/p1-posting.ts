/**
 * P1: message-posting throughput (postMessage through the full stack, closed loop) with event
 * publication — the outbox row written in the posting transaction and the NOTIFY after the commit,
 * and the instance's own event feed reading it — ÷ the same platform with publication switched off
 * inside the child (no outbox row, no NOTIFY; platform-child.ts), alternating.
 */
import { Child } from './ipc.js';
import { hotRows, postMessage, sessionsFor, type BenchContext, type Figure } from './fixtures.js';
import { closedLoop } from './q1-list-throughput.js';
import { median } from './stats.js';

const CONCURRENCY = 8;
const SECONDS = 3;

export async function runP1(ctx: BenchContext): Promise<Figure> {
  const hot = await hotRows(ctx.url);
  const writers = await sessionsFor(ctx.url, hot.deskIds.slice(0, CONCURRENCY));
  const platform = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
  try {
    // Each loop posts as its own desk member into its own thread, so no two writers contend on a row.
    const loops = writers.map((writer, i) => ({ writer, threadId: hot.otherThreadIds[i % hot.otherThreadIds.length]! }));
    const post = async (loop: number) => {
      const { writer, threadId } = loops[loop % loops.length]!;
      await postMessage(platform.port, writer, threadId);
    };
    const run = async (publishing: boolean) => {
      await platform.request({ type: 'publishing', on: publishing });
      return closedLoop(SECONDS, CONCURRENCY, post);
    };
    await run(true);
    await run(false);
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let rep = 0; rep < ctx.reps; rep++) {
      baseline.push(await run(false));
      subject.push(await run(true));
      ctx.log(`[P1] rep ${rep + 1}: with publication ${subject.at(-1)!.toFixed(1)} posts/s, without ${baseline.at(-1)!.toFixed(1)} posts/s`);
    }
    await platform.request({ type: 'publishing', on: true });
    const s = median(subject);
    const b = median(baseline);
    return { id: 'P1', label: 'posting throughput, with event publication ÷ without', subject: s, baseline: b, ratio: s / b, unit: 'posts/s', goal: '≥ 0.9', pass: s / b >= 0.9 };
  } finally {
    await platform.stop();
  }
}
