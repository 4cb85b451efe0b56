/**
 * Maps a stream through an async step that may drop items (return null), keeping the source's
 * ability to close at once: return() reaches the source even while a next() is waiting.
 */
export function filterMapStream<T, U>(source: AsyncIterableIterator<T>, step: (item: T) => Promise<U | null>): AsyncIterableIterator<U> {
  return new FilterMapStream(source, step);
}

/** A class rather than an object of closures: idle subscribers hold one per stream layer for hours. */
class FilterMapStream<T, U> implements AsyncIterableIterator<U> {
  private closed = false;

  constructor(
    private readonly source: AsyncIterableIterator<T>,
    private readonly step: (item: T) => Promise<U | null>,
  ) {}

  async next(): Promise<IteratorResult<U>> {
    for (;;) {
      if (this.closed) return { value: undefined, done: true };
      const result = await this.source.next();
      if (result.done || this.closed) return { value: undefined, done: true };
      const mapped = await this.step(result.value);
      if (mapped !== null) return { value: mapped, done: false };
    }
  }

  async return(): Promise<IteratorResult<U>> {
    this.closed = true;
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  async throw(error: unknown): Promise<IteratorResult<U>> {
    this.closed = true;
    await this.source.return?.();
    throw error;
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<U> {
    return this;
  }
}
