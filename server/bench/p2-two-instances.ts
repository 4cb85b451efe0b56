/**
 * P2: delivery p99 across two platform instances ÷ within one. SUBSCRIBERS graphql-ws subscribers
 * of the hot proposal are connected to instance B; each repetition posts messages through B
 * (delivery within one instance) and through A (the event reaches B by the outbox and NOTIFY),
 * alternating, from the mutation sent to every arrival.
 */
import { Child } from './ipc.js';
import { DeliveryLog, graphqlSubscribers, hotRows, sessionsFor, sleep, type BenchContext, type Figure } from './fixtures.js';
import { timedPost } from './f1-delivery.js';
import { median, percentile } from './stats.js';

const SUBSCRIBERS = 500;
const MESSAGES_PER_REP = 3;

export async function runP2(ctx: BenchContext): Promise<Figure> {
  const hot = await hotRows(ctx.url);
  const [author] = await sessionsFor(ctx.url, [hot.deskIds[0]!]);
  const people = await sessionsFor(ctx.url, Array.from({ length: SUBSCRIBERS }, (_, i) => hot.deskIds[i % hot.deskIds.length]!));
  const a = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
  const b = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
  const log = new DeliveryLog();
  let pool: Awaited<ReturnType<typeof graphqlSubscribers>> | null = null;
  try {
    pool = await graphqlSubscribers(b.port, people, hot.proposalId, log.record);
    await sleep(500);
    for (const instance of [b, a]) {
      const warm = await timedPost(instance.port, author!, hot.sharedThreadId, log, SUBSCRIBERS);
      if (!Number.isFinite(percentile(warm, 100))) throw new Error(`P2: a warm-up message reached ${warm.filter(Number.isFinite).length}/${SUBSCRIBERS} subscribers`);
    }
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let rep = 0; rep < ctx.reps; rep++) {
      const within: number[] = [];
      for (let m = 0; m < MESSAGES_PER_REP; m++) within.push(...(await timedPost(b.port, author!, hot.sharedThreadId, log, SUBSCRIBERS)));
      const across: number[] = [];
      for (let m = 0; m < MESSAGES_PER_REP; m++) across.push(...(await timedPost(a.port, author!, hot.sharedThreadId, log, SUBSCRIBERS)));
      baseline.push(percentile(within, 99));
      subject.push(percentile(across, 99));
      ctx.log(`[P2] rep ${rep + 1}: across instances p99 ${subject.at(-1)!.toFixed(1)} ms, within one ${baseline.at(-1)!.toFixed(1)} ms`);
    }
    const s = median(subject);
    const bl = median(baseline);
    return { id: 'P2', label: `delivery p99 to ${SUBSCRIBERS} subscribers, across two instances ÷ within one`, subject: s, baseline: bl, ratio: s / bl, unit: 'ms', goal: '≤ 1.3', pass: s / bl <= 1.3 };
  } finally {
    await pool?.close();
    await sleep(500);
    await a.stop();
    await b.stop();
  }
}
