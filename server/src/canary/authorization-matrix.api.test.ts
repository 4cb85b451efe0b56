import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { getNamedType, isLeafType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { accessRuleOf, assertAccess, type AccessRule } from '../graphql/access.js';
import { buildRenkeiSchema } from '../graphql/schema.js';
import { Account, Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { MeetingState } from '../meetings/meeting.entity.js';
import { organisationFactsOf } from '../organisations/organisation.policy.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { canSeeProposal, proposalFacts } from '../proposals/proposal.policy.js';
import { ChallengeStatus } from '../challenges/challenge.entity.js';
import type { CaseState } from '../publication/public-case.entity.js';
import type { ReportState } from '../reports/implementation-report.entity.js';
import { Audience } from '../shared/audience.js';
import { canWriteInThread } from '../threads/thread.policy.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { createMember } from '../../test/proposal-factories.js';
import { buildMatrixFixture, ROLES, type MatrixFixture, type RoleName } from './authorization-matrix.fixture.js';
import { operationSpecs, type AnySpec, type ChallengeTarget, type Exempt, type MeetingTarget, type Outcome, type ProposalTarget, type ThreadTarget, type Spec, type Target, type World } from './authorization-matrix.operations.js';
import { RawSubscriber } from './raw-subscriber.js';

/**
 * The authorization matrix (権限マトリクス): every kind of person × every root field of the
 * schema × the fixture objects it can be asked about (a proposal in every state, SHARED and
 * INTERNAL threads and meetings, matches accepted and declined, a report, a composed and a
 * published case, challenges, organisations). What each case must answer is computed by the
 * policy modules' own functions (authorization-matrix.operations.ts), then asked over HTTP and
 * over graphql-ws of the real server: allowed → it works; refused → a coded error and nothing
 * changed; hidden → exactly the answer for an id that does not exist, and nothing changed.
 *
 * The default run samples mutation cases (a seeded selection, printed); AUTHZ_MATRIX_FULL=1 tries
 * every case. AUTHZ_MATRIX_SEED picks another sample.
 */

const FULL = process.env.AUTHZ_MATRIX_FULL === '1';
const SEED = Number(process.env.AUTHZ_MATRIX_SEED ?? 20261124);
/** In the default run, how many targets of each (mutation, role) are tried. */
const SAMPLE_PER_ROLE = 3;
const CONCURRENCY = 6;
const MISSING = '00000000-0000-4000-8000-00000000dead';
const STALE_VERSION = 987_654;

let server: TestServer;
let storageDir: string;
let schema: GraphQLSchema;
let fixture: MatrixFixture;
let cookies: Record<RoleName, string | undefined>;
let viewers: Record<RoleName, Viewer>;
let world: World;
let specs: Record<string, AnySpec | Exempt>;
let started = 0;
const tried = { queries: 0, mutations: 0, subscriptions: 0 };
/** HTTP cases by what the policies expected of them. */
const expected: Record<Outcome, number> = { allowed: 0, refused: 0, hidden: 0 };

type Kind = 'query' | 'mutation' | 'subscription';
interface Case {
  kind: Kind;
  field: string;
  role: RoleName;
  target: Target;
  outcome: Outcome;
  variables: Record<string, unknown>;
}
interface Answer {
  body: string;
  json: { data?: Record<string, unknown> | null; errors?: Array<{ message: string; extensions?: { code?: string; reason?: string } }> };
}

// ── Documents, generated from the schema so a field's arguments are always declared as it wants them ──

function rootOf(kind: Kind): GraphQLObjectType {
  return (kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType())!;
}

function documentOf(kind: Kind, field: string, variables: Record<string, unknown>, selection?: string): string {
  const definition = rootOf(kind).getFields()[field]!;
  const args = definition.args.filter((arg) => variables[arg.name] !== undefined);
  const header = args.length ? `(${args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')})` : '';
  const call = args.length ? `(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
  const body = selection ?? (isLeafType(getNamedType(definition.type)) ? '' : ' { __typename }');
  return `${kind} Matrix${header} { ${field}${call}${body} }`;
}

async function ask(role: RoleName, query: string, variables: Record<string, unknown>): Promise<Answer> {
  const cookie = cookies[role];
  const response = await fetch(server.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.text();
  return { body, json: JSON.parse(body) as Answer['json'] };
}

/** Values that differ between two identical answers for reasons of their own: request ids, cursors, times. */
function normalised(body: string): string {
  return JSON.stringify(JSON.parse(body), (key, value) => (/cursor|requestId|At$|^at$/i.test(key) ? '*' : value));
}

function replaceId(value: unknown, id: string): unknown {
  return JSON.parse(JSON.stringify(value).replaceAll(id, MISSING));
}

const codeOf = (answer: Answer) => answer.json.errors?.[0]?.extensions?.code;
const REFUSAL_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT']);

/** Runs `work` over `items`, `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index]!);
      }
    }),
  );
  return results;
}

