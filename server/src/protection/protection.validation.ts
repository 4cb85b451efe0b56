import { FieldErrors } from '../errors/domain-errors.js';
import { isUuid } from '../shared/uuid.js';
import { ProtectedItemKind } from './protection-request.entity.js';
import { isProtectableField, type ProtectableField } from './protection.policy.js';
import type { ProtectedItem } from './protection.redaction.js';

export const PROTECTION_REASON_MAX = 2000;

export interface ProtectedItemShape {
  kind: ProtectedItemKind;
  fieldName?: string | null;
  attachmentId?: string | null;
  messageId?: string | null;
}

function cleanReasonInto(errors: FieldErrors, value: string | null | undefined): string {
  const clean = (value ?? '').trim();
  if (clean === '') errors.add('reason', 'REQUIRED', 'Give a reason');
  else if (clean.length > PROTECTION_REASON_MAX) errors.add('reason', 'TOO_LONG', `At most ${PROTECTION_REASON_MAX} characters`);
  return clean;
}

/**
 * A protection request's input, checked whole (every problem at once): the item names exactly one
 * thing of its kind, a field is one of the protectable ones, and the reason is given (≤ 2000).
 * Whether the attachment or message belongs to the proposal is the service's check.
 */
export function validateProtectionRequest(item: ProtectedItemShape, reason: string | null | undefined): { item: ProtectedItem; reason: string } {
  const errors = new FieldErrors();
  const clean = cleanReasonInto(errors, reason);
  const given = { fieldName: item.fieldName ?? null, attachmentId: item.attachmentId ?? null, messageId: item.messageId ?? null };
  const wanted = item.kind === ProtectedItemKind.FIELD ? 'fieldName' : item.kind === ProtectedItemKind.ATTACHMENT ? 'attachmentId' : 'messageId';
  for (const [name, value] of Object.entries(given)) {
    if (name !== wanted && value !== null) errors.add(`item.${name}`, 'INVALID', `Only ${wanted} is given for ${item.kind}`);
  }
  const value = given[wanted];
  if (value === null || value === '') errors.add(`item.${wanted}`, 'REQUIRED', `Name the ${item.kind.toLowerCase()} to protect`);
  else if (wanted === 'fieldName' && !isProtectableField(value)) errors.add('item.fieldName', 'INVALID', 'Not a field that can be protected');
  else if (wanted !== 'fieldName' && !isUuid(value)) errors.add(`item.${wanted}`, 'UNKNOWN_REFERENCE', `No such ${item.kind.toLowerCase()} on this proposal`);
  errors.throwIfAny();
  const parsed: ProtectedItem =
    item.kind === ProtectedItemKind.FIELD
      ? { kind: ProtectedItemKind.FIELD, fieldName: value as ProtectableField }
      : item.kind === ProtectedItemKind.ATTACHMENT
        ? { kind: ProtectedItemKind.ATTACHMENT, attachmentId: value! }
        : { kind: ProtectedItemKind.MESSAGE, messageId: value! };
  return { item: parsed, reason: clean };
}

/** The desk's decision needs a reason too (it is what the ward cites when asked). */
export function validateProtectionDecision(reason: string | null | undefined): string {
  const errors = new FieldErrors();
  const clean = cleanReasonInto(errors, reason);
  errors.throwIfAny();
  return clean;
}
