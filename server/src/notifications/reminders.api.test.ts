import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MikroORM } from '@mikro-orm/postgresql';
import { openDatabase } from '../db/orm.js';
import { CaughtMail } from '../mail/caught-mail.entity.js';
import { Match } from '../matches/match.entity.js';
import { DecisionWardCost, PartnershipDecision, PartnershipForm } from '../partnerships/partnership-decision.entity.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { ImplementationReport, ReportState } from '../reports/implementation-report.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { Notification, NotificationKind } from './notification.entity.js';
import { OWNER, REFERENCE, cast, waitFor } from './notification-mail.test-kit.js';
import { reminderRound } from './reminder-rounds.js';
import { runReminders } from './reminders.js';

const TARGETS = `{ stageTargets { stage businessDays remindEveryBusinessDays version } }`;
const SET_TARGET = `mutation($s: AgeingStage!, $d: Int!, $v: Int!, $r: Int) { setStageTarget(stage: $s, businessDays: $d, expectedVersion: $v, remindEveryBusinessDays: $r) { stage businessDays remindEveryBusinessDays version } }`;

let server: TestServer;
let secondOrm: MikroORM;
beforeAll(async () => {
  server = await startTestServer({ PUBLIC_BASE_URL: 'https://renkei.example.jp' });
  secondOrm = await openDatabase(server.db.url, 5);
  await server.platform.notificationJobs.reminders.stop();
  await server.platform.notificationJobs.digest.stop();
});
afterAll(async () => {
  await server?.stop();
  await secondOrm?.close();
});

/** 10:00 in Tokyo on a day of November or December 2026 (23 November is a holiday). */
const jst = (date: string) => new Date(`${date}T01:00:00Z`);
const count = (recipientId: string, kind: NotificationKind) => server.db.orm.em.fork().count(Notification, { recipientId, kind });

describe('reminder rounds', () => {
  it('round 0 at the first business day over target, then one every interval; once without one', () => {
    const since = jst('2026-11-16');
    expect(['11-19', '11-20', '11-24', '11-25', '11-26', '12-01'].map((d) => reminderRound(since, jst(`2026-${d}`), 2, 3))).toEqual([null, 0, 0, 0, 1, 2]);
    expect(reminderRound(since, jst('2026-12-01'), 2, null)).toBe(0);
  });
});