/** A small seeded generator (mulberry32): the same seed, the same sample. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function accessOf(viewer: Viewer, rule: AccessRule | undefined): boolean {
  try {
    assertAccess(rule, viewer);
    return true;
  } catch {
    return false;
  }
}

/** A Yjs update that writes `text` into the minutes, as the editor would send it. */
function minutesUpdate(text: string): string {
  const doc = new Y.Doc();
  doc.getText('minutes').insert(0, text);
  return Buffer.from(Y.encodeStateAsUpdate(doc)).toString('base64');
}

// ── The world as the database holds it now, in the policies' own terms ──

async function loadTargets(): Promise<Record<Target['kind'], Target[]>> {
  const em = server.db.orm.em.fork();
  const sql = <T>(text: string, params: unknown[] = []) => em.getConnection().execute<T[]>(text, params);
  const ids = fixture.proposals.map((p) => p.id);
  const proposals = await em.find(Proposal, { id: { $in: ids } }, { populate: ['matches', 'organisation'] });
  const reports = await sql<{ id: string; proposal_id: string; state: ReportState; version: number }>(`select id, proposal_id, state, version from implementation_report where proposal_id in (?)`, [ids]);
  const cases = await sql<{ proposal_id: string; state: CaseState; version: number }>(`select proposal_id, state, version from public_case where proposal_id in (?)`, [ids]);
  const decisions = await sql<{ proposal_id: string; form: PartnershipForm }>(`select proposal_id, form from partnership_decision where proposal_id in (?)`, [ids]);
  const byProposal = new Map<string, ProposalTarget>();
  for (const built of fixture.proposals) {
    const proposal = proposals.find((p) => p.id === built.id)!;
    const report = reports.find((r) => r.proposal_id === built.id);
    const page = cases.find((c) => c.proposal_id === built.id);
    byProposal.set(built.id, {
      kind: 'proposal',
      id: built.id,
      label: built.name,
      fixture: built,
      facts: proposalFacts(proposal),
      version: proposal.version,
      report: report ? { id: report.id, state: report.state, version: report.version } : null,
      caseState: page?.state ?? null,
      caseVersion: page?.version ?? null,
      form: decisions.find((d) => d.proposal_id === built.id)?.form ?? null,
    });
  }
  const threads = (await sql<{ id: string; proposal_id: string; audience: Audience }>(`select id, proposal_id, audience from thread where proposal_id in (?) order by created_at`, [ids])).map((t) => ({
    kind: 'thread' as const,
    id: t.id,
    label: `${byProposal.get(t.proposal_id)!.label}/${t.audience}`,
    proposal: byProposal.get(t.proposal_id)!,
    audience: t.audience,
  }));
  const messages = (await sql<{ id: string; thread_id: string; author_id: string; deleted_at: Date | null; version: number }>(`select id, thread_id, author_id, deleted_at, version from message where proposal_id in (?) and parent_id is null`, [ids])).map((m) => {
    const thread = threads.find((t) => t.id === m.thread_id)!;
    return { kind: 'message' as const, id: m.id, label: `${thread.label} message`, thread, authorId: m.author_id, deleted: m.deleted_at !== null, version: m.version };
  });
  const meetings = (await sql<{ id: string; proposal_id: string; audience: Audience; state: MeetingState; starts_at: Date; version: number }>(`select id, proposal_id, audience, state, starts_at, version from meeting where proposal_id in (?)`, [ids])).map((m) => ({
    kind: 'meeting' as const,
    id: m.id,
    label: `${byProposal.get(m.proposal_id)!.label}/${m.audience} meeting`,
    proposal: byProposal.get(m.proposal_id)!,
    audience: m.audience,
    state: m.state,
    startsAt: new Date(m.starts_at),
    version: m.version,
  }));
  const matches = proposals.flatMap((p) =>
    p.matches.getItems().map((m) => ({
      kind: 'match' as const,
      id: m.id,
      label: `${byProposal.get(p.id)!.label}/${m.state} match`,
      proposal: byProposal.get(p.id)!,
      facts: { sectionId: m.section.id, state: m.state, lead: m.lead },
      version: m.version,
    })),
  );
  const protections = (await sql<{ id: string; proposal_id: string; version: number }>(`select id, proposal_id, version from protection_request where proposal_id in (?)`, [ids])).map((r) => ({
    kind: 'protection' as const,
    id: r.id,
    label: `${byProposal.get(r.proposal_id)!.label} protection`,
    proposal: byProposal.get(r.proposal_id)!,
    version: r.version,
  }));
  const files = fixture.proposals.flatMap((p) => [
    { kind: 'attachment' as const, id: p.attachmentId, label: `${p.name} file`, proposal: byProposal.get(p.id)! },
    ...(p.photoId ? [{ kind: 'photo' as const, id: p.photoId, label: `${p.name} photo`, proposal: byProposal.get(p.id)! }] : []),
  ]);
  const challenges = (await sql<{ id: string; title: string; status: ChallengeStatus; published_at: Date | null; owning_section_id: string | null; version: number }>(`select id, title, status, published_at, owning_section_id, version from challenge where id in (?)`, [fixture.challengeIds])).map((c) => ({
    kind: 'challenge' as const,
    id: c.id,
    label: c.title,
    facts: { status: c.status, published: c.published_at !== null, owningSectionId: c.owning_section_id },
    version: c.version,
  }));
  const organisations = await em.find(Organisation, { id: { $in: [fixture.people.organisation.id, fixture.people.otherOrganisation.id] } });
  const organisationTargets = organisations.map((o) => ({ kind: 'organisation' as const, id: o.id, label: o.name, facts: organisationFactsOf(o), version: o.version }));
  const factsOf = (id: string) => organisationTargets.find((o) => o.id === id)!.facts;
  const sections = (await sql<{ id: string; name: string; version: number }>(`select id, name, version from section where id in (?)`, [Object.values(fixture.people.sections).map((s) => s.id)])).map((s) => ({ kind: 'section' as const, id: s.id, label: s.name, version: s.version }));
  // In the order of their labels (which name the fixture, not its random ids), so one seed picks the same sample every run.
  const byLabel = <T extends Target>(targets: T[]): T[] => [...targets].sort((a, b) => a.label.localeCompare(b.label));
  return {
    proposal: [...byProposal.values()],
    thread: byLabel(threads),
    message: byLabel(messages),
    meeting: byLabel(meetings),
    match: byLabel(matches),
    protection: byLabel(protections),
    attachment: files.filter((f) => f.kind === 'attachment'),
    photo: files.filter((f) => f.kind === 'photo'),
    challenge: byLabel(challenges),
    organisation: byLabel(organisationTargets),
    section: byLabel(sections),
    invitation: [{ kind: 'invitation', id: fixture.invitationId, label: 'invitation', organisation: factsOf(fixture.people.organisation.id) }],
    member: [{ kind: 'member', id: fixture.people.colleagueOfOther.id, label: 'colleague of the other organisation', organisation: factsOf(fixture.people.otherOrganisation.id) }],
    none: [{ kind: 'none', id: null, label: '-' }],
  };
}

