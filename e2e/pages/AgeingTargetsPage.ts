import type { Page } from 'playwright-core';
import { ConnectionIndicator } from './ConnectionIndicator.ts';

/** The stages in the order of the page, with their Japanese names (ageing.stage in the client's messages). */
export const AGEING_STAGE_NAMES = {
  INTAKE: '受付待ち',
  REVIEW: '内容確認',
  DIALOGUE: '対話・マッチング',
  MATCH_ANSWER: '所管課の回答待ち',
  START_OF_WORK: '事業開始待ち',
} as const;
export type AgeingStageName = keyof typeof AGEING_STAGE_NAMES;

export const OVER_TARGET_FLAG = '目標超過';
export const OVER_TARGET_ONLY = '目標超過のみ表示';
export const INVALID_TARGET_MESSAGE = '目標は1から365までの整数で入力してください。';
export const REQUIRED_TARGET_MESSAGE = '目標の営業日数を入力してください。';
export const TARGET_CONFLICT_MESSAGE = '他の職員が先に変更しました';

/** 「7営業日（目標5）」 as the intake table and the section inbox show it. */
export function ageingText(businessDays: number, target: number): string {
  return `${businessDays}営業日（目標${target}）`;
}

/** The desk's settings page `/desk/settings/ageing` (滞留日数の目標): one target per stage. */
export class AgeingTargetsPage {
  static readonly path = '/desk/settings/ageing';
  readonly connection: ConnectionIndicator;

  constructor(readonly page: Page) {
    this.connection = new ConnectionIndicator(page);
  }

  get heading() {
    return this.page.getByRole('heading', { level: 1, name: '滞留日数の目標' });
  }

  /** The row of one stage (its form, hints, messages). */
  row(stage: AgeingStageName) {
    return this.page.locator(`[data-stage="${stage}"]`);
  }

  /** The target input, found by its label 「<stage>の目標（営業日）」. */
  targetInput(stage: AgeingStageName) {
    return this.page.getByLabel(`${AGEING_STAGE_NAMES[stage]}の目標（営業日）`, { exact: true });
  }

  saveButton(stage: AgeingStageName) {
    return this.row(stage).getByRole('button', { name: '保存' });
  }

  /** The field error under a stage's input (role=alert). */
  fieldError(stage: AgeingStageName) {
    return this.row(stage).locator('.field-error');
  }

  /** The notice shown when someone else changed the stage's target first. */
  conflictNotice(stage: AgeingStageName) {
    return this.row(stage).getByRole('alert').filter({ hasText: TARGET_CONFLICT_MESSAGE });
  }

  async goto() {
    await this.page.goto(AgeingTargetsPage.path);
    await this.heading.waitFor();
    await this.targetInput('INTAKE').waitFor();
  }

  async setTarget(stage: AgeingStageName, businessDays: number | string) {
    await this.targetInput(stage).fill(String(businessDays));
    await this.saveButton(stage).click();
  }

  async targetValue(stage: AgeingStageName): Promise<string> {
    return this.targetInput(stage).inputValue();
  }

  /** The navigation link to this page in the desk's header. */
  static navLink(page: Page) {
    return page.getByRole('navigation').getByRole('link', { name: '滞留日数の目標' });
  }

  /** The "over target only" toggle on the intake queue or the section inbox. */
  static overTargetToggle(page: Page) {
    return page.getByRole('checkbox', { name: OVER_TARGET_ONLY });
  }
}
