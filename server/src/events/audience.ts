import type { AccountViewer } from '../identity/viewer.js';

/** A signed-in viewer without the person: what decides what an audience may see. */
export type AudienceFacts = Omit<AccountViewer, 'accountId'>;

/**
 * The audience a viewer belongs to: every part of the viewer except the person. The policies
 * (canSeeProposal, canReadThread and the visibility filters beside them) decide by role, section
 * and organisation only, so viewers with one key see the same things. Anything that does read
 * the person is caught by audienceViewer below, so the key can never hand one person's view to
 * another.
 */
export function audienceKeyOf(viewer: AccountViewer): string {
  let key = audienceKeys.get(viewer);
  if (key === undefined) audienceKeys.set(viewer, (key = `${viewer.role}|${viewer.sectionId ?? ''}|${viewer.organisationId ?? ''}`));
  return key;
}

/**
 * Keys already made, by viewer object: a live group asks for every member's at every event, and a
 * session's viewer is one object for as long as it is unchanged (identity/session-viewers.ts).
 * Viewers are never changed in place, so a key stays true to its viewer.
 */
const audienceKeys = new WeakMap<AccountViewer, string>();

export function audienceFactsOf(viewer: AccountViewer): AudienceFacts {
  return { kind: 'account', role: viewer.role, sectionId: viewer.sectionId, organisationId: viewer.organisationId };
}

/** Thrown where work done for an audience asked for the person: that work is redone per person. */
export class PersonAskedError extends Error {
  constructor() {
    super('This work depends on the person, not only the audience');
  }
}

/**
 * A viewer standing for a whole audience. Reading its accountId calls `onPersonRead` (the caller
 * then throws the result away and does the work per person) and throws, so nothing goes on with
 * a made-up person. Enumerable, so copying the viewer counts as reading it too.
 */
export function audienceViewer(facts: AudienceFacts, onPersonRead: () => void): AccountViewer {
  const viewer = { ...facts } as AccountViewer;
  Object.defineProperty(viewer, 'accountId', {
    enumerable: true,
    get() {
      onPersonRead();
      throw new PersonAskedError();
    },
  });
  return viewer;
}