function casesOf(kind: Kind, targets: Record<Target['kind'], Target[]>): Case[] {
  const cases: Case[] = [];
  for (const field of Object.keys(rootOf(kind).getFields())) {
    const spec = specs[field];
    if (!spec || 'exempt' in spec) continue;
    for (const target of targets[spec.on as Target['kind']]) {
      if (spec.where && !(spec.where as (t: Target) => boolean)(target)) continue;
      for (const role of ROLES) cases.push({ kind, field, role, target, outcome: (spec as Spec).decide(viewers[role], target as never, world), variables: (spec as Spec).variables(target as never, world) });
    }
  }
  return cases;
}

/** The default run's sample of mutation cases: per (field, role), a seeded few of its targets. Printed. */
function sample(cases: Case[]): Case[] {
  if (FULL) return cases;
  const random = seeded(SEED);
  const groups = new Map<string, Case[]>();
  for (const c of cases) groups.set(`${c.field}|${c.role}`, [...(groups.get(`${c.field}|${c.role}`) ?? []), c]);
  const chosen: Case[] = [];
  for (const group of groups.values()) {
    const shuffled = group.map((c) => ({ c, k: random() })).sort((a, b) => a.k - b.k).map((x) => x.c);
    chosen.push(...shuffled.slice(0, SAMPLE_PER_ROLE));
  }
  const perTarget = new Map<string, number>();
  for (const c of chosen) perTarget.set(c.target.label, (perTarget.get(c.target.label) ?? 0) + 1);
  console.log(`authorization matrix sample (seed ${SEED}): ${chosen.length} of ${cases.length} cases; per target: ${[...perTarget].map(([label, n]) => `${label} ${n}`).join(', ')}`);
  return chosen;
}

