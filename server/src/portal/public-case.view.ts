import type { PublishedCaseContent } from '../publication/public-case.entity.js';
import { publishedContentView } from '../publication/case.types.js';
import { challengeFieldByCode } from '../challenges/challenge-fields.js';
import type { ChallengeField } from '../challenges/challenge.types.js';
import type { PublicCaseView } from './public-case.types.js';

/** A published case row as read from SQL: only the public columns. */
export interface PublishedCaseRow {
  id: string;
  published_content: PublishedCaseContent;
  first_published_at: Date;
  published_at: Date;
}

export function publicFields(codes: readonly string[]): ChallengeField[] {
  return codes.flatMap((code) => {
    const field = challengeFieldByCode(code);
    return field ? [{ code: field.code, nameJa: field.nameJa, nameEn: field.nameEn }] : [];
  });
}

export function caseView(row: PublishedCaseRow): PublicCaseView {
  return {
    id: row.id,
    content: publishedContentView(row.published_content),
    fields: publicFields(row.published_content.fieldCodes ?? []),
    firstPublishedAt: new Date(row.first_published_at),
    publishedAt: new Date(row.published_at),
  };
}

/** The attachment ids a snapshot publishes: the only files the public file route serves for it. */
export function publishedAttachmentIds(content: PublishedCaseContent): Set<string> {
  return new Set((content.blocks ?? []).flatMap((block) => (block.kind === 'PHOTO' || block.kind === 'FILE' ? [block.attachmentId] : [])));
}
