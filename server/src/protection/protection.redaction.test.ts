import { describe, expect, it } from 'vitest';
import { ProtectedItemKind, ProtectionState } from './protection-request.entity.js';
import { containsProtectedText, isProtected, protectedFieldNames, protectedTexts, publicProposalContent, redactProtected, type ProtectionEntryFacts } from './protection.redaction.js';

const field = (fieldName: string, state: ProtectionState): ProtectionEntryFacts => ({ itemKind: ProtectedItemKind.FIELD, fieldName, attachmentId: null, messageId: null, state });
const attachment = (attachmentId: string, state: ProtectionState): ProtectionEntryFacts => ({ itemKind: ProtectedItemKind.ATTACHMENT, fieldName: null, attachmentId, messageId: null, state });
const message = (messageId: string, state: ProtectionState): ProtectionEntryFacts => ({ itemKind: ProtectedItemKind.MESSAGE, fieldName: null, attachmentId: null, messageId, state });

const PROPOSAL = {
  title: '公園での防災ワークショップ',
  wardIssue: '地域の防災意識が低い',
  content: '独自開発の防災キット（特許出願中）を使う',
  expectedEffects: '家庭の備えが進む',
  askOfWard: '公園の使用許可',
  wardCostReason: '',
  ownResources: '講師と独自の教材',
  schedule: '2027年度上期',
};

describe('isProtected', () => {
  it('is true while REQUESTED or AGREED, false once DECLINED or never asked', () => {
    expect(isProtected([field('content', ProtectionState.REQUESTED)], { kind: ProtectedItemKind.FIELD, fieldName: 'content' })).toBe(true);
    expect(isProtected([field('content', ProtectionState.AGREED)], { kind: ProtectedItemKind.FIELD, fieldName: 'content' })).toBe(true);
    expect(isProtected([field('content', ProtectionState.DECLINED)], { kind: ProtectedItemKind.FIELD, fieldName: 'content' })).toBe(false);
    expect(isProtected([], { kind: ProtectedItemKind.FIELD, fieldName: 'content' })).toBe(false);
    // A decline followed by a new request: protected again.
    expect(isProtected([field('content', ProtectionState.DECLINED), field('content', ProtectionState.REQUESTED)], { kind: ProtectedItemKind.FIELD, fieldName: 'content' })).toBe(true);
  });

  it('matches the item exactly: kind and name or id', () => {
    const register = [field('content', ProtectionState.AGREED), attachment('a1', ProtectionState.AGREED), message('m1', ProtectionState.REQUESTED)];
    expect(isProtected(register, { kind: ProtectedItemKind.FIELD, fieldName: 'schedule' })).toBe(false);
    expect(isProtected(register, { kind: ProtectedItemKind.ATTACHMENT, attachmentId: 'a1' })).toBe(true);
    expect(isProtected(register, { kind: ProtectedItemKind.ATTACHMENT, attachmentId: 'm1' })).toBe(false);
    expect(isProtected(register, { kind: ProtectedItemKind.MESSAGE, messageId: 'm1' })).toBe(true);
    expect(isProtected(register, { kind: ProtectedItemKind.MESSAGE, messageId: 'a1' })).toBe(false);
  });
});

describe('public output', () => {
  const register = [field('content', ProtectionState.AGREED), field('ownResources', ProtectionState.REQUESTED), field('schedule', ProtectionState.DECLINED)];

  it('publicProposalContent leaves protected fields out entirely and says which were withheld', () => {
    const out = publicProposalContent(PROPOSAL, register);
    expect(out.title).toBe(PROPOSAL.title);
    expect(out.withheld).toEqual(['content', 'ownResources']);
    expect(Object.keys(out.fields).sort()).toEqual(['askOfWard', 'expectedEffects', 'schedule', 'wardCostReason', 'wardIssue']);
    const serialised = JSON.stringify(out);
    expect(serialised).not.toContain(PROPOSAL.content);
    expect(serialised).not.toContain(PROPOSAL.ownResources);
    expect(serialised).toContain(PROPOSAL.schedule);
  });

  it('protectedFieldNames keeps the form’s order', () => {
    expect(protectedFieldNames([field('schedule', ProtectionState.AGREED), field('wardIssue', ProtectionState.REQUESTED)])).toEqual(['wardIssue', 'schedule']);
  });

  it('redactProtected drops protected attachments and messages, keeps the rest in order', () => {
    const files = [{ id: 'a1' }, { id: 'a2' }, { id: 'a3' }];
    expect(redactProtected(files, ProtectedItemKind.ATTACHMENT, [attachment('a2', ProtectionState.REQUESTED), attachment('a3', ProtectionState.DECLINED), message('a1', ProtectionState.AGREED)])).toEqual([{ id: 'a1' }, { id: 'a3' }]);
    expect(redactProtected([{ id: 'm1' }, { id: 'm2' }], ProtectedItemKind.MESSAGE, [message('m1', ProtectionState.AGREED)])).toEqual([{ id: 'm2' }]);
  });

  it('protectedTexts and containsProtectedText catch protected text in a mail or notification', () => {
    const texts = protectedTexts(PROPOSAL, register, [
      { id: 'm1', body: '社外秘の価格表を添付します' },
      { id: 'm2', body: '打合せの日程を調整します' },
    ]);
    expect(texts).toEqual([PROPOSAL.content, PROPOSAL.ownResources]);
    const withMessage = protectedTexts(PROPOSAL, [...register, message('m1', ProtectionState.REQUESTED)], [{ id: 'm1', body: ' 社外秘の価格表を添付します ' }]);
    expect(withMessage).toContain('社外秘の価格表を添付します');
    expect(containsProtectedText(`新しいメッセージ: ${PROPOSAL.title}`, withMessage)).toBe(false);
    expect(containsProtectedText(`内容: ${PROPOSAL.content}`, withMessage)).toBe(true);
    // An empty protected field protects nothing and matches nothing.
    expect(protectedTexts(PROPOSAL, [field('wardCostReason', ProtectionState.AGREED)])).toEqual([]);
  });
});
