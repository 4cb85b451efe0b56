import { createHash, randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/core';
import type { Config } from '../config/env.js';
import { ConflictError, DomainError, FieldErrors, ForbiddenError, InputError, NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { Account, Role } from '../identity/account.entity.js';
import { hashPassword } from '../identity/password.js';
import { newSession, type IssuedSession } from '../identity/session.service.js';
import { actorIdOf, isDesk, type Viewer } from '../identity/viewer.js';
import { isUuid } from '../shared/uuid.js';
import { enqueueMail } from '../mail/mail-outbox.js';
import { Invitation } from './invitation.entity.js';
import { invitationMail } from './invitation-mail.js';
import { Membership } from './membership.entity.js';
import { Organisation } from './organisation.entity.js';
import { canActOnOrganisation, isMemberOf, organisationFactsOf, organisationVisibilityFilter, type OrganisationAction } from './organisation.policy.js';
import {
  OrganisationEventKind,
  type InvitationLink,
  type InvitationPreview,
  type OrganisationConnection,
  type OrganisationFilter,
  type OrganisationMember,
  type OrganisationRegistrationInput,
  type PendingInvitation,
} from './organisation.types.js';
import { validateAccountFields, validateReason, validateRegistration } from './organisation.validation.js';
import { assertRegistrationAllowed, recordRegistrationAttempt } from './registration-throttle.js';

export const ORGANISATION_TOPIC = 'organisation';
export const INVITATION_DAYS = 7;
export const EMAIL_REFUSED = 'You cannot register with this e-mail address';
const INVITATION_UNUSABLE = 'This invitation link cannot be used: it may have expired, been used already or been withdrawn. Ask a member of the organisation for a new one.';

type SessionConfig = Pick<Config, 'sessionAbsoluteHours' | 'loginThrottleMax' | 'loginThrottleWindowMinutes'>;

export interface SignedIn {
  account: Account;
  session: IssuedSession;
}

function record(events: EventRecorder, viewer: Viewer | string | null, organisationId: string, kind: OrganisationEventKind, payload: Record<string, unknown> = {}): void {
  const actorId = typeof viewer === 'string' || viewer === null ? viewer : actorIdOf(viewer);
  events.record({ topic: ORGANISATION_TOPIC, kind, aggregateId: organisationId, actorId, payload });
}

function constraintOf(error: unknown): string {
  const e = error as { constraint?: string; message?: string };
  return `${e.constraint ?? ''} ${e.message ?? ''}`;
}

// ─── reading ────────────────────────────────────────────────────────────────

/** An organisation the viewer may see (the desk, or a current member), or null: missing and not allowed look the same. */
export async function findVisibleOrganisation(em: EntityManager, viewer: Viewer, id: string): Promise<Organisation | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Organisation, { $and: [{ id }, organisationVisibilityFilter(viewer)] });
}

/** The viewer's own organisation now, or null (not a proposer, or in none). */
export async function findMyOrganisation(em: EntityManager, viewer: Viewer): Promise<Organisation | null> {
  if (viewer.kind !== 'account' || viewer.role !== Role.PROPOSER || !viewer.organisationId) return null;
  return findVisibleOrganisation(em, viewer, viewer.organisationId);
}

function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}

