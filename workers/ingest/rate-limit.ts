// Per-org request rate limit (requests per second, counted per route: ingest, actuals,
// outcomes) on a one-second sliding window. With Redis configured it is @upstash/ratelimit's
// sliding window in Redis; without Redis it is the org's OrgRateLimiter Durable Object
// (durable/org-rate-limiter.ts), which runs the same algorithm in memory. Either way every
// isolate spends one shared budget per org, at one Redis call or one RPC per request. A
// limiter that is down or errors fails open (logged): ingest is never refused because the
// limiter itself failed.
import { Ratelimit } from "@upstash/ratelimit";
import type { RateDecision } from "../../durable/org-rate-limiter.ts";
import type { Bindings } from "../env.ts";
import { redisFor } from "../sinks/redis.ts";
import { DEFAULT_RATE_LIMIT_PER_SECOND } from "./limits.ts";

let limitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
const limiters = new Map<string, Ratelimit>();

/** Sets the per-org limit this isolate enforces (tests, and deployments that tune it). */
export function setIngestRateLimit(perSecond: number): void {
  limitPerSecond = perSecond;
  limiters.clear();
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

async function redisLimit(redis: NonNullable<ReturnType<typeof redisFor>>, route: string, key: string, now: number): Promise<RateDecision> {
  let limiter = limiters.get(route);
  if (!limiter) {
    limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(limitPerSecond, "1 s"), prefix: "vigil:ratelimit", ephemeralCache: false });
    limiters.set(route, limiter);
  }
  try {
    const r = await limiter.limit(key);
    return { ok: r.success, retryAfterMs: Math.max(0, r.reset - now) };
  } catch (error) {
    console.error("rate limiter (redis) unavailable, admitting:", (error as Error).message);
    return { ok: true, retryAfterMs: 0 };
  }
}

async function durableObjectLimit(env: Bindings, orgId: string, route: string): Promise<RateDecision> {
  try {
    return await env.OrgRateLimiter.getByName(orgId).hit(route, limitPerSecond);
  } catch (error) {
    console.error(`rate limiter (OrgRateLimiter ${orgId}) unavailable, admitting:`, (error as Error).message);
    return { ok: true, retryAfterMs: 0 };
  }
}

/** Whether the org may make another `route` request now; when not, for how long to wait. */
export async function checkIngestRate(env: Bindings, orgId: string, route: string): Promise<RateVerdict> {
  const redis = redisFor(env);
  const verdict = redis ? await redisLimit(redis, route, `${route}:${orgId}`, Date.now()) : await durableObjectLimit(env, orgId, route);
  if (verdict.ok) return { ok: true };
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  return { ok: false, retryAfterSeconds: seconds, message: `org exceeds ${limitPerSecond} ${route} requests per second; retry after ${seconds} s` };
}
