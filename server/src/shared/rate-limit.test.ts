import { describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limit.js';

describe('RateLimiter', () => {
  it('allows a minute’s budget at once, then refuses with the seconds until the next one', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 100, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    // Another key has its own bucket.
    expect(limiter.take('b').allowed).toBe(true);
    now += 1000; // one token a second back
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('states a longer wait for a slow budget', () => {
    let now = 0;
    const limiter = new RateLimiter(2, 100, () => now);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 30 });
    now += 29_000;
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const now = 0;
    const limiter = new RateLimiter(1, 3, () => now);
    for (const key of ['a', 'b', 'c']) limiter.take(key);
    expect(limiter.take('a').allowed).toBe(false); // 'a' used again: now the newest
    limiter.take('d'); // drops 'b'
    expect(limiter.size).toBe(3);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true); // forgotten, so a full bucket again
  });
});
