import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../identity/account.entity.js';
import { Meeting, MeetingParticipant } from '../meetings/meeting.entity.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { Audience } from '../shared/audience.js';

const DAY = 86_400_000;

interface DemoMeeting {
  title: string;
  audience: Audience;
  /** Days from now, and the Tokyo hour it starts (JST = UTC+9). */
  inDays: number;
  startHourTokyo: number;
  hours: number;
  place: string | null;
  onlineUrl: string | null;
  agenda: string;
  participantEmails: string[];
}

/** The demo proposal in dialogue (matched to 防災危機管理課 and 環境政策課) gets one SHARED and one INTERNAL meeting. */
const PROPOSAL_TITLE = '避難所となる区立施設への太陽光発電と蓄電池の共同設置';

const DEMO_MEETINGS: DemoMeeting[] = [
  {
    title: '第1回 設置候補施設についての打合せ',
    audience: Audience.SHARED,
    inDays: 7,
    startHourTokyo: 14,
    hours: 1.5,
    place: '板橋区役所 本庁舎 7階 会議室',
    onlineUrl: 'https://meet.example.jp/renkei-demo-solar',
    agenda: '1. 設置候補の区立施設（2か所）の確認\n2. 屋根の使用許可の手続き\n3. 防災訓練での活用方法\n4. 今後の日程',
    participantEmails: ['proposer@demo.renkei.jp', 'desk1@demo.renkei.jp', 'bousai@demo.renkei.jp'],
  },
  {
    title: '庁内調整：施設所管と財産管理の確認',
    audience: Audience.INTERNAL,
    inDays: 4,
    startHourTokyo: 10,
    hours: 1,
    place: '板橋区役所 本庁舎 5階 防災危機管理課 打合せコーナー',
    onlineUrl: null,
    agenda: '提案者との打合せ前に、施設所管課・財産管理の観点での論点と区の方針をそろえる。',
    participantEmails: ['desk1@demo.renkei.jp', 'desk2@demo.renkei.jp', 'bousai@demo.renkei.jp'],
  },
];

/** Midnight in Tokyo `days` from now, plus `hour` hours, as an instant. */
function tokyoTime(days: number, hour: number): Date {
  const tokyoMidnight = new Date(Date.now() + days * DAY + 9 * 3_600_000);
  tokyoMidnight.setUTCHours(0, 0, 0, 0);
  return new Date(tokyoMidnight.getTime() + (hour - 9) * 3_600_000);
}

/**
 * Demo meetings (no mail is sent for them). Does nothing when the demo proposal in dialogue is
 * missing; a demo meeting already there is skipped, so it can run again safely. Returns how many
 * it created.
 */
export async function seedDemoMeetings(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    const proposal = await tx.findOne(Proposal, { title: PROPOSAL_TITLE, state: ProposalState.IN_DIALOGUE });
    if (!proposal) return 0;
    const organiser = await tx.findOne(Account, { email: 'desk1@demo.renkei.jp' });
    if (!organiser) return 0;
    let created = 0;
    for (const seed of DEMO_MEETINGS) {
      if (await tx.count(Meeting, { proposal: proposal.id, title: seed.title })) continue;
      const accounts = await tx.find(Account, { email: { $in: seed.participantEmails }, disabledAt: null });
      const meeting = new Meeting(proposal, seed.audience, organiser.id);
      const startsAt = tokyoTime(seed.inDays, seed.startHourTokyo);
      Object.assign(meeting, {
        title: seed.title,
        startsAt,
        endsAt: new Date(startsAt.getTime() + seed.hours * 3_600_000),
        place: seed.place,
        onlineUrl: seed.onlineUrl,
        agenda: seed.agenda,
        createdAt: new Date(Date.now() - DAY),
        updatedAt: new Date(Date.now() - DAY),
      });
      tx.persist(meeting);
      for (const account of accounts) meeting.participants.add(new MeetingParticipant(meeting, account));
      created += 1;
    }
    await tx.flush();
    return created;
  });
}