export async function listOrganisations(em: EntityManager, viewer: Viewer, first: number, after: string | null | undefined, filter: OrganisationFilter | null | undefined): Promise<OrganisationConnection> {
  checkPageSize(first);
  const conditions: FilterQuery<Organisation>[] = [organisationVisibilityFilter(viewer)];
  if (filter?.kind) conditions.push({ kind: filter.kind });
  if (filter?.verified != null) conditions.push({ verifiedAt: filter.verified ? { $ne: null } : null });
  if (filter?.suspended != null) conditions.push({ suspendedAt: filter.suspended ? { $ne: null } : null });
  const term = filter?.search?.normalize('NFKC').trim();
  if (term) {
    if (term.length > 200) new FieldErrors().add('search', 'TOO_LONG', 'At most 200 characters').throwIfAny();
    const like = `%${escapeLike(term)}%`;
    const digits = term.replace(/[\s-]/g, '');
    conditions.push({ $or: [{ name: { $ilike: like } }, { nameKana: { $ilike: like } }, ...(/^\d+$/.test(digits) ? [{ corporateNumber: { $like: `%${digits}%` } }] : [])] });
  }
  const where: FilterQuery<Organisation> = { $and: conditions };
  const pageWhere: FilterQuery<Organisation> = after
    ? (() => {
        const key = decodeKeyset(after);
        return { $and: [...conditions, { $or: [{ createdAt: { $lt: key.createdAt } }, { createdAt: key.createdAt, id: { $lt: key.id } }] }] };
      })()
    : where;
  const rows = await em.find(Organisation, pageWhere, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1 });
  const totalCount = await em.count(Organisation, where);
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeKeyset(node.createdAt, node.id), node }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

/** Current members of several organisations, in one query (for a dataloader). */
export async function membersOf(em: EntityManager, organisationIds: readonly string[]): Promise<Map<string, OrganisationMember[]>> {
  const rows = await em.find(Membership, { organisation: { $in: [...organisationIds] }, leftAt: null }, { populate: ['account'], orderBy: { joinedAt: 'asc', id: 'asc' } });
  const byOrganisation = new Map<string, OrganisationMember[]>(organisationIds.map((id) => [id, []]));
  for (const row of rows) {
    byOrganisation.get(row.organisation.id)?.push({ accountId: row.account.id, displayName: row.account.displayName, email: row.account.email, joinedAt: row.joinedAt });
  }
  return byOrganisation;
}

