import { execFile } from 'node:child_process';
import path from 'node:path';

/** What `pnpm audit --prod --json` said, sorted into what CI acts on. */
export type AuditOutcome =
  | { kind: 'checked'; serious: string[]; counts: Record<string, number> }
  /** The registry's advisory endpoint could not be asked (offline, a mirror without it): nothing is known. */
  | { kind: 'unreachable'; reason: string };

interface AuditReport {
  advisories?: Record<string, { severity?: string; module_name?: string; title?: string; url?: string; vulnerable_versions?: string }>;
  metadata?: { vulnerabilities?: Record<string, number> };
}

const SERIOUS = new Set(['high', 'critical']);

/** Sorts pnpm's answer: advisories of high or critical severity are what CI fails on. */
export function classifyAudit(stdout: string, stderr: string): AuditOutcome {
  let report: AuditReport | null = null;
  try {
    report = JSON.parse(stdout) as AuditReport;
  } catch {
    report = null;
  }
  if (!report || typeof report !== 'object' || (!report.advisories && !report.metadata)) {
    const said = `${stderr}\n${stdout}`.replace(/\s+/g, ' ').trim();
    return { kind: 'unreachable', reason: said.slice(0, 300) || 'pnpm audit printed nothing' };
  }
  const serious = Object.values(report.advisories ?? {})
    .filter((advisory) => SERIOUS.has(String(advisory.severity)))
    .map((advisory) => `${advisory.severity}: ${advisory.module_name} ${advisory.vulnerable_versions ?? ''} — ${advisory.title} ${advisory.url ?? ''}`.trim());
  const counts = report.metadata?.vulnerabilities ?? {};
  // A report whose counts name serious advisories it did not list still fails.
  const counted = (counts.high ?? 0) + (counts.critical ?? 0);
  if (counted > serious.length) serious.push(`${counted - serious.length} more high or critical advisories counted by the registry`);
  return { kind: 'checked', serious, counts };
}

/** Asks the registry about the production dependencies of the whole workspace. */
export function auditProductionDependencies(repoRoot = path.resolve(import.meta.dirname, '../..')): Promise<AuditOutcome> {
  return new Promise((resolve) => {
    execFile('pnpm', ['audit', '--prod', '--json'], { cwd: repoRoot, timeout: 60_000, maxBuffer: 32 * 1024 * 1024 }, (_error, stdout, stderr) => {
      // pnpm exits non-zero both when it finds advisories and when it cannot ask: the output decides.
      resolve(classifyAudit(String(stdout), String(stderr)));
    });
  });
}
