import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes, randomUUID } from 'node:crypto';
import { Account, Role } from '../identity/account.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { MailMessage } from '../mail/mail-message.entity.js';
import type { Section } from '../sections/section.entity.js';
import { statementCount } from '../../test/statement-count.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { Meeting, MeetingParticipant } from './meeting.entity.js';

const PERSON = `accountId displayName role sectionName departmentName organisationName`;
const MEETING_FIELDS = `id title startsAt endsAt place onlineUrl agenda audience state cancelReason version
  proposal { id title referenceNumber } participants { ${PERSON} } viewerCan { update cancel editMinutes }`;
const SCHEDULE = `mutation($pid: ID!, $input: ScheduleMeetingInput!, $key: String) { scheduleMeeting(proposalId: $pid, input: $input, idempotencyKey: $key) { ${MEETING_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: MeetingInput!) { updateMeeting(meetingId: $id, expectedVersion: $v, input: $input) { ${MEETING_FIELDS} } }`;
const CANCEL = `mutation($id: ID!, $v: Int!, $r: String!) { cancelMeeting(meetingId: $id, expectedVersion: $v, reason: $r) { ${MEETING_FIELDS} } }`;
const GET = `query($id: ID!) { meeting(id: $id) { ${MEETING_FIELDS} } }`;
const PROPOSAL_MEETINGS = `query($id: ID!) { proposal(id: $id) { id viewerCanMeetings { schedule } meetings { id title audience startsAt participants { displayName } } } }`;
const CANDIDATES = `query($pid: ID!, $a: Audience!) { meetingParticipantCandidates(proposalId: $pid, audience: $a) { ${PERSON} } }`;
const CAUGHT = `query { caughtMail(first: 100) { to subject text calendar } }`;
const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { kind proposalId proposal { id meetings { id title audience } } } }`;

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`;
const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id } }`;

type Who = 'desk' | 'lead' | 'pending' | 'unmatched' | 'member' | 'otherMember' | 'public';
type M = {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  audience: string;
  state: string;
  version: number;
  cancelReason: string | null;
  proposal: { id: string; title: string; referenceNumber: string | null };
  participants: Array<{ accountId: string; displayName: string; role: string; sectionName: string | null; departmentName: string | null; organisationName: string | null }>;
  viewerCan: { update: boolean; cancel: boolean; editMinutes: boolean };
};
type Caught = { to: string; subject: string; text: string; calendar: string | null };

const HOUR = 3_600_000;
let server: TestServer;
let secLead: Section;
let secPending: Section;
let secNone: Section;
const s: Record<Who, HttpSession> = {} as never;
const ids: Record<Who | 'member2' | 'disabledDesk', string> = {} as never;
const emails: Record<string, string> = {};
let organisationName: string;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const reasonOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.reason;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`).sort();
const at = (hoursFromNow: number) => new Date(Date.now() + hoursFromNow * HOUR).toISOString();
const unique = (title: string) => `${title} ${randomBytes(3).toString('hex')}`;
const unfold = (text: string) => text.replace(/\r\n /g, '');

function input(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: unique('第1回 打合せ'),
    startsAt: at(48),
    endsAt: at(49),
    place: '板橋区役所 本庁舎 7階 会議室',
    onlineUrl: 'https://meet.example.jp/renkei-abc',
    agenda: '1. 設置候補の施設\n2. 今後の進め方',
    audience: 'SHARED',
    participantIds: [ids.desk, ids.lead, ids.member],
    ...extra,
  };
}

/** A proposal in dialogue, matched to the lead section (ACCEPTED) and a second section (PENDING). */
async function inDialogue(): Promise<{ id: string; matchIds: Record<'lead' | 'pending', { id: string; version: number }> }> {
  const draft = (await s.member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: '避難所の電源確保' } })).createProposalDraft;
  const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await s.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await s.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await s.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [secLead.id, secPending.id], lead: secLead.id })).matchProposal;
  const matchOf = (section: Section) => matched.matches.find((m: any) => m.section.id === section.id);
  await s.lead.ok(ACCEPT, { id: matchOf(secLead).id, v: matchOf(secLead).version });
  return { id: matched.id, matchIds: { lead: { id: matchOf(secLead).id, version: matchOf(secLead).version + 1 }, pending: matchOf(secPending) } };
}

