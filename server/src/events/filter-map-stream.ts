/**
 * Maps a stream through an async step that may drop items (return null), keeping the source's
 * ability to close at once: return() reaches the source even while a next() is waiting.
 */
export function filterMapStream<T, U>(source: AsyncIterableIterator<T>, step: (item: T) => Promise<U | null>): AsyncIterableIterator<U> {
  let closed = false;
  const iterator: AsyncIterableIterator<U> = {
    async next() {
      for (;;) {
        if (closed) return { value: undefined, done: true };
        const result = await source.next();
        if (result.done || closed) return { value: undefined, done: true };
        const mapped = await step(result.value);
        if (mapped !== null) return { value: mapped, done: false };
      }
    },
    async return() {
      closed = true;
      await source.return?.();
      return { value: undefined, done: true };
    },
    async throw(error: unknown) {
      closed = true;
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
