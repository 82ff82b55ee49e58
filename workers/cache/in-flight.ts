// One read at a time per key within an isolate: while one request reads a key (an API
// key record, a model version, a rate-limit lease), the isolate's other requests for it
// wait for the result instead of each making the same round trip. Without this, 200
// requests arriving at once with a new key opened 200 Postgres connections.
//
// Waiters poll a marker on their own timers; they never await the reader's promise.
// workerd resumes a request that awaits another request's promise in that other
// request's I/O context, and then refuses it its own body ("Cannot perform I/O on behalf
// of a different request"): seen after minutes of load when rate-limit leases were
// shared as promises.

export class InFlight {
  readonly #since = new Map<string, number>();
  readonly #staleAfterMs: number;

  /** A read older than `staleAfterMs` is presumed lost (its request was cancelled): the next request reads. */
  constructor(staleAfterMs: number) {
    this.#staleAfterMs = staleAfterMs;
  }

  /**
   * The value of `key`: `fresh()` when it is known now; else, when no other request of
   * this isolate is reading it, `read()` as the one read; else `stale()` when it has a
   * value to use meanwhile, or it waits for the other read and looks again.
   */
  async load<T>(key: string, source: { fresh: () => T | undefined; read: () => Promise<T>; stale?: () => T | undefined }): Promise<T> {
    for (;;) {
      const known = source.fresh();
      if (known !== undefined) return known;
      if (!this.#busy(key)) return this.#run(key, source.read);
      const meanwhile = source.stale?.();
      if (meanwhile !== undefined) return meanwhile;
      // Short: the read waited for is one round trip.
      await new Promise<void>((resolve) => setTimeout(resolve, 2));
    }
  }

  #busy(key: string): boolean {
    const since = this.#since.get(key);
    return since !== undefined && Date.now() - since < this.#staleAfterMs;
  }

  async #run<T>(key: string, read: () => Promise<T>): Promise<T> {
    this.#since.set(key, Date.now());
    try {
      return await read();
    } finally {
      this.#since.delete(key);
    }
  }

  clear(): void {
    this.#since.clear();
  }
}
