import { afterEach, describe, expect, it, vi } from 'vitest';
import { SharedWork } from './shared-work.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('SharedWork', () => {
  it('runs the work once for everyone asking for one key while it runs', async () => {
    const work = new SharedWork<number>(1000);
    let runs = 0;
    const slow = () => new Promise<number>((resolve) => setTimeout(() => resolve(++runs), 5));
    const results = await Promise.all(Array.from({ length: 20 }, () => work.run('event|audience', slow)));
    expect(results).toEqual(Array.from({ length: 20 }, () => 1));
    expect(runs).toBe(1);
  });

  it('shares a failure the same way', async () => {
    const work = new SharedWork<number>(1000);
    const failing = () => Promise.reject(new Error('access ended'));
    await expect(Promise.all([work.run('k', failing), work.run('k', failing)])).rejects.toThrow('access ended');
  });

  it('does not grow without bound: each entry leaves once settled plus the grace', async () => {
    vi.useFakeTimers();
    const work = new SharedWork<number>(1000);
    for (let i = 0; i < 10_000; i += 1) void work.run(`event ${i}`, () => i);
    await vi.advanceTimersByTimeAsync(0);
    expect(work.size).toBe(10_000);
    // Within the grace a subscriber a little behind still finds the result…
    await vi.advanceTimersByTimeAsync(999);
    expect(work.size).toBe(10_000);
    expect(await work.run('event 7', () => -1)).toBe(7);
    // …after it, nothing is left.
    await vi.advanceTimersByTimeAsync(1);
    expect(work.size).toBe(0);
    const failing = work.run('failed', () => Promise.reject(new Error('x')));
    await expect(failing).rejects.toThrow('x');
    await vi.advanceTimersByTimeAsync(1000);
    expect(work.size).toBe(0);
  });

  it('a key asked for again after the grace is worked again, with current data', async () => {
    vi.useFakeTimers();
    const work = new SharedWork<string>(1000);
    expect(await work.run('k', () => 'first')).toBe('first');
    await vi.advanceTimersByTimeAsync(1000);
    expect(await work.run('k', () => 'second')).toBe('second');
  });
});
