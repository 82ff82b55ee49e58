// The per-org request rate limit when Redis is not configured: one OrgRateLimiter per org
// (name = org id), so every isolate that serves the org spends the same budget. The Worker
// passes the limit with each call and leases a few requests at a time (`take`; see
// workers/ingest/rate-limit.ts), so a busy isolate makes one RPC per lease, not per request.
//
// Counts live in memory only. The object is single-threaded and `hit` never awaits, so
// concurrent requests from any number of isolates are counted exactly. Nothing is written
// to storage because the window is one second: counts older than two seconds never matter.
// The object leaves memory only after it has been idle (its windows are empty by then) or
// on a restart or deploy, which forgets at most one second's counts, so an org can get one
// extra second's budget once. A storage write per request would cost more than the limit
// protects: every ingest request would wait (output gate) for a durable write.
import { DurableObject } from "cloudflare:workers";

/** The sliding window's length: limits are requests per second. */
export const RATE_WINDOW_MS = 1_000;

/** Whether a request is admitted; when not, how long until the current window ends. */
export interface RateDecision {
  ok: boolean;
  retryAfterMs: number;
}

/** Requests granted by `take` (0 = refused: retry after `retryAfterMs`), usable for `validForMs`, until the window ends. */
export interface RateLease {
  granted: number;
  retryAfterMs: number;
  validForMs: number;
  /** The window's weighted count after this grant (what the next request is judged on), so callers can see the org's headroom. */
  used: number;
}

/**
 * The sliding window of @upstash/ratelimit (`Ratelimit.slidingWindow`), so that the
 * Redis path and this one behave the same. Windows are fixed slots of `windowMs` since
 * the epoch; the previous slot's count weighs by how much of it the sliding window still
 * overlaps, floored as upstash's Lua script does. A request is admitted while
 * floor(previous × overlap) + current < limit; a refused request is not counted. A refusal
 * says to retry when the current slot ends (upstash's `reset`).
 */
export class SlidingWindow {
  #slot = Number.NEGATIVE_INFINITY;
  #current = 0;
  #previous = 0;
  readonly windowMs: number;

  constructor(windowMs: number = RATE_WINDOW_MS) {
    if (!(windowMs >= 1) || !Number.isFinite(windowMs)) throw new Error(`windowMs must be a finite number >= 1: ${windowMs}`);
    this.windowMs = windowMs;
  }

  hit(now: number, limit: number): RateDecision {
    const lease = this.take(now, limit, 1);
    return lease.granted === 1 ? { ok: true, retryAfterMs: 0 } : { ok: false, retryAfterMs: lease.retryAfterMs };
  }

  /**
   * Admits up to `want` requests at once: as many as `want` hits in a row would admit
   * (the window's weighting does not change within one instant), all counted now.
   */
  take(now: number, limit: number, want: number): RateLease {
    const slot = Math.floor(now / this.windowMs);
    // A clock that steps back stays in the newest slot seen rather than reopening an old one.
    if (slot > this.#slot) {
      this.#previous = slot === this.#slot + 1 ? this.#current : 0;
      this.#current = 0;
      this.#slot = slot;
    }
    const elapsed = Math.max(0, now - this.#slot * this.windowMs);
    const overlap = 1 - elapsed / this.windowMs;
    const slotEndsIn = (this.#slot + 1) * this.windowMs - now;
    const weighted = Math.floor(this.#previous * overlap);
    const granted = Math.max(0, Math.min(want, limit - weighted - this.#current));
    this.#current += granted;
    return { granted, retryAfterMs: granted > 0 ? 0 : slotEndsIn, validForMs: slotEndsIn, used: weighted + this.#current };
  }
}

/** One per org; one sliding window per route (ingest, actuals, outcomes). */
export class OrgRateLimiter extends DurableObject {
  readonly #routes = new Map<string, SlidingWindow>();
  /** The clock the windows run on; tests replace it through `runInDurableObject`. */
  clock: () => number = () => Date.now();

  /** Counts a `route` request against `limit` per second if it is admitted. */
  hit(route: string, limit: number): RateDecision {
    return this.#window(route).hit(this.clock(), limit);
  }

  /** Admits and counts up to `want` `route` requests against `limit` per second. */
  take(route: string, limit: number, want: number): RateLease {
    return this.#window(route).take(this.clock(), limit, want);
  }

  #window(route: string): SlidingWindow {
    let window = this.#routes.get(route);
    if (!window) {
      window = new SlidingWindow();
      this.#routes.set(route, window);
    }
    return window;
  }
}
