import { Role, Account } from '../identity/account.entity.js';
import { pdfBytes, pngBytes } from '../attachments/file-fixtures.js';
import type { Section } from '../sections/section.entity.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, CHALLENGE_INPUT, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import type { TestServer } from '../../test/test-server.js';

/**
 * The people and the things of the authorization matrix, built through the real API as the
 * people would: one proposal of the first organisation in every state of the lifecycle (a draft
 * twice: never submitted, and sent back with a note), with SHARED and INTERNAL threads and
 * meetings where the state allows them, a protected field, attachments, matches accepted and
 * declined, a report, a case page composed and one published.
 */

/** Every kind of person the matrix asks as (the brief's nine). */
export type RoleName = 'public' | 'member' | 'otherMember' | 'formerMember' | 'matched' | 'unmatched' | 'declined' | 'desk' | 'disabled';
export const ROLES: RoleName[] = ['public', 'member', 'otherMember', 'formerMember', 'matched', 'unmatched', 'declined', 'desk', 'disabled'];

export interface MatrixPeople {
  sessions: Record<RoleName, HttpSession>;
  accounts: Record<Exclude<RoleName, 'public'>, Account>;
  /** A second member of the other organisation, whom its member may remove. */
  colleagueOfOther: Account;
  sections: Record<'matched' | 'declined' | 'unmatched', Section>;
  departmentId: string;
  organisation: Organisation;
  otherOrganisation: Organisation;
}

/** The states each fixture proposal is taken to, by name (two drafts). */
export const PROPOSAL_FIXTURES = [
  'DRAFT',
  'DRAFT_CHANGES_REQUESTED',
  'SUBMITTED',
  'UNDER_REVIEW',
  'RETURNED',
  'IN_DIALOGUE',
  'NOT_REALIZED',
  'WITHDRAWN',
  'AGREED',
  'IN_PROGRESS',
  'REPORTED',
  'PUBLISHED',
] as const;
export type ProposalFixture = (typeof PROPOSAL_FIXTURES)[number];

export interface BuiltProposal {
  name: ProposalFixture;
  id: string;
  attachmentId: string;
  photoId: string | null;
  invitationId?: string;
}

export interface MatrixFixture {
  people: MatrixPeople;
  proposals: BuiltProposal[];
  challengeIds: string[];
  invitationId: string;
}

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const VERSION = `query($id: ID!) { proposal(id: $id) { version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { version } }`;
const CHANGES = `mutation($id: ID!, $v: Int!) { requestProposalChanges(id: $id, expectedVersion: $v, note: "添付資料を追加してください") { version } }`;
const RETURN = `mutation($id: ID!, $v: Int!) { returnProposal(id: $id, expectedVersion: $v, reason: "対象外") { version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { version } }`;
const NOT_REALIZED = `mutation($id: ID!, $v: Int!) { markProposalNotRealized(id: $id, expectedVersion: $v, reason: "見送り") { version } }`;
const WITHDRAW = `mutation($id: ID!, $v: Int!) { withdrawProposal(id: $id, expectedVersion: $v, reason: "社内事情") { version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { matches { id version section { id } } } }`;
const ACCEPT_MATCH = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;
const DECLINE_MATCH = `mutation($id: ID!, $v: Int!) { declineMatch(matchId: $id, expectedVersion: $v, reason: "所管外") { id } }`;
const START_THREAD = `mutation($pid: ID!, $input: StartThreadInput!) { startThread(proposalId: $pid, input: $input) { id } }`;
const SCHEDULE = `mutation($pid: ID!, $input: ScheduleMeetingInput!) { scheduleMeeting(proposalId: $pid, input: $input) { id } }`;
const PROTECT = `mutation($pid: ID!) { requestProtection(proposalId: $pid, item: { kind: FIELD, fieldName: "content" }, reason: "独自の手法") { id } }`;
const AGREE = `mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { version } }`;
const START_WORK = `mutation($id: ID!, $v: Int!) { startProposalWork(proposalId: $id, expectedVersion: $v) { version } }`;
const START_REPORT = `mutation($id: ID!) { startReport(proposalId: $id) { report { id version } } }`;
const SAVE_REPORT = `mutation($r: ID!, $v: Int!, $input: ReportInput!) { saveReport(reportId: $r, expectedVersion: $v, input: $input) { report { id version } } }`;
const SUBMIT_REPORT = `mutation($r: ID!, $v: Int!) { submitReport(reportId: $r, expectedVersion: $v) { report { id version } } }`;
const ACCEPT_REPORT = `mutation($r: ID!, $v: Int!) { acceptReport(reportId: $r, expectedVersion: $v) { state } }`;
const COMPOSE = `mutation($id: ID!, $input: CaseInput!) { composeCase(proposalId: $id, input: $input) { publicCase { version } } }`;
const CONSENT = `mutation($id: ID!) { giveCaseConsent(proposalId: $id) { publicCase { version } } }`;
const PUBLISH = `mutation($id: ID!, $v: Int!) { publishCase(proposalId: $id, expectedVersion: $v) { state } }`;
const INVITE = `mutation($e: String!) { inviteMember(email: $e) { __typename } }`;
const CREATE_CHALLENGE = `mutation($input: ChallengeInput!) { createChallenge(input: $input) { id version } }`;
const OPEN_CHALLENGE = `mutation($id: ID!, $v: Int!) { openChallenge(id: $id, expectedVersion: $v) { id version } }`;
const PUBLISH_CHALLENGE = `mutation($id: ID!, $v: Int!) { publishChallenge(id: $id, expectedVersion: $v) { id } }`;
const LEAVE = `mutation { leaveOrganisation }`;

