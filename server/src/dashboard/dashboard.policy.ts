import { Role } from '../identity/account.entity.js';
import { isDesk, type Viewer } from '../identity/viewer.js';

/** Who is refused a dashboard, and how: nobody signed in → UNAUTHENTICATED; signed in but not theirs → FORBIDDEN. */
export type DashboardRefusal = 'UNAUTHENTICATED' | 'FORBIDDEN' | null;

/** The desk dashboard is the desk's: proposers, section staff and the public are refused. */
export function deskDashboardRefusal(viewer: Viewer): DashboardRefusal {
  if (viewer.kind !== 'account') return 'UNAUTHENTICATED';
  return isDesk(viewer) ? null : 'FORBIDDEN';
}

/** A section's dashboard is its staff's own (the section of the viewer); nobody else has one. */
export function sectionDashboardRefusal(viewer: Viewer): DashboardRefusal {
  if (viewer.kind !== 'account') return 'UNAUTHENTICATED';
  return viewer.role === Role.SECTION && viewer.sectionId !== null ? null : 'FORBIDDEN';
}
