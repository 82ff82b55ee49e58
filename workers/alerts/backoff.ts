// Retry schedule for deliveries: exponential backoff with full jitter (AWS Architecture
// Blog, "Exponential Backoff And Jitter"): wait a uniform random time in
// [0, min(cap, base·2^(attempt-1))]. Attempts stop after MAX_ATTEMPTS or once the
// next one would start more than GIVE_UP_AFTER_MS after the first, whichever comes
// first; the delivery is then dead-lettered and waits for a manual redelivery.

export const BASE_DELAY_MS = 10_000;
export const MAX_DELAY_MS = 4 * 60 * 60_000;
export const MAX_ATTEMPTS = 17;
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;

export function maxDelayFor(attempt: number): number {
  return Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, attempt - 1));
}

/**
 * When to try again after `attempts` failed attempts of a delivery first tried at
 * `firstAttemptAt`; null means give up (dead letter). `random` is in [0, 1).
 */
export function nextAttemptAt(attempts: number, firstAttemptAt: number, now: number, random: () => number = Math.random): number | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const at = now + Math.floor(random() * maxDelayFor(attempts));
  if (at - firstAttemptAt > GIVE_UP_AFTER_MS) return null;
  return at;
}

/** The longest the whole schedule can run: every jittered wait at its maximum. */
export function worstCaseScheduleMs(): number {
  let total = 0;
  for (let a = 1; a < MAX_ATTEMPTS; a++) total += maxDelayFor(a);
  return Math.min(total, GIVE_UP_AFTER_MS);
}
