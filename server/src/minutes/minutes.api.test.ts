import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import * as Y from 'yjs';
import { loadConfig } from '../config/env.js';
import { startPlatform, type RunningPlatform } from '../http/platform.js';
import { Role, type Account } from '../identity/account.entity.js';
import { Account as AccountEntity } from '../identity/account.entity.js';
import { MeetingState } from '../meetings/meeting.entity.js';
import type { Organisation } from '../organisations/organisation.entity.js';
import type { Section } from '../sections/section.entity.js';
import { Audience } from '../shared/audience.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { setMinutesTiming } from './minutes-timing.js';
import { MAX_UPDATE_BYTES } from './minutes-yjs.js';
import {
  EDIT_MUTATION,
  LiveEditor,
  MINUTES_QUERY,
  PRESENCE_QUERY,
  createMeetingRow,
  eventually,
  matchedProposal,
  toBase64,
  type MatchedProposal,
  type Present,
} from './minutes-test-fixtures.js';

const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id state } }`;
const REFRESH_MS = 200;

let db: TestDatabase;
let platform: RunningPlatform;
let httpUrl: string;
let wsUrl: string;
const logLines: string[] = [];

let secA: Section;
let secB: Section;
let secC: Section;
let organisation: Organisation;
let deskAccount: Account;
let memberAccount: Account;
let staffAAccount: Account;
const s = {} as Record<'desk' | 'staffA' | 'staffB' | 'staffC' | 'member' | 'otherMember' | 'public', HttpSession>;

const codeOf = (result: GraphqlResult) => result.errors?.[0]?.extensions?.code;
const fieldsOf = (result: GraphqlResult) => (result.errors?.[0]?.extensions?.fields ?? []).map((f) => `${f.field}:${f.code}`);

async function login(account: Account): Promise<HttpSession> {
  return new HttpSession(httpUrl).login(account.email, TEST_PASSWORD);
}

function editor(session: HttpSession, meetingId: string): LiveEditor {
  return new LiveEditor(session, meetingId, wsUrl);
}

async function proposal(): Promise<MatchedProposal> {
  return matchedProposal({ member: s.member, desk: s.desk, leadStaff: s.staffA }, secA.id, secB.id);
}

async function meeting(p: MatchedProposal, audience = Audience.SHARED, state = MeetingState.SCHEDULED): Promise<string> {
  return createMeetingRow(db.orm.em.fork(), p.proposalId, audience, deskAccount.id, state);
}

/** What is stored for a meeting's minutes: the document, its edits and its outbox events. */
async function stored(meetingId: string) {
  if (!/^[0-9a-f-]{36}$/.test(meetingId)) return { text: null, updateCount: 0, updates: 0, events: 0 };
  const sql = db.orm.em.fork().getConnection();
  const [document] = await sql.execute<Array<{ text: string; update_count: number }>>('select text, update_count from minutes_document where meeting_id = ?', [meetingId]);
  const [{ count: updates }] = (await sql.execute<Array<{ count: string }>>('select count(*)::text as count from minutes_update where meeting_id = ?', [meetingId])) as [{ count: string }];
  const [{ count: edited }] = (await sql.execute<Array<{ count: string }>>(`select count(*)::text as count from domain_event where topic = ? and kind = 'MINUTES_EDITED'`, [`minutes:${meetingId}`])) as [{ count: string }];
  return { text: document?.text ?? null, updateCount: document?.update_count ?? 0, updates: Number(updates), events: Number(edited) };
}

beforeAll(async () => {
  setMinutesTiming({ refreshMs: REFRESH_MS });
  db = await createTestDatabase();
  const config = loadConfig({ NODE_ENV: 'test', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'debug', CLIENT_DIST: '/nonexistent' });
  // Every log line is kept, to prove the minutes' text never reaches a log.
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString('utf8'));
      done();
    },
  });
  platform = await startPlatform(config, db.orm, db.url, pino({ level: 'debug' }, sink));
  httpUrl = `http://127.0.0.1:${platform.port}/graphql`;
  wsUrl = `ws://127.0.0.1:${platform.port}/graphql`;
  const em = db.orm.em.fork();
  [secA, secB] = (await createDepartmentWithSections(em, ['防災テスト課', '環境テスト課'])) as [Section, Section];
  [secC] = (await createDepartmentWithSections(em, ['無関係テスト課'])) as [Section];
  organisation = await createOrganisation(em, '議事録テスト株式会社');
  const other = await createOrganisation(em, '他社');
  deskAccount = await createAccount(em, Role.DESK);
  memberAccount = await createMember(em, organisation);
  staffAAccount = await createAccount(em, Role.SECTION, secA);
  s.desk = await login(deskAccount);
  s.staffA = await login(staffAAccount);
  s.staffB = await login(await createAccount(em, Role.SECTION, secB));
  s.staffC = await login(await createAccount(em, Role.SECTION, secC));
  s.member = await login(memberAccount);
  s.otherMember = await login(await createMember(em, other));
  s.public = new HttpSession(httpUrl);
});