/** Every table's rows, hashed: what a refused request must leave exactly as it was. */
async function fingerprint(): Promise<Map<string, string>> {
  const connection = server.db.orm.em.fork().getConnection();
  const tables = await connection.execute<Array<{ tablename: string }>>(`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  // Sessions are touched by any request; the mail dispatcher and presence sweeps run on their own clock.
  const ignored = new Set(['session', 'login_attempt', 'schema_migration', 'proposal_presence', 'minutes_presence', 'mail_message', 'caught_mail', 'mail_digest', 'reminder', 'mikro_orm_migrations']);
  // Columns a background job writes on its own clock: the notification mailer decides each notice's mail a few seconds after it was made.
  const backgroundColumns: Record<string, string[]> = { notification: ['mail_outcome', 'mail_decided_at'] };
  const result = new Map<string, string>();
  for (const { tablename } of tables) {
    if (ignored.has(tablename)) continue;
    const row = (backgroundColumns[tablename] ?? []).reduce((json, column) => `${json} - '${column}'`, 'to_jsonb(t)');
    const [hashed] = await connection.execute<Array<{ h: string }>>(`select count(*)::text || ':' || coalesce(md5(string_agg((${row})::text, '|' order by (${row})::text)), '') as h from "${tablename}" t`);
    result.set(tablename, hashed!.h);
  }
  return result;
}

function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after.keys()].filter((table) => before.get(table) !== after.get(table));
}

/** What the people's answers must be, case by case; returns the cases that answered otherwise. */
async function check(cases: Case[], probe: (c: Case) => 'as-is' | 'stale'): Promise<string[]> {
  const missingAnswers = new Map<string, Promise<Answer>>();
  const publicAnswers = new Map<string, Answer>();
  const wrong: string[] = [];
  const label = (c: Case) => `${c.kind} ${c.field} on ${c.target.label} as ${c.role}: expected ${c.outcome}`;
  // The public's answers first, so the disabled account's can be compared with them.
  const ordered = [...cases.filter((c) => c.role === 'public'), ...cases.filter((c) => c.role !== 'public')];
  const publicFirst = ordered.findIndex((c) => c.role !== 'public');
  const run = async (c: Case) => {
    expected[c.outcome] += 1;
    const variables = probe(c) === 'stale' ? { ...c.variables, expectedVersion: STALE_VERSION } : c.variables;
    const answer = await ask(c.role, documentOf(c.kind, c.field, variables), variables);
    if (c.role === 'public') publicAnswers.set(`${c.field}|${c.target.id}`, answer);
    if (c.role === 'disabled') {
      const asPublic = publicAnswers.get(`${c.field}|${c.target.id}`);
      if (asPublic && normalised(asPublic.body) !== normalised(answer.body)) wrong.push(`${label(c)} — the disabled account's old session is answered unlike the public: ${answer.body.slice(0, 200)} ≠ ${asPublic.body.slice(0, 200)}`);
    }
    const errors = answer.json.errors ?? [];
    if (c.outcome === 'hidden') {
      const id = c.target.id!;
      const missingVariables = replaceId(variables, id) as Record<string, unknown>;
      const key = `${c.role}|${c.field}|${JSON.stringify(missingVariables)}`;
      if (!missingAnswers.has(key)) missingAnswers.set(key, ask(c.role, documentOf(c.kind, c.field, missingVariables), missingVariables));
      const missing = await missingAnswers.get(key)!;
      if (normalised(answer.body.replaceAll(id, MISSING)) !== normalised(missing.body)) wrong.push(`${label(c)} — answered ${answer.body.slice(0, 200)}; a missing id gets ${missing.body.slice(0, 200)}`);
    } else if (c.outcome === 'refused') {
      const data = answer.json.data?.[c.field];
      const empty = data === null || data === undefined || (Array.isArray(data) && data.length === 0);
      const code = codeOf(answer) ?? '';
      const coded = errors.length > 0 && (REFUSAL_CODES.has(code) || ((specs[c.field] as Spec).refusedWith ?? []).includes(code));
      if (!(coded || (c.kind === 'query' && errors.length === 0 && empty)) || (errors.length > 0 && !coded)) wrong.push(`${label(c)} — answered ${answer.body.slice(0, 240)}`);
    } else if (probe(c) === 'stale') {
      if (answer.json.errors?.[0]?.extensions?.reason !== 'STALE_VERSION') wrong.push(`${label(c)} — a stale version should be all that stops it; answered ${answer.body.slice(0, 240)}`);
    } else if (errors.length > 0) {
      wrong.push(`${label(c)} — answered ${answer.body.slice(0, 240)}`);
    }
  };
  await pool(ordered.slice(0, publicFirst < 0 ? ordered.length : publicFirst), CONCURRENCY, run);
  if (publicFirst >= 0) await pool(ordered.slice(publicFirst), CONCURRENCY, run);
  return wrong;
}

beforeAll(async () => {
  started = Date.now();
  storageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'renkei-matrix-'));
  server = await startTestServer({ ATTACHMENTS_DIR: storageDir });
  schema = await buildRenkeiSchema();
  fixture = await buildMatrixFixture(server);
  const { people } = fixture;
  cookies = Object.fromEntries(ROLES.map((role) => [role, people.sessions[role].cookie])) as Record<RoleName, string | undefined>;
  const account = (role: Exclude<RoleName, 'public'>, over: Partial<Viewer & { kind: 'account' }>): Viewer => ({
    kind: 'account',
    accountId: people.accounts[role].id,
    role: people.accounts[role].role,
    sectionId: null,
    organisationId: null,
    ...over,
  });
  viewers = {
    public: PUBLIC_VIEWER,
    member: account('member', { organisationId: people.organisation.id }),
    otherMember: account('otherMember', { organisationId: people.otherOrganisation.id }),
    // Left the organisation: a proposer of none.
    formerMember: account('formerMember', {}),
    matched: account('matched', { sectionId: people.sections.matched.id }),
    unmatched: account('unmatched', { sectionId: people.sections.unmatched.id }),
    declined: account('declined', { sectionId: people.sections.declined.id }),
    desk: account('desk', {}),
    // A disabled account's old session must be the public's, exactly.
    disabled: PUBLIC_VIEWER,
  };
  const [stage] = await server.db.orm.em.fork().getConnection().execute<Array<{ stage: string; version: number }>>(`select stage, version from stage_target order by stage limit 1`);
  const query = schema.getQueryType()!.getFields();
  const mutation = schema.getMutationType()!.getFields();
  const subscription = schema.getSubscriptionType()!.getFields();
  world = {
    deskAccountId: people.accounts.desk.id,
    departmentId: people.departmentId,
    unmatchedSectionId: people.sections.unmatched.id,
    stage: stage ?? { stage: 'INTAKE', version: 1 },
    access: (field) => {
      const definition = query[field] ?? mutation[field] ?? subscription[field];
      return definition ? accessRuleOf(definition) : undefined;
    },
  };
  const organisations = await server.db.orm.em.fork().find(Organisation, { id: { $in: [people.organisation.id, people.otherOrganisation.id] } });
  specs = operationSpecs({ organisations: organisations.map(organisationFactsOf) });
  expect(people.accounts.disabled.role).toBe(Role.DESK);
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (storageDir) fs.rmSync(storageDir, { recursive: true, force: true });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  console.log(
    `authorization matrix (${FULL ? 'full run' : `sampled: seed ${SEED}, ${SAMPLE_PER_ROLE} targets per mutation and role`}): ${tried.queries} query cases, ${tried.mutations} mutation cases, ${tried.subscriptions} subscription cases over ${ROLES.length} roles in ${seconds} s; HTTP cases expected allowed ${expected.allowed}, refused ${expected.refused}, hidden ${expected.hidden}`,
  );
}, 120_000);

