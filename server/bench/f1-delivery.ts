/**
 * F1, F2, F3: p99 from a message being posted (its transaction committed: from then on it exists
 * and is the platform's to deliver) to its delivery at every graphql-ws subscriber of one
 * proposal's threads, ÷ the p99 of a raw `ws` server broadcasting the same payload to as many
 * sockets (from the broadcast request sent to each arrival). The commit is stamped inside the
 * platform process on the machine's monotonic clock, which the bench process reads too. The time
 * from sending postMessage is logged beside it. Subject and baseline alternate, each repetition
 * posting a few messages one after another.
 */
import { randomUUID } from 'node:crypto';
import { Child, monotonicMs } from './ipc.js';
import { DeliveryLog, graphqlSubscribers, hotRows, httpRequest, postMessage, rawPayload, rawSubscribers, sessionsFor, sleep, type BenchContext, type Figure, type Person } from './fixtures.js';
import { median, percentile } from './stats.js';

export interface DeliveryCase {
  id: string;
  label: string;
  subscribers: number;
  /** Who subscribes: 'desk' (one audience) or 'audiences' (about 20: desk, the eight matched sections, the proposing organisation's members). */
  who: 'desk' | 'audiences';
  messagesPerRep: number;
  goalRatio: number;
  goalMs: number | null;
}

export const F1: DeliveryCase = { id: 'F1', label: 'delivery p99, 1,000 subscribers of one thread', subscribers: 1000, who: 'desk', messagesPerRep: 3, goalRatio: 1.5, goalMs: 100 };
export const F2: DeliveryCase = { id: 'F2', label: 'delivery p99, 5,000 subscribers of one thread', subscribers: 5000, who: 'desk', messagesPerRep: 1, goalRatio: 1.5, goalMs: 250 };
export const F3: DeliveryCase = { id: 'F3', label: 'delivery p99, 1,000 subscribers over ~20 audiences', subscribers: 1000, who: 'audiences', messagesPerRep: 3, goalRatio: 2.0, goalMs: null };

const TIMEOUT_MS = 240_000;

export async function subscriberAccounts(url: string, who: 'desk' | 'audiences', count: number): Promise<string[]> {
  const hot = await hotRows(url);
  const accounts = who === 'desk' ? hot.deskIds : [...hot.deskIds.slice(0, 4), ...hot.sectionStaffIds, ...hot.proposerIds.slice(0, 8)];
  return Array.from({ length: count }, (_, i) => accounts[i % accounts.length]!);
}

