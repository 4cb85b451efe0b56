import { describe, expect, it } from 'vitest';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { ProtectedItemKind, ProtectionState } from '../protection/protection-request.entity.js';
import type { ProtectionEntryFacts } from '../protection/protection.redaction.js';
import { buildCaseSnapshot, withoutProtectedItems, type CaseSources } from './case-snapshot.js';
import type { CaseBlock } from './public-case.entity.js';

const PHOTO = '11111111-1111-4111-8111-111111111111';
const FILE = '22222222-2222-4222-8222-222222222222';
const SECRET_FIELD = '独自の需要予測アルゴリズムで蓄電量を最適化する';
const SECRET_FILE = '原価計算書_社外秘.pdf';

const BLOCKS: CaseBlock[] = [
  { kind: 'PROPOSAL_FIELD', field: 'wardIssue' },
  { kind: 'PROPOSAL_FIELD', field: 'content' },
  { kind: 'REPORT_PART', part: 'activities' },
  { kind: 'REPORT_PART', part: 'indicatorResults' },
  { kind: 'REPORT_PART', part: 'peopleReached' },
  { kind: 'REPORT_PHOTO', attachmentId: PHOTO },
  { kind: 'ATTACHMENT', attachmentId: FILE },
];

function sources(register: ProtectionEntryFacts[] = [], blocks = BLOCKS): CaseSources {
  return {
    composition: { title: '避難所の電源確保', summary: '区立施設2か所に太陽光発電と蓄電池を設置した。', blocks, fieldCodes: ['disaster-crime-prevention'], fiscalYear: 2027 },
    proposal: { title: '提案の題名', wardIssue: '停電時に避難所の電源がない', content: SECRET_FIELD, expectedEffects: '', askOfWard: '', wardCostReason: '', ownResources: '', schedule: '' },
    organisation: { name: '板橋エナジー株式会社', kind: OrganisationKind.COMPANY },
    leadSectionName: '防災危機管理課',
    report: {
      periodStart: '2027-04-01',
      periodEnd: '2028-03-31',
      activities: '防災訓練で活用した',
      indicatorResults: [{ name: '停電時の供給時間', target: '72時間', actual: '80時間', note: '' }],
      peopleReached: 420,
      wardCostYen: 0,
      partnerContribution: '設備一式',
      partnerContributionYen: 3000000,
      issues: '冬季の発電量',
      nextSteps: '他施設へ',
    },
    photos: [{ id: PHOTO, fileName: '設置写真.png', mediaType: 'image/png', sizeBytes: 100 }],
    attachments: [{ id: FILE, fileName: SECRET_FILE, mediaType: 'application/pdf', sizeBytes: 2048 }],
    register,
  };
}

const entry = (over: Partial<ProtectionEntryFacts>): ProtectionEntryFacts => ({ itemKind: ProtectedItemKind.FIELD, fieldName: null, attachmentId: null, messageId: null, state: ProtectionState.REQUESTED, ...over });
const PROTECTED = [entry({ fieldName: 'content' }), entry({ itemKind: ProtectedItemKind.ATTACHMENT, attachmentId: FILE, state: ProtectionState.AGREED })];

describe('buildCaseSnapshot', () => {
  it('renders every unprotected item in order, with the report facts and the search text', () => {
    const { content, searchText, refused } = buildCaseSnapshot(sources());
    expect(refused).toEqual([]);
    expect(content).toMatchObject({ title: '避難所の電源確保', organisationName: '板橋エナジー株式会社', organisationKind: 'COMPANY', leadSectionName: '防災危機管理課', fiscalYear: 2027, periodStart: '2027-04-01', wardCostYen: 0, partnerContributionYen: 3000000 });
    expect(content.blocks.map((b) => b.kind)).toEqual(['TEXT', 'TEXT', 'TEXT', 'INDICATORS', 'FIGURE', 'PHOTO', 'FILE']);
    expect(content.blocks[0]).toEqual({ kind: 'TEXT', source: BLOCKS[0], heading: '解決したい課題', text: '停電時に避難所の電源がない' });
    expect(content.blocks[4]).toEqual({ kind: 'FIGURE', source: BLOCKS[4], heading: '参加者数・対象者数', value: 420, unit: '人' });
    expect(searchText).toContain('停電時に避難所の電源がない');
    expect(searchText).toContain('防災・防犯');
    expect(searchText).toContain('80時間');
  });

  it('a protected field or attachment (requested or agreed) is never in the content nor the search text, and is refused', () => {
    const snapshot = buildCaseSnapshot(sources(PROTECTED));
    const json = JSON.stringify(snapshot.content);
    for (const secret of [SECRET_FIELD, SECRET_FILE, FILE]) {
      expect(json).not.toContain(secret);
      expect(snapshot.searchText).not.toContain(secret);
    }
    expect(snapshot.refused).toEqual([
      { index: 1, source: BLOCKS[1], code: 'PROTECTED_ITEM' },
      { index: 6, source: BLOCKS[6], code: 'PROTECTED_ITEM' },
    ]);
  });

  it('a declined request does not protect', () => {
    const declined = [entry({ fieldName: 'content', state: ProtectionState.DECLINED })];
    expect(buildCaseSnapshot(sources(declined)).refused).toEqual([]);
  });

  it('a reference to something that is not there (a removed file, no accepted report) is refused, not rendered', () => {
    const gone = { ...sources(), attachments: [], report: null };
    expect(buildCaseSnapshot(gone).refused.map((r) => [r.index, r.code])).toEqual([
      [2, 'UNKNOWN_REFERENCE'],
      [3, 'UNKNOWN_REFERENCE'],
      [4, 'UNKNOWN_REFERENCE'],
      [6, 'UNKNOWN_REFERENCE'],
    ]);
  });
});

describe('withoutProtectedItems', () => {
  it('removes a newly protected item from a published snapshot and rebuilds the search text without it', () => {
    const published = buildCaseSnapshot(sources()).content;
    expect(JSON.stringify(published)).toContain(SECRET_FIELD);
    const after = withoutProtectedItems(published, PROTECTED);
    expect(after.removed).toEqual([BLOCKS[1], BLOCKS[6]]);
    expect(JSON.stringify(after.content)).not.toContain(SECRET_FIELD);
    expect(JSON.stringify(after.content)).not.toContain(SECRET_FILE);
    expect(after.searchText).not.toContain(SECRET_FIELD);
    expect(after.content.blocks).toHaveLength(5);
  });
});
