import { describe, expect, it } from 'vitest';
import { ChallengeStatus } from './challenge.entity.js';
import { checkTransition, nextStatus, type ChallengeTransition, type TransitionCheck } from './challenge.state.js';

const { DRAFT, OPEN, CLOSED } = ChallengeStatus;

/**
 * The expected outcome of every transition, written out by hand from the lifecycle comment in
 * challenge.state.ts (not computed from the implementation):
 *
 *   DRAFT ──open──▶ OPEN ──close──▶ CLOSED ──open──▶ OPEN (reopen)
 *   publish: a non-draft, unpublished challenge with an owning section becomes public
 *   unpublish: a published one is withdrawn from the public, with a reason
 *
 * Where two rules fail at once, the state rule (ILLEGAL_STATE) is reported before the missing
 * precondition (owning section, reason): a transition that is impossible in this state should
 * not invite the user to fix a detail.
 *
 * DRAFT + published cannot arise through the lifecycle (publish refuses drafts) but the table
 * still says what the machine answers if it is ever asked.
 */
const OK = 'ok' as const;
const ILLEGAL = 'ILLEGAL_STATE' as const;
const NEEDS_SECTION = 'NEEDS_OWNING_SECTION' as const;
const NEEDS_REASON = 'NEEDS_REASON' as const;
type Outcome = typeof OK | typeof ILLEGAL | typeof NEEDS_SECTION | typeof NEEDS_REASON;

interface Row {
  status: ChallengeStatus;
  published: boolean;
  hasOwningSection: boolean;
  open: Outcome;
  close: Outcome;
  publish: Outcome;
  /** unpublish with a non-blank reason */
  unpublish: Outcome;
  /** unpublish with a missing or blank reason */
  unpublishNoReason: Outcome;
}

// prettier-ignore
const TABLE: Row[] = [
  //  status  published hasOwning   open     close    publish        unpublish  unpublishNoReason
  { status: DRAFT,  published: false, hasOwningSection: false, open: OK,      close: ILLEGAL, publish: ILLEGAL,       unpublish: ILLEGAL, unpublishNoReason: ILLEGAL },
  { status: DRAFT,  published: false, hasOwningSection: true,  open: OK,      close: ILLEGAL, publish: ILLEGAL,       unpublish: ILLEGAL, unpublishNoReason: ILLEGAL },
  { status: DRAFT,  published: true,  hasOwningSection: false, open: OK,      close: ILLEGAL, publish: ILLEGAL,       unpublish: OK,      unpublishNoReason: NEEDS_REASON },
  { status: DRAFT,  published: true,  hasOwningSection: true,  open: OK,      close: ILLEGAL, publish: ILLEGAL,       unpublish: OK,      unpublishNoReason: NEEDS_REASON },
  { status: OPEN,   published: false, hasOwningSection: false, open: ILLEGAL, close: OK,      publish: NEEDS_SECTION, unpublish: ILLEGAL, unpublishNoReason: ILLEGAL },
  { status: OPEN,   published: false, hasOwningSection: true,  open: ILLEGAL, close: OK,      publish: OK,            unpublish: ILLEGAL, unpublishNoReason: ILLEGAL },
  { status: OPEN,   published: true,  hasOwningSection: false, open: ILLEGAL, close: OK,      publish: ILLEGAL,       unpublish: OK,      unpublishNoReason: NEEDS_REASON },
  { status: OPEN,   published: true,  hasOwningSection: true,  open: ILLEGAL, close: OK,      publish: ILLEGAL,       unpublish: OK,      unpublishNoReason: NEEDS_REASON },
  { status: CLOSED, published: false, hasOwningSection: false, open: OK,      close: ILLEGAL, publish: NEEDS_SECTION, unpublish: ILLEGAL, unpublishNoReason: ILLEGAL },
  { status: CLOSED, published: false, hasOwningSection: true,  open: OK,      close: ILLEGAL, publish: OK,            unpublish: ILLEGAL, unpublishNoReason: ILLEGAL },
  { status: CLOSED, published: true,  hasOwningSection: false, open: OK,      close: ILLEGAL, publish: ILLEGAL,       unpublish: OK,      unpublishNoReason: NEEDS_REASON },
  { status: CLOSED, published: true,  hasOwningSection: true,  open: OK,      close: ILLEGAL, publish: ILLEGAL,       unpublish: OK,      unpublishNoReason: NEEDS_REASON },
];

