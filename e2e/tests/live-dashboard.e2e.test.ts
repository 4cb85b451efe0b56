import { describe, expect, test } from 'vitest';
import { DESK1, DESK2, GraphQLClient } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';
import { DashboardPage } from '../pages/DashboardPage.ts';

const e2e = useE2E('live-dashboard');

const DRAFT = {
  kind: 'FREE',
  title: 'ダッシュボード確認用の提案：公園の防災ワークショップ',
  wardIssue: '地域の防災意識が低い',
  content: '公園で親子向けの防災ワークショップを開く',
  expectedEffects: '家庭の備えが進む',
  askOfWard: '公園の使用許可と広報',
  ownResources: '講師とキット',
  schedule: '来年度上期',
  wardCost: 'NONE',
  wardCostReason: '',
};
const PLEDGES = { notSolelyCommercial: true, notPoliticalOrReligious: true, noAntisocialTies: true };
const AGREEMENT = {
  form: 'NO_AGREEMENT',
  wardCost: 'NONE',
  startDate: '2027-04-01',
  endDate: '2028-03-31',
  scope: '区立公園での防災ワークショップ',
  wardResponsibilities: '公園の使用許可',
  proposerResponsibilities: 'ワークショップの実施',
  indicators: [{ name: '参加者数', target: '100人' }],
};

/** Another person acting in a session of their own (set-up of the changes the dashboards must show live). */
async function as(email: string): Promise<GraphQLClient> {
  const client = await GraphQLClient.create(e2e.baseURL);
  await client.login(email);
  return client;
}

type Ref = { id: string; version: number };

describe('live dashboards', () => {
  test('the desk’s counts move as a proposal is submitted, matched and agreed elsewhere; the section sees its new pending match; both pass axe', async () => {
    const desk = await signedIn(e2e, 'desk1', DESK1);
    await desk.goto('/desk');
    const deskBoard = new DashboardPage(desk);
    await deskBoard.deskHeading.waitFor();
    expect(new URL(desk.url()).pathname).toBe(DashboardPage.deskPath);
    const submitted = deskBoard.stat('submitted');
    const realised = deskBoard.stat('realised');
    const intakeWaiting = deskBoard.cell('dashboard-ageing', 'INTAKE', 2);
    const startSubmitted = await deskBoard.numberOf(submitted);
    const startRealised = await deskBoard.numberOf(realised);
    const startIntake = await deskBoard.numberOf(intakeWaiting);
    await expectAccessible(desk, 'the desk dashboard');

    const bousai = await signedIn(e2e, 'bousai', 'bousai@demo.renkei.jp');
    await bousai.goto(DashboardPage.sectionPath);
    const sectionBoard = new DashboardPage(bousai);
    await sectionBoard.sectionHeading.waitFor();
    const pending = sectionBoard.stat('pendingMatches');
    const startPending = await sectionBoard.numberOf(pending);
    await expectAccessible(bousai, 'the section dashboard');

    // The proposer submits, in a session of their own.
    const proposer = await as('proposer@demo.renkei.jp');
    const draft = (await proposer.query<{ createProposalDraft: Ref }>(`mutation($input: ProposalDraftInput!) { createProposalDraft(input: $input) { id version } }`, { input: DRAFT })).createProposalDraft;
    let p = (await proposer.query<{ submitProposal: Ref }>(`mutation($id: ID!, $v: Int!, $p: ProposalPledgesInput!) { submitProposal(id: $id, expectedVersion: $v, pledges: $p) { id version } }`, { id: draft.id, v: draft.version, p: PLEDGES })).submitProposal;
    await deskBoard.waitForNumber(submitted, startSubmitted + 1);
    await deskBoard.waitForNumber(intakeWaiting, startIntake + 1);

    // Another desk member reviews it and matches it to 防災危機管理課 as the lead.
    const desk2 = await as(DESK2);
    p = (await desk2.query<{ acceptProposalForReview: Ref }>(`mutation($id: ID!, $v: Int!) { acceptProposalForReview(id: $id, expectedVersion: $v) { id version } }`, { id: p.id, v: p.version })).acceptProposalForReview;
    p = (await desk2.query<{ startProposalDialogue: Ref }>(`mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id version } }`, { id: p.id, v: p.version })).startProposalDialogue;
    const { departments } = await desk2.query<{ departments: Array<{ sections: Array<{ id: string; name: string }> }> }>(`{ departments { sections { id name } } }`);
    const bousaiSection = departments.flatMap((d) => d.sections).find((s) => s.name === '防災危機管理課')!;
    const matched = (
      await desk2.query<{ matchProposal: Ref & { matches: Array<{ id: string; version: number }> } }>(
        `mutation($id: ID!, $v: Int!, $s: [ID!]!, $lead: ID!) { matchProposal(proposalId: $id, expectedVersion: $v, sectionIds: $s, leadSectionId: $lead) { id version matches { id version } } }`,
        { id: p.id, v: p.version, s: [bousaiSection.id], lead: bousaiSection.id },
      )
    ).matchProposal;
    await deskBoard.waitForNumber(intakeWaiting, startIntake);
    await sectionBoard.waitForNumber(pending, startPending + 1);
    await deskBoard.waitForNumber(deskBoard.cell('dashboard-section-load', bousaiSection.id, 1), await sectionBoard.numberOf(pending));

    // The section's figure is its inbox: following the link lists exactly that many.
    await pending.click();
    await bousai.getByRole('heading', { level: 1, name: 'マッチングの依頼' }).waitFor();
    await bousai.getByText(`${startPending + 1}件`, { exact: true }).first().waitFor();
    await bousai.goBack();
    await sectionBoard.sectionHeading.waitFor();

    // 防災危機管理課 accepts; the desk records the agreement.
    const bousaiApi = await as('bousai@demo.renkei.jp');
    const match = matched.matches[0]!;
    await bousaiApi.query(`mutation($id: ID!, $v: Int!) { acceptMatch(matchId: $id, expectedVersion: $v) { id } }`, { id: match.id, v: match.version });
    await sectionBoard.waitForNumber(pending, startPending);
    const fresh = (await desk2.query<{ proposal: Ref }>(`query($id: ID!) { proposal(id: $id) { id version } }`, { id: p.id })).proposal;
    await desk2.query(`mutation($id: ID!, $v: Int!, $input: PartnershipDecisionInput!) { recordAgreement(proposalId: $id, expectedVersion: $v, input: $input) { id } }`, { id: fresh.id, v: fresh.version, input: AGREEMENT });
    await deskBoard.waitForNumber(realised, startRealised + 1);

    // The desk's figure and its list agree: the link lists exactly the realised proposals.
    const realisedNow = await deskBoard.numberOf(realised);
    await realised.click();
    await desk.getByRole('heading', { level: 1, name: '提案の受付' }).waitFor();
    await desk.getByText(`${realisedNow}件`, { exact: true }).first().waitFor();

    await Promise.all([proposer.dispose(), desk2.dispose(), bousaiApi.dispose()]);
  });
});