describe('reminders', () => {
  it('remind the responsible people once per round, with two instances running at once, and their mail goes out', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    const { version } = (await c.s.desk.ok(REFERENCE, { id: p.proposalId })).proposal;
    await c.s.desk.ok(OWNER, { id: p.proposalId, v: version, a: c.a.desk.id });
    const targets = (await c.s.desk.ok(TARGETS)).stageTargets as Array<{ stage: string; version: number }>;
    const versionOf = (stage: string) => targets.find((t) => t.stage === stage)!.version;
    const bad = await c.s.desk.request(SET_TARGET, { s: 'DIALOGUE', d: 2, v: versionOf('DIALOGUE'), r: 0 });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const dialogue = (await c.s.desk.ok(SET_TARGET, { s: 'DIALOGUE', d: 2, v: versionOf('DIALOGUE'), r: 3 })).setStageTarget;
    expect(dialogue).toMatchObject({ businessDays: 2, remindEveryBusinessDays: 3 });
    await c.s.desk.ok(SET_TARGET, { s: 'MATCH_ANSWER', d: 2, v: versionOf('MATCH_ANSWER'), r: null });
    const refused = await c.s.staffA.request(SET_TARGET, { s: 'DIALOGUE', d: 2, v: dialogue.version, r: 1 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    // In dialogue since Monday 16 November; the supporting section's match waits from then too.
    const em = server.db.orm.em.fork();
    await em.nativeUpdate(Proposal, { id: p.proposalId }, { stateEnteredAt: jst('2026-11-16') });
    await em.nativeUpdate(Match, { id: p.supportMatch.id }, { createdAt: jst('2026-11-16') });
    const options = { orm: server.db.orm, reportDueBusinessDays: 10 };

    await runReminders(options, jst('2026-11-19'));
    expect(await count(c.a.desk.id, NotificationKind.STAGE_OVER_TARGET)).toBe(0);
    await Promise.all([runReminders(options, jst('2026-11-20')), runReminders({ ...options, orm: secondOrm }, jst('2026-11-20'))]);
    expect(await count(c.a.desk.id, NotificationKind.STAGE_OVER_TARGET)).toBe(1);
    expect(await count(c.a.staffB.id, NotificationKind.STAGE_OVER_TARGET)).toBe(1);
    expect(await count(c.a.staffA.id, NotificationKind.STAGE_OVER_TARGET)).toBe(0);
    for (const day of ['2026-11-24', '2026-11-25']) await runReminders(options, jst(day));
    expect(await count(c.a.desk.id, NotificationKind.STAGE_OVER_TARGET)).toBe(1);
    await Promise.all([runReminders(options, jst('2026-11-26')), runReminders({ ...options, orm: secondOrm }, jst('2026-11-26'))]);
    expect(await count(c.a.desk.id, NotificationKind.STAGE_OVER_TARGET)).toBe(2);
    // MATCH_ANSWER reminds once.
    expect(await count(c.a.staffB.id, NotificationKind.STAGE_OVER_TARGET)).toBe(1);

    // Each reminder is mailed at once (the default), with the link.
    const mails = await waitFor('the reminder mails', async () => {
      const found = await server.db.orm.em.fork().find(CaughtMail, { to: c.a.desk.email, subject: { $like: '%滞留%' } });
      return found.length === 2 ? found : null;
    });
    expect(mails[0]!.text).toContain(`https://renkei.example.jp/desk/proposals/${p.proposalId}`);
  });

  it('a report due soon reminds the lead section once, and once more when overdue; not once it is submitted', async () => {
    const c = await cast(server);
    const p = await c.proposal();
    const em = server.db.orm.em.fork();
    await em.nativeUpdate(Proposal, { id: p.proposalId }, { state: ProposalState.IN_PROGRESS });
    const decision = new PartnershipDecision(em.getReference(Proposal, p.proposalId), c.a.desk.id);
    Object.assign(decision, { form: PartnershipForm.NO_AGREEMENT, wardCost: DecisionWardCost.NONE, startDate: '2026-10-01', endDate: '2026-12-04', scope: '範囲', wardResponsibilities: '区', proposerResponsibilities: '提案者', indicators: [] });
    await em.persist(decision).flush();
    const options = { orm: server.db.orm, reportDueBusinessDays: 10 };

    await runReminders(options, jst('2026-11-10'));
    expect(await count(c.a.staffA.id, NotificationKind.REPORT_DUE)).toBe(0);
    await Promise.all([runReminders(options, jst('2026-11-20')), runReminders({ ...options, orm: secondOrm }, jst('2026-11-20'))]);
    expect(await count(c.a.staffA.id, NotificationKind.REPORT_DUE)).toBe(1);
    await runReminders(options, jst('2026-12-03'));
    expect(await count(c.a.staffA.id, NotificationKind.REPORT_DUE)).toBe(1);
    await runReminders(options, jst('2026-12-07'));
    expect(await count(c.a.staffA.id, NotificationKind.REPORT_DUE)).toBe(2);
    // The supporting section and the desk are not reminded of the report.
    expect(await count(c.a.staffB.id, NotificationKind.REPORT_DUE)).toBe(0);
    expect(await count(c.a.desk.id, NotificationKind.REPORT_DUE)).toBe(0);
    // Once the report is submitted, nothing more (a later round would otherwise be due).
    const report = new ImplementationReport(em.getReference(Proposal, p.proposalId), c.a.staffA.id);
    report.state = ReportState.SUBMITTED;
    await em.persist(report).flush();
    await em.nativeUpdate(PartnershipDecision, { id: decision.id }, { endDate: '2026-12-18' });
    await runReminders(options, jst('2026-12-10'));
    expect(await count(c.a.staffA.id, NotificationKind.REPORT_DUE)).toBe(2);
  });
});