/** Invitations still usable, for several organisations, in one query. */
export async function pendingInvitationsOf(em: EntityManager, organisationIds: readonly string[]): Promise<Map<string, PendingInvitation[]>> {
  const rows = await em.find(
    Invitation,
    { organisation: { $in: [...organisationIds] }, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  const byOrganisation = new Map<string, PendingInvitation[]>(organisationIds.map((id) => [id, []]));
  for (const row of rows) byOrganisation.get(row.organisation.id)?.push({ id: row.id, email: row.email, expiresAt: row.expiresAt });
  return byOrganisation;
}

// ─── registration ───────────────────────────────────────────────────────────

/**
 * Registers an organisation, its first member's account and the membership in one transaction,
 * and opens a session for them. Every problem is reported at once; nothing is half-saved.
 */
export async function registerOrganisation(em: EntityManager, config: SessionConfig, input: OrganisationRegistrationInput, address: string | null): Promise<SignedIn> {
  await assertRegistrationAllowed(em, config, address);
  try {
    const errors = new FieldErrors();
    const clean = validateRegistration(errors, input);
    // Hashed whatever happens, so a taken e-mail does not answer faster than a free one.
    const passwordHash = errors.any ? null : await hashPassword(clean.account.password);
    const result = await transact(em, async (tx, events) => {
      if (clean.account.email && (await tx.count(Account, { email: clean.account.email }))) errors.add('email', 'INVALID', EMAIL_REFUSED);
      if (clean.organisation.corporateNumber && (await tx.count(Organisation, { corporateNumber: clean.organisation.corporateNumber }))) {
        errors.add('corporateNumber', 'INVALID', 'An organisation with this 法人番号 is already registered: ask one of its members to invite you');
      }
      errors.throwIfAny();
      const account = new Account(clean.account.email, clean.account.displayName, passwordHash!, Role.PROPOSER);
      const organisation = tx.create(Organisation, { ...clean.organisation });
      tx.persist([account, organisation, new Membership(organisation, account)]);
      record(events, account.id, organisation.id, OrganisationEventKind.REGISTERED, { accountId: account.id });
      const session = newSession(tx, account, config);
      return { account, session };
    }).catch((error: unknown) => {
      // A concurrent registration took the e-mail or the number between our check and our insert.
      if (error instanceof UniqueConstraintViolationException) {
        const which = constraintOf(error);
        if (which.includes('corporate_number')) throw new InputError([{ field: 'corporateNumber', code: 'INVALID', message: 'An organisation with this 法人番号 is already registered' }]);
        if (which.includes('email')) throw new InputError([{ field: 'email', code: 'INVALID', message: EMAIL_REFUSED }]);
      }
      throw error;
    });
    await recordRegistrationAttempt(em, address, true);
    return result;
  } catch (error) {
    if (error instanceof InputError) await recordRegistrationAttempt(em, address, false);
    throw error;
  }
}

// ─── membership ─────────────────────────────────────────────────────────────

async function loadForMember(em: EntityManager, viewer: Viewer, action: OrganisationAction): Promise<Organisation> {
  if (viewer.kind !== 'account' || viewer.role !== Role.PROPOSER || !viewer.organisationId) throw new ForbiddenError('Only members of an organisation can do this');
  // Locked: leaving and removal count the members, and two at once must not both see "not the last".
  const organisation = await em.findOne(Organisation, { id: viewer.organisationId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!organisation || !isMemberOf(viewer, organisation.id)) throw new ForbiddenError('Only members of an organisation can do this');
  if (!canActOnOrganisation(viewer, organisationFactsOf(organisation), action)) {
    throw new ConflictError('ILLEGAL_STATE', action === 'invite' ? 'A suspended organisation cannot invite members' : `Cannot ${action} now`);
  }
  return organisation;
}

export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Invites a colleague: a single-use link that expires, mailed to them (enqueued in the same
 * transaction) and also returned to the inviter. The token is never logged; only its hash is kept.
 */
export async function inviteMember(em: EntityManager, config: Pick<Config, 'publicBaseUrl'>, viewer: Viewer, emailInput: string): Promise<InvitationLink> {
  const errors = new FieldErrors();
  const email = (emailInput ?? '').trim().toLowerCase();
  if (email === '') errors.add('email', 'REQUIRED', 'Enter the e-mail address to invite');
  else if (email.length > 254) errors.add('email', 'TOO_LONG', 'At most 254 characters');
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) errors.add('email', 'INVALID', 'Enter an e-mail address like name@example.jp');
  errors.throwIfAny();
  return transact(em, async (tx, events) => {
    const organisation = await loadForMember(tx, viewer, 'invite');
    const alreadyMember = await tx.count(Membership, { organisation: organisation.id, leftAt: null, account: { email } });
    if (alreadyMember) new FieldErrors().add('email', 'INVALID', 'This person is already a member of your organisation').throwIfAny();
    const now = new Date();
    // A new link for the same address replaces any earlier one still pending.
    await tx.nativeUpdate(Invitation, { organisation: organisation.id, email, acceptedAt: null, revokedAt: null }, { revokedAt: now });
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + INVITATION_DAYS * 86_400_000);
    const invitation = new Invitation(organisation, email, hashInvitationToken(token), (viewer as { accountId: string }).accountId, expiresAt);
    tx.persist(invitation);
    record(events, viewer, organisation.id, OrganisationEventKind.MEMBER_INVITED, { invitationId: invitation.id });
    const url = `/invitations/${token}`;
    const inviter = await tx.findOneOrFail(Account, { id: invitation.invitedBy }, { fields: ['displayName'] });
    enqueueMail(tx, events, invitationMail({ to: email, inviterName: inviter.displayName, organisationName: organisation.name, link: `${config.publicBaseUrl}${url}`, expiresAt }));
    return { id: invitation.id, email, expiresAt, url };
  });
}

function usableInvitationWhere(token: string): FilterQuery<Invitation> | null {
  if (typeof token !== 'string' || token.length < 20 || token.length > 200) return null;
  return { tokenHash: hashInvitationToken(token), acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } };
}

/** What the holder of a link may see before accepting; null when unknown, used, expired or revoked alike. */
export async function previewInvitation(em: EntityManager, token: string): Promise<InvitationPreview | null> {
  const where = usableInvitationWhere(token);
  const invitation = where ? await em.findOne(Invitation, where, { populate: ['organisation'] }) : null;
  if (!invitation) return null;
  return { organisationName: invitation.organisation.name, email: invitation.email, expiresAt: invitation.expiresAt };
}

