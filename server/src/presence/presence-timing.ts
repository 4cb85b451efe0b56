/**
 * How workspace presence is kept (the same design as the minutes' presence): each open page's
 * row is refreshed every `refreshMs` while its stream is open, and a row not refreshed for
 * `staleMs` counts as gone (a crashed server, a closed laptop). Typing shows for `typingMs` after
 * the last signal, and a signal repeated within `typingRepeatMs` (same thread) is ignored.
 */
export interface PresenceTiming {
  refreshMs: number;
  staleMs: number;
  typingMs: number;
  typingRepeatMs: number;
}

export const DEFAULT_PRESENCE_TIMING: Readonly<PresenceTiming> = { refreshMs: 15_000, staleMs: 45_000, typingMs: 6_000, typingRepeatMs: 2_000 };

const current: PresenceTiming = { ...DEFAULT_PRESENCE_TIMING };

export function presenceTiming(): Readonly<PresenceTiming> {
  return current;
}

/** For tests (and tuning): changes the timing from now on. */
export function setPresenceTiming(timing: Partial<PresenceTiming>): void {
  Object.assign(current, timing);
}