/** What a refused call must leave untouched. */
async function snapshot(proposalId: string) {
  const em = server.db.orm.em.fork();
  return {
    meetings: await em.count(Meeting, { proposal: proposalId }),
    participants: await em.count(MeetingParticipant, { meeting: { proposal: proposalId } }),
    mails: await em.count(MailMessage, { kind: { $like: 'meeting-%' } }),
    events: await em.count(DomainEvent, { topic: 'proposal', aggregateId: proposalId }),
  };
}

async function caughtWith(title: string, count: number): Promise<Caught[]> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const mails = ((await s.desk.ok(CAUGHT)).caughtMail as Caught[]).filter((mail) => mail.subject.includes(title));
    if (mails.length >= count) return mails;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${count} mails about ${title}; got ${mails.length}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  server = await startTestServer({ PUBLIC_BASE_URL: 'https://renkei.example.jp', MAIL_FROM: '板橋区 公民連携デスク <desk@renkei.example.jp>' });
  const em = server.db.orm.em.fork();
  [secLead, secPending, secNone] = (await createDepartmentWithSections(em, ['防災打合せテスト課', '環境打合せテスト課', '無関係打合せテスト課'])) as [Section, Section, Section];
  const organisation = await createOrganisation(em, '打合せテスト株式会社');
  organisationName = organisation.name;
  const other = await createOrganisation(em, '他社打合せテスト');
  const accounts: Record<Who, Account | null> = {
    desk: await createAccount(em, Role.DESK),
    lead: await createAccount(em, Role.SECTION, secLead),
    pending: await createAccount(em, Role.SECTION, secPending),
    unmatched: await createAccount(em, Role.SECTION, secNone),
    member: await createMember(em, organisation),
    otherMember: await createMember(em, other),
    public: null,
  };
  for (const [who, account] of Object.entries(accounts) as Array<[Who, Account | null]>) {
    s[who] = account ? await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD) : new HttpSession(server.httpUrl);
    if (account) {
      ids[who] = account.id;
      emails[who] = account.email;
    }
  }
  const member2 = await createMember(em, organisation);
  ids.member2 = member2.id;
  emails.member2 = member2.email;
  const disabled = await createAccount(em, Role.DESK);
  await em.nativeUpdate(Account, { id: disabled.id }, { disabledAt: new Date() });
  ids.disabledDesk = disabled.id;
});

afterAll(async () => {
  await server?.stop();
});

