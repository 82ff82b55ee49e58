// What a monitor object spends on its synchronous work, for monitor-stats, the ingest
// bench's per-object cost and a version's "auto" shards (load-tracker.ts).
import { LoadTracker, type LoadPolicy } from "./load-tracker.ts";

/**
 * Milliseconds this object spent in its synchronous work: storing batches (ingest) and its
 * ticks (fold, roll, prune, score; on a coordinator also the merge). An object runs one
 * thing at a time and SQLite is synchronous, so this is close to the CPU the object used.
 */
export interface ObjectWork {
  ingests: number;
  ingestMs: number;
  ticks: number;
  tickMs: number;
}

export class WorkMeter {
  /** Since the object started. */
  readonly total: ObjectWork = { ingests: 0, ingestMs: 0, ticks: 0, tickMs: 0 };
  /** The same work over a sliding window: whether the object stays overloaded. */
  #load = new LoadTracker();

  /** Tests and benchmarks: a lower threshold or shorter spans than the defaults, from now on. */
  setPolicy(policy: LoadPolicy): void {
    this.#load = new LoadTracker(policy);
  }

  record(kind: "ingest" | "tick", ms: number, now = Date.now()): void {
    if (kind === "ingest") {
      this.total.ingestMs += ms;
      this.total.ingests++;
    } else {
      this.total.tickMs += ms;
      this.total.ticks++;
    }
    this.#load.record(now, ms);
  }

  /** The object's busy share stayed above the policy's threshold for its sustained span (said once per cool-down). */
  overloaded(now: number): boolean {
    return this.#load.overloaded(now);
  }

  busyShare(now: number): number {
    return this.#load.busyShare(now);
  }
}
