/**
 * Work done once for everyone who asks for the same key while it runs and for `graceMs` after: the
 * first caller starts it, the others get its promise. A subscriber a little behind the others (its
 * socket was slower) still finds the result; after the grace the entry is gone, so the map holds
 * only what is in flight or just finished, never history.
 */
export class SharedWork<T> {
  private readonly entries = new Map<string, Promise<T>>();

  constructor(private readonly graceMs: number) {}

  /** Entries held now: in flight, or settled within the grace. */
  get size(): number {
    return this.entries.size;
  }

  run(key: string, work: () => T | Promise<T>): Promise<T> {
    const found = this.entries.get(key);
    if (found) return found;
    const promise = Promise.resolve().then(work);
    this.entries.set(key, promise);
    const drop = (): void => {
      const timer = setTimeout(() => {
        if (this.entries.get(key) === promise) this.entries.delete(key);
      }, this.graceMs);
      timer.unref();
    };
    promise.then(drop, drop);
    return promise;
  }
}