export const AGREEMENT = {
  form: 'AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立施設での実証',
  wardResponsibilities: '施設の使用許可',
  proposerResponsibilities: '設備の設置・保守',
  indicators: [{ name: '停電時の供給時間', target: '72時間' }],
};
export const REPORT = {
  periodStart: '2027-04-01',
  periodEnd: '2028-03-31',
  activities: '区立施設に設置し、防災訓練で活用した',
  indicatorResults: [{ name: '停電時の供給時間', actual: '80時間' }],
  peopleReached: 420,
  wardCostYen: 0,
  partnerContribution: '設備一式の提供と保守',
  partnerContributionYen: 3000000,
  issues: '冬季の発電量',
  nextSteps: '他施設への展開',
  continuation: 'CONTINUE',
};
export function caseInput(photoId: string) {
  return {
    title: '避難所の電源を民間の設備で確保',
    summary: '区立施設に太陽光発電と蓄電池を設置し、停電時の電源を確保した。',
    blocks: [
      { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
      { kind: 'REPORT_PART', part: 'activities' },
      { kind: 'REPORT_PHOTO', attachmentId: photoId },
    ],
    fieldCodes: ['disaster-crime-prevention'],
    fiscalYear: 2027,
  };
}

export function meetingInput(audience: 'SHARED' | 'INTERNAL', participantIds: string[], title = '打合せ') {
  const at = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
  return { title: `${title} ${audience}`, startsAt: at(72), endsAt: at(73), place: '本庁舎', agenda: '進め方', audience, participantIds };
}

async function upload(server: TestServer, session: HttpSession, route: string, bytes: Buffer, name: string): Promise<string> {
  const response = await fetch(server.httpUrl.replace('/graphql', route), {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream', 'x-renkei-request': '1', 'x-file-name': encodeURIComponent(name), cookie: session.cookie ?? '' },
    body: new Uint8Array(bytes),
  });
  const body = (await response.json()) as { attachment?: { id: string } };
  if (!body.attachment) throw new Error(`upload to ${route} failed: ${JSON.stringify(body)}`);
  return body.attachment.id;
}

async function people(server: TestServer): Promise<MatrixPeople> {
  const em = server.db.orm.em.fork();
  const [matched, declined, unmatched] = (await createDepartmentWithSections(em, ['防災マトリクス課', '環境マトリクス課', '無関係マトリクス課'])) as [Section, Section, Section];
  const organisation = await createOrganisation(em, 'マトリクス株式会社');
  const otherOrganisation = await createOrganisation(em, '他社マトリクス');
  const accounts = {
    member: await createMember(em, organisation),
    formerMember: await createMember(em, organisation),
    otherMember: await createMember(em, otherOrganisation),
    matched: await createAccount(em, Role.SECTION, matched),
    unmatched: await createAccount(em, Role.SECTION, unmatched),
    declined: await createAccount(em, Role.SECTION, declined),
    desk: await createAccount(em, Role.DESK),
    disabled: await createAccount(em, Role.DESK),
  };
  const colleagueOfOther = await createMember(em, otherOrganisation);
  const sessions = { public: new HttpSession(server.httpUrl) } as Record<RoleName, HttpSession>;
  for (const [role, account] of Object.entries(accounts)) sessions[role as RoleName] = await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
  return { sessions, accounts, colleagueOfOther, sections: { matched, declined, unmatched }, departmentId: matched.department.id, organisation, otherOrganisation };
}

/** Drives one proposal of the first organisation to the fixture's state. */
async function proposalIn(server: TestServer, p: MatrixPeople, name: ProposalFixture): Promise<BuiltProposal> {
  const { member, desk, matched, declined } = p.sessions;
  const created = (await member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: `マトリクス ${name}` } })).createProposalDraft;
  const id: string = created.id;
  const attachmentId = await upload(server, member, `/api/proposals/${id}/attachments`, pdfBytes(), '計画書.pdf');
  let photoId: string | null = null;
  const version = async () => (await desk.request(VERSION, { id })).data?.proposal?.version ?? (await member.ok(VERSION, { id })).proposal.version;
  const threads = async () => {
    await member.ok(START_THREAD, { pid: id, input: { audience: 'SHARED', title: '共有スレッド', body: '提案者からの質問' } });
    await desk.ok(START_THREAD, { pid: id, input: { audience: 'INTERNAL', title: '庁内スレッド', body: '庁内の見解' } });
  };
  const built: BuiltProposal = { name, id, attachmentId, photoId };
  if (name === 'DRAFT') return built;
  await member.ok(SUBMIT, { id, v: await version(), p: ALL_PLEDGES });
  await member.ok(PROTECT, { pid: id });
  if (name === 'DRAFT_CHANGES_REQUESTED') {
    await desk.ok(CHANGES, { id, v: await version() });
    return built;
  }
  await threads();
  if (name === 'SUBMITTED') return built;
  if (name === 'RETURNED') {
    await desk.ok(RETURN, { id, v: await version() });
    return built;
  }
  await desk.ok(REVIEW, { id, v: await version() });
  if (name === 'UNDER_REVIEW') return built;
  await desk.ok(DIALOGUE, { id, v: await version() });
  const matches = (await desk.ok(MATCH, { id, v: await version(), s: [p.sections.matched.id, p.sections.declined.id], lead: p.sections.matched.id })).matchProposal.matches as Array<{ id: string; version: number; section: { id: string } }>;
  const matchOf = (section: Section) => matches.find((m) => m.section.id === section.id)!;
  await matched.ok(ACCEPT_MATCH, { id: matchOf(p.sections.matched).id, v: matchOf(p.sections.matched).version });
  await declined.ok(DECLINE_MATCH, { id: matchOf(p.sections.declined).id, v: matchOf(p.sections.declined).version });
  const ward = [p.accounts.desk.id, p.accounts.matched.id];
  await desk.ok(SCHEDULE, { pid: id, input: meetingInput('SHARED', [...ward, p.accounts.member.id]) });
  await desk.ok(SCHEDULE, { pid: id, input: meetingInput('INTERNAL', ward) });
  if (name === 'IN_DIALOGUE') return built;
  if (name === 'NOT_REALIZED') {
    await desk.ok(NOT_REALIZED, { id, v: await version() });
    return built;
  }
  if (name === 'WITHDRAWN') {
    await member.ok(WITHDRAW, { id, v: await version() });
    return built;
  }
  await desk.ok(AGREE, { id, v: await version(), input: AGREEMENT });
  if (name === 'AGREED') return built;
  await matched.ok(START_WORK, { id, v: await version() });
  const started = (await matched.ok(START_REPORT, { id })).startReport.report;
  built.photoId = photoId = await upload(server, matched, `/api/reports/${started.id}/photos`, pngBytes(), '設置写真.png');
  const saved = (await matched.ok(SAVE_REPORT, { r: started.id, v: started.version, input: REPORT })).saveReport.report;
  if (name === 'IN_PROGRESS') return built;
  const sent = (await matched.ok(SUBMIT_REPORT, { r: saved.id, v: saved.version })).submitReport.report;
  await desk.ok(ACCEPT_REPORT, { r: sent.id, v: sent.version });
  await desk.ok(COMPOSE, { id, input: caseInput(photoId) });
  if (name === 'REPORTED') return built;
  const consented = (await member.ok(CONSENT, { id })).giveCaseConsent.publicCase;
  await desk.ok(PUBLISH, { id, v: consented.version });
  return built;
}

