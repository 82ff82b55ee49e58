import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { redisFor } from "../clients/redis.ts";

// Failed password sign-ins per (email, client IP): after MAX_FAILURES within WINDOW_S,
// further attempts get 429 until the window ends. Counted in Redis when configured (so
// all isolates agree), else per isolate. Keyed by IP too, so a stranger cannot lock a
// user out from elsewhere.

export const MAX_FAILURES = 5;
export const WINDOW_S = 15 * 60;

const local = new Map<string, { count: number; resetAt: number }>();

const keyOf = (email: string, ip: string | undefined) => `vigil:signin-fail:${email.toLowerCase()}:${ip ?? "unknown"}`;

async function failures(env: Bindings, key: string): Promise<number> {
  const redis = redisFor(env);
  if (redis) {
    try {
      return (await redis.get<number>(key)) ?? 0;
    } catch {
      // fall through to the isolate count
    }
  }
  const hit = local.get(key);
  return hit && hit.resetAt > Date.now() ? hit.count : 0;
}

export async function assertSignInAllowed(env: Bindings, email: string, ip: string | undefined): Promise<void> {
  if ((await failures(env, keyOf(email, ip))) >= MAX_FAILURES) {
    throw new ApiError(429, "rate_limited", `too many failed sign-ins for ${email.toLowerCase()}; try again in up to ${WINDOW_S / 60} minutes`, { retry_after_s: WINDOW_S });
  }
}

export async function recordSignInFailure(env: Bindings, email: string, ip: string | undefined): Promise<void> {
  const key = keyOf(email, ip);
  const redis = redisFor(env);
  if (redis) {
    try {
      const n = await redis.incr(key);
      if (n === 1) await redis.expire(key, WINDOW_S);
      return;
    } catch {
      // fall through
    }
  }
  const now = Date.now();
  const hit = local.get(key);
  if (hit && hit.resetAt > now) hit.count += 1;
  else local.set(key, { count: 1, resetAt: now + WINDOW_S * 1000 });
}