afterAll(async () => {
  await platform?.stop();
  await db?.dispose();
});

describe('writing the minutes together', () => {
  it('a proposer and a section user type at the same time: both texts survive on both screens and in the store; a late joiner sees the same', async () => {
    const m = await meeting(await proposal());
    const proposer = editor(s.member, m);
    const section = editor(s.staffA, m);
    await proposer.load();
    await section.load();
    const firstCursor = proposer.cursor;
    proposer.connect();
    section.connect();
    try {
      // Both are the first editors of an empty document, at once (the row is created race-free).
      proposer.type(0, '提案者：講師は当社で手配します。');
      section.type(0, '防災課：公園の使用許可を確認します。');
      const [a, b] = await Promise.all([proposer.flush(), section.flush()]);
      expect([a.errors, b.errors]).toEqual([undefined, undefined]);
      // More rounds of concurrent typing in the middle of each other's words.
      for (let round = 0; round < 4; round += 1) {
        proposer.type(proposer.text.length, `［P${round}］`);
        section.type(section.text.toString().indexOf('：') + 1, `［S${round}］`);
        section.type(0, `［s${round}］`);
        const results = await Promise.all([proposer.flush(), section.flush()]);
        expect(results.map((r) => r.errors)).toEqual([undefined, undefined]);
      }
      // Every word typed is there, and without the inserted marks both first sentences are whole.
      const marks = [0, 1, 2, 3].flatMap((r) => [`［P${r}］`, `［S${r}］`, `［s${r}］`]);
      const whole = (text: string) => {
        const plain = text.replace(/［[PSs]\d］/g, '');
        return plain.includes('提案者：講師は当社で手配します。') && plain.includes('防災課：公園の使用許可を確認します。') && marks.every((w) => text.includes(w));
      };
      await eventually(
        () => proposer.text.toString() === section.text.toString() && whole(proposer.text.toString()),
        () => `proposer: ${proposer.text.toString()} / section: ${section.text.toString()}`,
      );
      const text = proposer.text.toString();
      expect((await stored(m)).text).toBe(text);
      expect((await s.desk.ok(MINUTES_QUERY, { id: m })).meetingMinutes.text).toBe(text);

      // The others' edits arrive with who wrote them.
      const fromSection = proposer.events.items.map((r) => r.data?.minutesEvents).filter((e) => e?.kind === 'EDITED' && e.authorId === staffAAccount.id);
      expect(fromSection.length).toBeGreaterThan(0);
      expect(fromSection[0]!.authorName).toBe(staffAAccount.displayName);

      // A late joiner: the state alone, and an empty document replaying everything since the first cursor.
      const late = editor(s.desk, m);
      await late.load();
      expect(late.text.toString()).toBe(text);
      const replaying = editor(s.desk, m);
      replaying.connect(firstCursor);
      try {
        await eventually(() => replaying.text.toString() === text, () => replaying.text.toString());
      } finally {
        await replaying.disconnect();
      }
    } finally {
      await proposer.disconnect();
      await section.disconnect();
    }
  });

  it('five people writing the first words of empty minutes at once: every word is stored', async () => {
    const m = await meeting(await proposal());
    const people = [s.desk, s.staffA, s.staffB, s.member, s.desk].map((session) => editor(session, m));
    await Promise.all(people.map((person) => person.load()));
    people.forEach((person, index) => person.type(0, `〈${index}番目の発言〉`));
    const results = await Promise.all(people.map((person) => person.flush()));
    expect(results.map((result) => result.errors)).toEqual(people.map(() => undefined));
    const { text, updateCount } = await stored(m);
    for (let index = 0; index < people.length; index += 1) expect(text).toContain(`〈${index}番目の発言〉`);
    expect(updateCount).toBe(people.length);
  });

  it('answers a malformed cursor with BAD_USER_INPUT', async () => {
    const m = await meeting(await proposal());
    const desk = editor(s.desk, m);
    desk.connect('not-a-cursor');
    try {
      await eventually(() => desk.events.errors.length > 0 || desk.events.items.some((r) => r.errors?.length), () => 'no answer');
      expect(desk.errorCodes()).toContain('BAD_USER_INPUT');
    } finally {
      await desk.disconnect();
    }
  });

  it('a retried edit is stored once', async () => {
    const m = await meeting(await proposal());
    const desk = editor(s.desk, m);
    await desk.load();
    desk.type(0, '再送しても一度だけ');
    const update = toBase64(Y.mergeUpdates(desk.unsent));
    const first = await s.desk.ok(EDIT_MUTATION, { id: m, u: update });
    const again = await s.desk.ok(EDIT_MUTATION, { id: m, u: update });
    expect(first.editMinutes.changed).toBe(true);
    expect(first.editMinutes.updateId).toMatch(/^\d+$/);
    expect(again.editMinutes).toEqual({ changed: false, updateId: null });
    expect(await stored(m)).toMatchObject({ text: '再送しても一度だけ', updateCount: 1, updates: 1, events: 1 });
  });

  it('a client that was offline reconnects with its last cursor and sends what the server lacks: nothing is lost on either side', async () => {
    const m = await meeting(await proposal());
    const online = editor(s.staffA, m);
    const offline = editor(s.member, m);
    await online.load();
    await offline.load();
    online.connect();
    offline.connect();
    try {
      online.type(0, '冒頭：');
      expect((await online.flush()).errors).toBeUndefined();
      await eventually(() => offline.text.toString() === '冒頭：', () => offline.text.toString());
      await offline.disconnect();

      // While apart: both keep typing; the offline edits are never sent on their own.
      offline.type(3, 'オフラインで書いた一文。');
      offline.type(0, '【提案者メモ】');
      online.type(online.text.length, '接続中に書いた一文。');
      expect((await online.flush()).errors).toBeUndefined();

      offline.connect(offline.cursor);
      expect((await offline.sendWhatServerLacks()).errors).toBeUndefined();
      const words = ['冒頭：', 'オフラインで書いた一文。', '【提案者メモ】', '接続中に書いた一文。'];
      await eventually(
        () => offline.text.toString() === online.text.toString() && words.every((w) => online.text.toString().includes(w)),
        () => `offline: ${offline.text.toString()} / online: ${online.text.toString()}`,
      );
      expect((await stored(m)).text).toBe(online.text.toString());
    } finally {
      await online.disconnect();
      await offline.disconnect();
    }
  });
});

