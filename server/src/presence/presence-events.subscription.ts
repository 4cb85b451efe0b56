import type { EntityManager } from '@mikro-orm/postgresql';
import type { RequestContext } from '../graphql/context.js';
import { NotFoundError, UnauthenticatedError } from '../errors/domain-errors.js';
import type { DeliveredEvent } from '../events/delivered-event.js';
import { encodeCursor } from '../events/event-position.js';
import { viewerForToken } from '../identity/session.service.js';
import { canReadThreadNow } from '../notifications/notification.policy.js';
import { proposalVisibilityFacts, type ProposalVisibilityFacts } from '../proposals/proposal.policy.js';
import { findVisibleProposal } from '../proposals/proposal.service.js';
import type { Audience } from '../shared/audience.js';
import { Thread } from '../threads/thread.entity.js';
import { keepPresent, type PresenceAccess } from './presence-keeper.js';
import { presenceTiming, type PresenceTiming } from './presence-timing.js';
import {
  listTyping,
  listWorkspacePresent,
  presenceTopic,
  typingVisibleTo,
  WORKSPACE_PRESENCE_TABLE,
  WORKSPACE_TYPING,
  type PresencePayload,
  type TypingRow,
} from './presence.service.js';
import { WorkspacePresenceEventKind, type WorkspacePresenceEvent, type WorkspacePresent } from './presence.types.js';

interface Snapshot {
  present: WorkspacePresent[];
  typing: TypingRow[];
  /** TYPING: the audience of the thread typed in (null when it is gone). */
  typedIn: Audience | null;
}

/** Every subscriber of this instance receives the same event object: read what it shows once. */
const snapshotOf = new WeakMap<DeliveredEvent, Promise<Snapshot>>();

function readSnapshot(em: EntityManager, event: DeliveredEvent, timing: PresenceTiming): Promise<Snapshot> {
  let snapshot = snapshotOf.get(event);
  if (!snapshot) {
    snapshot = loadSnapshot(em, event, timing);
    snapshotOf.set(event, snapshot);
    snapshot.catch(() => snapshotOf.delete(event));
  }
  return snapshot;
}

async function loadSnapshot(em: EntityManager, event: DeliveredEvent, timing: PresenceTiming): Promise<Snapshot> {
  const payload = event.payload as unknown as PresencePayload;
  let typedIn: Audience | null = null;
  if (event.kind === WORKSPACE_TYPING && payload.threadId) {
    typedIn = (await em.findOne(Thread, { id: payload.threadId, proposal: event.aggregateId }, { fields: ['audience'] }))?.audience ?? null;
  }
  const present = await listWorkspacePresent(em, event.aggregateId, timing.staleMs);
  const typing = await listTyping(em, event.aggregateId, timing);
  return { present, typing, typedIn };
}

/**
 * The live stream behind `workspacePresence`: who is on a proposal's workspace and who types
 * where. While it is open its connection is present (refreshed every interval, removed when it
 * ends; a crash leaves a row that goes stale). Every event, every refresh and every change on the
 * proposal or its organisation re-reads the viewer and the proposal as they are now; the moment
 * the viewer can no longer see the proposal the stream fails (NOT_FOUND, or UNAUTHENTICATED for an
 * ended session). Typing in a thread the viewer may not read is never delivered, not even as an event.
 */
export function workspacePresenceStream(context: RequestContext, proposalId: string): AsyncIterableIterator<WorkspacePresenceEvent> {
  const timing = { ...presenceTiming() };
  const { rootEm } = context;

  /** Who may be on the workspace now, or the error that ends the stream. */
  async function authorise(em: EntityManager): Promise<PresenceAccess & { facts: ProposalVisibilityFacts }> {
    const viewer = await viewerForToken(em, context.sessionToken, context.config, { touch: false });
    if (viewer.kind !== 'account') throw new UnauthenticatedError('The session has ended');
    const proposal = await findVisibleProposal(em, viewer, proposalId);
    if (!proposal) throw new NotFoundError('Proposal');
    const facts = proposalVisibilityFacts(proposal);
    return { viewer, facts, proposalId: proposal.id, organisationId: facts.organisationId };
  }

  return keepPresent(context, {
    table: WORKSPACE_PRESENCE_TABLE,
    scopeId: proposalId,
    topic: presenceTopic(proposalId),
    after: null,
    timing,
    authorise,
    async deliver(event, { viewer, facts }): Promise<WorkspacePresenceEvent | null> {
      const snapshot = await readSnapshot(rootEm.fork(), event, timing);
      if (event.kind === WORKSPACE_TYPING) {
        // Someone typing where the viewer may not read: nothing at all, not even that something happened.
        if (snapshot.typedIn === null || !canReadThreadNow(viewer, facts, snapshot.typedIn)) return null;
      }
      return {
        cursor: encodeCursor(event.position),
        kind: event.kind === WORKSPACE_TYPING ? WorkspacePresenceEventKind.TYPING : WorkspacePresenceEventKind.PRESENCE,
        proposalId,
        present: snapshot.present,
        typing: typingVisibleTo(viewer, facts, snapshot.typing),
      };
    },
    label: 'workspace presence',
    logFields: { proposalId },
  });
}
