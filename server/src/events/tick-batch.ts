/**
 * Collects the keys asked for until the event loop comes round (setImmediate) and reads them in one
 * call. Every subscriber woken by one event asks within that turn, so together they cost one
 * statement instead of one each. Nothing is cached: each turn reads again.
 */
export function tickBatch<K, V>(read: (keys: K[]) => Promise<Map<K, V>>): (key: K) => Promise<V | undefined> {
  let pending: Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (error: unknown) => void }>> | null = null;

  function dispatch(batch: NonNullable<typeof pending>): void {
    read([...batch.keys()]).then(
      (found) => {
        for (const [key, waiters] of batch) for (const waiter of waiters) waiter.resolve(found.get(key));
      },
      (error: unknown) => {
        for (const waiters of batch.values()) for (const waiter of waiters) waiter.reject(error);
      },
    );
  }

  return (key) =>
    new Promise<V | undefined>((resolve, reject) => {
      if (!pending) {
        const batch = new Map<K, Array<{ resolve: (value: V | undefined) => void; reject: (error: unknown) => void }>>();
        pending = batch;
        setImmediate(() => {
          pending = null;
          dispatch(batch);
        });
      }
      const waiters = pending.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(key, [{ resolve, reject }]);
    });
}
