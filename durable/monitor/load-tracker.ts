// Whether one ModelMonitor object is overloaded, for a version's "auto" shard mode
// (issue 23; docs/architecture.md, "Sharded monitors", "The auto mode"). Pure: the object
// feeds it the milliseconds of synchronous work it measures (storing a batch, a tick) and
// asks for a verdict, which rides on its ingest reply to the Worker, which alone changes N.
//
// The measure is the busy share: milliseconds of synchronous work per wall millisecond,
// summed over the last `windowMs`. An object runs one thing at a time (its input gate)
// and SQLite is synchronous, so a share near 1 is an object that has no idle time left,
// and its queue of waiting calls (the "ingest queue") grows; the share is what makes that
// queue, so one number covers both.
//
// The numbers, and why:
// - threshold 0.6: docs/benchmarks.md projects with an object at most 70 % busy (its
//   headroom for GC and bursts); a queue's wait grows as ρ/(1 − ρ) of the service time
//   (1.5× at 0.6, 4× at 0.8, 9× at 0.9), so shards are added before the wait, and with it
//   freshness, climbs steeply.
// - windowMs 5 s: 20 ticks at 250 ms, long enough that a GC pause or one large batch is not
//   a high share, short enough that a dip in traffic shows. workerd's clock counts whole
//   milliseconds, so one 0.5 ms store reads 0 or 1 ms; over the thousands of stores and ticks
//   of a busy window the sum is right on average (a duration's start falls anywhere in a ms).
// - sustainMs 30 s: the share must stay at or above the threshold at every look for this long. A
//   shorter burst is absorbed by the queue, and a new N takes effect only as the Workers'
//   isolates re-read the version (within 60 s, workers/ingest/resolve-version.ts): reacting
//   to a short burst would add shards after it is gone.
// - coolDownMs 90 s: after an overloaded verdict, none for this long. The new N reaches every
//   isolate within 60 s, and the objects then need a fresh 30 s of measure to tell whether
//   it was enough: 60 + 30. The Worker holds the same cool-down in Postgres
//   (workers/registry/auto-shards.ts), so verdicts from several shards make one step.
// The sustained span and the cool-down are sustained-verdict.ts, shared with the Worker's
// own measure of its round trips to the object (workers/ingest/round-trips.ts).
import { checkSustainPolicy, SustainedVerdict, type SustainPolicy } from "./sustained-verdict.ts";

export interface LoadPolicy extends SustainPolicy {
  /** Busy share (0..1) from which on the object counts as loaded (0: always, which tests use). */
  threshold: number;
  /** The sliding span the busy share is measured over. */
  windowMs: number;
}

export const DEFAULT_LOAD_POLICY: Readonly<LoadPolicy> = { threshold: 0.6, windowMs: 5_000, sustainMs: 30_000, coolDownMs: 90_000 };

/** Work is summed into slots of this width; the window is a whole number of them. */
const SLOT_MS = 250;

export function checkLoadPolicy(p: LoadPolicy): LoadPolicy {
  if (!(p.threshold >= 0 && p.threshold <= 1)) throw new Error(`threshold must be >= 0 and <= 1: ${p.threshold}`);
  if (!(p.windowMs >= SLOT_MS)) throw new Error(`windowMs must be >= ${SLOT_MS}: ${p.windowMs}`);
  return checkSustainPolicy(p);
}

export class LoadTracker {
  readonly policy: LoadPolicy;
  /** Work per slot, by slot index (time / SLOT_MS) modulo the ring's length. */
  readonly #busy: Float64Array;
  readonly #slotOf: Float64Array;
  readonly #verdict: SustainedVerdict;

  constructor(policy: LoadPolicy = DEFAULT_LOAD_POLICY) {
    this.policy = checkLoadPolicy({ ...policy });
    const slots = Math.ceil(this.policy.windowMs / SLOT_MS);
    this.#busy = new Float64Array(slots);
    this.#slotOf = new Float64Array(slots).fill(-1);
    this.#verdict = new SustainedVerdict(this.policy);
  }

  /** `busyMs` of synchronous work that ended at `now` (Unix ms). */
  record(now: number, busyMs: number): void {
    if (!(busyMs > 0)) return;
    const slot = Math.floor(now / SLOT_MS);
    const i = slot % this.#busy.length;
    if (this.#slotOf[i] !== slot) {
      this.#slotOf[i] = slot;
      this.#busy[i] = 0;
    }
    this.#busy[i]! += busyMs;
  }

  /** Milliseconds of work per wall millisecond over the last `windowMs` (may pass 1 by a slot's rounding). */
  busyShare(now: number): number {
    const current = Math.floor(now / SLOT_MS);
    const oldest = current - this.#busy.length + 1;
    let sum = 0;
    for (let i = 0; i < this.#busy.length; i++) {
      const slot = this.#slotOf[i]!;
      if (slot >= oldest && slot <= current) sum += this.#busy[i]!;
    }
    return sum / (this.#busy.length * SLOT_MS);
  }

  /**
   * True once the share has stayed at or above the threshold for `sustainMs` and no verdict
   * was given within `coolDownMs`; then the cool-down starts and the sustained span restarts.
   * Every call is a look: a look below the threshold resets the span.
   */
  overloaded(now: number): boolean {
    return this.#verdict.look(now, this.busyShare(now) >= this.policy.threshold);
  }
}
