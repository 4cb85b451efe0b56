import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe } from '../../test/graphql-client.js';
import { CHALLENGE_INPUT, TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import type { Section } from '../sections/section.entity.js';

const EVENTS = `subscription($after: String) { challengeEvents(after: $after) { cursor kind challengeId challenge { id title version published } } }`;
const CREATE = `mutation($input: ChallengeInput!) { createChallenge(input: $input) { id version } }`;
const UPDATE = `mutation($id: ID!, $v: Int!, $input: ChallengeInput!) { updateChallenge(id: $id, expectedVersion: $v, input: $input) { id version } }`;
const OPEN = `mutation($id: ID!, $v: Int!) { openChallenge(id: $id, expectedVersion: $v) { id version } }`;
const PUBLISH = `mutation($id: ID!, $v: Int!) { publishChallenge(id: $id, expectedVersion: $v) { id version } }`;
const UNPUBLISH = `mutation($id: ID!, $v: Int!) { unpublishChallenge(id: $id, expectedVersion: $v, reason: "見直し") { id version } }`;

type EventResult = { challengeEvents: { cursor: string; kind: string; challengeId: string; challenge: { id: string; title: string; version: number; published: boolean } | null } };

let server: TestServer;
let section: Section;
let desk1: HttpSession;
let desk2: HttpSession;

async function signIn(role: Role): Promise<HttpSession> {
  const account = await createAccount(server.db.orm.em.fork(), role, role === Role.SECTION ? section : null);
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

/** Subscribes from the current position, so nothing done after this call can be missed, however slow the socket. */
async function watch(session: HttpSession) {
  const { liveCursor } = await session.ok<{ liveCursor: string }>('{ liveCursor }');
  const client = session.websocket(server.wsUrl);
  return { client, ...subscribe<EventResult>(client, EVENTS, { after: liveCursor }) };
}

async function createAndPublish(title: string): Promise<{ id: string; version: number }> {
  const created = (await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title, owningSectionId: section.id } })).createChallenge;
  const opened = (await desk1.ok(OPEN, { id: created.id, v: created.version })).openChallenge;
  return (await desk1.ok(PUBLISH, { id: opened.id, v: opened.version })).publishChallenge;
}

beforeAll(async () => {
  server = await startTestServer();
  [section] = (await createDepartmentWithSections(server.db.orm.em.fork(), ['防災危機管理課'])) as [Section];
  desk1 = await signIn(Role.DESK);
  desk2 = await signIn(Role.DESK);
});

afterAll(async () => {
  await server?.stop();
});

