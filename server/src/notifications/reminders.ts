import type { MikroORM } from '@mikro-orm/postgresql';
import { overTargetCutoff } from '../ageing/business-days.js';
import { proposalStatesOf, STAGE_OF_PROPOSAL_STATE } from '../ageing/ageing.policy.js';
import { AgeingStage } from '../ageing/stage-target.entity.js';
import { transact } from '../events/transaction.js';
import type { Logger } from '../logging/logger.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { background } from './background-sql.js';
import { BackgroundJob } from '../shared/background-job.js';
import { NotificationKind } from './notification.entity.js';
import { notify } from './notify.js';
import { reminderRound, reportDueWindow, reportRound } from './reminder-rounds.js';

/** Something that waits on people, and who they are. */
interface Subject {
  proposalId: string;
  /** Names the wait and its round: the Reminder key is `${subject}:${recipientId}`. */
  key: string;
  kind: NotificationKind;
  recipientIds: string[];
}

export interface ReminderOptions {
  orm: MikroORM;
  /** A report whose agreed term ends within this many business days is due soon. */
  reportDueBusinessDays: number;
}

const list = (values: readonly unknown[]) => values.map(() => '?').join(', ');

interface TargetRow {
  stage: AgeingStage;
  business_days: number;
  remind_every_business_days: number | null;
}

/** Active staff by section, and the active desk staff. */
async function responsiblePeople(orm: MikroORM, sectionIds: readonly string[]): Promise<{ desk: string[]; bySection: Map<string, string[]> }> {
  const rows = await orm.em.fork().execute<Array<{ id: string; role: string; section_id: string | null }>>(
    background(`select id, role, section_id from account where disabled_at is null and (role = 'DESK'${sectionIds.length ? ` or (role = 'SECTION' and section_id in (${list(sectionIds)}))` : ''}) order by id`),
    [...sectionIds],
  );
  const bySection = new Map<string, string[]>();
  for (const row of rows) if (row.role === 'SECTION' && row.section_id) bySection.set(row.section_id, [...(bySection.get(row.section_id) ?? []), row.id]);
  return { desk: rows.filter((row) => row.role === 'DESK').map((row) => row.id), bySection };
}

/**
 * Stages over target, as of `now`: a proposal waiting in a desk stage reminds its desk owner (or,
 * with none, every desk staff member); a match waiting for an answer reminds its section's staff;
 * an agreed proposal waiting for the work to start reminds the lead section's staff.
 */
async function stageSubjects(orm: MikroORM, now: Date): Promise<Subject[]> {
  const em = orm.em.fork();
  const targets = new Map((await em.execute<TargetRow[]>(background('select stage, business_days, remind_every_business_days from stage_target'))).map((row) => [row.stage, row]));
  const proposalStages = [AgeingStage.INTAKE, AgeingStage.REVIEW, AgeingStage.DIALOGUE, AgeingStage.START_OF_WORK].filter((stage) => targets.has(stage));
  const conditions = proposalStages.map((stage) => ({ states: proposalStatesOf(stage), cutoff: overTargetCutoff(targets.get(stage)!.business_days, now) }));
  const proposals = conditions.length
    ? await em.execute<Array<{ id: string; state: ProposalState; state_entered_at: Date; desk_owner_id: string | null; lead_section_id: string | null }>>(
        background(`select p.id, p.state, p.state_entered_at, p.desk_owner_id,
           (select m.section_id from match m where m.proposal_id = p.id and m.state = 'ACCEPTED' and m.lead limit 1) as lead_section_id
           from proposal p where ${conditions.map(({ states }) => `(p.state in (${list(states)}) and p.state_entered_at < ?)`).join(' or ')}`),
        conditions.flatMap(({ states, cutoff }) => [...states, cutoff]),
      )
    : [];
  const answer = targets.get(AgeingStage.MATCH_ANSWER);
  const matches = answer
    ? await em.execute<Array<{ id: string; proposal_id: string; section_id: string; created_at: Date }>>(
        background(`select id, proposal_id, section_id, created_at from match where state = 'PENDING' and created_at < ?`),
        [overTargetCutoff(answer.business_days, now)],
      )
    : [];
  const sectionIds = [...new Set([...proposals.flatMap((p) => (p.lead_section_id ? [p.lead_section_id] : [])), ...matches.map((m) => m.section_id)])];
  const people = await responsiblePeople(orm, sectionIds);

  const subjects: Subject[] = [];
  const add = (proposalId: string, stage: AgeingStage, wait: string, since: Date, recipientIds: string[]) => {
    const target = targets.get(stage)!;
    const round = reminderRound(new Date(since), now, target.business_days, target.remind_every_business_days);
    if (round === null || recipientIds.length === 0) return;
    subjects.push({ proposalId, key: `stage:${proposalId}:${stage}:${wait}:${round}`, kind: NotificationKind.STAGE_OVER_TARGET, recipientIds });
  };
  for (const p of proposals) {
    const stage = STAGE_OF_PROPOSAL_STATE[p.state]!;
    const since = new Date(p.state_entered_at);
    if (stage === AgeingStage.START_OF_WORK) add(p.id, stage, since.toISOString(), since, p.lead_section_id ? (people.bySection.get(p.lead_section_id) ?? []) : []);
    else add(p.id, stage, since.toISOString(), since, p.desk_owner_id && people.desk.includes(p.desk_owner_id) ? [p.desk_owner_id] : people.desk);
  }
  for (const m of matches) add(m.proposal_id, AgeingStage.MATCH_ANSWER, m.id, m.created_at, people.bySection.get(m.section_id) ?? []);
  return subjects;
}

