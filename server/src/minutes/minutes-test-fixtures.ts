import type { EntityManager } from '@mikro-orm/postgresql';
import * as Y from 'yjs';
import type { Client } from 'graphql-ws';
import { Meeting, MeetingState } from '../meetings/meeting.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import type { Audience } from '../shared/audience.js';
import { Collected, type GraphqlResult, type HttpSession } from '../../test/graphql-client.js';
import { COMPLETE_DRAFT, ALL_PLEDGES } from '../../test/proposal-factories.js';
import { MINUTES_TEXT } from './minutes-yjs.js';

/**
 * Test fixtures for the minutes: meetings are created as rows (the meetings service is another
 * domain's), and a live editor does what the browser does: a Y.Doc, meetingMinutes, minutesEvents
 * over graphql-ws, editMinutes over HTTP.
 */

export async function createMeetingRow(em: EntityManager, proposalId: string, audience: Audience, createdBy: string, state = MeetingState.SCHEDULED): Promise<string> {
  const meeting = new Meeting(em.getReference(Proposal, proposalId), audience, createdBy);
  meeting.title = '第1回 打合せ';
  meeting.startsAt = new Date(Date.now() + 3_600_000);
  meeting.endsAt = new Date(Date.now() + 7_200_000);
  meeting.state = state;
  em.persist(meeting);
  await em.flush();
  return meeting.id;
}

const CREATE = `mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`;
const SUBMIT = `mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`;
const REVIEW = `mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`;
const DIALOGUE = `mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`;
const MATCH = `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id matches { id version section { id } } } }`;
const ACCEPT = `mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id version } }`;

export interface MatchedProposal {
  proposalId: string;
  /** The lead section's match, accepted. */
  leadMatch: { id: string; version: number };
  /** The supporting section's match, still pending (its staff see the proposal). */
  supportMatch: { id: string; version: number };
}

/** A proposal in dialogue through the real API, matched to `lead` (accepted) and `support` (pending). */
export async function matchedProposal(people: { member: HttpSession; desk: HttpSession; leadStaff: HttpSession }, lead: string, support: string): Promise<MatchedProposal> {
  const draft = (await people.member.ok(CREATE, { input: COMPLETE_DRAFT })).createProposalDraft;
  const submitted = (await people.member.ok(SUBMIT, { id: draft.id, v: draft.version, p: ALL_PLEDGES })).submitProposal;
  const reviewed = (await people.desk.ok(REVIEW, { id: submitted.id, v: submitted.version })).acceptProposalForReview;
  const dialogue = (await people.desk.ok(DIALOGUE, { id: reviewed.id, v: reviewed.version })).startProposalDialogue;
  const matched = (await people.desk.ok(MATCH, { id: dialogue.id, v: dialogue.version, s: [lead, support], lead })).matchProposal;
  type M = { id: string; version: number; section: { id: string } };
  const leadMatch = (matched.matches as M[]).find((m) => m.section.id === lead)!;
  const supportMatch = (matched.matches as M[]).find((m) => m.section.id === support)!;
  const accepted = (await people.leadStaff.ok(ACCEPT, { id: leadMatch.id, v: leadMatch.version })).acceptMatch;
  return { proposalId: dialogue.id, leadMatch: { id: accepted.id, version: accepted.version }, supportMatch: { id: supportMatch.id, version: supportMatch.version } };
}

export const MINUTES_QUERY = `query($id: ID!) { meetingMinutes(meetingId: $id) { meetingId state text cursor updateCount updatedAt } }`;
export const EDIT_MUTATION = `mutation($id: ID!, $u: String!) { editMinutes(meetingId: $id, update: $u) { changed updateId } }`;
export const PRESENCE_QUERY = `query($id: ID!) { minutesPresence(meetingId: $id) { accountId displayName role sectionName organisationName } }`;
export const EVENTS_SUBSCRIPTION = `subscription($id: ID!, $after: String) { minutesEvents(meetingId: $id, after: $after) {
  cursor kind meetingId update authorId authorName present { accountId displayName role sectionName organisationName } } }`;

