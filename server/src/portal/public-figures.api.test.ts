import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { ProposalState } from '../proposals/proposal.entity.js';
import { CaseState } from '../publication/public-case.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { createAccount, createDepartmentWithSections } from '../../test/factories.js';
import { createMember, createOrganisation } from '../../test/proposal-factories.js';
import { fiscalYearOf } from './fiscal-year.js';
import { lastCountedDay } from './public-figures.js';
import { caseRow, challengeRow, proposalRow, snapshot, transitionRows } from './portal-fixtures.js';

const FIGURES = `query($y: Int) { publicFigures(fiscalYear: $y) { fiscalYear countedThrough received inDialogue realised publishedCases valueNotSpentYen
  byField { fieldCode nameJa nameEn received inDialogue realised } } }`;
/** A moment given in Tokyo time. */
const jst = (local: string): Date => new Date(`${local}+09:00`);

let server: TestServer;
let anonymous: HttpSession;

/**
 * A small known year. FY2025 runs 2025-04-01 00:00 JST to 2026-03-31 23:59:59 JST.
 *  A: submitted 2026-03-31 23:59 JST (FY2025), challenge field child-rearing
 *  B: submitted 2026-04-01 00:00 JST (FY2026), no challenge, no case → unclassified
 *  C: submitted 2025-05-01; dialogue 2025-06-01; agreed 2026-03-31 23:59:59 JST (FY2025);
 *     its published case lists town-vitality + environmental-education (over its challenge's child-rearing)
 *  D: submitted 2025-04-01 00:00 JST (FY2025); dialogue twice in FY2025; agreed 2026-04-01 00:00 JST (FY2026); child-rearing
 *  E: submitted 2025-03-31 23:59:59 JST (FY2024)
 * Published cases of FY2025: C (3,000,000 yen) and F (1,500,000, an unsubmitted proposal); a
 * withdrawn (9,999,999) and a draft (7,777,777) of FY2025 never count.
 */
beforeAll(async () => {
  server = await startTestServer();
  anonymous = new HttpSession(server.httpUrl);
  const em = server.db.orm.em.fork();
  const [section] = await createDepartmentWithSections(em, ['子育て支援課']);
  const desk = await createAccount(em, Role.DESK);
  const organisation = await createOrganisation(em);
  const who = { organisation, author: await createMember(em, organisation) };
  const childRearing = await challengeRow(em, desk, { title: '子育て', fieldCodes: ['child-rearing'], section: section! });

  await proposalRow(em, who, { title: 'A', state: ProposalState.SUBMITTED, submittedAt: jst('2026-03-31T23:59:00'), challenge: childRearing });
  await proposalRow(em, who, { title: 'B', state: ProposalState.SUBMITTED, submittedAt: jst('2026-04-01T00:00:00') });
  const c = await proposalRow(em, who, { title: 'C', state: ProposalState.PUBLISHED, submittedAt: jst('2025-05-01T10:00:00'), challenge: childRearing });
  await transitionRows(em, c, desk, [
    [ProposalState.IN_DIALOGUE, jst('2025-06-01T10:00:00')],
    [ProposalState.AGREED, jst('2026-03-31T23:59:59')],
  ]);
  await caseRow(em, c, desk, CaseState.PUBLISHED, snapshot({ title: 'C', fieldCodes: ['town-vitality', 'environmental-education'], fiscalYear: 2025, partnerContributionYen: 3_000_000 }));
  const d = await proposalRow(em, who, { title: 'D', state: ProposalState.AGREED, submittedAt: jst('2025-04-01T00:00:00'), challenge: childRearing });
  await transitionRows(em, d, desk, [
    [ProposalState.IN_DIALOGUE, jst('2025-07-01T10:00:00')],
    [ProposalState.IN_DIALOGUE, jst('2025-08-01T10:00:00')],
    [ProposalState.AGREED, jst('2026-04-01T00:00:00')],
  ]);
  await proposalRow(em, who, { title: 'E', state: ProposalState.SUBMITTED, submittedAt: jst('2025-03-31T23:59:59') });
  const f = await proposalRow(em, who, { title: 'F' });
  await caseRow(em, f, desk, CaseState.PUBLISHED, snapshot({ title: 'F', fiscalYear: 2025, partnerContributionYen: 1_500_000 }));
  const g = await proposalRow(em, who, { title: 'G' });
  await caseRow(em, g, desk, CaseState.WITHDRAWN, snapshot({ title: 'G', fiscalYear: 2025, partnerContributionYen: 9_999_999 }));
  const h = await proposalRow(em, who, { title: 'H' });
  await caseRow(em, h, desk, CaseState.DRAFT, snapshot({ title: 'H', fiscalYear: 2025, partnerContributionYen: 7_777_777 }));
});

