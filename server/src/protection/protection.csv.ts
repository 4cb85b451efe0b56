import { ProtectedItemKind, ProtectionState } from './protection-request.entity.js';
import { FIELD_LABELS_JA, isProtectableField } from './protection.policy.js';
import { formatJst, toCsv } from '../shared/csv.js';

/**
 * The protection register as CSV, for the desk to answer an information-disclosure request
 * (情報公開請求): UTF-8 with a BOM (Excel reads Japanese), CRLF, RFC 4180 quoting, and cells that
 * a spreadsheet would run as a formula made inert. Items are named, never quoted: the register
 * says what is protected and why, not what the protected content says.
 */

const KIND_JA: Record<ProtectedItemKind, string> = {
  [ProtectedItemKind.FIELD]: '提案の項目',
  [ProtectedItemKind.ATTACHMENT]: '添付ファイル',
  [ProtectedItemKind.MESSAGE]: 'メッセージ',
};

const STATE_JA: Record<ProtectionState, string> = {
  [ProtectionState.REQUESTED]: '申請中（決定まで保護）',
  [ProtectionState.AGREED]: '保護に同意',
  [ProtectionState.DECLINED]: '保護しない',
};

export const REGISTER_CSV_HEADER = ['対象の種類', '対象', '申請理由', '申請者', '申請日時', '状態', '決定者', '決定日時', '決定理由'] as const;

/** One entry as the CSV needs it: names resolved, the item named by label, file name or when and by whom a message was posted. */
export interface RegisterCsvEntry {
  itemKind: ProtectedItemKind;
  fieldName: string | null;
  attachmentFileName: string | null;
  messagePostedAt: Date | null;
  messageAuthorName: string | null;
  reason: string;
  requestedByName: string;
  requestedAt: Date;
  state: ProtectionState;
  decidedByName: string | null;
  decidedAt: Date | null;
  decisionReason: string | null;
}

export function itemLabelJa(entry: RegisterCsvEntry): string {
  if (entry.itemKind === ProtectedItemKind.FIELD) return entry.fieldName && isProtectableField(entry.fieldName) ? FIELD_LABELS_JA[entry.fieldName] : (entry.fieldName ?? '');
  if (entry.itemKind === ProtectedItemKind.ATTACHMENT) return entry.attachmentFileName ?? '';
  return `${formatJst(entry.messagePostedAt)} 投稿（${entry.messageAuthorName ?? '—'}）`;
}

export function registerCsv(entries: readonly RegisterCsvEntry[]): string {
  const rows = entries.map((entry) => [
    KIND_JA[entry.itemKind],
    itemLabelJa(entry),
    entry.reason,
    entry.requestedByName,
    formatJst(entry.requestedAt),
    STATE_JA[entry.state],
    entry.decidedByName ?? '',
    formatJst(entry.decidedAt),
    entry.decisionReason ?? '',
  ]);
  return toCsv([[...REGISTER_CSV_HEADER], ...rows]);
}
