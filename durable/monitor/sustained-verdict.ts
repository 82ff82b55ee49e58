// "Stays high for a sustained span, then say so once per cool-down": the verdict rule of
// a version's "auto" shard mode (issue 23), shared by its two measures so they mean the
// same thing: an object's own busy share (load-tracker.ts) and the Worker's round trips
// to it (workers/ingest/round-trips.ts). Pure; the caller decides what "high" is and
// calls `look` with it. load-tracker.ts says why 30 s and 90 s.

export interface SustainPolicy {
  /** How long every look must be high before the verdict. */
  sustainMs: number;
  /** After a verdict, how long before the next one. */
  coolDownMs: number;
}

export function checkSustainPolicy<P extends SustainPolicy>(p: P): P {
  if (!(p.sustainMs >= 0)) throw new Error(`sustainMs must be >= 0: ${p.sustainMs}`);
  if (!(p.coolDownMs >= 0)) throw new Error(`coolDownMs must be >= 0: ${p.coolDownMs}`);
  return p;
}

export class SustainedVerdict {
  readonly #policy: SustainPolicy;
  /** Since when every look was high; null when the last look was not. */
  #highSince: number | null = null;
  #lastVerdictAt: number | null = null;

  constructor(policy: SustainPolicy) {
    this.#policy = checkSustainPolicy({ sustainMs: policy.sustainMs, coolDownMs: policy.coolDownMs });
  }

  /**
   * One look at `now` (Unix ms): true once every look has been high for `sustainMs` and no
   * verdict was given within `coolDownMs`; then the cool-down starts and the sustained span
   * restarts. A look that is not high resets the span.
   */
  look(now: number, high: boolean): boolean {
    if (!high) {
      this.#highSince = null;
      return false;
    }
    this.#highSince ??= now;
    if (now - this.#highSince < this.#policy.sustainMs) return false;
    if (this.#lastVerdictAt !== null && now - this.#lastVerdictAt < this.#policy.coolDownMs) return false;
    this.#lastVerdictAt = now;
    this.#highSince = now;
    return true;
  }
}