afterAll(async () => {
  await server?.stop();
});

const field = (fieldCode: string, received: number, inDialogue: number, realised: number) => expect.objectContaining({ fieldCode, received, inDialogue, realised });

describe('publicFigures', () => {
  it('counts a fiscal year from 1 April to 31 March in Tokyo time', async () => {
    const { publicFigures } = await anonymous.ok(FIGURES, { y: 2025 });
    expect(publicFigures).toMatchObject({ fiscalYear: 2025, received: 3, inDialogue: 2, realised: 1, publishedCases: 2, valueNotSpentYen: 4_500_000 });
    expect(publicFigures.byField).toEqual([
      field('environmental-education', 1, 1, 1),
      field('child-rearing', 2, 1, 0),
      field('town-vitality', 1, 1, 1),
    ]);
  });

  it('puts what falls on 1 April in the next year, and a proposal without fields under unclassified', async () => {
    const { publicFigures } = await anonymous.ok(FIGURES, { y: 2026 });
    expect(publicFigures).toMatchObject({ fiscalYear: 2026, received: 1, inDialogue: 0, realised: 1, publishedCases: 0, valueNotSpentYen: 0 });
    expect(publicFigures.byField).toEqual([field('child-rearing', 0, 0, 1), expect.objectContaining({ fieldCode: 'unclassified', nameJa: '分類なし', received: 1 })]);
    const before = (await anonymous.ok(FIGURES, { y: 2024 })).publicFigures;
    expect(before).toMatchObject({ received: 1, byField: [field('unclassified', 1, 0, 0)] });
  });

  it('defaults to the current fiscal year and offers the years from the first proposal', async () => {
    const current = fiscalYearOf(new Date());
    expect((await anonymous.ok(FIGURES)).publicFigures.fiscalYear).toBe(current);
    const years = (await anonymous.ok('{ publicFigureYears }')).publicFigureYears;
    expect(years[0]).toBe(current);
    expect(years.at(-1)).toBe(2024);
  });

  it("counts up to the end of yesterday (Tokyo): today's submissions and moves do not show yet", async () => {
    const current = fiscalYearOf(new Date());
    const before = (await anonymous.ok(FIGURES, { y: current })).publicFigures;
    const em = server.db.orm.em.fork();
    const organisation = await createOrganisation(em);
    const who = { organisation, author: await createMember(em, organisation) };
    const today = await proposalRow(em, who, { title: '今日の提案', state: ProposalState.IN_DIALOGUE, submittedAt: new Date() });
    await transitionRows(em, today, who.author, [[ProposalState.IN_DIALOGUE, new Date()]]);
    const after = (await anonymous.ok(FIGURES, { y: current })).publicFigures;
    expect(after).toEqual(before);
    expect(after.countedThrough).toBe(lastCountedDay(current, new Date()));
    expect((await anonymous.ok(FIGURES, { y: 2025 })).publicFigures.countedThrough).toBe('2026-03-31');
  });

  it('refuses a fiscal year before 2000 or after next year', async () => {
    for (const y of [1999, fiscalYearOf(new Date()) + 2]) {
      const result = await anonymous.request(FIGURES, { y });
      expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect((await anonymous.request(FIGURES, { y: 2000 })).errors).toBeUndefined();
    expect((await anonymous.request(FIGURES, { y: fiscalYearOf(new Date()) + 1 })).errors).toBeUndefined();
  });

  it('answers aggregates only: no proposal title or organisation', async () => {
    const body = JSON.stringify(await anonymous.request(FIGURES, { y: 2025 }));
    expect(body).not.toMatch(/"title"|"organisation/);
  });
});

describe('lastCountedDay', () => {
  it('is yesterday in Tokyo, the year end for a past year, and null before the year has a day behind it', () => {
    const now = jst('2026-04-01T08:00:00');
    expect(lastCountedDay(2026, now)).toBeNull();
    expect(lastCountedDay(2025, now)).toBe('2026-03-31');
    expect(lastCountedDay(2026, jst('2026-11-24T00:30:00'))).toBe('2026-11-23');
  });
});

describe('fiscalYearOf', () => {
  it('turns at midnight of 1 April in Tokyo', () => {
    expect(fiscalYearOf(jst('2026-03-31T23:59:59'))).toBe(2025);
    expect(fiscalYearOf(jst('2026-04-01T00:00:00'))).toBe(2026);
  });
});
