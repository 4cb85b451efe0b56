import { isDesk, type Viewer } from '../identity/viewer.js';

/** The ward's organisation chart is public; only the desk changes it. */
export function canManageSections(viewer: Viewer): boolean {
  return isDesk(viewer);
}