/**
 * Accepts an invitation, once. A new address gets an account and is signed in; an address that
 * already has an account must be signed in as it (and be in no organisation), and only joins.
 * Returns the session to set when one was opened.
 */
export async function acceptInvitation(em: EntityManager, config: SessionConfig, viewer: Viewer, token: string, displayName: string, password: string): Promise<{ account: Account; session: IssuedSession | null }> {
  const where = usableInvitationWhere(token);
  const found = where ? await em.fork().findOne(Invitation, where) : null;
  if (!found) throw new DomainError('NOT_FOUND', INVITATION_UNUSABLE);
  const existing = await em.fork().findOne(Account, { email: found.email });
  let passwordHash: string | null = null;
  let cleanName = '';
  if (existing) {
    if (viewer.kind !== 'account') throw new UnauthenticatedError(`An account for ${found.email} already exists: sign in with it, then open the link again`);
    if (viewer.accountId !== existing.id) throw new ForbiddenError(`This invitation is for ${found.email}: sign in with that address to accept it`);
    if (existing.role !== Role.PROPOSER) throw new ForbiddenError('Ward staff accounts cannot join a proposing organisation');
    if (viewer.organisationId) throw new ConflictError('ILLEGAL_STATE', 'You are already a member of an organisation: leave it before joining another');
  } else {
    const errors = new FieldErrors();
    const clean = validateAccountFields(errors, { displayName, password }, false);
    errors.throwIfAny();
    cleanName = clean.displayName;
    passwordHash = await hashPassword(clean.password);
  }
  return transact(em, async (tx, events) => {
    // Consumed by a conditional update: of two acceptances at once, exactly one changes the row.
    const consumed = await tx.nativeUpdate(Invitation, { id: found.id, acceptedAt: null, revokedAt: null, expiresAt: { $gt: new Date() } }, { acceptedAt: new Date() });
    if (consumed !== 1) throw new DomainError('NOT_FOUND', INVITATION_UNUSABLE);
    const organisation = await tx.findOneOrFail(Organisation, { id: found.organisation.id });
    let account: Account;
    let session: IssuedSession | null = null;
    if (existing) {
      account = await tx.findOneOrFail(Account, { id: existing.id });
      if (await tx.count(Membership, { account: account.id, leftAt: null })) throw new ConflictError('ILLEGAL_STATE', 'You are already a member of an organisation: leave it before joining another');
    } else {
      account = new Account(found.email, cleanName, passwordHash!, Role.PROPOSER);
      tx.persist(account);
      session = newSession(tx, account, config);
    }
    tx.persist(new Membership(organisation, account));
    record(events, account.id, organisation.id, OrganisationEventKind.MEMBER_JOINED, { accountId: account.id, invitationId: found.id });
    return { account, session };
  }).catch((error: unknown) => {
    if (error instanceof UniqueConstraintViolationException) {
      const which = constraintOf(error);
      if (which.includes('membership_one_active_per_account')) throw new ConflictError('ILLEGAL_STATE', 'You are already a member of an organisation: leave it before joining another');
      if (which.includes('email')) throw new ConflictError('DUPLICATE', `An account for ${found.email} was just created: sign in with it, then open the link again`);
    }
    throw error;
  });
}

export async function revokeInvitation(em: EntityManager, viewer: Viewer, id: string): Promise<boolean> {
  return transact(em, async (tx, events) => {
    const organisation = await loadForMember(tx, viewer, 'revokeInvitation');
    const revoked = isUuid(id) ? await tx.nativeUpdate(Invitation, { id, organisation: organisation.id, acceptedAt: null, revokedAt: null }, { revokedAt: new Date() }) : 0;
    // Another organisation's invitation and a used or missing one look the same.
    if (revoked !== 1) throw new NotFoundError('Invitation');
    record(events, viewer, organisation.id, OrganisationEventKind.INVITATION_REVOKED, { invitationId: id });
    return true;
  });
}