describe('the authorization matrix', () => {
  it('maps every query, mutation and subscription in the schema to the policy that decides it', () => {
    const fields = (['query', 'mutation', 'subscription'] as const).flatMap((kind) => Object.keys(rootOf(kind).getFields()));
    const unmapped = fields.filter((field) => !specs[field]);
    expect(unmapped, 'root fields without a policy mapping in authorization-matrix.operations.ts').toEqual([]);
    expect(Object.keys(specs).filter((field) => !fields.includes(field)), 'mapped fields the schema no longer has').toEqual([]);
    const exempt = Object.entries(specs).filter(([, spec]) => 'exempt' in spec);
    console.log(`authorization matrix: ${fields.length} root fields, ${fields.length - exempt.length} under test, exempt: ${exempt.map(([field]) => field).join(', ')}`);
    expect(exempt.length).toBeLessThanOrEqual(4);
  });

  it('has a fixture in every state of the proposal lifecycle, and every kind of thing in both audiences', async () => {
    const targets = await loadTargets();
    const states = new Set((targets.proposal as ProposalTarget[]).map((p) => p.facts.state));
    expect([...states].sort()).toEqual(Object.values(ProposalState).sort());
    for (const p of targets.proposal as ProposalTarget[]) expect(p.facts.state).toBe(p.label.replace('_CHANGES_REQUESTED', ''));
    for (const audience of [Audience.SHARED, Audience.INTERNAL]) {
      expect((targets.thread as ThreadTarget[]).some((t) => t.audience === audience)).toBe(true);
      expect((targets.meeting as MeetingTarget[]).some((m) => m.audience === audience)).toBe(true);
    }
    expect((targets.match as Array<{ facts: { state: string } }>).map((m) => m.facts.state)).toEqual(expect.arrayContaining(['ACCEPTED', 'DECLINED']));
    expect((targets.proposal as ProposalTarget[]).map((p) => p.caseState)).toEqual(expect.arrayContaining(['DRAFT', 'PUBLISHED']));
    expect(targets.protection.length).toBeGreaterThan(5);
  });

  it('every query answers each person as the policies say', async () => {
    const cases = casesOf('query', await loadTargets());
    tried.queries += cases.length;
    // Not vacuous: every outcome occurs, and every role is refused something and allowed something.
    for (const outcome of ['allowed', 'refused', 'hidden'] as const) expect(cases.some((c) => c.outcome === outcome)).toBe(true);
    const before = await fingerprint();
    const wrong = await check(cases, () => 'as-is');
    expect(wrong).toEqual([]);
    expect(changedTables(before, await fingerprint()), 'tables a query changed').toEqual([]);
  }, 300_000);

  it('lists show each person exactly the proposals, challenges and organisations the policies let them see', async () => {
    const targets = await loadTargets();
    const LIST = {
      proposals: `query { proposals(first: 100, order: NEWEST_SUBMITTED_FIRST) { totalCount edges { node { id } } } }`,
      challenges: `query { challenges(first: 100) { edges { node { id } } } }`,
      organisations: `query { organisations(first: 100) { edges { node { id } } } }`,
    };
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const [field, query] of Object.entries(LIST) as Array<[keyof typeof LIST, string]>) {
        const answer = await ask(role, query, {});
        const listed = new Set(((answer.json.data?.[field] as { edges?: Array<{ node: { id: string } }> } | null)?.edges ?? []).map((e) => e.node.id));
        const kind = field === 'proposals' ? 'proposal' : field === 'challenges' ? 'challenge' : 'organisation';
        const spec = specs[field === 'proposals' ? 'proposal' : field === 'challenges' ? 'challenge' : 'organisation'] as Spec;
        for (const target of targets[kind]) {
          const sees = spec.decide(viewers[role], target as never, world) === 'allowed' && accessOf(viewers[role], world.access(field));
          if (sees !== listed.has(target.id!)) wrong.push(`${field} as ${role}: ${target.label} ${sees ? 'missing' : 'listed'}`);
          tried.queries += 1;
        }
      }
    }
    expect(wrong).toEqual([]);
  }, 120_000);

  it('every refused or hidden mutation answers as the policies say and changes nothing', async () => {
    const cases = sample(casesOf('mutation', await loadTargets())).filter((c) => c.outcome !== 'allowed');
    tried.mutations += cases.length;
    expect(cases.some((c) => c.outcome === 'hidden') && cases.some((c) => c.outcome === 'refused')).toBe(true);
    const before = await fingerprint();
    const wrong = await check(cases, () => 'as-is');
    expect(wrong).toEqual([]);
    expect(changedTables(before, await fingerprint()), 'tables a refused mutation changed').toEqual([]);
  }, 300_000);

  it('every allowed mutation gets past every check: a stale version is all that stops it, or it is done', async () => {
    const all = sample(casesOf('mutation', await loadTargets())).filter((c) => c.outcome === 'allowed');
    const probeOf = (c: Case) => (specs[c.field] as Spec).allowed ?? 'real';
    const stale = all.filter((c) => probeOf(c) === 'stale');
    const real = all.filter((c) => probeOf(c) === 'real');
    tried.mutations += stale.length + real.length;
    expect(stale.length).toBeGreaterThan(10);
    expect(real.length).toBeGreaterThan(10);
    const before = await fingerprint();
    const wrongStale = await check(stale, () => 'stale');
    expect(changedTables(before, await fingerprint()), 'tables a stale write changed').toEqual([]);
    // Done for real one at a time: two of them may touch the same thing.
    const wrongReal: string[] = [];
    for (const c of real) wrongReal.push(...(await check([c], () => 'as-is')));
    expect([...wrongStale, ...wrongReal]).toEqual([]);
  }, 300_000);
  it('every subscription delivers each person what the policies let them see, and no frame of anything else', async () => {
    const targets = await loadTargets();
    const proposals = targets.proposal as ProposalTarget[];
    const threads = targets.thread as ThreadTarget[];
    const meetings = targets.meeting as MeetingTarget[];
    const challenges = targets.challenge as ChallengeTarget[];
    const after = (await ask('desk', 'query { liveCursor }', {})).json.data!.liveCursor as string;
    const DOCS = {
      proposalEvents: `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id state } } }`,
      threadEvents: `subscription($after: String, $proposalId: ID!) { threadEvents(after: $after, proposalId: $proposalId) { kind proposalId threadId messageId message { id bodyHtml } thread { id audience } } }`,
      minutesEvents: `subscription($after: String, $meetingId: ID!) { minutesEvents(after: $after, meetingId: $meetingId) { kind meetingId update } }`,
      workspacePresence: `subscription($proposalId: ID!) { workspacePresence(proposalId: $proposalId) { kind proposalId } }`,
      challengeEvents: `subscription($after: String) { challengeEvents(after: $after) { kind challengeId challenge { id title } } }`,
      notificationEvents: `subscription($after: String) { notificationEvents(after: $after) { kind unreadCount } }`,
      stageTargetEvents: `subscription($after: String) { stageTargetEvents(after: $after) { target { stage businessDays } } }`,
    };
    expect(Object.keys(DOCS).sort()).toEqual(Object.keys(rootOf('subscription').getFields()).sort());

    // Each person opens one socket and subscribes to everything: one stream per proposal and meeting.
    interface Opened {
      subscriber: RawSubscriber;
      ids: Map<string, string>;
    }
    const sockets = new Map<RoleName, Opened>();
    await Promise.all(
      ROLES.map(async (role) => {
        const subscriber = new RawSubscriber(server.wsUrl, cookies[role]);
        const ids = new Map<string, string>();
        let n = 0;
        const open = async (key: string, query: string, variables: Record<string, unknown>) => {
          ids.set(key, String(++n));
          await subscriber.subscribe(query, variables);
        };
        await open('proposalEvents', DOCS.proposalEvents, { after });
        await open('challengeEvents', DOCS.challengeEvents, { after });
        await open('notificationEvents', DOCS.notificationEvents, { after });
        await open('stageTargetEvents', DOCS.stageTargetEvents, { after });
        for (const p of proposals) {
          await open(`threadEvents|${p.id}`, DOCS.threadEvents, { after, proposalId: p.id });
          await open(`workspacePresence|${p.id}`, DOCS.workspacePresence, { proposalId: p.id });
        }
        for (const m of meetings) await open(`minutesEvents|${m.id}`, DOCS.minutesEvents, { after, meetingId: m.id });
        sockets.set(role, { subscriber, ids });
      }),
    );

    // Two more people are subscribed to everything while they may see it, then lose it: a desk
    // account is disabled, a member leaves. From that moment their live streams are the public's.
    const em = server.db.orm.em.fork();
    const losing = {
      disabledWhileLive: await new HttpSession(server.httpUrl).login((await createAccount(em, Role.DESK)).email, TEST_PASSWORD),
      leftWhileLive: await new HttpSession(server.httpUrl).login((await createMember(em, fixture.people.organisation)).email, TEST_PASSWORD),
    };
    const live = new Map<string, RawSubscriber>();
    for (const [who, session] of Object.entries(losing)) {
      const subscriber = new RawSubscriber(server.wsUrl, session.cookie);
      await subscriber.subscribe(DOCS.proposalEvents, { after });
      for (const p of proposals) await subscriber.subscribe(DOCS.threadEvents, { after, proposalId: p.id });
      for (const m of meetings) await subscriber.subscribe(DOCS.minutesEvents, { after, meetingId: m.id });
      // Subscribed last: its first frame (one's own arrival) says the socket has taken every subscription above.
      await subscriber.subscribe(DOCS.workspacePresence, { proposalId: proposals.find((p) => p.label === 'IN_DIALOGUE')!.id });
      live.set(who, subscriber);
    }
    const arrived = Date.now();
    while ([...live.values()].some((subscriber) => !subscriber.frames.some((frame) => frame.includes('workspacePresence'))) && Date.now() - arrived < 30_000) await new Promise((resolve) => setTimeout(resolve, 50));
    // Frames so far came while they could see; from here on nothing of any of it may come.
    const seenBefore = new Map([...live].map(([who, subscriber]) => [who, subscriber.frames.length]));
    const disabledAccount = await em.findOneOrFail(Account, { email: (await losing.disabledWhileLive.ok('query { me { email } }')).me.email });
    await em.nativeUpdate(Account, { id: disabledAccount.id }, { disabledAt: new Date() });
    await losing.leftWhileLive.ok('mutation { leaveOrganisation }');

    // Things happen: a message in every thread that is open for writing, an edit of every meeting's
    // minutes, a change to every proposal, to a stage target and, last, to both challenges.
    const desk = (query: string, variables: Record<string, unknown>) => ask('desk', query, variables).then((a) => (a.json.errors ? Promise.reject(new Error(a.body)) : a.json.data!));
    const posted = new Map<string, string>();
    for (const t of threads.filter((t) => canWriteInThread(viewers.desk, { proposal: t.proposal.facts, audience: t.audience }))) {
      const data = await desk(`mutation($t: ID!) { postMessage(threadId: $t, body: "マトリクスのライブ投稿") { id } }`, { t: t.id });
      posted.set(t.id, (data.postMessage as { id: string }).id);
    }
    const edits: string[] = [];
    for (const m of meetings) {
      edits.push(minutesUpdate(`議事録 ${m.label}`));
      await desk(`mutation($m: ID!, $u: String!) { editMinutes(meetingId: $m, update: $u) { __typename } }`, { m: m.id, u: edits.at(-1) });
    }
    const changed = new Set<string>();
    for (const p of proposals.filter((p) => p.facts.everSubmitted)) {
      const answer = await ask('desk', `mutation($p: ID!, $v: Int!, $a: ID!) { assignDeskOwner(proposalId: $p, expectedVersion: $v, accountId: $a) { id } }`, { p: p.id, v: p.version, a: world.deskAccountId });
      if (!answer.json.errors) changed.add(p.id);
    }
    const [stage] = await server.db.orm.em.fork().getConnection().execute<Array<{ stage: string; version: number; business_days: number }>>(`select stage, version, business_days from stage_target order by stage limit 1`);
    if (stage) await desk(`mutation($s: AgeingStage!, $d: Int!, $v: Int!) { setStageTarget(stage: $s, businessDays: $d, expectedVersion: $v) { stage } }`, { s: stage.stage, d: stage.business_days + 1, v: stage.version });
    const barrier = challenges.find((c) => c.facts.published)!;
    for (const c of [...challenges.filter((c) => c !== barrier), barrier]) {
      await desk(`mutation($id: ID!, $v: Int!, $input: ChallengeInput!) { updateChallenge(id: $id, expectedVersion: $v, input: $input) { id } }`, {
        id: c.id,
        v: c.version,
        input: { title: `${c.label} 更新`, description: '説明', background: '', fieldCodes: ['disaster-crime-prevention'], contact: '03-0000-0000', owningSectionId: c.facts.owningSectionId },
      });
    }

    // What each socket must receive, and what it must never receive, from the policies.
    type Expectation = { role: RoleName; field: string; target: Target; outcome: Outcome; key: string; marks: string[] };
    const expectations: Expectation[] = [];
    const decide = (field: string, role: RoleName, target: Target) => (specs[field] as Spec).decide(viewers[role], target as never, world);
    for (const role of ROLES) {
      for (const t of threads.filter((t) => posted.has(t.id))) expectations.push({ role, field: 'threadEvents', target: t, outcome: decide('threadEvents', role, t), key: `threadEvents|${t.proposal.id}`, marks: [posted.get(t.id)!, t.id] });
      for (const m of meetings) expectations.push({ role, field: 'minutesEvents', target: m, outcome: decide('minutesEvents', role, m), key: `minutesEvents|${m.id}`, marks: [m.id] });
      for (const p of proposals) {
        if (changed.has(p.id)) expectations.push({ role, field: 'proposalEvents', target: p, outcome: decide('proposalEvents', role, p), key: 'proposalEvents', marks: [p.id] });
        expectations.push({ role, field: 'workspacePresence', target: p, outcome: decide('workspacePresence', role, p), key: `workspacePresence|${p.id}`, marks: [p.id] });
      }
      for (const c of challenges) expectations.push({ role, field: 'challengeEvents', target: c, outcome: decide('challengeEvents', role, c), key: 'challengeEvents', marks: [c.id] });
      const none = targets.none[0]!;
      expectations.push({ role, field: 'stageTargetEvents', target: none, outcome: decide('stageTargetEvents', role, none), key: 'stageTargetEvents', marks: ['businessDays'] });
      expectations.push({ role, field: 'notificationEvents', target: none, outcome: decide('notificationEvents', role, none), key: 'notificationEvents', marks: [] });
    }
    tried.subscriptions += expectations.length;
    const framesOf = (role: RoleName, key: string) =>
      sockets
        .get(role)!
        .subscriber.frames.map((frame) => JSON.parse(frame) as { id?: string; type: string })
        .filter((frame) => frame.id === sockets.get(role)!.ids.get(key));
    const delivered = (e: Expectation) => framesOf(e.role, e.key).some((frame) => frame.type === 'next' && e.marks.every((mark) => JSON.stringify(frame).includes(mark)));
    const refusedFrame = (e: Expectation) => framesOf(e.role, e.key).some((frame) => frame.type === 'error' || (frame.type === 'next' && JSON.stringify(frame).includes('"errors"')));

    // Allowed: wait until each has arrived (or time out); the barrier — the published challenge's change, last of all — reaches every socket.
    const waited = Date.now();
    // A socket that came with the disabled account's old session may instead be closed as a session that ended (4403): then it gets nothing at all.
    const endedSocket = (role: RoleName) => role === 'disabled' && sockets.get(role)!.subscriber.closeReason.startsWith('4403');
    const pending = () => expectations.filter((e) => e.outcome === 'allowed' && e.marks.length > 0 && !delivered(e) && !endedSocket(e.role));
    const barrierIn = (role: RoleName) => endedSocket(role) || framesOf(role, 'challengeEvents').some((frame) => JSON.stringify(frame).includes(`${barrier.label} 更新`));
    while ((pending().length > 0 || ROLES.some((role) => !barrierIn(role))) && Date.now() - waited < 60_000) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const opened of sockets.values()) opened.subscriber.close();

    const wrong: string[] = [];
    for (const e of expectations) {
      const label = `${e.field} on ${e.target.label} as ${e.role}: expected ${e.outcome}`;
      const text = sockets.get(e.role)!.subscriber.text();
      if (endedSocket(e.role)) {
        if (sockets.get(e.role)!.subscriber.frames.some((frame) => frame.includes('"type":"next"'))) wrong.push(`${label} — the ended session's socket got data`);
        continue;
      }
      if (e.outcome === 'allowed' && e.marks.length > 0 && !delivered(e)) wrong.push(`${label} — never arrived`);
      if (e.outcome === 'allowed' && e.marks.length === 0 && refusedFrame(e)) wrong.push(`${label} — refused`);
      if (e.outcome === 'hidden') {
        const leaked = e.marks.find((mark) => text.includes(mark));
        if (leaked) wrong.push(`${label} — a frame carries ${leaked}`);
        // A stream about this one thing (a meeting's minutes, a proposal's presence or threads when the proposal is hidden) delivers no data at all.
        const wholeStream = e.field === 'minutesEvents' || e.field === 'workspacePresence' || (e.field === 'threadEvents' && !canSeeProposal(viewers[e.role], (e.target as ThreadTarget).proposal.facts));
        if (wholeStream && framesOf(e.role, e.key).some((frame) => frame.type === 'next' && !JSON.stringify(frame).includes('"errors"'))) wrong.push(`${label} — data delivered`);
      }
      if (e.outcome === 'refused') {
        if (framesOf(e.role, e.key).some((frame) => frame.type === 'next' && !JSON.stringify(frame).includes('"errors"'))) wrong.push(`${label} — data delivered`);
        if (!refusedFrame(e)) wrong.push(`${label} — no refusal`);
      }
    }
    for (const role of ROLES) if (!barrierIn(role)) wrong.push(`${role}: the last event never arrived`);
    for (const [who, subscriber] of live) {
      subscriber.close();
      // Nothing that happened after access ended: none of the messages, minutes' edits or owner changes made since.
      // (Frames of earlier things may still arrive late: they were checked while these people could see.)
      const after = subscriber.frames.slice(seenBefore.get(who)).filter((frame) => frame.includes('"type":"next"'));
      const since = [...posted.values(), ...edits, 'DESK_OWNER_CHANGED'];
      const leaked = after.filter((frame) => since.some((mark) => frame.includes(mark)));
      tried.subscriptions += posted.size + meetings.length + changed.size;
      if (leaked.length) wrong.push(`${who}: ${leaked.length} frames after access ended, e.g. ${leaked[0]!.slice(0, 300)}`);
    }
    expect(wrong).toEqual([]);
    // Not vacuous: every kind of outcome was asked.
    expect(expectations.filter((e) => e.outcome === 'allowed').length).toBeGreaterThan(50);
    expect(expectations.filter((e) => e.outcome === 'hidden').length).toBeGreaterThan(50);
  }, 180_000);
});
