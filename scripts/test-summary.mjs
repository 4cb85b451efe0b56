#!/usr/bin/env node
// Reads vitest's JSON report and prints ONE final line: `N passed, N failed` (`, N skipped` when
// any were skipped). It counts test cases over every project; a test file that failed without a
// failed test case (it failed to load, to collect, or in a beforeAll/afterAll hook) counts as one
// failure, so a broken suite can never look green. Exit code: 0 only when nothing failed, vitest
// itself exited 0, and at least one test passed.
//
// usage: node scripts/test-summary.mjs <results.json> [--vitest-exit-code N] [--extra-failure WHAT]...
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const args = process.argv.slice(2);
let file;
let vitestExitCode = 0;
const extraFailures = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--vitest-exit-code') vitestExitCode = Number(args[++i]);
  else if (a === '--extra-failure') extraFailures.push(args[++i]);
  else if (!file) file = a;
  else {
    console.error(`test-summary: unexpected argument ${a}`);
    process.exit(2);
  }
}

let passed = 0;
let failed = 0;
let skipped = 0;
const problems = [];

let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  problems.push(`no readable vitest JSON report at ${file} (${err.code ?? err.message})`);
  failed += 1;
}

const rel = (p) => (p ? relative(process.cwd(), p) || p : '(unknown file)');

if (report) {
  for (const suite of report.testResults ?? []) {
    let failedHere = 0;
    for (const t of suite.assertionResults ?? []) {
      if (t.status === 'passed') passed += 1;
      else if (t.status === 'failed') {
        failed += 1;
        failedHere += 1;
        problems.push(`${rel(suite.name)} > ${t.fullName || t.title}`);
      } else skipped += 1; // skipped, pending, todo, disabled
    }
    if (suite.status === 'failed' && failedHere === 0) {
      failed += 1;
      const msg = (suite.message || 'the file failed outside any test').split('\n')[0];
      problems.push(`${rel(suite.name)} (whole file): ${msg}`);
    }
  }
}

for (const what of extraFailures) {
  failed += 1;
  problems.push(what);
}

if (vitestExitCode !== 0 && failed === 0) {
  failed += 1;
  problems.push(`vitest exited with code ${vitestExitCode} although no test failed (an unhandled error, a config error, or no test files)`);
}

if (problems.length) {
  console.log('\nFailures:');
  for (const p of problems) console.log(`  ✗ ${p}`);
}
if (passed + failed === 0) console.log('\nNo tests ran.');

console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