describe('scheduleMeeting', () => {
  it('the desk schedules a SHARED meeting: its facts, participants with role, section and organisation (no addresses), the proposal named', async () => {
    const p = await inDialogue();
    const fields = input();
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: fields })).scheduleMeeting as M;
    expect(m).toMatchObject({ title: fields.title, audience: 'SHARED', state: 'SCHEDULED', cancelReason: null, version: 1, place: fields.place, onlineUrl: fields.onlineUrl, agenda: fields.agenda });
    expect(new Date(m.startsAt).toISOString()).toBe(fields.startsAt);
    expect(m.proposal).toMatchObject({ id: p.id, title: '避難所の電源確保' });
    expect(m.proposal.referenceNumber).toMatch(/^\d{4}-\d{4}$/);
    expect(m.participants.map((x) => [x.accountId, x.role])).toEqual([
      [ids.desk, 'DESK'],
      [ids.lead, 'SECTION'],
      [ids.member, 'PROPOSER'],
    ]);
    expect(m.participants[1]).toMatchObject({ sectionName: '防災打合せテスト課', organisationName: null });
    expect(m.participants[1]!.departmentName).toMatch(/^テスト部/);
    expect(m.participants[2]).toMatchObject({ sectionName: null, organisationName });
    expect(JSON.stringify(m.participants)).not.toContain('@');
    expect(m.viewerCan).toEqual({ update: true, cancel: true, editMinutes: true });
    // Whoever sees the proposal sees a SHARED meeting; the proposer cannot change it.
    const seen = (await s.member.ok(GET, { id: m.id })).meeting as M;
    expect(seen.viewerCan).toEqual({ update: false, cancel: false, editMinutes: true });
    expect((await s.pending.ok(GET, { id: m.id })).meeting.viewerCan).toEqual({ update: false, cancel: false, editMinutes: true });
  });

  it('every participant gets an invitation mail with the .ics: their own page link, the time in Japan, no proposal content, no ward addresses for proposers', async () => {
    const p = await inDialogue();
    const fields = input({ participantIds: [ids.desk, ids.lead, ids.member, ids.member2], startsAt: '2031-06-02T01:00:00.000Z', endsAt: '2031-06-02T02:30:00.000Z' });
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: fields })).scheduleMeeting as M;
    const mails = await caughtWith(fields.title as string, 4);
    expect(mails.map((mail) => mail.to).sort()).toEqual([emails.desk, emails.lead, emails.member, emails.member2].sort());
    const pages: Record<string, string> = {
      [emails.desk!]: `https://renkei.example.jp/desk/proposals/${p.id}`,
      [emails.lead!]: `https://renkei.example.jp/section/proposals/${p.id}`,
      [emails.member!]: `https://renkei.example.jp/proposer/proposals/${p.id}`,
      [emails.member2!]: `https://renkei.example.jp/proposer/proposals/${p.id}`,
    };
    for (const mail of mails) {
      expect(mail.subject).toContain('打合せのご案内');
      expect(mail.subject).toContain('Meeting invitation');
      expect(mail.text).toContain('2031年6月2日(月) 10:00〜11:30（日本時間）');
      expect(mail.text).toContain('10:00–11:30 (Japan time)');
      expect(mail.text).toContain(fields.place);
      expect(mail.text).toContain(fields.onlineUrl);
      expect(mail.text).toContain(pages[mail.to]);
      // Only the meeting's own fields: nothing of the proposal (its title, its content).
      expect(mail.text).not.toContain('避難所の電源確保');
      expect(mail.text).not.toContain(COMPLETE_DRAFT.content);
      const ics = unfold(mail.calendar!);
      expect(ics).toContain('BEGIN:VEVENT');
      expect(ics).toContain('METHOD:REQUEST');
      expect(ics).toContain(`UID:${m.id}@renkei`);
      expect(ics).toContain('SEQUENCE:0');
      expect(ics).toContain('DTSTART:20310602T010000Z');
      expect(ics).toContain('DTEND:20310602T023000Z');
      expect(ics).toContain(`URL:${pages[mail.to]}`);
      expect(ics).toContain('ORGANIZER;CN="板橋区 公民連携デスク":mailto:desk@renkei.example.jp');
      expect(ics).toContain('STATUS:CONFIRMED');
      expect(ics).not.toContain('避難所の電源確保');
      expect(ics).toContain(`mailto:${mail.to}`);
      if (mail.to === emails.member || mail.to === emails.member2) {
        expect(ics).not.toContain(emails.desk);
        expect(ics).not.toContain(emails.lead);
        expect(ics).toContain(`mailto:${emails.member2}`);
      } else {
        for (const who of ['desk', 'lead', 'member', 'member2']) expect(ics).toContain(`mailto:${emails[who]}`);
      }
    }
  });

  it('the ACCEPTED section may schedule; the PENDING section and the proposer may not; others do not find the proposal; nothing is saved', async () => {
    const p = await inDialogue();
    const byLead = (await s.lead.ok(SCHEDULE, { pid: p.id, input: input({ audience: 'INTERNAL', participantIds: [ids.lead, ids.pending] }) })).scheduleMeeting as M;
    expect(byLead.audience).toBe('INTERNAL');
    const before = await snapshot(p.id);
    const expected: Record<Exclude<Who, 'desk' | 'lead'>, string> = { pending: 'FORBIDDEN', member: 'FORBIDDEN', unmatched: 'NOT_FOUND', otherMember: 'NOT_FOUND', public: 'UNAUTHENTICATED' };
    for (const [who, code] of Object.entries(expected)) {
      expect([who, codeOf(await s[who as Who].request(SCHEDULE, { pid: p.id, input: input() }))]).toEqual([who, code]);
    }
    expect(await snapshot(p.id)).toEqual(before);
    const can = async (who: Who) => (await s[who].ok(PROPOSAL_MEETINGS, { id: p.id })).proposal.viewerCanMeetings.schedule;
    expect([await can('desk'), await can('lead'), await can('pending'), await can('member')]).toEqual([true, true, false, false]);
  });

  it('bad input — the past, ending before it starts, too long, no place or link, a plain http link, no or too many participants — is a field error and changes nothing', async () => {
    const p = await inDialogue();
    const before = await snapshot(p.id);
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ startsAt: at(-1), endsAt: at(1) }, ['startsAt:INVALID']],
      [{ startsAt: at(48), endsAt: at(47) }, ['endsAt:OUT_OF_ORDER']],
      [{ startsAt: at(48), endsAt: at(48) }, ['endsAt:OUT_OF_ORDER']],
      [{ startsAt: at(48), endsAt: at(61) }, ['endsAt:TOO_LONG']],
      [{ place: ' ', onlineUrl: null }, ['place:REQUIRED']],
      [{ onlineUrl: 'http://meet.example.jp/x' }, ['onlineUrl:INVALID']],
      [{ onlineUrl: `https://meet.example.jp/${'a'.repeat(2000)}` }, ['onlineUrl:TOO_LONG']],
      [{ title: '' }, ['title:REQUIRED']],
      [{ title: 'あ'.repeat(201) }, ['title:TOO_LONG']],
      [{ agenda: 'あ'.repeat(10_001) }, ['agenda:TOO_LONG']],
      [{ participantIds: [] }, ['participantIds:REQUIRED']],
      [{ participantIds: Array.from({ length: 51 }, () => randomUUID()) }, ['participantIds:TOO_LONG']],
    ];
    for (const [extra, fields] of cases) {
      const result = await s.desk.request(SCHEDULE, { pid: p.id, input: input(extra) });
      expect([extra, codeOf(result), fieldsOf(result)]).toEqual([extra, 'BAD_USER_INPUT', fields]);
    }
    expect(await snapshot(p.id)).toEqual(before);
  });

  it('participants must be eligible: unknown accounts, unmatched sections, other organisations, proposers in an INTERNAL meeting and disabled accounts are refused', async () => {
    const p = await inDialogue();
    const before = await snapshot(p.id);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['unknown account', { participantIds: [ids.desk, randomUUID()] }, 'participantIds:UNKNOWN_REFERENCE'],
      ['unmatched section', { participantIds: [ids.desk, ids.unmatched] }, 'participantIds:NOT_ACCEPTED'],
      ['other organisation', { participantIds: [ids.desk, ids.otherMember] }, 'participantIds:NOT_ACCEPTED'],
      ['proposer in INTERNAL', { audience: 'INTERNAL', participantIds: [ids.desk, ids.member] }, 'participantIds:NOT_ACCEPTED'],
      ['disabled account', { participantIds: [ids.desk, ids.disabledDesk] }, 'participantIds:NOT_ACCEPTED'],
    ];
    for (const [name, extra, field] of cases) {
      const result = await s.desk.request(SCHEDULE, { pid: p.id, input: input(extra) });
      expect([name, codeOf(result), fieldsOf(result)]).toEqual([name, 'BAD_USER_INPUT', [field]]);
    }
    expect(await snapshot(p.id)).toEqual(before);
    // The PENDING section is actively matched: it may be invited, though it may not schedule.
    expect((await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ participantIds: [ids.pending] }) })).scheduleMeeting.participants).toHaveLength(1);
  });

  it('only while the proposal is in dialogue, agreed or in progress', async () => {
    const draft = (await s.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
    const submitted = (await s.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
    const result = await s.desk.request(SCHEDULE, { pid: submitted.id, input: input({ participantIds: [ids.desk] }) });
    expect([codeOf(result), reasonOf(result)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    expect((await snapshot(submitted.id)).meetings).toBe(0);
    expect(codeOf(await s.desk.request(SCHEDULE, { pid: randomUUID(), input: input() }))).toBe('NOT_FOUND');
  });

  it('a retry with the same idempotency key makes one meeting and one set of invitations', async () => {
    const p = await inDialogue();
    const key = `meeting-${randomBytes(6).toString('hex')}`;
    const fields = input({ participantIds: [ids.desk, ids.lead] });
    const first = (await s.desk.ok(SCHEDULE, { pid: p.id, input: fields, key })).scheduleMeeting as M;
    const second = (await s.desk.ok(SCHEDULE, { pid: p.id, input: fields, key })).scheduleMeeting as M;
    expect(second.id).toBe(first.id);
    expect((await snapshot(p.id)).meetings).toBe(1);
    expect(await server.db.orm.em.fork().count(MailMessage, { subject: { $like: `%${fields.title as string}%` } })).toBe(2);
  });
});

describe('updateMeeting and cancelMeeting', () => {
  it('rescheduling with other participants raises the version and the SEQUENCE: the new list gets a REQUEST, the removed a CANCEL', async () => {
    const p = await inDialogue();
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ participantIds: [ids.desk, ids.lead, ids.member] }) })).scheduleMeeting as M;
    const title = unique('日程変更');
    const changed = (await s.lead.ok(UPDATE, { id: m.id, v: m.version, input: { ...input({ title, startsAt: at(72), endsAt: at(74), participantIds: [ids.desk, ids.lead, ids.member2] }), audience: undefined } }))
      .updateMeeting as M;
    expect(changed).toMatchObject({ title, version: 2, audience: 'SHARED' });
    expect(changed.participants.map((x) => x.accountId)).toEqual([ids.desk, ids.lead, ids.member2]);
    const mails = await caughtWith(title, 4);
    const byTo = new Map(mails.map((mail) => [mail.to, mail]));
    for (const who of ['desk', 'lead', 'member2']) {
      const ics = unfold(byTo.get(emails[who]!)!.calendar!);
      expect([who, ics.includes('METHOD:REQUEST'), ics.includes('SEQUENCE:1')]).toEqual([who, true, true]);
      expect(byTo.get(emails[who]!)!.subject).toContain('打合せの変更');
    }
    const removed = byTo.get(emails.member!)!;
    expect(removed.subject).toContain('No longer invited');
    expect(unfold(removed.calendar!)).toContain('METHOD:CANCEL');
    expect(unfold(removed.calendar!)).toContain(`UID:${m.id}@renkei`);
    expect(unfold(removed.calendar!)).toContain('STATUS:CANCELLED');
    // The removed proposer no longer appears; the meeting is still theirs to see (they see the proposal).
    expect((await s.member.ok(GET, { id: m.id })).meeting.participants.map((x: { accountId: string }) => x.accountId)).not.toContain(ids.member);
  });

  it('a stale version is a CONFLICT; bad input and refused callers change nothing; the audience cannot be changed', async () => {
    const p = await inDialogue();
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ audience: 'INTERNAL', participantIds: [ids.desk, ids.lead] }) })).scheduleMeeting as M;
    const same = { ...input({ participantIds: [ids.desk, ids.lead] }), audience: undefined };
    const moved = (await s.desk.ok(UPDATE, { id: m.id, v: m.version, input: same })).updateMeeting as M;
    const before = await snapshot(p.id);
    const stale = await s.lead.request(UPDATE, { id: m.id, v: m.version, input: same });
    expect([codeOf(stale), reasonOf(stale)]).toEqual(['CONFLICT', 'STALE_VERSION']);
    expect(fieldsOf(await s.desk.request(UPDATE, { id: m.id, v: moved.version, input: { ...same, startsAt: at(-2), endsAt: at(-1) } }))).toEqual(['startsAt:INVALID']);
    expect(fieldsOf(await s.desk.request(UPDATE, { id: m.id, v: moved.version, input: { ...same, participantIds: [ids.member] } }))).toEqual(['participantIds:NOT_ACCEPTED']);
    expect(codeOf(await s.pending.request(UPDATE, { id: m.id, v: moved.version, input: same }))).toBe('FORBIDDEN');
    // An INTERNAL meeting does not exist for the proposer, not even to be refused.
    expect(codeOf(await s.member.request(UPDATE, { id: m.id, v: moved.version, input: same }))).toBe('NOT_FOUND');
    expect(codeOf(await s.member.request(CANCEL, { id: m.id, v: moved.version, r: 'x' }))).toBe('NOT_FOUND');
    const turnShared = await s.desk.request(UPDATE, { id: m.id, v: moved.version, input: { ...same, audience: 'SHARED' } });
    expect(turnShared.errors?.length).toBeGreaterThan(0);
    expect(await snapshot(p.id)).toEqual(before);
    expect((await s.desk.ok(GET, { id: m.id })).meeting).toMatchObject({ audience: 'INTERNAL', version: moved.version });
  });

  it('cancelling needs a reason; every participant gets a CANCEL; a cancelled meeting cannot be updated or cancelled again', async () => {
    const p = await inDialogue();
    const title = unique('中止する打合せ');
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ title, participantIds: [ids.desk, ids.member] }) })).scheduleMeeting as M;
    expect(fieldsOf(await s.desk.request(CANCEL, { id: m.id, v: m.version, r: '  ' }))).toEqual(['reason:REQUIRED']);
    expect(codeOf(await s.member.request(CANCEL, { id: m.id, v: m.version, r: '都合により' }))).toBe('FORBIDDEN');
    const cancelled = (await s.desk.ok(CANCEL, { id: m.id, v: m.version, r: '会場の都合により中止' })).cancelMeeting as M;
    expect(cancelled).toMatchObject({ state: 'CANCELLED', cancelReason: '会場の都合により中止', version: m.version + 1, viewerCan: { update: false, cancel: false } });
    const mails = (await caughtWith(title, 4)).filter((mail) => mail.subject.includes('Meeting cancelled'));
    expect(mails.map((mail) => mail.to).sort()).toEqual([emails.desk, emails.member].sort());
    for (const mail of mails) {
      expect(unfold(mail.calendar!)).toContain('METHOD:CANCEL');
      expect(unfold(mail.calendar!)).toContain('SEQUENCE:1');
      expect(mail.text).toContain('会場の都合により中止');
    }
    const update = await s.desk.request(UPDATE, { id: m.id, v: cancelled.version, input: { ...input({ participantIds: [ids.desk] }), audience: undefined } });
    expect([codeOf(update), reasonOf(update)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    const again = await s.desk.request(CANCEL, { id: m.id, v: cancelled.version, r: 'もう一度' });
    expect([codeOf(again), reasonOf(again)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
    // Shown as cancelled to the proposer too.
    expect((await s.member.ok(GET, { id: m.id })).meeting.state).toBe('CANCELLED');
  });

  it('a meeting that has started cannot be moved', async () => {
    const p = await inDialogue();
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ participantIds: [ids.desk] }) })).scheduleMeeting as M;
    await server.db.orm.em.fork().nativeUpdate(Meeting, { id: m.id }, { startsAt: new Date(Date.now() - HOUR), endsAt: new Date(Date.now() + HOUR) });
    const seen = (await s.desk.ok(GET, { id: m.id })).meeting as M;
    expect(seen.viewerCan).toMatchObject({ update: false, cancel: false });
    const result = await s.desk.request(UPDATE, { id: m.id, v: seen.version, input: { ...input({ participantIds: [ids.desk] }), audience: undefined } });
    expect([codeOf(result), reasonOf(result)]).toEqual(['CONFLICT', 'ILLEGAL_STATE']);
  });
});

