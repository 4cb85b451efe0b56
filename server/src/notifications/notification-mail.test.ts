import { describe, expect, it } from 'vitest';
import { NotificationKind } from './notification.entity.js';
import { MailDelivery } from './notification-preference.entity.js';
import { digestMail, immediateMail, type MailItem } from './notification-mail.js';
import { DEFAULT_MAIL_DELIVERY, effectiveDeliveries } from './notification-preferences.js';
import { reportDueWindow, reportRound } from './reminder-rounds.js';

const item = (over: Partial<MailItem> & { at: string; pid: string }): MailItem => ({
  kind: NotificationKind.THREAD_MESSAGE,
  createdAt: new Date(over.at),
  actorName: '山田 太郎',
  proposalState: null,
  proposal: { id: over.pid, title: `件名 ${over.pid}`, referenceNumber: `R8-${over.pid}` },
  link: `https://renkei.example.jp/desk/proposals/${over.pid}`,
  ...over,
});

describe('preferences', () => {
  it('every kind has a default; a choice overrides it', () => {
    expect(Object.keys(DEFAULT_MAIL_DELIVERY).sort()).toEqual(Object.values(NotificationKind).sort());
    const chosen = effectiveDeliveries(new Map([[NotificationKind.MENTION, MailDelivery.NONE]]));
    expect(chosen.get(NotificationKind.MENTION)).toBe(MailDelivery.NONE);
    expect(chosen.get(NotificationKind.THREAD_MESSAGE)).toBe(MailDelivery.DAILY);
  });
});

describe('mail words', () => {
  it('an immediate mail names what happened, the proposal and the link, on lines a title cannot break', () => {
    const mail = immediateMail('a@example.jp', item({ at: '2026-12-01T00:00:00Z', pid: 'p1', kind: NotificationKind.MENTION, proposal: { id: 'p1', title: '公園の\n防災', referenceNumber: 'R8-0001' } }));
    expect(mail.subject).toBe('【板橋区 公民連携デスク】山田 太郎さんがあなたをメンションしました：R8-0001 「公園の 防災」');
    expect(mail.text).toContain('https://renkei.example.jp/desk/proposals/p1');
    expect(mail.text).toContain('mentioned you');
    expect(mail.kind).toBe('notification-MENTION');
  });

  it('a digest groups by proposal, the proposal with the newest item first, newest first within', () => {
    const mail = digestMail('a@example.jp', '2026-12-02', [
      item({ at: '2026-12-01T01:00:00Z', pid: 'p1' }),
      item({ at: '2026-12-01T03:00:00Z', pid: 'p2', kind: NotificationKind.PROPOSAL_STATE, proposalState: 'AGREED' }),
      item({ at: '2026-12-01T02:00:00Z', pid: 'p1', kind: NotificationKind.REPLY }),
    ]);
    const text = mail.text;
    expect(mail.subject).toContain('12月2日のお知らせ（3件）');
    expect(text.indexOf('R8-p2')).toBeLessThan(text.indexOf('R8-p1'));
    const p1 = text.slice(text.indexOf('R8-p1'));
    expect(p1.indexOf('返信')).toBeLessThan(p1.indexOf('フォロー中'));
    expect(text).toContain('「合意」');
    expect(text.match(/proposals\/p1/g)).toHaveLength(1);
  });
});

describe('report due window', () => {
  it('counts business days from today in Tokyo, skipping weekends and holidays', () => {
    // Friday 20 November 2026, 10:00 JST; 23 November is a holiday.
    expect(reportDueWindow(new Date('2026-11-20T01:00:00Z'), 2)).toEqual({ today: '2026-11-20', dueBy: '2026-11-25' });
    expect(reportRound('2026-11-20', '2026-11-20')).toBe('due');
    expect(reportRound('2026-11-19', '2026-11-20')).toBe('overdue');
  });
});
