import type { MailInput } from '../mail/mail-outbox.js';
import type { ProposalState } from '../proposals/proposal.entity.js';
import { PROPOSAL_STATE_LABELS } from '../proposals/proposal-state-labels.js';
import { NotificationKind } from './notification.entity.js';

/**
 * The words of notification mails. A mail says only what happened, on which proposal (its
 * reference number and title: titles are never protectable) and where to look — never a message,
 * a thread's title, a field or a file: whatever the recipient may read is behind the link, which
 * checks their access again when they follow it.
 */
export interface MailItem {
  kind: NotificationKind;
  createdAt: Date;
  actorName: string | null;
  /** For PROPOSAL_STATE: the state entered. */
  proposalState: string | null;
  proposal: { id: string; title: string; referenceNumber: string | null };
  /** Absolute: the public base URL and the page of the recipient's role. */
  link: string;
}

export const DIGEST_MAIL_KIND = 'notification-digest';
export const notificationMailKind = (kind: NotificationKind) => `notification-${kind}`;

const SUBJECT_PREFIX = '【板橋区 公民連携デスク】';
const SIGNATURE = ['--', '板橋区 公民連携デスク / Itabashi City Public-Private Partnership Desk', '通知の受け取り方は「メール通知の設定」で変更できます。 / Choose how you are mailed under Mail notifications in the app.'];


const tokyoTime = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** One line, not too long: a name or title typed with line breaks must not shape the mail. */
function oneLine(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** What happened, in Japanese and in English. */
export function whatHappened(item: Pick<MailItem, 'kind' | 'actorName' | 'proposalState'>): { ja: string; en: string } {
  const actor = item.actorName ? oneLine(item.actorName, 60) : null;
  switch (item.kind) {
    case NotificationKind.MENTION:
      return { ja: `${actor ?? '誰か'}さんがあなたをメンションしました`, en: `${actor ?? 'Someone'} mentioned you` };
    case NotificationKind.REPLY:
      return { ja: `${actor ?? '誰か'}さんがあなたのメッセージに返信しました`, en: `${actor ?? 'Someone'} replied to your message` };
    case NotificationKind.THREAD_MESSAGE:
      return { ja: 'フォロー中のスレッドに新しいメッセージがあります', en: 'A new message in a thread you follow' };
    case NotificationKind.PROPOSAL_STATE: {
      const label = (item.proposalState ? PROPOSAL_STATE_LABELS[item.proposalState as ProposalState] : undefined) ?? { ja: '更新', en: 'updated' };
      return { ja: `提案が「${label.ja}」になりました`, en: `The proposal's status is now “${label.en}”` };
    }
    case NotificationKind.STAGE_OVER_TARGET:
      return { ja: '担当の対応待ち期間が目標の営業日数を超えています（滞留）', en: 'A stage you are responsible for is over its target' };
    case NotificationKind.REPORT_DUE:
      return { ja: '実施報告書の提出時期です（事業期間の終了が近いか、過ぎています）', en: 'The implementation report is due' };
  }
}

function proposalLine(proposal: MailItem['proposal']): string {
  return [proposal.referenceNumber, `「${oneLine(proposal.title)}」`].filter(Boolean).join(' ');
}

/** A mail for one notification, sent at once. */
export function immediateMail(to: string, item: MailItem): MailInput {
  const what = whatHappened(item);
  const text = [
    `${what.ja}。`,
    `提案：${proposalLine(item.proposal)}`,
    '',
    '内容は次のリンクから確認してください：',
    item.link,
    '',
    `${what.en}. Open it in Renkei: ${item.link}`,
    '',
    ...SIGNATURE,
    '',
  ].join('\n');
  return { kind: notificationMailKind(item.kind), to, subject: oneLine(`${SUBJECT_PREFIX}${what.ja}：${proposalLine(item.proposal)}`, 200), text };
}

/**
 * The daily digest: one block per proposal, the proposal with the newest notification first, and
 * within a block the newest first; each block ends with its link.
 */
export function digestMail(to: string, digestDate: string, items: readonly MailItem[]): MailInput {
  const groups = new Map<string, MailItem[]>();
  for (const item of [...items].sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())) {
    const group = groups.get(item.proposal.id) ?? [];
    group.push(item);
    groups.set(item.proposal.id, group);
  }
  const [, month, day] = digestDate.split('-').map(Number);
  const lines = [`${month}月${day}日のお知らせ ${items.length}件を、提案ごとに新しい順でお送りします。`, `Your daily digest: ${items.length} notification(s), by proposal, newest first.`, ''];
  for (const group of groups.values()) {
    lines.push(`■ ${proposalLine(group[0]!.proposal)}`);
    for (const item of group) lines.push(`  ・${tokyoTime.format(item.createdAt)} ${whatHappened(item).ja}`);
    lines.push(`  ${group[0]!.link}`, '');
  }
  lines.push(...SIGNATURE, '');
  return { kind: DIGEST_MAIL_KIND, to, subject: `${SUBJECT_PREFIX}${month}月${day}日のお知らせ（${items.length}件） / Daily digest`, text: lines.join('\n') };
}
