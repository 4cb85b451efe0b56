import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as Y from 'yjs';
import { getNamedType, isLeafType, type GraphQLObjectType, type GraphQLSchema } from 'graphql';
import { accessRuleOf, assertAccess, type AccessRule } from '../graphql/access.js';
import { buildRenkeiSchema } from '../graphql/schema.js';
import { Role } from '../identity/account.entity.js';
import { PUBLIC_VIEWER, type Viewer } from '../identity/viewer.js';
import { MeetingState } from '../meetings/meeting.entity.js';
import { organisationFactsOf } from '../organisations/organisation.policy.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { proposalFacts } from '../proposals/proposal.policy.js';
import { ChallengeStatus } from '../challenges/challenge.entity.js';
import type { CaseState } from '../publication/public-case.entity.js';
import type { ReportState } from '../reports/implementation-report.entity.js';
import { Audience } from '../shared/audience.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { buildMatrixFixture, ROLES, type MatrixFixture, type RoleName } from './authorization-matrix.fixture.js';
import { operationSpecs, type AnySpec, type Exempt, type Outcome, type ProposalTarget, type Spec, type Target, type World } from './authorization-matrix.operations.js';
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

// ── The world as the database holds it now, in the policies' own terms ──

async function loadTargets(): Promise<Record<Target['kind'], Target[]>> {
  const em = server.db.orm.em.fork();
  const sql = <T>(text: string, params: unknown[] = []) => em.getConnection().execute<T[]>(text, params);
  const ids = fixture.proposals.map((p) => p.id);
  const proposals = await em.find(Proposal, { id: { $in: ids } }, { populate: ['matches', 'organisation'] });
  const reports = await sql<{ id: string; proposal_id: string; state: ReportState; version: number }>(`select id, proposal_id, state, version from implementation_report where proposal_id in (?)`, [ids]);
  const cases = await sql<{ proposal_id: string; state: CaseState; version: number }>(`select proposal_id, state, version from public_case where proposal_id in (?)`, [ids]);
  const decisions = await sql<{ proposal_id: string; form: PartnershipForm }>(`select proposal_id, form from partnership_decision where proposal_id in (?)`, [ids]);
  const records = await sql<{ proposal_id: string }>(`select proposal_id from agreement_record where proposal_id in (?)`, [ids]);
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
      hasAgreementRecord: records.some((r) => r.proposal_id === built.id),
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
  return {
    proposal: [...byProposal.values()],
    thread: threads,
    message: messages,
    meeting: meetings,
    match: matches,
    protection: protections,
    attachment: files.filter((f) => f.kind === 'attachment'),
    photo: files.filter((f) => f.kind === 'photo'),
    challenge: challenges,
    organisation: organisationTargets,
    section: sections,
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
  return chosen;
}

/** Every table's rows, hashed: what a refused request must leave exactly as it was. */
async function fingerprint(): Promise<Map<string, string>> {
  const connection = server.db.orm.em.fork().getConnection();
  const tables = await connection.execute<Array<{ tablename: string }>>(`select tablename from pg_tables where schemaname = 'public' order by tablename`);
  // Sessions are touched by any request; the mail dispatcher and presence sweeps run on their own clock.
  const ignored = new Set(['session', 'login_attempt', 'schema_migration', 'proposal_presence', 'minutes_presence', 'mail_message', 'caught_mail', 'mail_digest', 'reminder', 'mikro_orm_migrations']);
  const result = new Map<string, string>();
  for (const { tablename } of tables) {
    if (ignored.has(tablename)) continue;
    const [row] = await connection.execute<Array<{ h: string }>>(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, '|' order by t::text)), '') as h from "${tablename}" t`);
    result.set(tablename, row!.h);
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
    `authorization matrix (${FULL ? 'full run' : `sampled: seed ${SEED}, ${SAMPLE_PER_ROLE} targets per mutation and role`}): ${tried.queries} query cases, ${tried.mutations} mutation cases, ${tried.subscriptions} subscription cases over ${ROLES.length} roles in ${seconds} s`,
  );
});

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
});