describe('who sees what', () => {
  it('the proposer never sees an INTERNAL meeting: not in proposal.meetings, not by id, not among candidates; SHARED ones sorted by start', async () => {
    const p = await inDialogue();
    const later = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ title: unique('後の共有'), startsAt: at(100), endsAt: at(101) }) })).scheduleMeeting as M;
    const internal = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ title: unique('庁内'), audience: 'INTERNAL', participantIds: [ids.desk, ids.lead] }) })).scheduleMeeting as M;
    const sooner = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ title: unique('先の共有'), startsAt: at(30), endsAt: at(31) }) })).scheduleMeeting as M;
    const list = async (who: Who) => ((await s[who].ok(PROPOSAL_MEETINGS, { id: p.id })).proposal?.meetings ?? null)?.map((x: { id: string }) => x.id) ?? null;
    expect(await list('desk')).toEqual([sooner.id, internal.id, later.id]);
    expect(await list('lead')).toEqual([sooner.id, internal.id, later.id]);
    expect(await list('pending')).toEqual([sooner.id, internal.id, later.id]);
    expect(await list('member')).toEqual([sooner.id, later.id]);
    expect(await list('unmatched')).toBeNull();
    expect(await list('otherMember')).toBeNull();

    const hidden = await s.member.request(GET, { id: internal.id });
    const missing = await s.member.request(GET, { id: randomUUID() });
    expect([hidden.data?.meeting, codeOf(hidden), hidden.errors?.[0]?.message]).toEqual([null, 'NOT_FOUND', missing.errors?.[0]?.message]);
    expect(codeOf(missing)).toBe('NOT_FOUND');
    for (const who of ['unmatched', 'otherMember'] as Who[]) expect(codeOf(await s[who].request(GET, { id: sooner.id }))).toBe('NOT_FOUND');
    expect(codeOf(await s.public.request(GET, { id: sooner.id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await s.member.request(GET, { id: 'not-a-uuid' }))).toBe('NOT_FOUND');

    expect(codeOf(await s.member.request(CANDIDATES, { pid: p.id, a: 'SHARED' }))).toBe('FORBIDDEN');
    expect(codeOf(await s.pending.request(CANDIDATES, { pid: p.id, a: 'SHARED' }))).toBe('FORBIDDEN');
    // No addresses can even be asked for.
    expect(codeOf(await s.desk.request(`query($id: ID!) { meeting(id: $id) { participants { email } } }`, { id: sooner.id }))).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('the candidates: enabled desk staff, actively matched sections, and the organisation’s members for SHARED only', async () => {
    const p = await inDialogue();
    const shared = ((await s.lead.ok(CANDIDATES, { pid: p.id, a: 'SHARED' })).meetingParticipantCandidates as M['participants']).map((x) => x.accountId);
    const internal = ((await s.desk.ok(CANDIDATES, { pid: p.id, a: 'INTERNAL' })).meetingParticipantCandidates as M['participants']).map((x) => x.accountId);
    for (const id of [ids.desk, ids.lead, ids.pending]) {
      expect(shared).toContain(id);
      expect(internal).toContain(id);
    }
    expect(shared).toEqual(expect.arrayContaining([ids.member, ids.member2]));
    for (const id of [ids.member, ids.member2, ids.unmatched, ids.otherMember, ids.disabledDesk]) expect(internal).not.toContain(id);
    for (const id of [ids.unmatched, ids.otherMember, ids.disabledDesk]) expect(shared).not.toContain(id);
  });

  it('a section whose match is declined loses the proposal’s meetings at once', async () => {
    const p = await inDialogue();
    const m = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ audience: 'INTERNAL', participantIds: [ids.desk, ids.pending] }) })).scheduleMeeting as M;
    expect((await s.pending.ok(GET, { id: m.id })).meeting.id).toBe(m.id);
    await s.pending.ok(DECLINE, { id: p.matchIds.pending.id, v: p.matchIds.pending.version, r: '所管外のため' });
    expect(codeOf(await s.pending.request(GET, { id: m.id }))).toBe('NOT_FOUND');
    expect((await s.pending.ok(PROPOSAL_MEETINGS, { id: p.id })).proposal).toBeNull();
    // And it can no longer be invited.
    expect(fieldsOf(await s.desk.request(SCHEDULE, { pid: p.id, input: input({ participantIds: [ids.pending] }) }))).toEqual(['participantIds:NOT_ACCEPTED']);
  });
});