async function endMembership(tx: EntityManager, organisation: Organisation, accountId: string, removedBy: string | null): Promise<void> {
  const membership = await tx.findOne(Membership, { organisation: organisation.id, account: accountId, leftAt: null });
  if (!membership) throw new NotFoundError('Member');
  const members = await tx.count(Membership, { organisation: organisation.id, leftAt: null });
  if (members <= 1) throw new ConflictError('ILLEGAL_STATE', 'The last member cannot leave: an organisation always has someone the desk can reach');
  membership.leftAt = new Date();
  membership.removedBy = removedBy;
}

/** The viewer leaves their organisation; their access to it ends with this transaction. */
export async function leaveOrganisation(em: EntityManager, viewer: Viewer): Promise<boolean> {
  return transact(em, async (tx, events) => {
    const organisation = await loadForMember(tx, viewer, 'leave');
    const accountId = (viewer as { accountId: string }).accountId;
    await endMembership(tx, organisation, accountId, null);
    record(events, viewer, organisation.id, OrganisationEventKind.MEMBER_LEFT, { accountId });
    return true;
  });
}

/** Any member may remove another (no owner roles yet); the removed person's access ends with this transaction. */
export async function removeMember(em: EntityManager, viewer: Viewer, accountId: string): Promise<boolean> {
  return transact(em, async (tx, events) => {
    const organisation = await loadForMember(tx, viewer, 'removeMember');
    const self = (viewer as { accountId: string }).accountId;
    if (accountId === self) throw new ConflictError('ILLEGAL_STATE', 'To leave your organisation, use leaveOrganisation');
    if (!isUuid(accountId)) throw new NotFoundError('Member');
    await endMembership(tx, organisation, accountId, self);
    record(events, viewer, organisation.id, OrganisationEventKind.MEMBER_REMOVED, { accountId });
    return true;
  });
}

// ─── the desk ───────────────────────────────────────────────────────────────

type DeskAction = 'verify' | 'suspend' | 'reinstate';

async function deskChange(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number, action: DeskAction, reason?: string): Promise<Organisation> {
  const changedId = await transact(em, async (tx, events) => {
    const organisation = await findVisibleOrganisation(tx, viewer, id);
    if (!organisation) throw new NotFoundError('Organisation');
    if (!isDesk(viewer)) throw new ForbiddenError();
    if (organisation.version !== expectedVersion) {
      throw new ConflictError('STALE_VERSION', 'The organisation was changed by someone else since you loaded it', { currentVersion: organisation.version });
    }
    if (!canActOnOrganisation(viewer, organisationFactsOf(organisation), action)) {
      const state = action === 'verify' ? 'already verified' : action === 'suspend' ? 'already suspended' : 'not suspended';
      throw new ConflictError('ILLEGAL_STATE', `Cannot ${action} an organisation that is ${state}`);
    }
    const now = new Date();
    if (action === 'verify') organisation.verifiedAt = now;
    if (action === 'suspend') {
      organisation.suspendedAt = now;
      organisation.suspensionReason = reason!;
    }
    if (action === 'reinstate') {
      organisation.suspendedAt = null;
      organisation.suspensionReason = null;
    }
    const kind = { verify: OrganisationEventKind.VERIFIED, suspend: OrganisationEventKind.SUSPENDED, reinstate: OrganisationEventKind.REINSTATED }[action];
    record(events, viewer, organisation.id, kind, reason ? { reason } : {});
    return organisation.id;
  });
  return (await findVisibleOrganisation(em.fork(), viewer, changedId))!;
}

export function verifyOrganisation(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number): Promise<Organisation> {
  return deskChange(em, viewer, id, expectedVersion, 'verify');
}

export async function suspendOrganisation(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number, reason: string): Promise<Organisation> {
  const clean = validateReason(reason);
  return deskChange(em, viewer, id, expectedVersion, 'suspend', clean);
}

export function reinstateOrganisation(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number): Promise<Organisation> {
  return deskChange(em, viewer, id, expectedVersion, 'reinstate');
}
