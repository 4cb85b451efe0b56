import { describe, expect, test } from 'vitest';
import { DESK1, GraphQLClient } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';
import { ReportPanel } from '../pages/ReportPanel.ts';

const e2e = useE2E('implementation-report');
/** The demo partnership in progress: the NPO's, with 防災危機管理課 as the accepted lead section. */
const DEMO_TITLE = '子育て世帯向けの親子防災教室と備蓄品点検';

async function demoProposalId(): Promise<string> {
  const desk = await GraphQLClient.create(e2e.baseURL);
  try {
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string; title: string } }[] } }>(
      `{ proposals(first: 20, filter: { states: [IN_PROGRESS] }) { edges { node { id title } } } }`,
    );
    const found = proposals.edges.find((edge) => edge.node.title === DEMO_TITLE);
    if (!found) throw new Error('the demo data has no partnership in progress');
    return found.node.id;
  } finally {
    await desk.dispose();
  }
}

describe('the implementation report (実施報告書)', () => {
  test('the lead section writes it, the proposer comments live, the desk returns it with a note, then accepts the revision: the proposal is reported, for everyone live', async () => {
    const id = await demoProposalId();
    const section = await signedIn(e2e, 'bousai', 'bousai@demo.renkei.jp');
    const proposer = await signedIn(e2e, 'npo', 'npo@demo.renkei.jp');
    const desk = await signedIn(e2e, 'desk1', DESK1);
    await section.goto(`/section/proposals/${id}`);
    await proposer.goto(`/proposer/proposals/${id}`);
    await desk.goto(`/desk/proposals/${id}`);
    const report = { section: new ReportPanel(section), proposer: new ReportPanel(proposer), desk: new ReportPanel(desk) };

    await report.section.write({ periodStart: '2026-06-01', periodEnd: '2026-10-31', activities: '区立小学校2校で親子防災教室を5回開催し、備蓄品を点検した', continuation: '継続する' });
    await report.proposer.stateTag('DRAFT').waitFor({ timeout: 15_000 });
    await expectAccessible(section, 'the lead section writing the report');

    // The proposer reads the draft and comments; the section sees the comment without a reload.
    await report.proposer.comment('参加者アンケートの結果も添えたいです。');
    await report.section.listedComment('参加者アンケートの結果も添えたいです。').waitFor({ timeout: 15_000 });

    await report.section.submit();
    await report.desk.stateTag('SUBMITTED').waitFor({ timeout: 15_000 });
    await report.desk.returnWithNote('参加者数の内訳（親・子）を記載してください。');
    await report.section.stateTag('RETURNED').waitFor({ timeout: 15_000 });
    await report.section.panel.getByText('参加者数の内訳（親・子）を記載してください。').first().waitFor();

    await report.section.write({ peopleReached: '180' });
    await report.section.submit();
    await report.desk.stateTag('SUBMITTED').waitFor({ timeout: 15_000 });
    await report.desk.accept();
    for (const panel of Object.values(report)) await panel.stateTag('ACCEPTED').waitFor({ timeout: 15_000 });
    await proposer.locator('dl.facts dd').getByText('実施報告済み', { exact: true }).first().waitFor({ timeout: 15_000 });
    await expectAccessible(proposer, 'the proposer reading the accepted report');
    expect(await proposer.getByTestId('report-form').count()).toBe(0);
  });
});