describe('live challenge events over graphql-ws', () => {
  it('shows one desk member’s edit to another desk member live, with the new content', async () => {
    const { client, collected, stop } = await watch(desk2);
    try {
      const created = (await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '編集前', owningSectionId: section.id } })).createChallenge;
      await desk1.ok(UPDATE, { id: created.id, v: created.version, input: { ...CHALLENGE_INPUT, title: '編集後のタイトル', owningSectionId: section.id } });
      const items = await collected.until((all) => all.some((r) => r.data?.challengeEvents.kind === 'UPDATED'));
      const updated = items.find((r) => r.data?.challengeEvents.kind === 'UPDATED')!.data!.challengeEvents;
      expect(updated.challengeId).toBe(created.id);
      expect(updated.challenge).toMatchObject({ title: '編集後のタイトル', version: created.version + 1 });
      expect(items.map((r) => r.data?.challengeEvents.kind)).toEqual(['CREATED', 'UPDATED']);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('never tells the public about drafts, and tells it when a challenge it saw is withdrawn', async () => {
    const { client, collected, stop } = await watch(new HttpSession(server.httpUrl));
    try {
      const draft = (await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '内部の下書き（秘）', owningSectionId: section.id } })).createChallenge;
      await desk1.ok(UPDATE, { id: draft.id, v: draft.version, input: { ...CHALLENGE_INPUT, title: '内部の下書き（秘）改', owningSectionId: section.id } });
      const published = await createAndPublish('公開する課題');
      // Payloads are read at delivery time: wait for this one before withdrawing the challenge.
      await collected.until((all) => all.some((r) => r.data?.challengeEvents.kind === 'PUBLISHED'));
      await desk1.ok(UNPUBLISH, { id: published.id, v: published.version });
      const items = await collected.until((all) => all.some((r) => r.data?.challengeEvents.kind === 'UNPUBLISHED'));
      const events = items.map((r) => r.data!.challengeEvents);
      expect(JSON.stringify(items)).not.toContain('内部の下書き');
      expect(events.map((e) => e.challengeId)).not.toContain(draft.id);
      expect(events.map((e) => e.kind)).toEqual(['PUBLISHED', 'UNPUBLISHED']);
      expect(events[0]!.challenge?.title).toBe('公開する課題');
      // Withdrawn: the public is told to remove it, and is not shown its content.
      expect(events[1]!.challenge).toBeNull();
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('never replays content that has since been withdrawn: payloads are read as they are now', async () => {
    const visitor = new HttpSession(server.httpUrl);
    const { liveCursor } = await visitor.ok<{ liveCursor: string }>('{ liveCursor }');
    const published = await createAndPublish('公開後すぐ取り下げる課題');
    await desk1.ok(UNPUBLISH, { id: published.id, v: published.version });
    // The visitor was away for both; on return it replays them.
    const client = visitor.websocket(server.wsUrl);
    const { collected, stop } = subscribe<EventResult>(client, EVENTS, { after: liveCursor });
    try {
      const items = await collected.until((all) => all.length >= 2);
      expect(items.map((r) => r.data!.challengeEvents.kind)).toEqual(['PUBLISHED', 'UNPUBLISHED']);
      expect(items.map((r) => r.data!.challengeEvents.challenge)).toEqual([null, null]);
      expect(JSON.stringify(items)).not.toContain('公開後すぐ取り下げる課題');
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('replays what a reconnecting client missed, in order, from the cursor it last saw', async () => {
    const live = await watch(desk2);
    const first = live.client;
    const a = (await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '切断前', owningSectionId: section.id } })).createChallenge;
    const seen = await live.collected.until((all) => all.length === 1);
    const lastCursor = seen[0]!.data!.challengeEvents.cursor;
    live.stop();
    await first.dispose();

    // While disconnected, three things happen.
    const b = (await desk1.ok(UPDATE, { id: a.id, v: a.version, input: { ...CHALLENGE_INPUT, title: '切断中の編集', owningSectionId: section.id } })).updateChallenge;
    const c = (await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: '切断中の作成', owningSectionId: section.id } })).createChallenge;
    await desk1.ok(OPEN, { id: b.id, v: b.version });

    const second = desk2.websocket(server.wsUrl);
    const resumed = subscribe<EventResult>(second, EVENTS, { after: lastCursor });
    try {
      const items = await resumed.collected.until((all) => all.length >= 3);
      await desk1.ok(OPEN, { id: c.id, v: c.version });
      const all = await resumed.collected.until((list) => list.length >= 4);
      expect(all.map((r) => [r.data!.challengeEvents.kind, r.data!.challengeEvents.challengeId])).toEqual([
        ['UPDATED', a.id],
        ['CREATED', c.id],
        ['OPENED', a.id],
        ['OPENED', c.id],
      ]);
      expect(items.length).toBeGreaterThanOrEqual(3);
      const cursors = all.map((r) => r.data!.challengeEvents.cursor);
      expect(new Set(cursors).size).toBe(cursors.length);
    } finally {
      resumed.stop();
      await second.dispose();
    }
  });

  it('ends a live stream when its session is signed out elsewhere', async () => {
    const desk3 = await signIn(Role.DESK);
    const { client, collected, stop } = await watch(desk3);
    try {
      await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: 'ログアウト前の作成', owningSectionId: section.id } });
      await collected.until((all) => all.length === 1); // the stream is live
      await desk3.ok('mutation { logout }');
      await desk1.ok(CREATE, { input: { ...CHALLENGE_INPUT, title: 'ログアウト後の作成', owningSectionId: section.id } });
      await collected.until(() => collected.completed || collected.errors.length > 0 || collected.items.some((r) => r.errors?.length));
      expect(JSON.stringify(collected.items)).not.toContain('ログアウト後の作成');
      const errors = [...collected.items.flatMap((r) => r.errors ?? []), ...(collected.errors.flat() as Array<{ extensions?: { code?: string } }>)];
      // Whichever comes first: the next event's session check (UNAUTHENTICATED) or the socket
      // closed because its session ended (4403, identity/socket-sessions.ts).
      const codes = [...errors.map((e) => e.extensions?.code), ...(collected.errors.flat() as Array<{ code?: number }>).map((e) => e.code)];
      expect(codes.some((code) => code === 'UNAUTHENTICATED' || code === 4403), JSON.stringify(codes)).toBe(true);
    } finally {
      stop();
      await client.dispose();
    }
  });

  it('refuses desk mutations over a websocket without a session', async () => {
    const visitor = new HttpSession(server.httpUrl);
    const client = visitor.websocket(server.wsUrl);
    try {
      const { collected } = subscribe(client, CREATE, { input: CHALLENGE_INPUT });
      const [result] = await collected.until((all) => all.length === 1);
      expect(result!.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(result!.data?.createChallenge ?? null).toBeNull();
    } finally {
      await client.dispose();
    }
  });

  it('answers a malformed cursor with BAD_USER_INPUT', async () => {
    const client = desk2.websocket(server.wsUrl);
    try {
      const { collected } = subscribe(client, EVENTS, { after: 'not-a-cursor' });
      const [result] = await collected.until((all) => all.length === 1);
      expect(result!.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    } finally {
      await client.dispose();
    }
  });
});
