import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { Account, Role } from '../identity/account.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, type GraphqlResult } from '../../test/graphql-client.js';
import { TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { corporateNumberCheckDigit } from './corporate-number.js';
import { Invitation } from './invitation.entity.js';
import { Membership } from './membership.entity.js';
import { Organisation } from './organisation.entity.js';

const REGISTER = 'mutation($input: OrganisationRegistrationInput!) { registerOrganisation(input: $input) { id email role displayName } }';
const ME = '{ me { id email role } }';
const MY_ORG = '{ myOrganisation { id name kind corporateNumber version members { accountId displayName email } pendingInvitations { id email } viewerCan { invite leave removeMembers verify suspend reinstate } } }';
const ORG = 'query($id: ID!) { organisation(id: $id) { id name members { accountId } pendingInvitations { id } } }';
const INVITE = 'mutation($e: String!) { inviteMember(email: $e) { id email expiresAt url } }';
const PREVIEW = 'query($t: String!) { invitation(token: $t) { organisationName email expiresAt } }';
const ACCEPT = 'mutation($t: String!, $n: String!, $p: String!) { acceptInvitation(token: $t, displayName: $n, password: $p) { id email role } }';
const REVOKE = 'mutation($id: ID!) { revokeInvitation(id: $id) }';
const LEAVE = 'mutation { leaveOrganisation }';
const REMOVE = 'mutation($a: ID!) { removeMember(accountId: $a) }';
const LIST = 'query($first: Int!, $after: String, $filter: OrganisationFilter) { organisations(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { id name verifiedAt suspendedAt members { accountId } } } } }';
const VERIFY = 'mutation($id: ID!, $v: Int!) { verifyOrganisation(id: $id, expectedVersion: $v) { id version verifiedAt } }';
const SUSPEND = 'mutation($id: ID!, $v: Int!, $r: String!) { suspendOrganisation(id: $id, expectedVersion: $v, reason: $r) { id version suspendedAt suspensionReason } }';
const REINSTATE = 'mutation($id: ID!, $v: Int!) { reinstateOrganisation(id: $id, expectedVersion: $v) { id version suspendedAt suspensionReason } }';

let server: TestServer;
let desk: HttpSession;
let sectionStaff: HttpSession;
let visitor: HttpSession;

function newCorporateNumber(): string {
  const base = String(BigInt(`0x${randomBytes(6).toString('hex')}`) % 10n ** 12n).padStart(12, '0');
  return `${corporateNumberCheckDigit(base)}${base}`;
}

/** Each registration from its own documentation-range address, so refusals in one test do not throttle another. */
function uniqueAddress(): string {
  const [a, b] = randomBytes(2);
  return `10.${a}.${b}.${(a! + b!) % 250 + 1}`;
}

function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const tag = randomBytes(4).toString('hex');
  return {
    email: `Founder-${tag}@Example.JP`,
    displayName: '板橋 太郎',
    password: 'a long enough password',
    name: `株式会社テスト${tag}`,
    nameKana: 'カブシキガイシャ テスト',
    kind: 'COMPANY',
    corporateNumber: newCorporateNumber(),
    address: '東京都板橋区板橋二丁目66番1号',
    representative: '代表取締役 板橋 一郎',
    contactName: '板橋 太郎',
    contactEmail: `contact-${tag}@example.jp`,
    contactPhone: '03-3964-1111',
    ...overrides,
  };
}

/** Registers as a browser at `address` would (the server trusts X-Forwarded-For from loopback only). */
async function register(input: Record<string, unknown>, address = uniqueAddress()): Promise<{ session: HttpSession; result: GraphqlResult; setCookie: string | null }> {
  const session = new HttpSession(server.httpUrl);
  const response = await fetch(server.httpUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
    body: JSON.stringify({ query: REGISTER, variables: { input } }),
  });
  const setCookie = response.headers.get('set-cookie');
  if (setCookie) session.cookie = setCookie.split(';')[0];
  return { session, result: (await response.json()) as GraphqlResult, setCookie };
}

