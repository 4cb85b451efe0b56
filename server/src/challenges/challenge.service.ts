import type { EntityManager } from '@mikro-orm/postgresql';
import type { FilterQuery } from '@mikro-orm/core';
import { ConflictError, FieldErrors, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { transact, type EventRecorder } from '../events/transaction.js';
import { checkPageSize, decodeKeyset, encodeKeyset } from '../graphql/connection.js';
import { findIdempotentResult, rememberIdempotentResult, validateIdempotencyKey } from '../idempotency/idempotency.js';
import { actorIdOf, type Viewer } from '../identity/viewer.js';
import { findActiveSection } from '../sections/section.service.js';
import { isUuid } from '../shared/uuid.js';
import { Challenge, type ChallengeContent } from './challenge.entity.js';
import type { ChallengeFilter, ChallengeInput } from './challenge.input.js';
import { canCreateChallenge, canEditChallenge, canSeeChallenge, challengeVisibilityFilter, visibilityFactsOf, type ChallengeVisibilityFacts } from './challenge.policy.js';
import { checkTransition, nextStatus, type ChallengeTransition } from './challenge.state.js';
import { ChallengeEventKind, type ChallengeConnection } from './challenge.types.js';
import { validateChallengeInput } from './challenge.validation.js';

export const CHALLENGE_TOPIC = 'challenge';

/** What a challenge event carries: ids and the facts a policy needs before and after. No content. */
export interface ChallengeEventPayload {
  [key: string]: unknown;
  before: ChallengeVisibilityFacts | null;
  after: ChallengeVisibilityFacts;
  reason?: string;
}

/** A challenge the viewer may see, or null: missing and not allowed look the same. */
export async function findVisibleChallenge(em: EntityManager, viewer: Viewer, id: string): Promise<Challenge | null> {
  if (!isUuid(id)) return null;
  return em.findOne(Challenge, { $and: [{ id }, challengeVisibilityFilter(viewer)] }, { populate: ['owningSection.department'] });
}

export async function listChallenges(em: EntityManager, viewer: Viewer, first: number, after: string | null | undefined, filter: ChallengeFilter | null | undefined): Promise<ChallengeConnection> {
  checkPageSize(first);
  const conditions: FilterQuery<Challenge>[] = [challengeVisibilityFilter(viewer)];
  if (filter?.status) conditions.push({ status: filter.status });
  if (filter?.fieldCode) conditions.push({ fieldCodes: { $contains: [filter.fieldCode] } });
  if (filter?.published != null) conditions.push({ publishedAt: filter.published ? { $ne: null } : null });
  const where: FilterQuery<Challenge> = { $and: conditions };
  const pageWhere: FilterQuery<Challenge> = after
    ? (() => {
        const key = decodeKeyset(after);
        return { $and: [...conditions, { $or: [{ createdAt: { $lt: key.createdAt } }, { createdAt: key.createdAt, id: { $lt: key.id } }] }] };
      })()
    : where;
  // One after the other on one connection: an EntityManager is not meant for concurrent queries.
  const rows = await em.find(Challenge, pageWhere, { orderBy: { createdAt: 'desc', id: 'desc' }, limit: first + 1, populate: ['owningSection.department'] });
  const totalCount = await em.count(Challenge, where);
  const page = rows.slice(0, first);
  const edges = page.map((node) => ({ cursor: encodeKeyset(node.createdAt, node.id), node }));
  return { edges, totalCount, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}

async function resolveContent(em: EntityManager, input: ChallengeInput): Promise<ChallengeContent> {
  const clean = validateChallengeInput(input);
  const owningSection = clean.owningSectionId ? await findActiveSection(em, clean.owningSectionId) : null;
  if (clean.owningSectionId && !owningSection) {
    new FieldErrors().add('owningSectionId', 'UNKNOWN_REFERENCE', 'No such active section').throwIfAny();
  }
  return { ...clean, owningSection };
}

function record(events: EventRecorder, viewer: Viewer, challenge: Challenge, kind: ChallengeEventKind, before: ChallengeVisibilityFacts | null, reason?: string): void {
  const payload: ChallengeEventPayload = { before, after: visibilityFactsOf(challenge), ...(reason ? { reason } : {}) };
  events.record({ topic: CHALLENGE_TOPIC, kind, aggregateId: challenge.id, actorId: actorIdOf(viewer), payload });
}

export async function createChallenge(em: EntityManager, viewer: Viewer, input: ChallengeInput, idempotencyKey: string | null | undefined): Promise<Challenge> {
  if (viewer.kind !== 'account' || !canCreateChallenge(viewer)) throw new ForbiddenError();
  validateIdempotencyKey(idempotencyKey);
  const previous = await findIdempotentResult(em, viewer.accountId, idempotencyKey, 'createChallenge');
  if (previous) return (await findVisibleChallenge(em.fork(), viewer, previous)) ?? Promise.reject(new NotFoundError('Challenge'));
  const id = await transact(em, async (tx, events) => {
    const challenge = new Challenge(await resolveContent(tx, input), viewer.accountId);
    tx.persist(challenge);
    rememberIdempotentResult(tx, viewer.accountId, idempotencyKey, 'createChallenge', challenge.id);
    record(events, viewer, challenge, ChallengeEventKind.CREATED, null);
    return challenge.id;
  }).catch(async (error: unknown) => {
    // A concurrent request with the same key won the race: answer with its result.
    const winner = await findIdempotentResult(em.fork(), viewer.accountId, idempotencyKey, 'createChallenge').catch(() => null);
    if (winner) return winner;
    throw error;
  });
  return (await findVisibleChallenge(em.fork(), viewer, id))!;
}

/** Loads a challenge for a change, checking visibility, role and version in that order. */
async function loadForChange(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number): Promise<Challenge> {
  const challenge = await findVisibleChallenge(em, viewer, id);
  if (!challenge) throw new NotFoundError('Challenge');
  if (!canEditChallenge(viewer)) throw new ForbiddenError();
  if (challenge.version !== expectedVersion) {
    throw new ConflictError('STALE_VERSION', 'The challenge was changed by someone else since you loaded it', { currentVersion: challenge.version });
  }
  return challenge;
}

export async function updateChallenge(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number, input: ChallengeInput): Promise<Challenge> {
  const id_ = await transact(em, async (tx, events) => {
    const challenge = await loadForChange(tx, viewer, id, expectedVersion);
    const before = visibilityFactsOf(challenge);
    const content = await resolveContent(tx, input);
    if (challenge.publishedAt && !content.owningSection) {
      new FieldErrors().add('owningSectionId', 'REQUIRED', 'A published challenge needs an owning section').throwIfAny();
    }
    challenge.setContent(content);
    challenge.updatedAt = new Date();
    record(events, viewer, challenge, ChallengeEventKind.UPDATED, before);
    return challenge.id;
  });
  return (await findVisibleChallenge(em.fork(), viewer, id_))!;
}

const TRANSITION_EVENTS: Record<ChallengeTransition, ChallengeEventKind> = {
  open: ChallengeEventKind.OPENED,
  close: ChallengeEventKind.CLOSED,
  publish: ChallengeEventKind.PUBLISHED,
  unpublish: ChallengeEventKind.UNPUBLISHED,
};

export async function transitionChallenge(em: EntityManager, viewer: Viewer, id: string, expectedVersion: number, transition: ChallengeTransition, reason?: string): Promise<Challenge> {
  const cleanReason = reason?.trim();
  if (cleanReason !== undefined && cleanReason.length > 1000) new FieldErrors().add('reason', 'TOO_LONG', 'At most 1000 characters').throwIfAny();
  const id_ = await transact(em, async (tx, events) => {
    const challenge = await loadForChange(tx, viewer, id, expectedVersion);
    const before = visibilityFactsOf(challenge);
    const check = checkTransition({ status: challenge.status, published: before.published, hasOwningSection: before.owningSectionId !== null }, transition, cleanReason);
    if (!check.ok) {
      if (check.reason === 'NEEDS_OWNING_SECTION') new FieldErrors().add('owningSectionId', 'REQUIRED', 'Set an owning section before publishing').throwIfAny();
      if (check.reason === 'NEEDS_REASON') new FieldErrors().add('reason', 'REQUIRED', 'Give a reason').throwIfAny();
      throw new ConflictError('ILLEGAL_STATE', `Cannot ${transition} a challenge that is ${challenge.status}${before.published ? ' and published' : ''}`);
    }
    challenge.status = nextStatus(challenge.status, transition);
    if (transition === 'publish') challenge.publishedAt = new Date();
    if (transition === 'unpublish') challenge.publishedAt = null;
    challenge.updatedAt = new Date();
    record(events, viewer, challenge, TRANSITION_EVENTS[transition], before, cleanReason);
    return challenge.id;
  });
  return (await findVisibleChallenge(em.fork(), viewer, id_))!;
}

/** For a subscriber: whether this event concerns them (they could see the challenge before or after). */
export function eventConcernsViewer(viewer: Viewer, payload: ChallengeEventPayload): boolean {
  return canSeeChallenge(viewer, payload.after) || (payload.before !== null && canSeeChallenge(viewer, payload.before));
}
