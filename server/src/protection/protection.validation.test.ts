import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { InputError } from '../errors/domain-errors.js';
import { ProtectedItemKind } from './protection-request.entity.js';
import { validateProtectionDecision, validateProtectionRequest, type ProtectedItemShape } from './protection.validation.js';

function fieldErrors(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error.fields.map((f) => `${f.field}:${f.code}`).sort();
    throw error;
  }
  return [];
}

const FIELD = ProtectedItemKind.FIELD;
const ATTACHMENT = ProtectedItemKind.ATTACHMENT;
const MESSAGE = ProtectedItemKind.MESSAGE;

describe('a protection request', () => {
  it('accepts a protectable field, an attachment id or a message id with a reason, trimmed', () => {
    expect(validateProtectionRequest({ kind: FIELD, fieldName: 'content' }, '  法人の競争上の地位  ')).toEqual({ item: { kind: FIELD, fieldName: 'content' }, reason: '法人の競争上の地位' });
    const id = randomUUID();
    expect(validateProtectionRequest({ kind: ATTACHMENT, attachmentId: id }, '技術情報').item).toEqual({ kind: ATTACHMENT, attachmentId: id });
    expect(validateProtectionRequest({ kind: MESSAGE, messageId: id }, '技術情報').item).toEqual({ kind: MESSAGE, messageId: id });
  });

  it('needs a reason of at most 2000 characters', () => {
    expect(fieldErrors(() => validateProtectionRequest({ kind: FIELD, fieldName: 'content' }, '   '))).toEqual(['reason:REQUIRED']);
    expect(fieldErrors(() => validateProtectionRequest({ kind: FIELD, fieldName: 'content' }, 'あ'.repeat(2001)))).toEqual(['reason:TOO_LONG']);
    expect(fieldErrors(() => validateProtectionRequest({ kind: FIELD, fieldName: 'content' }, 'あ'.repeat(2000)))).toEqual([]);
  });

  it('refuses the title and unknown fields', () => {
    expect(fieldErrors(() => validateProtectionRequest({ kind: FIELD, fieldName: 'title' }, '理由'))).toEqual(['item.fieldName:INVALID']);
    expect(fieldErrors(() => validateProtectionRequest({ kind: FIELD, fieldName: 'secret' }, '理由'))).toEqual(['item.fieldName:INVALID']);
  });

  it('names exactly one thing of its kind, and reports every problem at once', () => {
    const cases: Array<[ProtectedItemShape, string[]]> = [
      [{ kind: FIELD }, ['item.fieldName:REQUIRED']],
      [{ kind: ATTACHMENT }, ['item.attachmentId:REQUIRED']],
      [{ kind: MESSAGE, messageId: '' }, ['item.messageId:REQUIRED']],
      [{ kind: ATTACHMENT, attachmentId: 'not-an-id' }, ['item.attachmentId:UNKNOWN_REFERENCE']],
      [{ kind: FIELD, fieldName: 'content', attachmentId: randomUUID() }, ['item.attachmentId:INVALID']],
      [{ kind: MESSAGE, messageId: randomUUID(), fieldName: 'content' }, ['item.fieldName:INVALID']],
    ];
    for (const [item, expected] of cases) expect(fieldErrors(() => validateProtectionRequest(item, '理由')), JSON.stringify(item)).toEqual(expected);
    expect(fieldErrors(() => validateProtectionRequest({ kind: FIELD, fieldName: 'title' }, ''))).toEqual(['item.fieldName:INVALID', 'reason:REQUIRED']);
  });
});

describe('a decision', () => {
  it('needs a reason of at most 2000 characters', () => {
    expect(validateProtectionDecision(' 公にすると法人の正当な利益を害するおそれ ')).toBe('公にすると法人の正当な利益を害するおそれ');
    expect(fieldErrors(() => validateProtectionDecision(''))).toEqual(['reason:REQUIRED']);
    expect(fieldErrors(() => validateProtectionDecision(null))).toEqual(['reason:REQUIRED']);
    expect(fieldErrors(() => validateProtectionDecision('x'.repeat(2001)))).toEqual(['reason:TOO_LONG']);
  });
});
