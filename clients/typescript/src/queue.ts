// The in-memory queue between `log()` and the sender: bounded, so a Vigil outage costs
// a sender memory it chose, never all of it. When it is full the overflow policy decides:
//   "drop-oldest"  the oldest queued record is dropped and counted (`dropped`), the new
//                  one goes in, and `log()` never waits: the right choice in a request path;
//   "block"        `log()` returns a promise that resolves once there is room, so an
//                  awaiting producer (a batch job) slows to the pace Vigil accepts.
// Records already handed to the sender (in flight, retrying) are not in the queue and
// are never dropped by it.

export type OverflowPolicy = "drop-oldest" | "block";

export class BoundedQueue<T> {
  readonly capacity: number;
  readonly policy: OverflowPolicy;
  #items: T[] = [];
  #head = 0;
  #waiters: (() => void)[] = [];
  dropped = 0;

  constructor(capacity: number, policy: OverflowPolicy) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`maxQueue must be an integer >= 1: ${capacity}`);
    if (policy !== "drop-oldest" && policy !== "block") throw new Error(`overflow must be "drop-oldest" or "block": ${String(policy)}`);
    this.capacity = capacity;
    this.policy = policy;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Adds one record; with "block" and a full queue, resolves once it is in. */
  push(item: T): Promise<void> | undefined {
    if (this.size < this.capacity) {
      this.#items.push(item);
      return undefined;
    }
    if (this.policy === "drop-oldest") {
      this.#head++;
      this.dropped++;
      this.#items.push(item);
      this.#compact();
      return undefined;
    }
    return new Promise<void>((resolve) => {
      this.#waiters.push(() => {
        this.#items.push(item);
        resolve();
      });
    });
  }

  /** Removes up to `max` records from the front that `sameGroup` accepts (the first one always). */
  take(max: number, sameGroup: (first: T, other: T) => boolean): T[] {
    if (this.size === 0) return [];
    const first = this.#items[this.#head]!;
    const taken: T[] = [];
    const kept: T[] = [];
    let i = this.#head;
    for (; i < this.#items.length && taken.length < max; i++) {
      const item = this.#items[i]!;
      (taken.length === 0 || sameGroup(first, item) ? taken : kept).push(item);
    }
    this.#items = kept.concat(this.#items.slice(i));
    this.#head = 0;
    this.#admitWaiters();
    return taken;
  }

  /** Everything still queued, removed (close() after its last attempt). */
  drain(): T[] {
    const rest = this.#items.slice(this.#head);
    this.#items = [];
    this.#head = 0;
    this.#admitWaiters();
    return rest;
  }

  /** Producers blocked on a full queue. */
  get waiting(): number {
    return this.#waiters.length;
  }

  #admitWaiters() {
    while (this.#waiters.length > 0 && this.size < this.capacity) this.#waiters.shift()!();
  }

  #compact() {
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
  }
}