describe('who may write the minutes', () => {
  async function expectRefused(session: HttpSession, meetingId: string, code: string): Promise<void> {
    const before = await stored(meetingId);
    const outsider = editor(session, meetingId);
    outsider.type(0, '見えてはいけない人の書き込み');
    const edit = await outsider.flush();
    expect(codeOf(edit)).toBe(code);
    expect(edit.data?.editMinutes ?? null).toBeNull();
    expect(await stored(meetingId)).toEqual(before);
    const read = await session.request(MINUTES_QUERY, { id: meetingId });
    expect(codeOf(read)).toBe(code);
    expect(JSON.stringify(read)).not.toContain('区の内部メモ');
    expect(codeOf(await session.request(PRESENCE_QUERY, { id: meetingId }))).toBe(code);
    outsider.connect(null);
    try {
      await eventually(() => outsider.events.completed || outsider.events.errors.length > 0 || outsider.events.items.some((r) => r.errors?.length), () => 'no answer');
      expect(outsider.errorCodes()).toContain(code);
      expect(outsider.events.items.some((r) => r.data?.minutesEvents)).toBe(false);
    } finally {
      await outsider.disconnect();
    }
  }

  it('refuses the public, another organisation, a proposer on an INTERNAL meeting, and a section without a match, as if the meeting did not exist', async () => {
    const p = await proposal();
    const shared = await meeting(p);
    const internal = await meeting(p, Audience.INTERNAL);
    const ward = editor(s.staffA, internal);
    await ward.load();
    ward.type(0, '区の内部メモ');
    expect((await ward.flush()).errors).toBeUndefined();

    await expectRefused(s.public, shared, 'UNAUTHENTICATED');
    await expectRefused(s.otherMember, shared, 'NOT_FOUND');
    await expectRefused(s.staffC, shared, 'NOT_FOUND');
    await expectRefused(s.member, internal, 'NOT_FOUND');
    await expectRefused(s.otherMember, internal, 'NOT_FOUND');
    await expectRefused(s.desk, '00000000-0000-4000-8000-000000000000', 'NOT_FOUND');
    await expectRefused(s.desk, 'not-a-uuid', 'NOT_FOUND');
    // The ward writes INTERNAL minutes: the desk and a pending section too.
    for (const session of [s.desk, s.staffB]) {
      const member = editor(session, internal);
      await member.load();
      expect(member.text.toString()).toBe('区の内部メモ');
    }
  });

  it('a section whose match is declined loses the minutes at once: its live stream ends, its edits are refused', async () => {
    const p = await proposal();
    const m = await meeting(p);
    const supporting = editor(s.staffB, m);
    const lead = editor(s.staffA, m);
    await supporting.load();
    await lead.load();
    // No periodic re-check during this test: the decline itself must end the stream.
    setMinutesTiming({ refreshMs: 60_000 });
    supporting.connect();
    lead.connect();
    await eventually(() => supporting.events.items.length > 0 && lead.events.items.length > 0, () => 'not live');
    setMinutesTiming({ refreshMs: REFRESH_MS });
    try {
      lead.type(0, '辞退前の記録。');
      expect((await lead.flush()).errors).toBeUndefined();
      await eventually(() => supporting.text.toString() === '辞退前の記録。', () => supporting.text.toString());

      await s.staffB.ok(DECLINE, { id: p.supportMatch.id, v: p.supportMatch.version, r: '所管外のため' });
      await eventually(() => supporting.errorCodes().includes('NOT_FOUND') || supporting.events.completed, () => JSON.stringify(supporting.events.items.slice(-1)));
      lead.type(lead.text.length, '辞退後の記録。');
      expect((await lead.flush()).errors).toBeUndefined();
      await eventually(() => lead.text.toString().includes('辞退後'), () => lead.text.toString());
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(supporting.text.toString()).not.toContain('辞退後');
      expect(JSON.stringify(supporting.events.items)).not.toContain(toBase64(new TextEncoder().encode('辞退後')));

      const before = await stored(m);
      supporting.type(0, '辞退後の書き込み');
      expect(codeOf(await supporting.flush())).toBe('NOT_FOUND');
      expect(await stored(m)).toEqual(before);
      // The lead section still sees that the declined section left.
      await eventually(() => !lead.present.some((person) => person.sectionName?.includes('環境テスト課')), () => JSON.stringify(lead.present));
    } finally {
      await supporting.disconnect();
      await lead.disconnect();
    }
  });

  it('a proposer who leaves the organisation loses the live stream at once', async () => {
    const p = await proposal();
    const m = await meeting(p);
    const leaving = await login(await createMember(db.orm.em.fork(), organisation));
    const leavingEditor = editor(leaving, m);
    await leavingEditor.load();
    setMinutesTiming({ refreshMs: 60_000 });
    leavingEditor.connect();
    try {
      await eventually(() => leavingEditor.events.items.length > 0, () => 'not live');
      setMinutesTiming({ refreshMs: REFRESH_MS });
      await leaving.ok('mutation { leaveOrganisation }');
      await eventually(() => leavingEditor.errorCodes().includes('NOT_FOUND'), () => JSON.stringify(leavingEditor.events.errors), 3_000);
      leavingEditor.type(0, '脱退後');
      expect(codeOf(await leavingEditor.flush())).toBe('NOT_FOUND');
      expect((await stored(m)).text).toBeNull();
    } finally {
      setMinutesTiming({ refreshMs: REFRESH_MS });
      await leavingEditor.disconnect();
    }
  });

  it('a disabled account loses the live stream within one refresh, and its edits are refused', async () => {
    const p = await proposal();
    const m = await meeting(p);
    const em = db.orm.em.fork();
    const disabled = await createAccount(em, Role.DESK);
    const disabledEditor = editor(await login(disabled), m);
    await disabledEditor.load();
    disabledEditor.connect();
    try {
      await eventually(() => disabledEditor.events.items.length > 0, () => 'not live');
      await em.nativeUpdate(AccountEntity, { id: disabled.id }, { disabledAt: new Date() });
      await eventually(() => disabledEditor.errorCodes().includes('UNAUTHENTICATED'), () => JSON.stringify(disabledEditor.events.errors));
      disabledEditor.type(0, '無効化後');
      expect(codeOf(await disabledEditor.flush())).toBe('UNAUTHENTICATED');
      expect((await stored(m)).text).toBeNull();
    } finally {
      await disabledEditor.disconnect();
    }
  });
});

