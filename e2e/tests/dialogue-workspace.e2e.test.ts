import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { DESK1, GraphQLClient } from '../harness/api.ts';
import { expectAccessible } from '../harness/axe.ts';
import { cuttableNetwork } from '../harness/network.ts';
import { signedIn } from '../harness/people.ts';
import { useE2E } from '../harness/suite.ts';
import { ProtectionPanel } from '../pages/ProtectionPanel.ts';
import { ThreadsPanel } from '../pages/ThreadsPanel.ts';

const e2e = useE2E('dialogue-workspace');
const LIVE = 15_000;
/** The demo proposal in dialogue: the proposer's, with 防災危機管理課 as the accepted lead section. */
const DEMO_TITLE = '避難所となる区立施設への太陽光発電と蓄電池の共同設置';

async function demoProposalId(): Promise<string> {
  const desk = await GraphQLClient.create(e2e.baseURL);
  try {
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string; title: string } }[] } }>(
      `{ proposals(first: 20, filter: { states: [IN_DIALOGUE] }) { edges { node { id title } } } }`,
    );
    const found = proposals.edges.find((edge) => edge.node.title === DEMO_TITLE);
    if (!found) throw new Error('the demo data has no proposal in dialogue with the lead section');
    return found.node.id;
  } finally {
    await desk.dispose();
  }
}

/** Every websocket frame the page receives, as text: what must never carry the ward's INTERNAL notes. */
function recordFrames(page: Page): string[] {
  const frames: string[] = [];
  page.on('websocket', (socket) => socket.on('framereceived', (frame) => frames.push(String(frame.payload))));
  return frames;
}