describe('batching', () => {
  it('a page of proposals with their meetings, participants and abilities costs the same number of statements whatever its size', async () => {
    for (let i = 0; i < 5; i += 1) await inDialogue();
    const PAGE = `query($first: Int) { proposals(first: $first, filter: { states: [IN_DIALOGUE] }) { edges { node { id viewerCanMeetings { schedule } meetings { ${MEETING_FIELDS} } } } } }`;
    const all = (await s.desk.ok(PAGE, { first: 100 })).proposals.edges.map((e: { node: { id: string; meetings: M[] } }) => e.node);
    for (const p of all) if (p.meetings.length === 0) await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ participantIds: [ids.desk, ids.member] }) });
    const statements = async (first: number) => {
      const { n, result } = await statementCount(() => s.desk.ok(PAGE, { first }));
      return { n, size: result.proposals.edges.length };
    };
    const small = await statements(1);
    const large = await statements(50);
    expect(large.size).toBeGreaterThan(3);
    expect(large.n).toBe(small.n);
  });
});

describe('live', () => {
  it('a proposer subscribed to the proposal sees the SHARED meeting event and never the INTERNAL one; the desk sees both', async () => {
    const p = await inDialogue();
    const open = async (who: Who) => {
      const { liveCursor } = await s[who].ok<{ liveCursor: string }>('{ liveCursor }');
      const client = s[who].websocket(server.wsUrl);
      return { client, live: subscribe<{ proposalEvents: { kind: string; proposalId: string; proposal: { meetings: Array<{ id: string; audience: string }> } | null } }>(client, EVENTS, { after: liveCursor }) };
    };
    const proposer = await open('member');
    const desk = await open('desk');
    try {
      const internal = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ title: unique('庁内の打合せ'), audience: 'INTERNAL', participantIds: [ids.desk, ids.lead] }) })).scheduleMeeting as M;
      await s.desk.ok(UPDATE, { id: internal.id, v: internal.version, input: { ...input({ participantIds: [ids.desk] }), audience: undefined } });
      const shared = (await s.desk.ok(SCHEDULE, { pid: p.id, input: input({ title: unique('共有の打合せ') }) })).scheduleMeeting as M;
      const meetingEvents = (items: typeof proposer.live.collected.items) =>
        items.map((r) => r.data!.proposalEvents).filter((e) => e.proposalId === p.id && e.kind.startsWith('MEETING_'));
      await proposer.live.collected.until((items) => meetingEvents(items).length >= 1);
      await desk.live.collected.until((items) => meetingEvents(items).length >= 3);
      // Events arrive in order: the SHARED one came after both INTERNAL ones, so those were withheld, not late.
      expect(meetingEvents(proposer.live.collected.items).map((e) => e.kind)).toEqual(['MEETING_SCHEDULED']);
      expect(meetingEvents(proposer.live.collected.items)[0]!.proposal!.meetings.map((x) => x.id)).toEqual([shared.id]);
      expect(JSON.stringify(proposer.live.collected.items)).not.toContain(internal.id);
      expect(meetingEvents(desk.live.collected.items).map((e) => e.kind)).toEqual(['MEETING_SCHEDULED', 'MEETING_UPDATED', 'MEETING_SCHEDULED']);
      expect(meetingEvents(desk.live.collected.items).at(-1)!.proposal!.meetings.map((x) => x.id).sort()).toEqual([internal.id, shared.id].sort());

      await s.desk.ok(CANCEL, { id: shared.id, v: shared.version, r: '延期' });
      await proposer.live.collected.until((items) => meetingEvents(items).some((e) => e.kind === 'MEETING_CANCELLED'));
    } finally {
      proposer.live.stop();
      desk.live.stop();
      await proposer.client.dispose();
      await desk.client.dispose();
    }
  });
});
