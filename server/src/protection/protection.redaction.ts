import { ProtectedItemKind, ProtectionState } from './protection-request.entity.js';
import { isProtectingState, PROTECTABLE_FIELDS, type ProtectableField } from './protection.policy.js';

/**
 * Pure helpers for everything that leaves the proposal's own audience: the public portal (a later
 * issue publishes cases), mail, notifications, exports and any search. Protected content (an
 * item with a REQUESTED or AGREED entry) never goes there; these say what may.
 */

/** One register entry as these helpers need it: the item and its state. */
export interface ProtectionEntryFacts {
  itemKind: ProtectedItemKind;
  fieldName: string | null;
  attachmentId: string | null;
  messageId: string | null;
  state: ProtectionState;
}

export type ProtectedItem = { kind: ProtectedItemKind.FIELD; fieldName: string } | { kind: ProtectedItemKind.ATTACHMENT; attachmentId: string } | { kind: ProtectedItemKind.MESSAGE; messageId: string };

function sameItem(entry: ProtectionEntryFacts, item: ProtectedItem): boolean {
  if (entry.itemKind !== item.kind) return false;
  if (item.kind === ProtectedItemKind.FIELD) return entry.fieldName === item.fieldName;
  if (item.kind === ProtectedItemKind.ATTACHMENT) return entry.attachmentId === item.attachmentId;
  return entry.messageId === item.messageId;
}

/** Whether the item is protected now: asked for and not declined (until the desk decides, it is). */
export function isProtected(register: readonly ProtectionEntryFacts[], item: ProtectedItem): boolean {
  return register.some((entry) => isProtectingState(entry.state) && sameItem(entry, item));
}

/** The protected fields, in the form's order. */
export function protectedFieldNames(register: readonly ProtectionEntryFacts[]): ProtectableField[] {
  return PROTECTABLE_FIELDS.filter((fieldName) => isProtected(register, { kind: ProtectedItemKind.FIELD, fieldName }));
}

/** Attachments or messages without the protected ones: what may go beyond the proposal's audience. */
export function redactProtected<T extends { id: string }>(items: readonly T[], kind: ProtectedItemKind.ATTACHMENT | ProtectedItemKind.MESSAGE, register: readonly ProtectionEntryFacts[]): T[] {
  return items.filter((item) =>
    !isProtected(register, kind === ProtectedItemKind.ATTACHMENT ? { kind, attachmentId: item.id } : { kind, messageId: item.id }),
  );
}

/** The proposal's prose as the proposal entity holds it. */
export type ProposalProse = { title: string } & Record<ProtectableField, string>;

/** What may be shown publicly: the title, the unprotected fields, and which fields were withheld (so the portal can say so). */
export interface PublicProposalContent {
  title: string;
  fields: Partial<Record<ProtectableField, string>>;
  withheld: ProtectableField[];
}

/**
 * The proposal's content with the protected fields removed — not blanked or masked, absent — for
 * the portal. The title is never protectable (it names the proposal everywhere).
 */
export function publicProposalContent(proposal: ProposalProse, register: readonly ProtectionEntryFacts[]): PublicProposalContent {
  const withheld = protectedFieldNames(register);
  const fields: Partial<Record<ProtectableField, string>> = {};
  for (const name of PROTECTABLE_FIELDS) if (!withheld.includes(name)) fields[name] = proposal[name];
  return { title: proposal.title, fields, withheld };
}

/**
 * The protected texts of a proposal (fields and the bodies of protected messages), non-empty and
 * trimmed: what a mail, a notification or a log line must never contain. For guards and tests.
 */
export function protectedTexts(proposal: ProposalProse, register: readonly ProtectionEntryFacts[], messages: ReadonlyArray<{ id: string; body: string }> = []): string[] {
  const texts = protectedFieldNames(register).map((name) => proposal[name]);
  for (const message of messages) if (isProtected(register, { kind: ProtectedItemKind.MESSAGE, messageId: message.id })) texts.push(message.body);
  return texts.map((text) => text.trim()).filter((text) => text !== '');
}

/** Whether `text` (a mail body, a notification) carries any protected text. */
export function containsProtectedText(text: string, protectedTextList: readonly string[]): boolean {
  return protectedTextList.some((secret) => text.includes(secret));
}
