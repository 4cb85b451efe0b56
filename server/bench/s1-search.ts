/**
 * S1: p95 of two- and three-character Japanese searches over the messages, as the desk (who reads
 * every thread: the largest search there is), with the platform's own statement (search.sql.ts:
 * the visibility rule; common terms walk the newest messages by index, rare ones use the bigram
 * index; the LIKE recheck; the capped count) ÷ the same search by forced sequential scan: the
 * statement with the bigram probe taken out and every index path forbidden to the planner (index,
 * index-only and bitmap scans off), so the messages are read whole with the LIKE.
 * Keeping the probe in the baseline would not be a fairer baseline but a slower one: the planner
 * would compute the bigrams of every row the LIKE lets through.
 */
import pg from 'pg';
import { Role } from '../src/identity/account.entity.js';
import type { AccountViewer } from '../src/identity/viewer.js';
import { openDatabase } from '../src/db/orm.js';
import { searchQuery } from '../src/search/search.sql.js';
import { parseSearchQuery } from '../src/search/search.validation.js';
import { SearchKind } from '../src/search/search.types.js';
import { withDb, type BenchContext, type Figure } from './fixtures.js';
import { median, percentile } from './stats.js';

/** Two- and three-character terms of the desk's dialogue: topics, places, documents. */
const TERMS = ['防災', '絵本', '高齢者', '図書館'];
/** A cheap indexed search runs each term up to this many times a repetition (for a p95 over more than a handful), within INDEXED_BUDGET_MS. */
const INDEXED_RUNS = 5;
const INDEXED_BUDGET_MS = 1500;
const PAGE = 20;

/** `?` placeholders (as the ORM writes them) to pg's `$n`. */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The statement without its bigram probe: the same visibility rule, recheck, count and order. */
function withoutIndex(sql: string, params: unknown[]): { sql: string; params: unknown[] } {
  const probe = /renkei_bigrams\(\(coalesce\(m\.body, ''\)\)\) @> renkei_bigrams\(\?\) and /g;
  const out: unknown[] = [];
  let placeholder = 0;
  let text = '';
  let last = 0;
  for (const match of sql.matchAll(probe)) {
    const before = sql.slice(last, match.index);
    const count = (before.match(/\?/g) ?? []).length;
    out.push(...params.slice(placeholder, placeholder + count));
    placeholder += count + 1; // the probe's own parameter is dropped
    text += before;
    last = match.index + match[0].length;
  }
  if (last === 0) throw new Error('S1: the search statement has no bigram probe to take out (has search.sql.ts changed?)');
  text += sql.slice(last);
  out.push(...params.slice(placeholder));
  return { sql: text, params: out };
}

export async function runS1(ctx: BenchContext): Promise<Figure> {
  const desk = await withDb(ctx.url, async (db) => (await db.query<{ id: string; section_id: string }>(`select id::text, section_id::text from account where role = 'DESK' order by email limit 1`)).rows[0]!);
  const viewer: AccountViewer = { kind: 'account', accountId: desk.id, role: Role.DESK, sectionId: desk.section_id, organisationId: null };
  const orm = await openDatabase(ctx.url, 2);
  const statements = TERMS.map((term) => {
    const { sql, params } = searchQuery(orm.em.fork() as never, viewer, SearchKind.MESSAGE, parseSearchQuery(term), PAGE);
    const bare = withoutIndex(sql, params);
    return { term, indexed: { sql: numbered(sql), params }, seq: { sql: numbered(bare.sql), params: bare.params } };
  });
  await orm.close();

  const indexedDb = new pg.Client({ connectionString: ctx.url });
  const seqDb = new pg.Client({ connectionString: ctx.url });
  await indexedDb.connect();
  await seqDb.connect();
  try {
    for (const scan of ['bitmapscan', 'indexscan', 'indexonlyscan']) await seqDb.query(`set enable_${scan} = off`);
    // The plans must be what they claim: an index for the subject, only a sequential scan of message for the baseline.
    const plan = async (db: pg.Client, s: { sql: string; params: unknown[] }) => (await db.query<{ 'QUERY PLAN': string }>(`explain ${s.sql}`, s.params)).rows.map((r) => r['QUERY PLAN']).join('\n');
    if (!/message_search_bigrams|message_created_at_id_index/.test(await plan(indexedDb, statements[0]!.indexed))) throw new Error('S1: the search uses no index of message');
    const baselinePlan = await plan(seqDb, statements[0]!.seq);
    if (!/Seq Scan on message/.test(baselinePlan) || / on message m\b/.test(baselinePlan.replace(/Seq Scan on message m\b/g, ''))) throw new Error('S1: the baseline does not scan message sequentially only');
    const time = async (db: pg.Client, s: { sql: string; params: unknown[] }) => {
      const t = performance.now();
      await db.query(s.sql, s.params);
      return performance.now() - t;
    };
    const hits: string[] = [];
    for (const s of statements) {
      const { rows } = await indexedDb.query<{ total: string }>(s.indexed.sql, s.indexed.params);
      const { rows: seqRows } = await seqDb.query<{ total: string }>(s.seq.sql, s.seq.params);
      if (rows[0]?.total !== seqRows[0]?.total) throw new Error(`S1: ${s.term} finds ${rows[0]?.total} with the index and ${seqRows[0]?.total} without`);
      hits.push(`${s.term} ${rows[0]?.total ?? 0}`);
    }
    ctx.log(`[S1] matches: ${hits.join(', ')}`);
    const subject: number[] = [];
    const baseline: number[] = [];
    for (let rep = 0; rep < ctx.reps; rep++) {
      const seq: number[] = [];
      for (const s of statements) seq.push(await time(seqDb, s.seq));
      const indexed: number[] = [];
      const since = performance.now();
      for (let run = 0; run < INDEXED_RUNS && (run === 0 || performance.now() - since < INDEXED_BUDGET_MS); run++) {
        for (const s of statements) indexed.push(await time(indexedDb, s.indexed));
      }
      subject.push(percentile(indexed, 95));
      baseline.push(percentile(seq, 95));
      ctx.log(`[S1] rep ${rep + 1}: indexed p95 ${subject.at(-1)!.toFixed(1)} ms, sequential p95 ${baseline.at(-1)!.toFixed(0)} ms`);
    }
    const s = median(subject);
    const b = median(baseline);
    return {
      id: 'S1',
      label: `message search p95 (${TERMS.join(' ')}), desk, indexed ÷ sequential scan`,
      subject: s,
      baseline: b,
      ratio: s / b,
      unit: 'ms',
      goal: '≤ 0.02 and ≤ 20 ms',
      pass: s / b <= 0.02 && s <= 20,
    };
  } finally {
    await indexedDb.end();
    await seqDb.end();
  }
}
