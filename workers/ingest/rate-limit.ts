// Per-org request rate limit (requests per second, counted per route: ingest, actuals,
// outcomes) on a one-second sliding window. With Redis configured it is @upstash/ratelimit's
// sliding window in Redis, one call per request; without Redis it is the org's
// OrgRateLimiter Durable Object (durable/org-rate-limiter.ts), which runs the same
// algorithm in memory. Either way every isolate spends one shared budget per org. A
// limiter that is down or errors fails open (logged): ingest is never refused because the
// limiter itself failed.
//
// The object is asked for a lease of up to limit / LEASE_DIVISOR requests at a time,
// counted against the org when granted and usable by this isolate until the window ends.
// One RPC per request cost ~4-8 % of the ingest thread at 100k events/s. The price: a
// lease this isolate leaves unused still counts, so an org with several busy isolates
// can be refused up to (isolates × lease) requests short of its limit in a window; it is
// never admitted past it. Limits under LEASE_DIVISOR lease one request: exact, as before.
import { Ratelimit } from "@upstash/ratelimit";
import type { RateDecision, RateLease } from "../../durable/org-rate-limiter.ts";
import type { Bindings } from "../env.ts";
import { redisFor } from "../sinks/redis.ts";
import { DEFAULT_RATE_LIMIT_PER_SECOND } from "./limits.ts";

let limitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
const limiters = new Map<string, Ratelimit>();

/** A lease is at most this fraction of the limit (at the default 2,000/s: 40 requests). */
export const LEASE_DIVISOR = 50;

interface Lease {
  left: number;
  expiresAt: number;
}
/** Per `route:org`: requests this isolate may still admit. */
const leases = new Map<string, Lease>();
/**
 * Per `route:org`: when the lease request in flight began. A marker, not its promise: a
 * request that awaited another request's promise would resume in that request's I/O
 * context, and workerd then refuses it its own body ("Cannot perform I/O on behalf of a
 * different request").
 */
const leasing = new Map<string, number>();
/** A lease request older than this is presumed lost (its request was cancelled). */
const LEASE_WAIT_MS = 1_000;

/** Sets the per-org limit this isolate enforces (tests, and deployments that tune it). */
export function setIngestRateLimit(perSecond: number): void {
  limitPerSecond = perSecond;
  limiters.clear();
  leases.clear();
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

async function lease(env: Bindings, orgId: string, route: string, key: string): Promise<RateDecision> {
  const want = Math.max(1, Math.floor(limitPerSecond / LEASE_DIVISOR));
  let granted: RateLease;
  try {
    granted = await env.OrgRateLimiter.getByName(orgId).take(route, limitPerSecond, want);
  } catch (error) {
    console.error(`rate limiter (OrgRateLimiter ${orgId}) unavailable, admitting:`, (error as Error).message);
    return { ok: true, retryAfterMs: 0 };
  }
  if (granted.granted === 0) return { ok: false, retryAfterMs: granted.retryAfterMs };
  // This request takes one; the rest wait here, for this window only.
  if (granted.granted > 1) leases.set(key, { left: granted.granted - 1, expiresAt: Date.now() + granted.validForMs });
  return { ok: true, retryAfterMs: 0 };
}

async function durableObjectLimit(env: Bindings, orgId: string, route: string): Promise<RateDecision> {
  const key = `${route}:${orgId}`;
  for (;;) {
    const held = leases.get(key);
    if (held && held.left > 0 && Date.now() < held.expiresAt) {
      held.left--;
      return { ok: true, retryAfterMs: 0 };
    }
    // One lease request at a time per org and route: the others poll (on their own
    // timers) until it lands, then use what it brought, so concurrent requests do not
    // each lease a share.
    const since = leasing.get(key);
    if (since !== undefined && Date.now() - since < LEASE_WAIT_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      continue;
    }
    leases.delete(key);
    leasing.set(key, Date.now());
    try {
      return await lease(env, orgId, route, key);
    } finally {
      leasing.delete(key);
    }
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
