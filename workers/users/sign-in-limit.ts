import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { redisFor } from "../clients/redis.ts";

// Failed password sign-ins, counted twice within a fixed WINDOW_S from the first failure:
//   - per (email, client address): MAX_FAILURES (5), so one source gets few guesses;
//   - per email, from every address together: MAX_FAILURES_PER_ACCOUNT (20).
// The address comes from CF-Connecting-IP, which only Cloudflare's edge guarantees; a
// client reaching the Worker any other way (wrangler dev, a misconfigured proxy) sets it
// freely, and rotating it used to buy 5 fresh guesses per request. The account-wide count
// caps guesses per account at 20 per 15 minutes however the address is dressed up.
//
// The trade-off is lock-out abuse: anyone who knows an email can spend its 20 failures
// and block password sign-in for that account until the window ends (and again in the
// next one). That is bounded: existing sessions and API keys keep working, the refusal
// is a 429 naming the wait (never a disabled account), and a single source has to rotate
// its address 4 times to do it. The per-address bound stays lower so a user who mistypes at home is not locked
// out by someone else's 5 guesses from elsewhere until the account-wide bound is reached.
// A per-address cap across all emails (password spraying) belongs at the edge, where the
// address can be trusted (Cloudflare WAF rate limiting rules).
//
// Counts live in Redis when configured (so all isolates agree), else per isolate.

export const MAX_FAILURES = 5;
export const MAX_FAILURES_PER_ACCOUNT = 20;
export const WINDOW_S = 15 * 60;
/** Isolate-local counters kept at most; expired ones are dropped first when it fills. */
const LOCAL_CAP = 10_000;

const local = new Map<string, { count: number; resetAt: number }>();

/** The Redis calls the counters make: `redisFor(env)` in the Worker, a double in tests. */
export interface FailureCounterRedis {
  get<T>(key: string): Promise<T | null>;
  incr(key: string): Promise<number>;
  expire(key: string, seconds: number): Promise<unknown>;
}

/** Test hook: forget every isolate-local counter. */
export function clearIsolateSignInFailures(): void {
  local.clear();
}

const normalized = (email: string) => email.trim().toLowerCase();
const pairKey = (email: string, ip: string | undefined) => `vigil:signin-fail:${normalized(email)}:${ip ?? "unknown"}`;
const accountKey = (email: string) => `vigil:signin-fail-account:${normalized(email)}`;

async function failures(redis: FailureCounterRedis | undefined, key: string): Promise<number> {
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

async function count(redis: FailureCounterRedis | undefined, key: string): Promise<void> {
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
  if (hit && hit.resetAt > now) {
    hit.count += 1;
    return;
  }
  if (local.size >= LOCAL_CAP) prune(now);
  local.set(key, { count: 1, resetAt: now + WINDOW_S * 1000 });
}

/** Drops expired counters, then the oldest ones if rotating addresses still fill the map. */
function prune(now: number): void {
  for (const [key, hit] of local) if (hit.resetAt <= now) local.delete(key);
  for (const key of local.keys()) {
    if (local.size < LOCAL_CAP) break;
    local.delete(key);
  }
}

/** `redis` defaults to the deployment's Redis (none when unset); tests pass a double. */
export async function assertSignInAllowed(env: Bindings, email: string, ip: string | undefined, redis: FailureCounterRedis | undefined = redisFor(env)): Promise<void> {
  const [fromHere, fromAnywhere] = await Promise.all([failures(redis, pairKey(email, ip)), failures(redis, accountKey(email))]);
  if (fromHere >= MAX_FAILURES || fromAnywhere >= MAX_FAILURES_PER_ACCOUNT) {
    throw new ApiError(429, "rate_limited", `too many failed sign-ins for ${normalized(email)}; try again in up to ${WINDOW_S / 60} minutes`, { retry_after_s: WINDOW_S });
  }
}

export async function recordSignInFailure(env: Bindings, email: string, ip: string | undefined, redis: FailureCounterRedis | undefined = redisFor(env)): Promise<void> {
  await Promise.all([count(redis, pairKey(email, ip)), count(redis, accountKey(email))]);
}