describe('the live dialogue workspace', () => {
  test('proposer, lead section and desk at once: shared messages live, an INTERNAL note the proposer never receives, protection agreed live, a cut network that catches up without doubles, and another organisation kept out', async () => {
    const id = await demoProposalId();

    const proposer = await signedIn(e2e, 'proposer', 'proposer@demo.renkei.jp');
    const proposerFrames = recordFrames(proposer);
    const section = await signedIn(e2e, 'bousai', 'bousai@demo.renkei.jp');
    const sectionNetwork = await cuttableNetwork(section.context());
    const desk = await signedIn(e2e, 'desk1', DESK1);
    await proposer.goto(`/proposer/proposals/${id}`);
    await section.goto(`/section/proposals/${id}`);
    await desk.goto(`/desk/proposals/${id}`);
    const threads = { proposer: new ThreadsPanel(proposer), section: new ThreadsPanel(section), desk: new ThreadsPanel(desk) };
    for (const panel of Object.values(threads)) await panel.panel.waitFor();

    // The proposer opens a SHARED thread; the section and the desk see it arrive and open it.
    const sharedTitle = '設置候補の施設について';
    await threads.proposer.postInNewThread('共有（区と提案者）', sharedTitle, '候補の施設を相談させてください。');
    for (const other of [threads.section, threads.desk]) {
      await other.threadLink(sharedTitle).waitFor({ timeout: LIVE });
      await other.open(sharedTitle);
      await other.expectMessage('候補の施設を相談させてください。');
    }
    // A new message appears for the others without a reload.
    await threads.proposer.post('赤塚体育館は夜間も使えますか。');
    await threads.section.expectMessage('赤塚体育館は夜間も使えますか。', LIVE);
    await threads.desk.expectMessage('赤塚体育館は夜間も使えますか。', LIVE);
    await expectAccessible(proposer, 'the proposer in the dialogue workspace');

    // The section writes an INTERNAL note: the desk sees it, the proposer never receives it.
    const internalTitle = '庁内メモ：夜間利用の調整';
    const internalBody = '施設課と夜間利用の可否を確認する（庁内限り）';
    await threads.section.backToList();
    await threads.section.postInNewThread('庁内のみ（提案者には表示されません）', internalTitle, internalBody);
    await threads.desk.backToList();
    await threads.desk.threadLink(internalTitle).waitFor({ timeout: LIVE });
    await threads.proposer.expectNoMessage(internalBody, 3_000);
    expect(await proposer.getByText(internalTitle).count()).toBe(0);
    expect(proposerFrames.length, 'the proposer page is live over a websocket').toBeGreaterThan(0);
    expect(proposerFrames.filter((frame) => frame.includes(internalBody) || frame.includes(internalTitle))).toEqual([]);

    // The proposer asks to protect 提案内容; the desk agrees; the badge appears on every page, live.
    await new ProtectionPanel(proposer).requestFieldProtection('提案内容', '法人の競争上の地位を害するおそれがあるため');
    await new ProtectionPanel(desk).expectBadge('提案内容', 'REQUESTED', LIVE);
    await new ProtectionPanel(desk).agree('提案内容', '独自の技術情報を含むため');
    for (const page of [proposer, section, desk]) await new ProtectionPanel(page).expectBadge('提案内容', 'AGREED', LIVE);

    // The section, back in the shared thread, loses its network; the proposer writes twice; when the
    // network is back, both messages arrive, once each.
    await threads.section.open(sharedTitle);
    await sectionNetwork.cut();
    const whileAway = ['停電時の切替手順も共有します。', '蓄電池の容量は10kWhを想定しています。'];
    for (const body of whileAway) await threads.proposer.post(body);
    // Really cut off: nothing arrives while away.
    await threads.section.expectNoMessage(whileAway[1]!, 1_500);
    await sectionNetwork.restore();
    for (const body of whileAway) await threads.section.expectMessage(body, 30_000);
    for (const body of whileAway) expect(await threads.section.panel.getByTestId('message-body-html').filter({ hasText: body }).count()).toBe(1);

    // A half-typed message survives an incoming message and a reload.
    const draft = '来週の現地確認の候補日は';
    await threads.proposer.typeDraft(draft);
    // The proposer wants each message of the threads they follow by mail at once (the default is the daily digest).
    const proposerApi = await GraphQLClient.create(e2e.baseURL);
    await proposerApi.login('proposer@demo.renkei.jp');
    await proposerApi.query(`mutation { setMailPreference(kind: THREAD_MESSAGE, delivery: IMMEDIATE) { kind } }`);
    await proposerApi.dispose();
    await threads.desk.open(sharedTitle);
    await threads.desk.post('現地確認は来週で調整します。');
    await threads.proposer.expectMessage('現地確認は来週で調整します。', LIVE);
    expect(await threads.proposer.draft()).toBe(draft);
    await proposer.reload();
    // After the reload the panel shows either the thread again or the list: wait for one of them.
    await threads.proposer.thread.or(threads.proposer.threadLink(sharedTitle)).first().waitFor({ timeout: LIVE });
    if (!(await threads.proposer.thread.count())) await threads.proposer.open(sharedTitle);
    expect(await threads.proposer.draft()).toBe(draft);

    // The desk's message was mailed to the proposer at once, as they chose: in development the desk
    // reads it from the header's menu — what happened and a link, never the message's text.
    await desk.getByRole('link', { name: '受信メール（開発用）' }).click();
    await desk.getByRole('heading', { level: 1, name: '受信メール（開発用）' }).waitFor();
    const mail = desk.getByTestId('caught-mail').filter({ hasText: 'proposer@demo.renkei.jp' }).filter({ hasText: `/proposer/proposals/${id}` }).first();
    await mail.waitFor({ timeout: 20_000 });
    const mailText = (await mail.textContent()) ?? '';
    for (const secret of ['現地確認は来週で調整します。', internalBody, internalTitle]) expect(mailText).not.toContain(secret);
    await expectAccessible(desk, 'the caught mail page');

    // A member of another organisation cannot reach the proposal at all.
    const outsider = await signedIn(e2e, 'npo', 'npo@demo.renkei.jp');
    await outsider.goto(`/proposer/proposals/${id}`);
    await outsider.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await outsider.getByText(DEMO_TITLE).count()).toBe(0);
    expect(await outsider.getByText('赤塚体育館は夜間も使えますか。').count()).toBe(0);
    const api = await GraphQLClient.create(e2e.baseURL);
    await api.login('npo@demo.renkei.jp');
    expect(await api.query(`query($id: ID!) { proposal(id: $id) { id } }`, { id })).toEqual({ proposal: null });
    await api.dispose();
  });
});