export async function runDelivery(ctx: BenchContext, spec: DeliveryCase, platform: Child, raw: Child): Promise<Figure> {
  const hot = await hotRows(ctx.url);
  const [author] = await sessionsFor(ctx.url, [hot.deskIds[0]!]);
  const people = await sessionsFor(ctx.url, await subscriberAccounts(ctx.url, spec.who, spec.subscribers));
  const log = new DeliveryLog();
  const t0 = performance.now();
  const subject = await graphqlSubscribers(platform.port, people, hot.proposalId, log.record);
  const baseline = await rawSubscribers(raw.port, spec.subscribers, log.record);
  ctx.log(`[${spec.id}] ${subject.size} graphql-ws and ${baseline.size} raw sockets open in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  try {
    // Warm-up (not measured): every subscription is live once each subscriber got this one.
    await sleep(500);
    const warm = await timedPost(platform.port, author!, hot.sharedThreadId, log, spec.subscribers);
    if (!Number.isFinite(percentile(warm, 100))) throw new Error(`${spec.id}: warm-up message reached ${warm.filter(Number.isFinite).length}/${spec.subscribers} subscribers`);
    const sample = subject.sample!;
    await timedBroadcast(raw.port, sample, log, spec.subscribers);

    const subjectP99: number[] = [];
    const baselineP99: number[] = [];
    for (let rep = 0; rep < ctx.reps; rep++) {
      const b: number[] = [];
      for (let m = 0; m < spec.messagesPerRep; m++) b.push(...(await timedBroadcast(raw.port, sample, log, spec.subscribers)));
      const fromSent: number[] = [];
      const posts: Post[] = [];
      postAnswered.length = 0;
      for (let m = 0; m < spec.messagesPerRep; m++) {
        const post = await timedPostOf(platform.port, author!, hot.sharedThreadId, log, spec.subscribers);
        posts.push(post);
        fromSent.push(...post.latencies);
      }
      const s = await fromCommit(platform, posts);
      baselineP99.push(percentile(b, 99));
      subjectP99.push(percentile(s, 99));
      // The first arrival and the median too: how long the server takes to start delivering, and how long to reach everyone.
      ctx.log(
        `[${spec.id}] rep ${rep + 1}: graphql-ws p99 ${fmt(subjectP99.at(-1)!)} ms from the commit (first ${fmt(Math.min(...s))}, p50 ${fmt(percentile(s, 50))}; ` +
          `from sending postMessage p99 ${fmt(percentile(fromSent, 99))}, post answered ${fmt(median(postAnswered))}), ` +
          `raw ws p99 ${fmt(baselineP99.at(-1)!)} ms (first ${fmt(Math.min(...b))}, p50 ${fmt(percentile(b, 50))})`,
      );
    }
    const subjectMs = median(subjectP99);
    const baselineMs = median(baselineP99);
    const ratio = subjectMs / baselineMs;
    const pass = ratio <= spec.goalRatio && (spec.goalMs === null || subjectMs <= spec.goalMs);
    await subject.close();
    const floor = await floorOf(ctx, spec, raw, people, hot.proposalId, sample, log);
    return {
      id: spec.id,
      label: spec.label,
      subject: subjectMs,
      baseline: baselineMs,
      ratio,
      unit: 'ms',
      goal: `≤ ${spec.goalRatio}${spec.goalMs ? ` and ≤ ${spec.goalMs} ms` : ''}`,
      pass,
      note: `floor ${fmt(floor.floorMs)} ms ÷ raw ${fmt(floor.rawMs)} ms = ${(floor.floorMs / floor.rawMs).toFixed(2)}: the same graphql-ws clients served by a server that does nothing per event (not a goal)`,
    };
  } finally {
    await subject.close();
    await baseline.close();
    await sleep(500); // the server finishes with the closed subscriptions
  }
}

/**
 * The floor of a delivery figure (logged, not a goal): as many real graphql-ws clients, subscribed
 * to the bare server's /graphql, which sends each payload as a `next` message with no work per
 * event, against the bare broadcast as before, alternating. The platform's figure can come no
 * closer to the baseline than this: the rest of the ratio is what the clients themselves take.
 */
async function floorOf(ctx: BenchContext, spec: DeliveryCase, raw: Child, people: Person[], proposalId: string, sample: string, log: DeliveryLog): Promise<{ floorMs: number; rawMs: number }> {
  const pool = await graphqlSubscribers(raw.port, people, proposalId, log.record);
  try {
    await sleep(300);
    await timedFloorBroadcast(raw.port, sample, log, spec.subscribers);
    const floorP99: number[] = [];
    const rawP99: number[] = [];
    for (let rep = 0; rep < ctx.reps; rep++) {
      const b: number[] = [];
      const f: number[] = [];
      for (let m = 0; m < spec.messagesPerRep; m++) b.push(...(await timedBroadcast(raw.port, sample, log, spec.subscribers)));
      for (let m = 0; m < spec.messagesPerRep; m++) f.push(...(await timedFloorBroadcast(raw.port, sample, log, spec.subscribers)));
      rawP99.push(percentile(b, 99));
      floorP99.push(percentile(f, 99));
      ctx.log(`[${spec.id}] floor rep ${rep + 1}: graphql-ws clients from a server doing nothing per event p99 ${fmt(floorP99.at(-1)!)} ms, raw ws p99 ${fmt(rawP99.at(-1)!)} ms`);
    }
    return { floorMs: median(floorP99), rawMs: median(rawP99) };
  } finally {
    await pool.close();
  }
}

async function timedFloorBroadcast(port: number, sample: string, log: DeliveryLog, expected: number): Promise<number[]> {
  const id = randomUUID();
  const payload = JSON.stringify((JSON.parse(rawPayload(sample, id)) as { payload: unknown }).payload);
  const sentAt = performance.now();
  await httpRequest(port, 'POST', '/broadcast-graphql-ws', payload);
  return log.latencies(id, sentAt, expected, TIMEOUT_MS);
}

function fmt(ms: number): string {
  return Number.isFinite(ms) ? ms.toFixed(1) : '∞';
}

/** How long each postMessage took to answer (ms), for the log: the part of a delivery spent before the commit. */
export const postAnswered: number[] = [];

interface Post {
  id: string;
  sentAt: number;
  /** Arrivals, ms after sentAt (Infinity for a subscriber it never reached). */
  latencies: number[];
}

async function timedPostOf(port: number, author: Person, threadId: string, log: DeliveryLog, expected: number): Promise<Post> {
  const sentAt = performance.now();
  const id = await postMessage(port, author, threadId);
  postAnswered.push(performance.now() - sentAt);
  return { id, sentAt, latencies: await log.latencies(id, sentAt, expected, TIMEOUT_MS) };
}

/** From sending postMessage to each arrival (ms). */
export async function timedPost(port: number, author: Person, threadId: string, log: DeliveryLog, expected: number): Promise<number[]> {
  return (await timedPostOf(port, author, threadId, log, expected)).latencies;
}

/** The arrivals of these posts measured from each one's commit in the platform process (ms). */
async function fromCommit(platform: Child, posts: readonly Post[]): Promise<number[]> {
  const reply = await platform.request<{ type: 'commits'; at: Record<string, number> }>({ type: 'commits', messageIds: posts.map((post) => post.id) });
  // performance.now() in this process, on the monotonic clock: one offset, read now.
  const offset = monotonicMs() - performance.now();
  return posts.flatMap((post) => {
    const committed = reply.at[post.id];
    if (committed === undefined || !Number.isFinite(committed)) throw new Error(`no commit time for message ${post.id}`);
    return post.latencies.map((latency) => post.sentAt + latency + offset - committed);
  });
}

export async function timedBroadcast(port: number, sample: string, log: DeliveryLog, expected: number): Promise<number[]> {
  const id = randomUUID();
  const payload = rawPayload(sample, id);
  const sentAt = performance.now();
  await httpRequest(port, 'POST', '/broadcast', payload);
  return log.latencies(id, sentAt, expected, TIMEOUT_MS);
}
