import type { MailInput } from '../mail/mail-outbox.js';

export const INVITATION_MAIL_KIND = 'invitation';

export interface InvitationMailFacts {
  to: string;
  inviterName: string;
  organisationName: string;
  /** The absolute acceptance link, PUBLIC_BASE_URL + /invitations/<token>. */
  link: string;
  expiresAt: Date;
}

const japaneseTime = new Intl.DateTimeFormat('ja-JP', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });
const englishTime = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Tokyo', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/** One line: a name typed with a line break must not shape the mail. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The invitation mail, in Japanese then English: who invites, to which organisation, the link,
 * until when, and that it can be ignored. Nothing else (no proposal content exists here).
 */
export function invitationMail(facts: InvitationMailFacts): MailInput {
  const organisation = oneLine(facts.organisationName);
  const inviter = oneLine(facts.inviterName);
  const until = { ja: japaneseTime.format(facts.expiresAt), en: englishTime.format(facts.expiresAt) };
  const text = [
    `${inviter} さんから、板橋区 公民連携デスクの連携システム「Renkei」で「${organisation}」のメンバーとして招待されました。`,
    '',
    `次のリンクから招待を受け入れてください（1回限り、${until.ja}（日本時間）まで有効）：`,
    facts.link,
    '',
    'お心当たりがない場合は、このメールを無視してください。期限を過ぎるとリンクは使えなくなります。',
    '',
    '----------------------------------------',
    '',
    `${inviter} has invited you to join "${organisation}" on Renkei, the public-private partnership desk of Itabashi City.`,
    '',
    `Accept the invitation with this link (single use, valid until ${until.en} Japan time):`,
    facts.link,
    '',
    'If you were not expecting this, you can ignore this e-mail; the link stops working when it expires.',
    '',
    '--',
    '板橋区 公民連携デスク / Itabashi City Public-Private Partnership Desk',
    '',
  ].join('\n');
  return {
    kind: INVITATION_MAIL_KIND,
    to: facts.to,
    subject: `【板橋区 公民連携デスク】${organisation}への招待 / Invitation to join ${organisation}`,
    text,
  };
}
