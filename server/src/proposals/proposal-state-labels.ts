import type { ProposalState } from './proposal.entity.js';

/**
 * A proposal's state as people read it outside the app (the CSV export, mail), in the words the
 * app's own screens use (client/src/i18n/messages.ts, proposal.state), so a state is called the
 * same everywhere.
 */
export const PROPOSAL_STATE_LABELS: Readonly<Record<ProposalState, { ja: string; en: string }>> = {
  DRAFT: { ja: '下書き', en: 'Draft' },
  SUBMITTED: { ja: '提出済み（受付待ち）', en: 'Submitted (awaiting intake)' },
  UNDER_REVIEW: { ja: '審査中', en: 'Under review' },
  IN_DIALOGUE: { ja: '対話中', en: 'In dialogue' },
  AGREED: { ja: '合意', en: 'Agreed' },
  IN_PROGRESS: { ja: '事業実施中', en: 'In progress' },
  REPORTED: { ja: '実施報告済み', en: 'Reported' },
  PUBLISHED: { ja: '公表済み', en: 'Published' },
  RETURNED: { ja: '対象外として返却', en: 'Returned (out of scope)' },
  NOT_REALIZED: { ja: '見送り', en: 'Not realised' },
  WITHDRAWN: { ja: '取り下げ', en: 'Withdrawn' },
};