/**
 * Reports due, as of `now`: a partnership IN_PROGRESS whose agreed term ends within the window
 * (or has ended) and whose report is not yet SUBMITTED or ACCEPTED reminds the lead section's
 * staff — once while it is due, once more when it is overdue.
 */
async function reportSubjects(orm: MikroORM, now: Date, businessDays: number): Promise<Subject[]> {
  const { today, dueBy } = reportDueWindow(now, businessDays);
  const rows = await orm.em.fork().execute<Array<{ id: string; end_date: string; lead_section_id: string | null }>>(
    background(`select p.id, to_char(d.end_date, 'YYYY-MM-DD') as end_date,
       (select m.section_id from match m where m.proposal_id = p.id and m.state = 'ACCEPTED' and m.lead limit 1) as lead_section_id
       from proposal p join partnership_decision d on d.proposal_id = p.id
       where p.state = ? and d.end_date <= ?::date
         and not exists (select 1 from implementation_report r where r.proposal_id = p.id and r.state in ('SUBMITTED', 'ACCEPTED'))`),
    [ProposalState.IN_PROGRESS, dueBy],
  );
  const people = await responsiblePeople(orm, [...new Set(rows.flatMap((row) => (row.lead_section_id ? [row.lead_section_id] : [])))]);
  return rows.map((row) => ({
    proposalId: row.id,
    key: `report:${row.id}:${row.end_date}:${reportRound(row.end_date, today)}`,
    kind: NotificationKind.REPORT_DUE,
    recipientIds: row.lead_section_id ? (people.bySection.get(row.lead_section_id) ?? []) : [],
  }));
}

/**
 * One subject's reminders, in one transaction: each recipient's Reminder key is inserted
 * (`on conflict do nothing`); only the keys this run inserted are notified, in the same
 * transaction — so with two instances, or a run repeated, each reminder is sent once.
 */
async function remind(orm: MikroORM, subject: Subject): Promise<number> {
  return transact(orm.em.fork(), async (tx, events) => {
    const won = await tx.execute<Array<{ recipient_id: string }>>(
      background(`insert into reminder (key, recipient_id, proposal_id, sent_at) values ${subject.recipientIds.map(() => '(?, ?, ?, now())').join(', ')} on conflict do nothing returning recipient_id`),
      subject.recipientIds.flatMap((id) => [`${subject.key}:${id}`, id, subject.proposalId]),
    );
    const proposal = tx.getReference(Proposal, subject.proposalId);
    notify(tx, events, won.map((row) => ({ recipientId: row.recipient_id, kind: subject.kind, proposal, actorId: null })));
    return won.length;
  });
}

/** Every reminder due as of `now` (injected: tests pass their own clock). Returns how many people were reminded. */
export async function runReminders(options: ReminderOptions, now: Date): Promise<number> {
  const subjects = [...(await stageSubjects(options.orm, now)), ...(await reportSubjects(options.orm, now, options.reportDueBusinessDays))];
  let sent = 0;
  for (const subject of subjects) if (subject.recipientIds.length > 0) sent += await remind(options.orm, subject);
  return sent;
}

/**
 * Every few minutes; the first run waits one interval, so a server restarting or a test starting
 * does not fire reminders in its first moments.
 */
export function remindersJob(options: ReminderOptions & { logger: Logger; everyMs?: number; clock?: () => Date }): BackgroundJob {
  const everyMs = options.everyMs ?? 5 * 60_000;
  const clock = options.clock ?? (() => new Date());
  return new BackgroundJob({
    name: 'reminders',
    everyMs,
    firstAfterMs: everyMs,
    pass: async () => {
      await runReminders(options, clock());
      return false;
    },
    logger: options.logger,
  });
}
