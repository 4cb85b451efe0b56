import type { Page } from 'playwright-core';

export type ThreadAudienceLabel = '共有（区と提案者）' | '庁内のみ（提案者には表示されません）';

/** The 対話 panel of a proposal's page (desk, section and proposer alike). Labels are the Japanese UI's. */
export class ThreadsPanel {
  constructor(readonly page: Page) {}

  get panel() {
    return this.page.getByTestId('proposal-threads');
  }

  /** The open thread's view. */
  get thread() {
    return this.panel.getByTestId('thread-view');
  }

  /** The thread's link in the list, by title. */
  threadLink(title: string) {
    return this.panel.getByTestId('thread-list-item').filter({ hasText: title }).getByRole('button');
  }

  /** The unread marker of a thread in the list (hidden when everything is read). */
  unreadMarker(title: string) {
    return this.panel.getByTestId('thread-list-item').filter({ hasText: title }).getByTestId('thread-unread');
  }

  /**
   * Starts a thread: 「新しいスレッドを作る」, subject, audience (ward staff choose; a proposer's
   * is fixed to 共有, so `audience` is only checked against what is shown), first message.
   */
  async postInNewThread(audience: ThreadAudienceLabel, title: string, body: string) {
    await this.panel.getByRole('button', { name: '新しいスレッドを作る', exact: true }).click();
    const form = this.panel.getByTestId('thread-new-form');
    await form.getByLabel('件名', { exact: true }).fill(title);
    const choice = form.getByRole('radio', { name: audience, exact: true });
    if (await choice.count()) await choice.check();
    await form.getByTestId('composer-audience').filter({ hasText: audience }).waitFor();
    await form.getByLabel('メッセージ', { exact: true }).fill(body);
    await form.getByRole('button', { name: 'スレッドを作成する', exact: true }).click();
    await this.thread.getByRole('heading', { name: title, exact: true }).waitFor();
  }

  /** Opens a thread from the list (going back to the list first when another is open). */
  async open(title: string) {
    if (await this.thread.count()) await this.backToList();
    await this.threadLink(title).click();
    await this.thread.getByRole('heading', { name: title, exact: true }).waitFor();
  }

  async backToList() {
    await this.panel.getByRole('button', { name: 'スレッドの一覧へ戻る', exact: true }).first().click();
  }

  /** Posts a top-level message in the open thread. */
  async post(body: string) {
    const composer = this.thread.getByTestId(/^composer-thread-/);
    await composer.getByLabel('メッセージ', { exact: true }).fill(body);
    await composer.getByRole('button', { name: '送信する', exact: true }).click();
    await this.expectMessage(body);
  }

  /** The message in the open thread whose text contains `text`. */
  message(text: string) {
    return this.thread.getByTestId('message').filter({ has: this.page.getByTestId('message-body-html').filter({ hasText: text }) }).last();
  }

  /** Replies to the message containing `toText`. */
  async reply(toText: string, body: string) {
    const target = this.message(toText);
    await target.getByTestId('message-reply').first().click();
    const composer = target.getByTestId(/^composer-reply-/).first();
    await composer.getByLabel('メッセージ', { exact: true }).fill(body);
    await composer.getByRole('button', { name: '返信する', exact: true }).click();
    await this.expectMessage(body);
  }

  /** Edits one's own message. */
  async edit(fromText: string, body: string) {
    const target = this.message(fromText);
    await target.getByTestId('message-edit').first().click();
    const composer = target.getByTestId(/^composer-edit-/).first();
    await composer.getByLabel('メッセージ', { exact: true }).fill(body);
    await composer.getByRole('button', { name: '編集を保存する', exact: true }).click();
    await this.expectMessage(body);
  }

  /** Deletes a message (its author or the desk): a placeholder remains. */
  async delete(text: string) {
    const target = this.message(text);
    await target.getByTestId('message-delete').first().click();
    await target.getByTestId('message-delete-confirm').first().click();
    await this.thread.getByText('このメッセージは削除されました').first().waitFor();
  }

  /**
   * Attaches a file (a path on disk) in the open thread's composer — 「ファイルを添付」 — and waits
   * until it is uploaded and listed under the composer; `post` then sends it with the message.
   */
  async attachFile(path: string) {
    const composer = this.thread.getByTestId(/^composer-thread-/);
    const fileName = path.split(/[\\/]/).pop()!;
    await composer.getByLabel('ファイルを添付', { exact: true }).setInputFiles(path);
    await composer.getByTestId('composer-file').filter({ hasText: fileName }).waitFor();
  }

  /** The download links of the files under a message (its own, not its replies'), by the message's text. */
  messageFiles(text: string) {
    return this.message(text).locator(':scope > article').getByTestId('message-file').getByRole('link');
  }

  /** That the message containing `messageText` (itself, not one of its replies) shows the protection badge: 保護申請中 or 保護. */
  async expectProtectedBadge(messageText: string, timeout = 10_000) {
    await this.message(messageText).locator(':scope > article').getByTestId('protection-badge').waitFor({ timeout });
  }

  /** Types into the open thread's composer without sending (a draft). */
  async typeDraft(body: string) {
    await this.thread.getByTestId(/^composer-thread-/).getByLabel('メッセージ', { exact: true }).fill(body);
  }

  /** What the open thread's composer holds now. */
  async draft(): Promise<string> {
    return this.thread.getByTestId(/^composer-thread-/).getByLabel('メッセージ', { exact: true }).inputValue();
  }

  /** The audience shown beside the open thread's composer. */
  async composerAudience(): Promise<string> {
    return (await this.thread.getByTestId('composer-audience').first().innerText()).trim();
  }

  async expectMessage(text: string, timeout = 10_000) {
    await this.panel.getByTestId('message-body-html').filter({ hasText: text }).first().waitFor({ timeout });
  }

  /** That no message with `text` is in the panel (after `settleMs`, for live ones that might still arrive). */
  async expectNoMessage(text: string, settleMs = 1_000) {
    await this.page.waitForTimeout(settleMs);
    const count = await this.panel.getByText(text).count();
    if (count > 0) throw new Error(`expected no message containing ${JSON.stringify(text)}, found ${count}`);
  }

  /** How many messages contain `text` (to check nothing is doubled after a reconnect). */
  async countMessages(text: string): Promise<number> {
    return this.panel.getByTestId('message-body-html').filter({ hasText: text }).count();
  }

  async expectThread(title: string) {
    await this.threadLink(title).waitFor();
  }

  async expectNoThread(title: string, settleMs = 1_000) {
    await this.page.waitForTimeout(settleMs);
    const count = await this.panel.getByText(title).count();
    if (count > 0) throw new Error(`expected no thread titled ${JSON.stringify(title)}, found ${count}`);
  }
}
