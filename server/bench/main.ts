/**
 * `pnpm bench`: generates (or reuses) the data at --scale, runs every figure with its baseline in
 * the same run, prints figure, subject, baseline, ratio, goal and pass/fail, and exits non-zero
 * when any goal is missed.
 *
 *   pnpm --filter @renkei/server bench [--scale 0.02] [--reps 5] [--only F1,Q1] [--json out.json] [--regenerate]
 *
 * BENCH_SCALE, BENCH_REPS and BENCH_ONLY do the same as the options (`npm run bench` passes no
 * arguments). DATABASE_URL: use that PostgreSQL server instead of the embedded one (.data/bench).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import os from 'node:os';
import { benchServer, generate } from './generate.js';
import { Child } from './ipc.js';
import type { BenchContext, Figure } from './fixtures.js';
import { F1, F2, F3, runDelivery } from './f1-delivery.js';
import { runQ1 } from './q1-list-throughput.js';
import { runN1 } from './n1-statements.js';
import { runP1 } from './p1-posting.js';
import { runP2 } from './p2-two-instances.js';
import { runS1 } from './s1-search.js';
import { runM1 } from './m1-memory.js';

const args = process.argv.slice(2);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const scale = Number(option('scale') ?? process.env.BENCH_SCALE ?? 1);
const reps = Number(option('reps') ?? process.env.BENCH_REPS ?? 5);
const only = (option('only') ?? process.env.BENCH_ONLY)?.split(',').map((s) => s.trim().toUpperCase());
const jsonOut = option('json');
if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
if (!(reps >= 5) && !process.env.BENCH_ALLOW_FEWER_REPS) throw new Error('--reps must be at least 5');
const FIGURES = ['N1list', 'N1thread', 'Q1', 'S1', 'F1', 'F3', 'F2', 'M1', 'P1', 'P2'];
const wanted = (id: string) => !only || only.includes(id.toUpperCase()) || only.includes(id.replace(/[a-z]+$/, '').toUpperCase());
if (only && !FIGURES.some(wanted)) {
  console.error(`--only ${only.join(',')}: no such figure (figures: ${FIGURES.join(', ')}; N1 means both N1 figures)`);
  process.exit(2);
}

const started = performance.now();
const log = (line: string) => console.log(`${((performance.now() - started) / 1000).toFixed(0).padStart(4)}s ${line}`);
const server = await benchServer(log);
const generated = await generate(server.adminUrl, scale, { log, force: args.includes('--regenerate') }).catch(async (error: unknown) => {
  await server.stop();
  throw error;
});
const ctx: BenchContext = { url: generated.url, scale, reps, log };
const figures: Figure[] = [];

async function section(ids: string[], work: () => Promise<Figure[] | Figure>): Promise<void> {
  if (!ids.some(wanted)) return;
  const t = performance.now();
  try {
    const result = await work();
    figures.push(...(Array.isArray(result) ? result : [result]).filter((figure) => wanted(figure.id)));
  } catch (error) {
    log(`[${ids.join(',')}] FAILED: ${(error as Error).stack ?? error}`);
    for (const id of ids) if (wanted(id)) figures.push({ id, label: 'did not complete', subject: NaN, baseline: NaN, ratio: NaN, unit: '', goal: '', pass: false, note: String((error as Error).message ?? error) });
  }
  log(`[${ids.join(',')}] done in ${((performance.now() - t) / 1000).toFixed(0)} s`);
}

// The database-side figures first, on the data as generated (before anything is posted).
await section(['N1list', 'N1thread'], () => runN1(ctx));
await section(['Q1'], () => runQ1(ctx));
await section(['S1'], () => runS1(ctx));
// One platform instance and one raw ws server for the delivery figures.
if (['F1', 'F2', 'F3'].some(wanted)) {
  const platform = await Child.start('platform-child.ts', { DATABASE_URL: ctx.url });
  const raw = await Child.start('raw-ws-child.ts');
  try {
    await section(['F1'], () => runDelivery(ctx, F1, platform, raw));
    await section(['F3'], () => runDelivery(ctx, F3, platform, raw));
    await section(['F2'], () => runDelivery(ctx, F2, platform, raw));
  } finally {
    await platform.stop();
    await raw.stop();
  }
}
await section(['M1'], () => runM1(ctx));
await section(['P1'], () => runP1(ctx));
await section(['P2'], () => runP2(ctx));

const seconds = (performance.now() - started) / 1000;
const num = (value: number, unit: string) => (Number.isNaN(value) ? '—' : !Number.isFinite(value) ? '∞' : `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(value >= 1 ? 2 : 3)}${unit ? ` ${unit}` : ''}`);
const rows = figures.map((f) => [f.id, f.label, num(f.subject, f.unit), num(f.baseline, f.unit), num(f.ratio, ''), f.goal, f.pass ? 'pass' : 'FAIL']);
const header = ['figure', 'what', 'subject', 'baseline', 'ratio', 'goal', 'result'];
const widths = header.map((h, i) => Math.max([...h].length, ...rows.map((row) => [...row[i]!].length)));
const line = (cells: string[]) => cells.map((cell, i) => cell + ' '.repeat(widths[i]! - [...cell].length)).join('  ');
console.log('');
console.log(`Renkei benchmark — scale ${scale}, ${reps} alternating repetitions, medians; ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB; data ${generated.reused ? 'reused' : `generated in ${generated.seconds.toFixed(0)} s`}; ${seconds.toFixed(0)} s in all`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
for (const f of figures.filter((f) => f.note)) console.log(`  ${f.id}: ${f.note}`);
const missed = figures.filter((f) => !f.pass).length + (figures.length === 0 ? 1 : 0);
console.log(`${figures.length - missed} goals met, ${missed} missed`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ scale, reps, seconds, date: new Date().toISOString(), figures }, null, 2));
await server.stop();
process.exit(missed > 0 ? 1 : 0);
