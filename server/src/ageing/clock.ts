/**
 * Where ageing reads "now". Business-day counts change at midnight Japan time, so tests that
 * assert them fix the clock here instead of depending on the day they run; the server uses the
 * real time.
 */
let current: () => Date = () => new Date();

export function ageingNow(): Date {
  return current();
}

/** Tests only: makes `ageingNow()` return `now` (or follow a function) until the returned restore is called. */
export function fixAgeingClock(now: Date | (() => Date)): () => void {
  const previous = current;
  current = typeof now === 'function' ? now : () => new Date(now.getTime());
  return () => {
    current = previous;
  };
}
