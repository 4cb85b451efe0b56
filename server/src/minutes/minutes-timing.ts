/**
 * How presence is kept: each open editor's row is refreshed every `refreshMs` while its stream is
 * open, and a row not refreshed for `staleMs` counts as gone (a crashed server, a closed laptop).
 * The refresh also re-checks the editor's access, so a stream whose access ended without any
 * minutes activity (a disabled account, a signed-out session) ends within one interval.
 */
export interface MinutesTiming {
  refreshMs: number;
  staleMs: number;
}

export const DEFAULT_MINUTES_TIMING: Readonly<MinutesTiming> = { refreshMs: 15_000, staleMs: 45_000 };

const current: MinutesTiming = { ...DEFAULT_MINUTES_TIMING };

export function minutesTiming(): Readonly<MinutesTiming> {
  return current;
}

/** For tests (and tuning): changes the timing of streams opened from now on. */
export function setMinutesTiming(timing: Partial<MinutesTiming>): void {
  Object.assign(current, timing);
}
