import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'graphql-ws';
import { Role, type Account } from '../identity/account.entity.js';
import { newSession, SESSION_COOKIE } from '../identity/session.service.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe, type Collected, type GraphqlResult } from '../../test/graphql-client.js';
import { createAccount } from '../../test/factories.js';
import { ALL_PLEDGES, COMPLETE_DRAFT, createMember, createOrganisation } from '../../test/proposal-factories.js';
import { statementCount } from '../../test/statement-count.js';

const EVENTS = `subscription($after: String) { proposalEvents(after: $after) { cursor kind proposalId proposal { id title state referenceNumber } } }`;
const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id } }`;

type EventResult = { proposalEvents: { proposalId: string; proposal: { title: string } | null } };

let server: TestServer;
let member: HttpSession;

/** A session made directly in the database (no sign-in throttle for many people). */
async function sessionOf(account: Account): Promise<HttpSession> {
  const em = server.db.orm.em.fork();
  const issued = newSession(em, account, server.config);
  await em.flush();
  const session = new HttpSession(server.httpUrl);
  session.cookie = `${SESSION_COOKIE}=${issued.token}`;
  return session;
}

beforeAll(async () => {
  server = await startTestServer();
  const em = server.db.orm.em.fork();
  member = await sessionOf(await createMember(em, await createOrganisation(em, '共有イベント株式会社')));
});

afterAll(async () => {
  await server?.stop();
});

describe('proposalEvents fan out', () => {
  it('10 desk staff cost the same statements per submission as one, and each gets the same payload', async () => {
    const costWith = async (count: number): Promise<number> => {
      const em = server.db.orm.em.fork();
      const sessions = await Promise.all(Array.from({ length: count }, async () => sessionOf(await createAccount(em, Role.DESK))));
      const cursor = (await sessions[0]!.ok('{ liveCursor }')).liveCursor as string;
      const watchers: Array<{ client: Client; collected: Collected<GraphqlResult<EventResult>>; stop: () => void }> = sessions.map((session) => {
        const client = session.websocket(server.wsUrl);
        return { client, ...subscribe<EventResult>(client, EVENTS, { after: cursor }) };
      });
      try {
        const submit = async () => {
          const draft = (await member.ok(CREATE, { input: { ...COMPLETE_DRAFT, title: `${count}人に届く提案` } })).createProposalDraft;
          const id = (await member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal.id as string;
          await Promise.all(watchers.map((watcher) => watcher.collected.until((items) => items.some((r) => r.data?.proposalEvents.proposalId === id))));
          return id;
        };
        await submit();
        const { n, result } = await statementCount(submit);
        const payloads = new Set(watchers.map((watcher) => JSON.stringify(watcher.collected.items.find((r) => r.data?.proposalEvents.proposalId === result))));
        expect(payloads.size).toBe(1);
        return n;
      } finally {
        for (const watcher of watchers) watcher.stop();
        await Promise.all(watchers.map((watcher) => watcher.client.dispose()));
      }
    };
    const one = await costWith(1);
    expect(await costWith(10)).toBe(one);
  });
});