/** A registered organisation with its signed-in first member. */
async function founder(overrides: Record<string, unknown> = {}): Promise<{ session: HttpSession; accountId: string; organisationId: string; input: Record<string, unknown> }> {
  const input = registration(overrides);
  const { session, result } = await register(input);
  expect(result.errors).toBeUndefined();
  const org = (await session.ok(MY_ORG)).myOrganisation;
  return { session, accountId: result.data!.registerOrganisation.id, organisationId: org.id, input };
}

function tokenOf(url: string): string {
  return url.replace('/invitations/', '');
}

/** A colleague invited by `inviter` who accepts with a new account. */
async function colleague(inviter: HttpSession): Promise<{ session: HttpSession; accountId: string; email: string }> {
  const email = `colleague-${randomBytes(4).toString('hex')}@example.jp`;
  const link = (await inviter.ok(INVITE, { e: email })).inviteMember;
  const session = new HttpSession(server.httpUrl);
  const accepted = (await session.ok(ACCEPT, { t: tokenOf(link.url), n: '同僚 花子', p: TEST_PASSWORD })).acceptInvitation;
  return { session, accountId: accepted.id, email };
}

async function counts(): Promise<{ accounts: number; organisations: number; memberships: number; invitations: number; events: number }> {
  const em = server.db.orm.em.fork();
  return {
    accounts: await em.count(Account, {}),
    organisations: await em.count(Organisation, {}),
    memberships: await em.count(Membership, {}),
    invitations: await em.count(Invitation, {}),
    events: await em.count(DomainEvent, { topic: 'organisation' }),
  };
}

async function signIn(role: Role): Promise<HttpSession> {
  const account = await createAccount(server.db.orm.em.fork(), role);
  return new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
}

function fieldCodes(result: GraphqlResult): Record<string, string> {
  return Object.fromEntries((result.errors?.[0]?.extensions?.fields ?? []).map((f) => [f.field, f.code]));
}

beforeAll(async () => {
  server = await startTestServer();
  desk = await signIn(Role.DESK);
  sectionStaff = await signIn(Role.SECTION);
  visitor = new HttpSession(server.httpUrl);
});

afterAll(async () => {
  await server?.stop();
});

