import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../identity/account.entity.js';
import { Proposal, ProposalState } from '../proposals/proposal.entity.js';
import { Audience } from '../shared/audience.js';
import { renderMessageBody } from '../threads/message-markdown.js';
import { Message } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';
import { ThreadReader } from '../threads/thread-reader.entity.js';

const HOUR = 3_600_000;

interface DemoMessage {
  authorEmail: string;
  body: string;
  /** Index of the message it answers, within the thread. */
  replyTo?: number;
  hoursAgo: number;
}

interface DemoThread {
  title: string;
  audience: Audience;
  messages: DemoMessage[];
}

/** The demo proposal in dialogue gets a SHARED conversation with the proposer and an INTERNAL one of the ward's. */
const PROPOSAL_TITLE = '避難所となる区立施設への太陽光発電と蓄電池の共同設置';

const DEMO_THREADS: DemoThread[] = [
  {
    title: '屋上の耐荷重と設置方法について',
    audience: Audience.SHARED,
    messages: [
      { authorEmail: 'proposer@demo.renkei.jp', hoursAgo: 50, body: '設置候補の2施設について、屋上の**耐荷重**が分かる図面を拝見できますか。\n\n- 赤塚体育館\n- 区立第一小学校' },
      { authorEmail: 'bousai@demo.renkei.jp', replyTo: 0, hoursAgo: 30, body: '施設所管課に確認し、次回の打合せまでに図面の写しをお渡しします。' },
      { authorEmail: 'desk1@demo.renkei.jp', replyTo: 1, hoursAgo: 26, body: '図面の貸出しは区の手続きが必要です。様式は打合せの際にご案内します。' },
    ],
  },
  {
    title: '庁内：財産管理の観点での確認事項',
    audience: Audience.INTERNAL,
    messages: [
      { authorEmail: 'bousai@demo.renkei.jp', hoursAgo: 20, body: '屋上の使用許可は行政財産の目的外使用になる見込み。使用料の減免の可否を確認したい。' },
      { authorEmail: 'desk1@demo.renkei.jp', replyTo: 0, hoursAgo: 18, body: '他区の事例では減免の実績あり。次回の庁内調整で論点に入れます。' },
    ],
  },
];

/**
 * Demo threads on the demo proposal in dialogue (no events, no notifications). A thread already
 * there is skipped, so it can run again safely. Returns how many threads it created.
 */
export async function seedDemoThreads(em: EntityManager): Promise<number> {
  return em.transactional(async (tx) => {
    const proposal = await tx.findOne(Proposal, { title: PROPOSAL_TITLE, state: ProposalState.IN_DIALOGUE });
    if (!proposal) return 0;
    const emails = [...new Set(DEMO_THREADS.flatMap((thread) => thread.messages.map((message) => message.authorEmail)))];
    const authors = new Map((await tx.find(Account, { email: { $in: emails } })).map((account) => [account.email, account]));
    let created = 0;
    for (const seed of DEMO_THREADS) {
      if (await tx.count(Thread, { proposal: proposal.id, title: seed.title })) continue;
      if (seed.messages.some((message) => !authors.has(message.authorEmail))) continue;
      const first = authors.get(seed.messages[0]!.authorEmail)!;
      const thread = new Thread(proposal, seed.audience, first.id);
      thread.title = seed.title;
      thread.createdAt = new Date(Date.now() - seed.messages[0]!.hoursAgo * HOUR);
      thread.lastMessageAt = new Date(Date.now() - seed.messages.at(-1)!.hoursAgo * HOUR);
      tx.persist(thread);
      const posted: Message[] = [];
      for (const entry of seed.messages) {
        const author = authors.get(entry.authorEmail)!;
        const message = new Message(thread, author.id);
        const parent = entry.replyTo === undefined ? null : posted[entry.replyTo]!;
        message.parent = parent;
        message.depth = parent ? Math.min(parent.depth + 1, 2) : 0;
        message.body = entry.body;
        message.bodyHtml = renderMessageBody(entry.body);
        message.createdAt = new Date(Date.now() - entry.hoursAgo * HOUR);
        tx.persist(message);
        posted.push(message);
      }
      // Authors follow their threads, as posting does.
      for (const authorId of new Set(posted.map((message) => message.authorId))) {
        const reader = new ThreadReader(thread, authorId);
        reader.following = true;
        reader.readUpTo = thread.lastMessageAt;
        tx.persist(reader);
      }
      created += 1;
    }
    await tx.flush();
    return created;
  });
}
