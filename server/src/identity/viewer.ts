import { Role } from './account.entity.js';

/** Who is asking: nobody signed in, or an account (re-read from the database per request and per event). */
export type Viewer = PublicViewer | AccountViewer;

export interface PublicViewer {
  kind: 'public';
}

export interface AccountViewer {
  kind: 'account';
  accountId: string;
  role: Role;
  /** Section staff: their section (所管課). */
  sectionId: string | null;
  /** Proposers: the organisation they are a member of now. */
  organisationId: string | null;
}

export const PUBLIC_VIEWER: PublicViewer = { kind: 'public' };

export function isDesk(viewer: Viewer): boolean {
  return viewer.kind === 'account' && viewer.role === Role.DESK;
}

export function isSignedIn(viewer: Viewer): viewer is AccountViewer {
  return viewer.kind === 'account';
}

/** The account to record as the actor of a change (null for the system or the public). */
export function actorIdOf(viewer: Viewer): string | null {
  return viewer.kind === 'account' ? viewer.accountId : null;
}