describe('refused edits', () => {
  it('refuses garbage base64, bytes that are not a Yjs update, an oversized update and too long a text; the minutes stay as they were and keep working', async () => {
    const m = await meeting(await proposal());
    const desk = editor(s.desk, m);
    await desk.load();
    desk.type(0, '正しい一文。');
    expect((await desk.flush()).errors).toBeUndefined();
    const before = await stored(m);

    const garbage = await s.desk.request(EDIT_MUTATION, { id: m, u: '%%% これは base64 ではない %%%' });
    expect(codeOf(garbage)).toBe('BAD_USER_INPUT');
    expect(fieldsOf(garbage)).toEqual(['update:INVALID']);
    const notYjs = await s.desk.request(EDIT_MUTATION, { id: m, u: toBase64(new TextEncoder().encode('just some bytes, not an update')) });
    expect(fieldsOf(notYjs)).toEqual(['update:INVALID']);
    const random = await s.desk.request(EDIT_MUTATION, { id: m, u: toBase64(new Uint8Array(64).map((_, i) => (i * 37 + 11) % 256)) });
    expect(codeOf(random)).toBe('BAD_USER_INPUT');
    const oversized = await s.desk.request(EDIT_MUTATION, { id: m, u: toBase64(new Uint8Array(MAX_UPDATE_BYTES + 1)) });
    expect(fieldsOf(oversized)).toEqual(['update:TOO_LONG']);
    expect(fieldsOf(await s.desk.request(EDIT_MUTATION, { id: m, u: '' }))).toEqual(['update:REQUIRED']);

    // A paste that would make the minutes longer than 200 000 characters.
    const paster = editor(s.desk, m);
    await paster.load();
    paster.type(0, 'あ'.repeat(80_000));
    const chunks = Y.mergeUpdates(paster.unsent.splice(0));
    expect((await s.desk.request(EDIT_MUTATION, { id: m, u: toBase64(chunks) })).errors).toBeUndefined();
    paster.type(0, 'い'.repeat(80_000));
    expect((await paster.flush()).errors).toBeUndefined();
    paster.type(0, 'う'.repeat(50_000));
    expect(fieldsOf(await paster.flush())).toEqual(['update:TOO_LONG']);
    const after = await stored(m);
    expect(after.text!.length).toBe(160_000 + '正しい一文。'.length);
    expect(after.updates).toBe(before.updates + 2);

    desk.type(desk.text.length, 'その後も書ける。');
    expect((await desk.flush()).errors).toBeUndefined();
    expect((await stored(m)).text).toContain('その後も書ける。');
  });

  it('refuses edits of a cancelled meeting (its minutes stay readable)', async () => {
    const m = await meeting(await proposal(), Audience.SHARED, MeetingState.CANCELLED);
    const member = editor(s.member, m);
    await member.load();
    member.type(0, '中止後の書き込み');
    const result = await member.flush();
    expect(codeOf(result)).toBe('CONFLICT');
    expect(result.errors?.[0]?.extensions?.reason).toBe('ILLEGAL_STATE');
    expect(await stored(m)).toEqual({ text: null, updateCount: 0, updates: 0, events: 0 });
  });
});

