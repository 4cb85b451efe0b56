import type { Page } from 'playwright-core';

export interface MeetingDetails {
  title: string;
  /** YYYY-MM-DD, Japan time. */
  date: string;
  startTime: string;
  endTime: string;
  place?: string;
  onlineUrl?: string;
  agenda?: string;
  audience: '共有（区と提案者）' | '庁内のみ';
  /** Participant checkbox labels, e.g. 「防災 次郎（防災危機管理課）」. */
  participants: string[];
}

/** The 打合せ panel of a proposal's page (desk, section and proposer alike). Labels are the Japanese UI's. */
export class MeetingsPanel {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('proposal-meetings');
  }

  /** Opens the form (打合せを設定する), fills it and sends the invitations. */
  async schedule(details: MeetingDetails) {
    await this.panel.getByRole('button', { name: '打合せを設定する', exact: true }).click();
    const form = this.panel.locator('form');
    await form.getByLabel('件名', { exact: true }).fill(details.title);
    await form.getByLabel('日付', { exact: true }).fill(details.date);
    await form.getByLabel('開始時刻', { exact: true }).fill(details.startTime);
    await form.getByLabel('終了時刻', { exact: true }).fill(details.endTime);
    if (details.place) await form.getByLabel('会場', { exact: true }).fill(details.place);
    if (details.onlineUrl) await form.getByLabel('オンライン会議のURL', { exact: true }).fill(details.onlineUrl);
    if (details.agenda) await form.getByLabel('議題', { exact: true }).fill(details.agenda);
    await form.getByLabel(details.audience, { exact: true }).check();
    for (const participant of details.participants) await form.getByLabel(participant, { exact: true }).check();
    await form.getByRole('button', { name: '設定して招待を送る', exact: true }).click();
    await this.panel.getByText('打合せを設定し、参加者に招待を送りました。').waitFor();
  }

  /** The meeting's link in the list (it appears live on every page that may see it). */
  meetingLink(title: string) {
    return this.panel.getByRole('link', { name: `${title}の詳細を見る` });
  }
}
