import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/domain-errors.js';
import { MatchState } from '../matches/match.entity.js';
import { OrganisationKind } from '../organisations/organisation.entity.js';
import { DecisionWardCost, PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import { ProposalKind, ProposalState, WardCost } from '../proposals/proposal.entity.js';
import { ProposalOrder } from '../proposals/proposal.input.js';
import { PROTECTABLE_FIELDS } from '../protection/protection.policy.js';
import { ReportState } from '../reports/implementation-report.entity.js';
import { parseCsv } from '../../test/csv-parse.js';
import { EXPORT_COLUMNS, type ExportColumnId } from './proposal-export.columns.js';
import { PROTECTED_MARKER, proposalExportCsv, type ExportRow } from './proposal-export.csv.js';
import { parseExportRequest } from './proposal-export.request.js';
import { exportFileName } from './proposal-export.service.js';

const ROW: ExportRow = {
  referenceNumber: '2026-0001',
  title: '公園での防災ワークショップ, 親子向け',
  state: ProposalState.IN_PROGRESS,
  kind: ProposalKind.FREE,
  challengeTitle: null,
  submittedAt: new Date('2026-11-24T15:30:00Z'),
  stateEnteredAt: new Date('2026-11-25T01:00:00Z'),
  organisationName: 'いたばし"未来"株式会社',
  organisationKind: OrganisationKind.COMPANY,
  deskOwnerName: 'デスク 花子',
  matches: [
    { sectionName: '防災課', state: MatchState.ACCEPTED, lead: true },
    { sectionName: '公園課', state: MatchState.DECLINED, lead: false },
  ],
  agreementForm: PartnershipForm.AGREEMENT,
  proposedWardCost: WardCost.NONE,
  proposedWardCostEstimate: null,
  decidedWardCost: DecisionWardCost.NONE,
  decidedWardCostAmount: null,
  content: { wardIssue: '地域の防災意識', content: '秘密の発電キット\n二行目', expectedEffects: '=1+1', askOfWard: '+広報', wardCostReason: '-', ownResources: '@講師', schedule: '2027年度' },
  protectedFields: ['content'],
  reportState: ReportState.ACCEPTED,
  peopleReached: 120,
  partnerContributionYen: 300000,
  caseState: null,
};

const ALL = EXPORT_COLUMNS.map((column) => column.id);

describe('the column catalogue', () => {
  it('has unique ids, both labels, and marks exactly the protectable fields as protected content', () => {
    expect(new Set(ALL).size).toBe(ALL.length);
    for (const column of EXPORT_COLUMNS) expect(column.labelJa && column.labelEn).toBeTruthy();
    expect(EXPORT_COLUMNS.filter((column) => column.protectedContent).map((column) => column.id)).toEqual([...PROTECTABLE_FIELDS]);
  });
});

describe('the proposal export CSV', () => {
  it('starts with a BOM, ends lines with CRLF and reads back to the chosen columns in order', () => {
    const columns: ExportColumnId[] = ['title', 'referenceNumber', 'organisationName', 'submittedDate', 'matchedSections', 'leadSection', 'wardCost', 'peopleReached'];
    const csv = proposalExportCsv([ROW], columns, false);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const [header, line] = parseCsv(csv.slice(1));
    expect(header).toEqual(['件名', '受付番号', '団体名', '受付日', 'マッチングした課（状態）', '主担当課', '区の費用負担', '参加者数・対象者数']);
    // The submission at 15:30 UTC is the next day in Japan.
    expect(line).toEqual(['公園での防災ワークショップ, 親子向け', '2026-0001', 'いたばし"未来"株式会社', '2026-11-25', '防災課（受諾・主担当）、公園課（辞退）', '防災課', 'なし', '120']);
  });

  it('replaces protected content with the marker unless included, and keeps unprotected content', () => {
    const without = proposalExportCsv([ROW], ['content', 'wardIssue'], false);
    expect(without).not.toContain('秘密の発電キット');
    expect(parseCsv(without.slice(1))[1]).toEqual([PROTECTED_MARKER, '地域の防災意識']);
    const withIt = proposalExportCsv([ROW], ['content', 'wardIssue'], true);
    expect(parseCsv(withIt.slice(1))[1]).toEqual(['秘密の発電キット\n二行目', '地域の防災意識']);
  });

  it('makes formulas inert: =, +, - and @ at the start get an apostrophe', () => {
    const csv = proposalExportCsv([ROW], ['expectedEffects', 'askOfWard', 'wardCostReason', 'ownResources'], false);
    expect(parseCsv(csv.slice(1))[1]).toEqual(["'=1+1", "'+広報", "'-", "'@講師"]);
  });

  it('names the file by the day in Japan', () => {
    expect(exportFileName(new Date('2026-11-24T15:30:00Z'))).toBe('proposals-20261125.csv');
  });
});

describe('the export request', () => {
  const fieldsOf = (query: Record<string, unknown>) => {
    try {
      parseExportRequest(query);
      return [];
    } catch (error) {
      return (error as InputError).fields.map((field) => `${field.field}:${field.code}`);
    }
  };

  it('takes columns in order (duplicates once), the flag and the list’s filters', () => {
    expect(parseExportRequest({ columns: 'title,referenceNumber,title', includeProtected: 'true', states: 'SUBMITTED,UNDER_REVIEW', kind: 'FREE', organisationKind: 'NPO', overTarget: 'false', order: 'NEWEST_SUBMITTED_FIRST' })).toEqual({
      columns: ['title', 'referenceNumber'],
      includeProtected: true,
      filter: { states: ['SUBMITTED', 'UNDER_REVIEW'], kind: 'FREE', organisationKind: 'NPO', overTarget: false },
      order: ProposalOrder.NEWEST_SUBMITTED_FIRST,
    });
    expect(parseExportRequest({ columns: 'title' }).includeProtected).toBe(false);
  });

  it('refuses no columns, unknown columns and malformed filters with coded fields', () => {
    expect(fieldsOf({})).toEqual(['columns:REQUIRED']);
    expect(fieldsOf({ columns: ' , ' })).toEqual(['columns:REQUIRED']);
    expect(fieldsOf({ columns: 'title,password' })).toEqual(['columns:UNKNOWN_REFERENCE']);
    expect(fieldsOf({ columns: 'title', states: 'NOPE', kind: 'X', overTarget: 'maybe', includeProtected: 'yes' })).toEqual(['states:INVALID', 'kind:INVALID', 'overTarget:INVALID', 'includeProtected:INVALID']);
    expect(fieldsOf({ columns: ['title', 'state'] })).toEqual(['columns:INVALID', 'columns:REQUIRED']);
  });
});
