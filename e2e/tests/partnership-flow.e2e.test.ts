import { describe, expect, test } from 'vitest';
import { DESK1 } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { watchPage } from '../harness/browser.ts';
import { demoProposalInDialogue, signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';
import { DecisionPanel } from '../pages/DecisionPanel.ts';
import { MeetingsPanel } from '../pages/MeetingsPanel.ts';
import { MinutesEditor } from '../pages/MinutesEditor.ts';

const e2e = useE2E('partnership-flow');

/** Tomorrow's date in Japan (YYYY-MM-DD): the meeting must be in the future. */
function tomorrowInJapan(): string {
  return new Date(Date.now() + 9 * 3600_000 + 24 * 3600_000).toISOString().slice(0, 10);
}

const LIVE = { timeout: 15_000 };

describe('from dialogue to work in progress, live for everyone', () => {
  test('matched to two sections, one declines; a meeting with minutes typed by two people at once; a no-cost 協定; the lead section starts the work; the proposer sees every step live', async () => {
    // Set-up (not under test): the proposer's demo proposal under review, moved into dialogue.
    const target = await demoProposalInDialogue(e2e.baseURL);
    const id = target.id;

    // The proposer keeps the proposal open the whole time and never reloads.
    const proposer = await signedIn(e2e, 'proposer', 'proposer@demo.renkei.jp');
    await proposer.goto(`/proposer/proposals/${id}`);
    // The page's title (the bell in the header may also hold the title, hidden until opened).
    await proposer.getByRole('heading', { level: 1, name: target.title }).waitFor();
    const proposerDecision = new DecisionPanel(proposer);
    const proposerMeetings = new MeetingsPanel(proposer);

    // The desk matches it to 防災危機管理課 (危機管理部, the lead) and 環境政策課 (資源環境部).
    const desk = await signedIn(e2e, 'desk1', DESK1);
    await desk.goto(`/desk/proposals/${id}`);
    await desk.getByRole('heading', { name: '所管課へのマッチング' }).waitFor();
    await desk.getByLabel('マッチングする所管課', { exact: true }).selectOption([{ label: '防災危機管理課' }, { label: '環境政策課' }]);
    await desk.getByLabel('主担当の所管課', { exact: true }).selectOption({ label: '危機管理部 防災危機管理課' });
    await desk.getByRole('button', { name: 'マッチングする', exact: true }).click();
    await desk.getByText('所管課とマッチングしました。').first().waitFor();
    // The proposer's responsibility panel shows both sections, live.
    const proposerPanel = proposer.getByTestId('responsibilities');
    await proposerPanel.getByText('防災危機管理課').first().waitFor(LIVE);
    await proposerPanel.getByText('環境政策課').first().waitFor(LIVE);

    // 防災危機管理課 accepts from its inbox.
    const bousai = await signedIn(e2e, 'bousai', 'bousai@demo.renkei.jp');
    await bousai.goto('/section/inbox');
    await bousai.getByRole('link', { name: target.title }).click();
    await bousai.getByRole('button', { name: '受諾する', exact: true }).click();
    await bousai.getByText('マッチングを受諾しました。').first().waitFor();

    // 環境政策課 has it open in two tabs and declines in one: the other loses the proposal at once.
    const kankyo = await signedIn(e2e, 'kankyo', 'kankyo@demo.renkei.jp');
    await kankyo.goto(`/section/proposals/${id}`);
    await kankyo.getByRole('heading', { name: 'マッチングへの回答' }).waitFor();
    const kankyoOtherTab = await kankyo.context().newPage();
    e2e.addDiagnostics(watchPage(kankyoOtherTab, 'kankyo second tab'));
    await kankyoOtherTab.goto(`/section/proposals/${id}`);
    await kankyoOtherTab.getByText(target.title).first().waitFor();
    await kankyo.getByRole('button', { name: '辞退する', exact: true }).click();
    const dialog = kankyo.getByRole('dialog');
    await dialog.getByLabel('理由', { exact: true }).fill('所管外のため');
    await dialog.getByRole('button', { name: '辞退する', exact: true }).click();
    await kankyoOtherTab.getByText('この提案は表示できなくなりました').first().waitFor(LIVE);
    expect(await kankyoOtherTab.getByText(target.title).count()).toBe(0);
    // The proposer sees both answers without reloading: the lead has accepted, the declined section is gone.
    await proposerPanel.getByText('受諾', { exact: true }).first().waitFor(LIVE);
    await proposerPanel.getByText('環境政策課').first().waitFor({ ...LIVE, state: 'detached' });

    // The desk schedules a SHARED meeting with the lead section and the proposer.
    await desk.reload();
    const title = '第1回 打合せ（実証の進め方）';
    await new MeetingsPanel(desk).schedule({
      title,
      date: tomorrowInJapan(),
      startTime: '10:00',
      endTime: '11:00',
      place: '板橋区役所 本庁舎 7階 会議室',
      agenda: '実証の範囲と役割分担',
      audience: '共有（区と提案者）',
      participants: ['連携 一郎（公民連携デスク）', '防災 次郎（防災危機管理課）', '提案 三郎（株式会社いたばしラボ）'],
    });
    // It appears live on the proposer's page; the proposer and the lead section open it.
    await proposerMeetings.meetingLink(title).waitFor(LIVE);
    const meetingHref = await proposerMeetings.meetingLink(title).getAttribute('href');
    expect(meetingHref).toMatch(/^\/meetings\/[0-9a-f-]{36}$/);

    const proposerMinutesPage = await proposer.context().newPage();
    e2e.addDiagnostics(watchPage(proposerMinutesPage, 'proposer minutes'));
    await proposerMinutesPage.goto(meetingHref!);
    const proposerMinutes = new MinutesEditor(proposerMinutesPage);
    await bousai.goto(meetingHref!);
    const bousaiMinutes = new MinutesEditor(bousai);
    await Promise.all([proposerMinutes.ready(), bousaiMinutes.ready()]);
    // Each sees the other here.
    await proposerMinutes.presence.getByText('防災 次郎', { exact: false }).waitFor(LIVE);
    await bousaiMinutes.presence.getByText('提案 三郎', { exact: false }).waitFor(LIVE);

    // Both type at the same time; neither loses a character.
    const fromProposer = '提案者メモ：設置候補は区立第一小学校と赤塚体育館。';
    const fromSection = '所管課メモ：避難所運営マニュアルとの整合を確認する。';
    await Promise.all([proposerMinutes.typeAtEnd(fromProposer), bousaiMinutes.typeAtEnd(fromSection)]);
    for (const minutes of [proposerMinutes, bousaiMinutes]) {
      await minutes.waitForText(fromProposer);
      await minutes.waitForText(fromSection);
      await minutes.saved();
    }
    expect(await proposerMinutes.text()).toBe(await bousaiMinutes.text());
    await expectAccessible(bousai, 'the meeting page with its live minutes');
    // What was saved is really saved: a fresh load shows both texts.
    await proposerMinutesPage.reload();
    await proposerMinutes.ready();
    await proposerMinutes.waitForText(fromProposer);
    await proposerMinutes.waitForText(fromSection);

    // The desk records a no-cost 協定; the proposer sees it live.
    const deskDecision = new DecisionPanel(desk);
    await deskDecision.recordNoCostAgreement();
    await deskDecision.expectAgreed();
    await proposerDecision.expectAgreed();

    // The lead section starts the work; the proposer sees it in progress, live.
    await bousai.goto(`/section/proposals/${id}`);
    const bousaiDecision = new DecisionPanel(bousai);
    await bousaiDecision.startWork();
    await bousaiDecision.expectInProgress();
    await proposerDecision.expectInProgress();
    await bousaiDecision.addProgressNote('第1回 避難訓練で試行', { milestone: true });
    await proposerDecision.expectProgressNote('第1回 避難訓練で試行', { milestone: true });
    await expectAccessible(proposer, 'the proposer page with the agreed partnership in progress');
  });
});