export async function buildMatrixFixture(server: TestServer): Promise<MatrixFixture> {
  const p = await people(server);
  // Proposals are independent of one another: build them side by side.
  const proposals = await Promise.all(PROPOSAL_FIXTURES.map((name) => proposalIn(server, p, name)));
  await p.sessions.member.ok(INVITE, { e: 'invited-matrix@example.jp' });
  const invitationId = (await server.db.orm.em.fork().getConnection().execute<Array<{ id: string }>>(`select id from invitation where organisation_id = ?`, [p.organisation.id]))[0]!.id;
  const draftChallenge = (await p.sessions.desk.ok(CREATE_CHALLENGE, { input: { ...CHALLENGE_INPUT, title: '下書きの課題', owningSectionId: p.sections.matched.id } })).createChallenge;
  const published = (await p.sessions.desk.ok(CREATE_CHALLENGE, { input: { ...CHALLENGE_INPUT, title: '公開の課題', owningSectionId: p.sections.unmatched.id } })).createChallenge;
  const opened = (await p.sessions.desk.ok(OPEN_CHALLENGE, { id: published.id, v: published.version })).openChallenge;
  await p.sessions.desk.ok(PUBLISH_CHALLENGE, { id: published.id, v: opened.version });
  // Former member: was in the organisation while its proposals were written, then left.
  await p.sessions.formerMember.ok(LEAVE);
  // Disabled: signed in as desk staff (who sees everything), then the account is disabled; the old session stays in the cookie jar.
  await server.db.orm.em.fork().nativeUpdate(Account, { id: p.accounts.disabled.id }, { disabledAt: new Date() });
  return { people: p, proposals, challengeIds: [draftChallenge.id, published.id], invitationId };
}