/** Reasons: missing, blank (several kinds of blank, including the ideographic space), present. */
const REASONS: { label: string; reason: string | undefined; present: boolean }[] = [
  { label: 'missing', reason: undefined, present: false },
  { label: 'empty', reason: '', present: false },
  { label: 'spaces', reason: '   ', present: false },
  { label: 'tabs/newlines', reason: '\t\n \r\n', present: false },
  { label: 'ideographic space', reason: '\u3000\u3000', present: false },
  { label: 'present (ja)', reason: '所管課の依頼により一時取り下げ', present: true },
  { label: 'present, padded', reason: '  needs rewording  ', present: true },
];

const TRANSITIONS: ChallengeTransition[] = ['open', 'close', 'publish', 'unpublish'];

function expected(row: Row, transition: ChallengeTransition, reasonPresent: boolean): TransitionCheck {
  const outcome = transition === 'unpublish' ? (reasonPresent ? row.unpublish : row.unpublishNoReason) : row[transition];
  return outcome === OK ? { ok: true } : { ok: false, reason: outcome };
}

describe('checkTransition: every state × transition × reason', () => {
  it('the table covers every state exactly once', () => {
    const keys = new Set(TABLE.map((r) => `${r.status}/${r.published}/${r.hasOwningSection}`));
    expect(keys.size).toBe(3 * 2 * 2);
    expect(TABLE).toHaveLength(3 * 2 * 2);
  });

  const cases = TABLE.flatMap((row) =>
    TRANSITIONS.flatMap((transition) =>
      REASONS.map(({ label, reason, present }) => ({
        name: `${row.status} ${row.published ? 'published' : 'unpublished'} ${row.hasOwningSection ? 'with' : 'without'} section: ${transition}, reason ${label}`,
        row,
        transition,
        reason,
        present,
      })),
    ),
  );

  it.each(cases)('$name', ({ row, transition, reason, present }) => {
    const state = { status: row.status, published: row.published, hasOwningSection: row.hasOwningSection };
    expect(checkTransition(state, transition, reason)).toEqual(expected(row, transition, present));
  });

  it('does not mutate the state it is given', () => {
    const state = Object.freeze({ status: OPEN, published: true, hasOwningSection: true });
    for (const t of TRANSITIONS) checkTransition(state, t, 'reason');
    expect(state).toEqual({ status: OPEN, published: true, hasOwningSection: true });
  });
});

describe('walking the lifecycle from a fresh draft', () => {
  it('follows the documented path: open, publish, close, reopen, unpublish', () => {
    let state = { status: DRAFT, published: false, hasOwningSection: true };
    const step = (t: ChallengeTransition, reason?: string) => {
      expect(checkTransition(state, t, reason), `${t} from ${JSON.stringify(state)}`).toEqual({ ok: true });
      state = {
        ...state,
        status: nextStatus(state.status, t),
        published: t === 'publish' ? true : t === 'unpublish' ? false : state.published,
      };
    };
    step('open');
    expect(state.status).toBe(OPEN);
    step('publish');
    step('close');
    expect(state).toEqual({ status: CLOSED, published: true, hasOwningSection: true });
    step('open');
    expect(state.status).toBe(OPEN);
    step('unpublish', '内容見直しのため');
    expect(state).toEqual({ status: OPEN, published: false, hasOwningSection: true });
  });
});

describe('nextStatus', () => {
  // prettier-ignore
  const NEXT: [ChallengeStatus, ChallengeTransition, ChallengeStatus][] = [
    [DRAFT,  'open', OPEN],   [DRAFT,  'close', CLOSED], [DRAFT,  'publish', DRAFT],  [DRAFT,  'unpublish', DRAFT],
    [OPEN,   'open', OPEN],   [OPEN,   'close', CLOSED], [OPEN,   'publish', OPEN],   [OPEN,   'unpublish', OPEN],
    [CLOSED, 'open', OPEN],   [CLOSED, 'close', CLOSED], [CLOSED, 'publish', CLOSED], [CLOSED, 'unpublish', CLOSED],
  ];
  it.each(NEXT)('%s --%s--> %s', (from, transition, to) => {
    expect(nextStatus(from, transition)).toBe(to);
  });
});