describe('who is here', () => {
  it('shows a join and a leave live to another participant, with names and where they are from; stale rows do not count', async () => {
    const m = await meeting(await proposal());
    const section = editor(s.staffA, m);
    await section.load();
    section.connect();
    try {
      await eventually(() => section.present.some((person) => person.accountId === staffAAccount.id), () => JSON.stringify(section.present));
      const proposer = editor(s.member, m);
      await proposer.load();
      proposer.connect();
      await eventually(() => section.present.some((person) => person.accountId === memberAccount.id), () => JSON.stringify(section.present));
      const shown = section.present.find((person) => person.accountId === memberAccount.id)!;
      expect(shown).toEqual<Present>({ accountId: memberAccount.id, displayName: memberAccount.displayName, role: 'PROPOSER', sectionName: null, organisationName: '議事録テスト株式会社' });
      expect(section.present.find((person) => person.accountId === staffAAccount.id)!.sectionName).toContain('防災テスト課');
      const listed = (await s.desk.ok<{ minutesPresence: Present[] }>(PRESENCE_QUERY, { id: m })).minutesPresence.map((person) => person.accountId);
      expect(listed.sort()).toEqual([memberAccount.id, staffAAccount.id].sort());

      await proposer.disconnect();
      await eventually(() => !section.present.some((person) => person.accountId === memberAccount.id), () => JSON.stringify(section.present));

      // A crashed tab's row, not refreshed for an hour: not shown, and swept by the next refresh.
      const sql = db.orm.em.fork().getConnection();
      await sql.execute(`insert into minutes_presence (id, meeting_id, account_id, connection_id, last_seen_at) values (gen_random_uuid(), ?, ?, 'crashed', now() - interval '1 hour')`, [m, deskAccount.id]);
      const withStale = (await s.member.ok<{ minutesPresence: Present[] }>(PRESENCE_QUERY, { id: m })).minutesPresence.map((person) => person.accountId);
      expect(withStale).toEqual([staffAAccount.id]);
      await eventually(
        async () => (await sql.execute<Array<{ n: string }>>(`select count(*)::text as n from minutes_presence where meeting_id = ? and connection_id = 'crashed'`, [m]))[0]!.n === '0',
        () => 'stale row not swept',
      );
    } finally {
      await section.disconnect();
    }
    await eventually(async () => (await s.desk.ok<{ minutesPresence: Present[] }>(PRESENCE_QUERY, { id: m })).minutesPresence.length === 0, () => 'still present after leaving');
  });
});

describe('nothing of the minutes leaks into the outbox or the logs', () => {
  it('outbox payloads carry ids only and no log line carries the text', async () => {
    const m = await meeting(await proposal());
    const secret = '機密：入札予定価格は未定';
    const desk = editor(s.desk, m);
    await desk.load();
    desk.type(0, secret);
    const update = toBase64(Y.mergeUpdates(desk.unsent));
    expect((await desk.flush()).errors).toBeUndefined();
    // A failing edit too (logged paths included).
    await s.desk.request(EDIT_MUTATION, { id: m, u: update.slice(0, -8) + 'AAAAAAAA' });
    const rows = await db.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ kind: string; payload: Record<string, unknown> }>>('select kind, payload from domain_event where topic = ?', [`minutes:${m}`]);
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      const keys = Object.keys(row.payload).sort();
      expect(keys).toEqual(row.kind === 'MINUTES_EDITED' ? ['authorId', 'meetingId', 'updateId'] : ['accountIds', 'change', 'meetingId']);
      expect(JSON.stringify(row.payload)).not.toContain('機密');
    }
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain('機密');
    expect(logs).not.toContain(update);
    expect(logs).not.toContain(Buffer.from(secret).toString('base64').slice(0, 12));
  });
});
