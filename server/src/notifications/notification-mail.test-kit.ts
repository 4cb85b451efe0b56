import { randomBytes } from 'node:crypto';
import { Role, type Account } from '../identity/account.entity.js';
import { matchedProposal, type MatchedProposal } from '../minutes/minutes-test-fixtures.js';
import type { Section } from '../sections/section.entity.js';
import type { TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { COMPLETE_DRAFT } from '../../test/proposal-factories.js';

/** Test helpers for the notification mail tests: fresh people per test, so each reads only its own mail. */

export const START_THREAD = `mutation($pid: ID!, $input: StartThreadInput!) { startThread(proposalId: $pid, input: $input) { id } }`;
export const DECLINE = `mutation($id: ID!, $v: Int!, $r: String!) { declineMatch(matchId: $id, expectedVersion: $v, reason: $r) { id state } }`;
export const SET_PREFERENCE = `mutation($k: NotificationKind!, $d: MailDelivery!) { setMailPreference(kind: $k, delivery: $d) { kind delivery isDefault } }`;
export const MY_PREFERENCES = `{ myMailPreferences { kind delivery isDefault } }`;
export const REFERENCE = `query($id: ID!) { proposal(id: $id) { referenceNumber title version } }`;
export const OWNER = `mutation($id: ID!, $v: Int!, $a: ID!) { assignDeskOwner(proposalId: $id, expectedVersion: $v, accountId: $a) { id version } }`;
export const REQUEST_PROTECTION = `mutation($pid: ID!, $item: ProtectedItemInput!, $r: String!) { requestProtection(proposalId: $pid, item: $item, reason: $r) { id version } }`;

/** The proposal's content, which no mail may carry (the title alone is never protectable). */
export const CONTENT_FIELDS = [COMPLETE_DRAFT.content, COMPLETE_DRAFT.wardIssue, COMPLETE_DRAFT.expectedEffects, COMPLETE_DRAFT.askOfWard, COMPLETE_DRAFT.ownResources];

export interface Cast {
  secA: Section;
  secB: Section;
  a: Record<'desk' | 'staffA' | 'staffB' | 'member', Account>;
  s: Record<'desk' | 'staffA' | 'staffB' | 'member', HttpSession>;
  proposal(): Promise<MatchedProposal>;
}

/** A desk person, a lead section (accepts), a supporting section (pending) and a proposer, each new. */
export async function cast(server: TestServer): Promise<Cast> {
  const em = server.db.orm.em.fork();
  const [secA, secB] = (await createDepartmentWithSections(em, [`主担当課 ${randomBytes(2).toString('hex')}`, `支援課 ${randomBytes(2).toString('hex')}`])) as [Section, Section];
  const organisation = await createOrganisation(em);
  const a = {
    desk: await createAccount(em, Role.DESK),
    staffA: await createAccount(em, Role.SECTION, secA),
    staffB: await createAccount(em, Role.SECTION, secB),
    member: await createMember(em, organisation),
  };
  const login = (account: Account) => new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
  const s = { desk: await login(a.desk), staffA: await login(a.staffA), staffB: await login(a.staffB), member: await login(a.member) };
  return { secA, secB, a, s, proposal: () => matchedProposal({ member: s.member, desk: s.desk, leadStaff: s.staffA }, secA.id, secB.id) };
}

export const mention = (account: Account) => `@[${account.displayName}](account:${account.id})`;

export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
