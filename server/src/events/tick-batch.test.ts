import { describe, expect, it } from 'vitest';
import { tickBatch } from './tick-batch.js';

describe('tickBatch', () => {
  it('reads every key asked for in one turn with one call, each key once', async () => {
    const calls: string[][] = [];
    const load = tickBatch(async (keys: string[]) => {
      calls.push(keys);
      return new Map(keys.filter((key) => key !== 'ended').map((key) => [key, key.toUpperCase()]));
    });
    // As subscribers woken by one event ask, each a few awaits deep.
    const asks = ['a', 'b', 'a', 'ended'].map(async (key) => {
      await Promise.resolve();
      await Promise.resolve();
      return load(key);
    });
    expect(await Promise.all(asks)).toEqual(['A', 'B', 'A', undefined]);
    expect(calls).toEqual([['a', 'b', 'ended']]);
  });

  it('reads again in the next turn: nothing is cached', async () => {
    let reads = 0;
    const load = tickBatch(async (keys: string[]) => {
      reads += 1;
      return new Map(keys.map((key) => [key, reads]));
    });
    expect(await load('a')).toBe(1);
    expect(await load('a')).toBe(2);
  });

  it('a failed read fails every waiter of that turn', async () => {
    const load = tickBatch(async () => {
      throw new Error('database away');
    });
    const results = await Promise.allSettled([load('a'), load('b')]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'rejected']);
  });
});