describe('registering an organisation', () => {
  it('creates the account, the organisation and the first membership, and signs the person in', async () => {
    const before = await counts();
    // Typed with a hyphen: stored normalised.
    const input = registration({ corporateNumber: newCorporateNumber().replace(/^(\d)(\d{4})/, '$1-$2') });
    const { session, result, setCookie } = await register(input);
    expect(result.errors).toBeUndefined();
    expect(setCookie).toMatch(/^renkei_session=.+HttpOnly/i);
    expect(result.data!.registerOrganisation).toMatchObject({ email: String(input.email).toLowerCase(), role: 'PROPOSER' });
    expect((await session.ok(ME)).me.id).toBe(result.data!.registerOrganisation.id);
    const org = (await session.ok(MY_ORG)).myOrganisation;
    expect(org).toMatchObject({ name: input.name, kind: 'COMPANY', corporateNumber: String(input.corporateNumber).replace('-', '') });
    expect(org.members).toEqual([{ accountId: result.data!.registerOrganisation.id, displayName: '板橋 太郎', email: String(input.email).toLowerCase() }]);
    expect(org.viewerCan).toEqual({ invite: true, leave: true, removeMembers: true, verify: false, suspend: false, reinstate: false });
    expect(await counts()).toMatchObject({ accounts: before.accounts + 1, organisations: before.organisations + 1, memberships: before.memberships + 1, events: before.events + 1 });
  });

  it('refuses an individual with a clear reason, and saves nothing', async () => {
    const before = await counts();
    const { result, setCookie } = await register(registration({ kind: 'INDIVIDUAL', corporateNumber: null }));
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'kind', code: 'NOT_ACCEPTED', message: expect.stringContaining('Individuals cannot propose') })]);
    expect(result.errors?.[0]?.extensions?.fields?.[0]).toMatchObject({ message: expect.stringContaining('個人の方からの提案は受け付けていません') });
    expect(setCookie).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('refuses a wrong 法人番号 check digit, and saves nothing', async () => {
    const valid = newCorporateNumber();
    const wrong = `${(Number(valid[0]) % 9) + 1}${valid.slice(1)}`;
    const before = await counts();
    const { result } = await register(registration({ corporateNumber: wrong }));
    expect(fieldCodes(result)).toEqual({ corporateNumber: 'INVALID' });
    expect(result.errors?.[0]?.extensions?.fields?.[0]).toMatchObject({ message: expect.stringContaining('check digit') });
    expect(await counts()).toEqual(before);
  });

  it('refuses a registered e-mail (any case) and a registered 法人番号, reporting both at once, and saves nothing', async () => {
    const first = await founder();
    const before = await counts();
    const { result, setCookie } = await register(registration({ email: String(first.input.email).toUpperCase(), corporateNumber: first.input.corporateNumber, password: 'short' }));
    expect(fieldCodes(result)).toEqual({ email: 'INVALID', password: 'INVALID', corporateNumber: 'INVALID' });
    const again = await register(registration({ email: String(first.input.email).toUpperCase(), corporateNumber: first.input.corporateNumber }));
    expect(fieldCodes(again.result)).toEqual({ email: 'INVALID', corporateNumber: 'INVALID' });
    const emailError = again.result.errors?.[0]?.extensions?.fields?.find((f) => f.field === 'email') as unknown as { message: string };
    expect(emailError.message).toBe('You cannot register with this e-mail address');
    expect(setCookie).toBeNull();
    expect(await counts()).toEqual(before);
    // A ward staff member's address is refused the same way as a proposer's.
    const staff = await createAccount(server.db.orm.em.fork(), Role.DESK);
    const staffTry = await register(registration({ email: staff.email }));
    expect(staffTry.result.errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'email', code: 'INVALID', message: emailError.message })]);
    expect(await counts()).toMatchObject({ accounts: before.accounts + 1, organisations: before.organisations, memberships: before.memberships });
  });

  it('lets only one of two simultaneous registrations with one e-mail or one 法人番号 through, with nothing half-saved', async () => {
    const before = await counts();
    const sameEmail = registration();
    const sameNumber = registration();
    const results = await Promise.all([
      register(sameEmail),
      register({ ...registration(), email: sameEmail.email }),
      register(sameNumber),
      register({ ...registration(), corporateNumber: sameNumber.corporateNumber }),
    ]);
    const refused = results.filter((r) => r.result.errors).map((r) => fieldCodes(r.result));
    expect(refused.sort((a, b) => Object.keys(a)[0]!.localeCompare(Object.keys(b)[0]!))).toEqual([{ corporateNumber: 'INVALID' }, { email: 'INVALID' }]);
    expect(await counts()).toMatchObject({ accounts: before.accounts + 2, organisations: before.organisations + 2, memberships: before.memberships + 2 });
  });

  it('reports every problem at once', async () => {
    const before = await counts();
    const { result } = await register(registration({ kind: 'INDIVIDUAL', email: '', nameKana: 'ひらがな', corporateNumber: '12345', contactPhone: '', name: 'あ'.repeat(201) }));
    expect(fieldCodes(result)).toEqual({ kind: 'NOT_ACCEPTED', email: 'REQUIRED', nameKana: 'INVALID', corporateNumber: 'INVALID', contactPhone: 'REQUIRED', name: 'TOO_LONG' });
    expect(await counts()).toEqual(before);
  });

  it('accepts a university or other body without a 法人番号', async () => {
    for (const kind of ['UNIVERSITY', 'OTHER']) {
      const { result } = await register(registration({ kind, corporateNumber: null }));
      expect([kind, result.errors]).toEqual([kind, undefined]);
    }
    const { result } = await register(registration({ kind: 'NPO', corporateNumber: null }));
    expect(fieldCodes(result)).toEqual({ corporateNumber: 'REQUIRED' });
  });

  it('throttles refused registrations per address, even a valid one afterwards, and not other addresses', async () => {
    const address = '203.0.113.77';
    for (let i = 0; i < server.config.loginThrottleMax; i += 1) {
      const { result } = await register(registration({ kind: 'INDIVIDUAL' }), address);
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    const before = await counts();
    const blocked = await register(registration(), address);
    expect(blocked.result.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(blocked.setCookie).toBeNull();
    expect(await counts()).toEqual(before);
    const elsewhere = await register(registration(), '203.0.113.78');
    expect(elsewhere.result.errors).toBeUndefined();
  });
});