export interface Present {
  accountId: string;
  displayName: string;
  role: string;
  sectionName: string | null;
  organisationName: string | null;
}
export interface MinutesEventResult {
  minutesEvents: { cursor: string; kind: 'EDITED' | 'PRESENCE'; meetingId: string; update: string | null; authorId: string | null; authorName: string | null; present: Present[] | null };
}

export const toBase64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
export const fromBase64 = (text: string) => new Uint8Array(Buffer.from(text, 'base64'));

/** One browser tab with the minutes open. */
export class LiveEditor {
  readonly doc = new Y.Doc();
  readonly text = this.doc.getText(MINUTES_TEXT);
  /** Local edits not yet acknowledged by the server. */
  readonly unsent: Uint8Array[] = [];
  cursor: string | null = null;
  present: Present[] = [];
  events = new Collected<GraphqlResult<MinutesEventResult>>();
  private client: Client | null = null;
  private stop: (() => void) | null = null;

  constructor(
    readonly session: HttpSession,
    readonly meetingId: string,
    private readonly wsUrl: string,
  ) {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== 'remote') this.unsent.push(update);
    });
  }

  async load(): Promise<{ state: string; text: string; cursor: string; updateCount: number }> {
    const snapshot = (await this.session.ok(MINUTES_QUERY, { id: this.meetingId })).meetingMinutes;
    Y.applyUpdate(this.doc, fromBase64(snapshot.state), 'remote');
    this.cursor ??= snapshot.cursor;
    return snapshot;
  }

  connect(after: string | null = this.cursor): void {
    this.events = new Collected();
    const events = this.events;
    this.client = this.session.websocket(this.wsUrl);
    this.stop = this.client.subscribe<MinutesEventResult>(
      { query: EVENTS_SUBSCRIPTION, variables: { id: this.meetingId, after } },
      {
        next: (result) => {
          const event = result.data?.minutesEvents;
          if (event?.kind === 'EDITED' && event.update) Y.applyUpdate(this.doc, fromBase64(event.update), 'remote');
          if (event?.kind === 'PRESENCE') this.present = event.present ?? [];
          if (event) this.cursor = event.cursor;
          events.push(result as GraphqlResult<MinutesEventResult>);
        },
        error: (error) => events.fail(error),
        complete: () => events.complete(),
      },
    );
  }

  async disconnect(): Promise<void> {
    this.stop?.();
    await this.client?.dispose();
    this.client = null;
    this.stop = null;
  }

  /** Types at `index` (clamped), as a person would. */
  type(index: number, words: string): void {
    this.text.insert(Math.min(index, this.text.length), words);
  }

  /** Sends every unacknowledged local edit, merged into one update. */
  async flush(): Promise<GraphqlResult> {
    const batch = this.unsent.splice(0);
    if (batch.length === 0) return { data: { editMinutes: { changed: false, updateId: null } } };
    const result = await this.session.request(EDIT_MUTATION, { id: this.meetingId, u: toBase64(Y.mergeUpdates(batch)) });
    if (result.errors?.length) this.unsent.unshift(...batch);
    return result;
  }

  /** What the browser does after being offline: send whatever the server's state lacks. */
  async sendWhatServerLacks(): Promise<GraphqlResult> {
    const snapshot = (await this.session.ok(MINUTES_QUERY, { id: this.meetingId })).meetingMinutes;
    const serverVector = Y.encodeStateVectorFromUpdate(fromBase64(snapshot.state));
    const result = await this.session.request(EDIT_MUTATION, { id: this.meetingId, u: toBase64(Y.encodeStateAsUpdate(this.doc, serverVector)) });
    if (!result.errors?.length) this.unsent.length = 0;
    return result;
  }

  errorCodes(): string[] {
    const inItems = this.events.items.flatMap((r) => r.errors ?? []);
    const thrown = this.events.errors.flatMap((e) => (Array.isArray(e) ? e : [e])) as Array<{ extensions?: { code?: string } }>;
    return [...inItems, ...thrown].map((e) => String(e.extensions?.code));
  }
}

/** Waits until `check` holds (polling), or fails with `describe()`. */
export async function eventually(check: () => boolean | Promise<boolean>, describe: () => string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
