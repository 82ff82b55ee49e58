// How long to wait before retrying a batch. Exponential backoff with "full jitter"
// (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015): the wait is drawn
// uniformly from [0, min(cap, base · 2^attempt)], which spreads a fleet of senders that
// failed together instead of having them retry in lockstep. A server's Retry-After is a
// floor: we never come back earlier than it asked, whatever the jitter drew.

export interface BackoffOptions {
  /** First retry's ceiling, in ms (default 200). */
  baseMs: number;
  /** No wait is drawn above this, in ms (default 30,000); Retry-After may still ask for more. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 200, maxMs: 30_000 };

/** Longest Retry-After honoured (ms): a misconfigured proxy asking for a day is capped at 5 minutes. */
export const MAX_RETRY_AFTER_MS = 300_000;

/**
 * The wait before retry number `attempt` (0 for the first retry), in ms.
 * `retryAfterMs` (from the server) is a floor; `random` is injectable for tests.
 */
export function backoffDelay(attempt: number, options: BackoffOptions, retryAfterMs: number | null, random: () => number = Math.random): number {
  const ceiling = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 30));
  const jittered = Math.floor(random() * ceiling);
  return retryAfterMs === null ? jittered : Math.max(jittered, Math.min(retryAfterMs, MAX_RETRY_AFTER_MS));
}

/**
 * A Retry-After header in ms: delay-seconds or an HTTP-date (RFC 9110 §10.2.3), or null
 * when absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(header: string | null, now: number = Date.now()): number | null {
  if (header === null) return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  // An HTTP-date names its weekday and month; bare numbers ("-5") are not dates here.
  if (!/^[A-Za-z]{3}, /.test(text)) return null;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - now) : null;
}