describe('invitations', () => {
  it('gives a single-use link that signs the colleague in as a member; the token is stored only as a hash', async () => {
    const org = await founder();
    const link = (await org.session.ok(INVITE, { e: 'New.Colleague@Example.jp' })).inviteMember;
    expect(link.email).toBe('new.colleague@example.jp');
    expect(link.url).toMatch(/^\/invitations\/[A-Za-z0-9_-]{43}$/);
    const days = (new Date(link.expiresAt).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    const token = tokenOf(link.url);
    const stored = await server.db.orm.em.fork().findOneOrFail(Invitation, { id: link.id });
    expect(stored.tokenHash).not.toContain(token);
    expect(stored.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect((await org.session.ok(MY_ORG)).myOrganisation.pendingInvitations).toEqual([{ id: link.id, email: 'new.colleague@example.jp' }]);

    expect((await visitor.ok(PREVIEW, { t: token })).invitation).toMatchObject({ organisationName: org.input.name, email: 'new.colleague@example.jp' });
    const invitee = new HttpSession(server.httpUrl);
    const accepted = (await invitee.ok(ACCEPT, { t: token, n: '新人 花子', p: TEST_PASSWORD })).acceptInvitation;
    expect(accepted).toMatchObject({ email: 'new.colleague@example.jp', role: 'PROPOSER' });
    const seen = (await invitee.ok(MY_ORG)).myOrganisation;
    expect(seen.id).toBe(org.organisationId);
    expect(seen.members.map((m: any) => m.email).sort()).toEqual([String(org.input.email).toLowerCase(), 'new.colleague@example.jp'].sort());
    expect(seen.pendingInvitations).toEqual([]);

    const before = await counts();
    const second = await new HttpSession(server.httpUrl).request(ACCEPT, { t: token, n: '二度目', p: TEST_PASSWORD });
    expect(second.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await visitor.ok(PREVIEW, { t: token })).invitation).toBeNull();
    expect(await counts()).toEqual(before);
  });

  it('lets exactly one of two simultaneous acceptances of one link through', async () => {
    const org = await founder();
    const link = (await org.session.ok(INVITE, { e: `race-${randomBytes(3).toString('hex')}@example.jp` })).inviteMember;
    const before = await counts();
    const results = await Promise.all([0, 1, 2].map(() => new HttpSession(server.httpUrl).request(ACCEPT, { t: tokenOf(link.url), n: '同時 太郎', p: TEST_PASSWORD })));
    expect(results.filter((r) => r.data?.acceptInvitation).length).toBe(1);
    expect(await counts()).toMatchObject({ accounts: before.accounts + 1, memberships: before.memberships + 1 });
  });

  it('answers an expired, a revoked and an unknown link the same way, and creates nothing', async () => {
    const org = await founder();
    const expired = (await org.session.ok(INVITE, { e: `late-${randomBytes(3).toString('hex')}@example.jp` })).inviteMember;
    await server.db.orm.em.fork().nativeUpdate(Invitation, { id: expired.id }, { expiresAt: new Date(Date.now() - 1000) });
    const revoked = (await org.session.ok(INVITE, { e: `gone-${randomBytes(3).toString('hex')}@example.jp` })).inviteMember;
    expect((await org.session.ok(REVOKE, { id: revoked.id })).revokeInvitation).toBe(true);
    const before = await counts();
    const answers = [];
    for (const token of [tokenOf(expired.url), tokenOf(revoked.url), randomBytes(32).toString('base64url'), 'x']) {
      expect((await visitor.ok(PREVIEW, { t: token })).invitation).toBeNull();
      const result = await new HttpSession(server.httpUrl).request(ACCEPT, { t: token, n: '誰か', p: TEST_PASSWORD });
      answers.push({ code: result.errors?.[0]?.extensions?.code, message: result.errors?.[0]?.message });
    }
    expect(new Set(answers.map((a) => JSON.stringify(a))).size).toBe(1);
    expect(answers[0]!.code).toBe('NOT_FOUND');
    expect(await counts()).toEqual(before);
  });

  it('refuses a bad display name or password for a new account without using up the link', async () => {
    const org = await founder();
    const link = (await org.session.ok(INVITE, { e: `typo-${randomBytes(3).toString('hex')}@example.jp` })).inviteMember;
    const before = await counts();
    const bad = await new HttpSession(server.httpUrl).request(ACCEPT, { t: tokenOf(link.url), n: ' ', p: 'short' });
    expect(fieldCodes(bad)).toEqual({ displayName: 'REQUIRED', password: 'INVALID' });
    expect(await counts()).toEqual(before);
    await new HttpSession(server.httpUrl).ok(ACCEPT, { t: tokenOf(link.url), n: '直した 人', p: TEST_PASSWORD });
  });

  it('lets an existing proposer without an organisation join only when signed in as the invited address', async () => {
    const org = await founder();
    const loner = await createAccount(server.db.orm.em.fork(), Role.PROPOSER);
    const link = (await org.session.ok(INVITE, { e: loner.email })).inviteMember;
    const token = tokenOf(link.url);
    const someoneElse = await signIn(Role.PROPOSER);
    const before = await counts();
    const anonymous = await new HttpSession(server.httpUrl).request(ACCEPT, { t: token, n: 'x', p: TEST_PASSWORD });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await someoneElse.request(ACCEPT, { t: token, n: 'x', p: TEST_PASSWORD })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await counts()).toEqual(before);
    const himself = await new HttpSession(server.httpUrl).login(loner.email, TEST_PASSWORD);
    expect((await himself.ok(MY_ORG)).myOrganisation).toBeNull();
    expect((await himself.ok(ACCEPT, { t: token, n: 'ignored', p: 'ignored' })).acceptInvitation.id).toBe(loner.id);
    expect((await himself.ok(MY_ORG)).myOrganisation.id).toBe(org.organisationId);
    expect(await counts()).toMatchObject({ accounts: before.accounts, memberships: before.memberships + 1 });
  });

  it('refuses a member of another organisation, who must leave first', async () => {
    const org = await founder();
    const other = await founder();
    const link = (await org.session.ok(INVITE, { e: String(other.input.email) })).inviteMember;
    const result = await other.session.request(ACCEPT, { t: tokenOf(link.url), n: 'x', p: TEST_PASSWORD });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
    expect((await other.session.ok(MY_ORG)).myOrganisation.id).toBe(other.organisationId);
    expect((await visitor.ok(PREVIEW, { t: tokenOf(link.url) })).invitation).not.toBeNull();
  });

  it('lets only members invite and revoke; another organisation’s invitation looks missing', async () => {
    const org = await founder();
    const other = await founder();
    const link = (await org.session.ok(INVITE, { e: `x-${randomBytes(3).toString('hex')}@example.jp` })).inviteMember;
    expect((await other.session.request(REVOKE, { id: link.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await desk.request(INVITE, { e: 'a@example.jp' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await visitor.request(INVITE, { e: 'a@example.jp' })).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect((await org.session.request(INVITE, { e: 'not an address' })).errors?.[0]?.extensions?.fields).toEqual([expect.objectContaining({ field: 'email', code: 'INVALID' })]);
    expect((await visitor.ok(PREVIEW, { t: tokenOf(link.url) })).invitation).not.toBeNull();
  });
});

describe('who sees an organisation', () => {
  it('shows it, its members and invitations to its members and the desk; to everyone else it does not exist', async () => {
    const org = await founder();
    await org.session.ok(INVITE, { e: `p-${randomBytes(3).toString('hex')}@example.jp` });
    const other = await founder();
    expect((await org.session.ok(ORG, { id: org.organisationId })).organisation).toMatchObject({ id: org.organisationId, members: [{ accountId: org.accountId }] });
    const byDesk = (await desk.ok(ORG, { id: org.organisationId })).organisation;
    expect(byDesk.members).toHaveLength(1);
    expect(byDesk.pendingInvitations).toHaveLength(1);
    for (const outsider of [visitor, sectionStaff, other.session]) {
      expect((await outsider.ok(ORG, { id: org.organisationId })).organisation).toBeNull();
      expect((await outsider.ok(ORG, { id: '00000000-0000-4000-8000-000000000000' })).organisation).toBeNull();
    }
    expect((await sectionStaff.ok(MY_ORG)).myOrganisation).toBeNull();
    expect((await desk.ok(MY_ORG)).myOrganisation).toBeNull();
    expect((await visitor.request(MY_ORG)).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    for (const outsider of [sectionStaff, org.session, visitor]) {
      expect((await outsider.request(LIST, { first: 10 })).data?.organisations ?? null).toBeNull();
    }
  });
});

describe('leaving and removal end access at once', () => {
  it('after leaveOrganisation the very next request sees nothing of the organisation', async () => {
    const org = await founder();
    const mate = await colleague(org.session);
    expect((await mate.session.ok(ORG, { id: org.organisationId })).organisation.id).toBe(org.organisationId);
    const before = await counts();
    expect((await mate.session.ok(LEAVE)).leaveOrganisation).toBe(true);
    expect((await mate.session.ok(MY_ORG)).myOrganisation).toBeNull();
    expect((await mate.session.ok(ORG, { id: org.organisationId })).organisation).toBeNull();
    expect((await mate.session.request(INVITE, { e: 'z@example.jp' })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await org.session.ok(MY_ORG)).myOrganisation.members.map((m: any) => m.accountId)).toEqual([org.accountId]);
    expect(await counts()).toMatchObject({ memberships: before.memberships, events: before.events + 1 });
  });

  it('after removeMember the removed person’s very next request sees nothing; the remover keeps access', async () => {
    const org = await founder();
    const mate = await colleague(org.session);
    // Any member may remove any other: the colleague could equally remove the founder.
    expect((await org.session.ok(REMOVE, { a: mate.accountId })).removeMember).toBe(true);
    expect((await mate.session.ok(MY_ORG)).myOrganisation).toBeNull();
    expect((await mate.session.ok(ORG, { id: org.organisationId })).organisation).toBeNull();
    expect((await mate.session.request(REMOVE, { a: org.accountId })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await org.session.ok(MY_ORG)).myOrganisation.id).toBe(org.organisationId);
    const membership = await server.db.orm.em.fork().findOneOrFail(Membership, { account: mate.accountId });
    expect(membership.removedBy).toBe(org.accountId);
    expect(membership.leftAt).not.toBeNull();
    // A former member can be invited back.
    const back = (await org.session.ok(INVITE, { e: mate.email })).inviteMember;
    expect((await mate.session.ok(ACCEPT, { t: tokenOf(back.url), n: 'x', p: 'x' })).acceptInvitation.id).toBe(mate.accountId);
    expect((await mate.session.ok(MY_ORG)).myOrganisation.id).toBe(org.organisationId);
  });

  it('never orphans an organisation: the last member cannot leave', async () => {
    const org = await founder();
    const before = await counts();
    const result = await org.session.request(LEAVE);
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
    expect((await org.session.ok(MY_ORG)).myOrganisation.id).toBe(org.organisationId);
    expect(await counts()).toEqual(before);
  });

  it('lets only one of the last two members leave when both try at once', async () => {
    const org = await founder();
    const mate = await colleague(org.session);
    const results = await Promise.all([org.session.request(LEAVE), mate.session.request(LEAVE)]);
    expect(results.filter((r) => r.data?.leaveOrganisation === true)).toHaveLength(1);
    expect(results.filter((r) => r.errors?.[0]?.extensions?.reason === 'ILLEGAL_STATE')).toHaveLength(1);
    expect(await server.db.orm.em.fork().count(Membership, { organisation: org.organisationId, leftAt: null })).toBe(1);
  });

  it('refuses to remove someone who is not a member, or oneself', async () => {
    const org = await founder();
    const other = await founder();
    expect((await org.session.request(REMOVE, { a: other.accountId })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await org.session.request(REMOVE, { a: 'not-a-uuid' })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await org.session.request(REMOVE, { a: org.accountId })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT' });
    expect((await other.session.ok(MY_ORG)).myOrganisation.id).toBe(other.organisationId);
  });
});

describe('the desk', () => {
  it('lists, filters and searches organisations with a total, paging without repeats', async () => {
    const tag = randomBytes(3).toString('hex');
    const a = await founder({ name: `検索用ひろば${tag}`, kind: 'NPO' });
    const b = await founder({ name: `検索用ひろば${tag}大学`, kind: 'UNIVERSITY', corporateNumber: null });
    const search = (await desk.ok(LIST, { first: 10, filter: { search: `ひろば${tag}` } })).organisations;
    expect(search.totalCount).toBe(2);
    expect(search.edges.map((e: any) => e.node.id)).toEqual([b.organisationId, a.organisationId]);
    expect((await desk.ok(LIST, { first: 10, filter: { search: `ひろば${tag}`, kind: 'NPO' } })).organisations.edges.map((e: any) => e.node.id)).toEqual([a.organisationId]);
    expect((await desk.ok(LIST, { first: 10, filter: { search: String(a.input.corporateNumber).slice(2, 11) } })).organisations.edges.map((e: any) => e.node.id)).toContain(a.organisationId);
    expect((await desk.ok(LIST, { first: 10, filter: { search: '100%_' } })).organisations.totalCount).toBe(0);
    const all = (await desk.ok(LIST, { first: 100 })).organisations;
    expect(all.totalCount).toBe(await server.db.orm.em.fork().count(Organisation, {}));
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = (await desk.ok(LIST, { first: 3, after })).organisations;
      seen.push(...page.edges.map((e: any) => e.node.id));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.edges.map((e: any) => e.node.id));
  });

  it('verifies, suspends with a reason and reinstates, with versions; a suspended organisation cannot invite', async () => {
    const org = await founder();
    let version = (await org.session.ok(MY_ORG)).myOrganisation.version as number;
    const verified = (await desk.ok(VERIFY, { id: org.organisationId, v: version })).verifyOrganisation;
    expect(verified.verifiedAt).not.toBeNull();
    expect(verified.version).toBe(version + 1);
    expect((await desk.request(VERIFY, { id: org.organisationId, v: version })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'STALE_VERSION', currentVersion: version + 1 });
    version = verified.version;
    expect((await desk.request(VERIFY, { id: org.organisationId, v: version })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
    expect(fieldCodes(await desk.request(SUSPEND, { id: org.organisationId, v: version, r: '  ' }))).toEqual({ reason: 'REQUIRED' });
    const suspended = (await desk.ok(SUSPEND, { id: org.organisationId, v: version, r: '連絡先が確認できないため' })).suspendOrganisation;
    expect(suspended).toMatchObject({ suspensionReason: '連絡先が確認できないため', version: version + 1 });
    expect((await desk.ok(LIST, { first: 100, filter: { suspended: true } })).organisations.edges.map((e: any) => e.node.id)).toContain(org.organisationId);
    expect((await desk.ok(LIST, { first: 100, filter: { suspended: false } })).organisations.edges.map((e: any) => e.node.id)).not.toContain(org.organisationId);
    // Members keep read access, but cannot grow a suspended organisation.
    const mine = (await org.session.ok(MY_ORG)).myOrganisation;
    expect(mine.viewerCan.invite).toBe(false);
    expect((await org.session.request(INVITE, { e: 'later@example.jp' })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
    const reinstated = (await desk.ok(REINSTATE, { id: org.organisationId, v: suspended.version })).reinstateOrganisation;
    expect(reinstated).toMatchObject({ suspendedAt: null, suspensionReason: null });
    expect((await desk.request(REINSTATE, { id: org.organisationId, v: reinstated.version })).errors?.[0]?.extensions).toMatchObject({ code: 'CONFLICT', reason: 'ILLEGAL_STATE' });
    await org.session.ok(INVITE, { e: 'later@example.jp' });
    const kinds = (await server.db.orm.em.fork().find(DomainEvent, { topic: 'organisation', aggregateId: org.organisationId }, { orderBy: { id: 'asc' } })).map((e) => e.kind);
    expect(kinds).toEqual(['REGISTERED', 'VERIFIED', 'SUSPENDED', 'REINSTATED', 'MEMBER_INVITED']);
  });

  it('keeps the desk’s actions from members and section staff', async () => {
    const org = await founder();
    for (const someone of [org.session, sectionStaff]) {
      expect((await someone.request(VERIFY, { id: org.organisationId, v: 1 })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    expect((await desk.request(VERIFY, { id: '00000000-0000-4000-8000-000000000000', v: 1 })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
