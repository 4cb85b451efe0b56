/**
 * M1: memory per idle subscriber — the RSS a server process grows by (after full collections)
 * from WARM to WARM + N subscribers, ÷ N: graphql-ws subscribers of a proposal's thread events on
 * a platform instance ÷ bare sockets on a raw `ws` server. The first WARM subscribers carry the
 * one-off costs (code compiled, pools opened) and are not counted. Each repetition starts fresh
 * processes, so memory freed by an earlier repetition and kept by the allocator cannot hide growth.
 */
import { Child } from './ipc.js';
import { DeliveryLog, graphqlSubscribers, hotRows, rawSubscribers, sessionsFor, sleep, type BenchContext, type Figure } from './fixtures.js';
import { median } from './stats.js';

const SUBSCRIBERS = 1000;
const WARM = 100;

export async function runM1(ctx: BenchContext): Promise<Figure> {
  const hot = await hotRows(ctx.url);
  const people = await sessionsFor(ctx.url, Array.from({ length: WARM + SUBSCRIBERS }, (_, i) => hot.deskIds[i % hot.deskIds.length]!));
  const log = new DeliveryLog();
  const perSubscriber = async (child: Child, open: (from: number, count: number) => Promise<{ close(): Promise<void> }>) => {
    const warm = await open(0, WARM);
    await sleep(1000);
    const before = await child.memory();
    const pool = await open(WARM, SUBSCRIBERS);
    await sleep(1000); // idle: whatever a subscription allocates once it is live is counted
    const after = await child.memory();
    await pool.close();
    await warm.close();
    await sleep(500); // let the server finish with the closed subscriptions before it stops
    heap.push((after.heapUsed - before.heapUsed) / SUBSCRIBERS);
    return (after.rss - before.rss) / SUBSCRIBERS;
  };
  const heap: number[] = [];
  const subject: number[] = [];
  const baseline: number[] = [];
  for (let rep = 0; rep < ctx.reps; rep++) {
    const raw = await Child.start('raw-ws-child.ts');
    try {
      baseline.push(await perSubscriber(raw, (_from, count) => rawSubscribers(raw.port, count, log.record)));
    } finally {
      await raw.stop();
    }
    const platform = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
    try {
      subject.push(await perSubscriber(platform, (from, count) => graphqlSubscribers(platform.port, people.slice(from, from + count), hot.proposalId, log.record)));
    } finally {
      await platform.stop();
    }
    const [rawHeap, platformHeap] = heap.slice(-2).map((bytes) => (bytes / 1024).toFixed(1));
    ctx.log(`[M1] rep ${rep + 1}: graphql-ws ${(subject.at(-1)! / 1024).toFixed(1)} KiB (V8 heap ${platformHeap}), raw ws ${(baseline.at(-1)! / 1024).toFixed(1)} KiB (V8 heap ${rawHeap}) per subscriber`);
  }
  const s = median(subject) / 1024;
  const b = median(baseline) / 1024;
  return { id: 'M1', label: `RSS per idle subscriber (${SUBSCRIBERS.toLocaleString('en')}), graphql-ws ÷ raw ws`, subject: s, baseline: b, ratio: s / b, unit: 'KiB', goal: '≤ 2.0', pass: s / b <= 2 };
}
