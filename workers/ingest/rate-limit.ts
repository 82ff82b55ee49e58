// Per-org request rate limit (requests per second, counted per route: ingest, actuals,
// outcomes) on a one-second sliding window. With Redis configured it is @upstash/ratelimit's
// sliding window in Redis, one call per request; without Redis it is the org's
// OrgRateLimiter Durable Object (durable/org-rate-limiter.ts), which runs the same
// algorithm in memory. Either way every isolate spends one shared budget per org. A
// limiter that is down or errors fails open (logged): ingest is never refused because the
// limiter itself failed.
//
// A busy isolate asks the object for a lease of several requests at a time, counted
// against the org when granted and usable by this isolate until the window ends: one RPC
// per request cost 8–11 % of workerd's CPU in a profile of 1,000-event batches. The lease is
// sized to this isolate's own traffic, a share of its requests in the previous window (and
// at most 1/LEASE_DIVISOR of the limit). The price: what a lease leaves unused at the
// window's end still counts. Near the limit the share is 1/LEASE_SHARE, so an org can be
// refused up to ~1/LEASE_SHARE of its traffic short of its limit; it is never admitted past
// it. While the org's last lease left it at or below half its limit, the share is
// 1/LEASE_SHARE_WITH_HEADROOM: unused leases then inflate the count by at most that share of
// the last second's traffic (half of at most half the limit), so an org that stays under half
// its limit is never refused because of them, and a busy isolate makes about two calls a
// second instead of one per request. In the second an org jumps from under half its limit to
// near it, the big leases taken just before can make it refuse up to a quarter of the limit
// early; the next leases are small again. An isolate with little
// traffic leases one request at a time: exact, as before (a fixed lease size would let many
// quiet isolates waste most of an org's budget).
import { Ratelimit } from "@upstash/ratelimit";
import type { RateDecision, RateLease } from "../../durable/org-rate-limiter.ts";
import type { Bindings } from "../env.ts";
import { InFlight } from "../cache/in-flight.ts";
import { redisFor } from "../clients/redis.ts";
import { DEFAULT_RATE_LIMIT_PER_SECOND } from "./limits.ts";
import { logError } from "../security/log-safe.ts";

let limitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
const limiters = new Map<string, Ratelimit>();

/** A lease is at most this fraction of the limit (at the default 2,000/s: 40 requests). */
export const LEASE_DIVISOR = 50;
/** A lease is at most this fraction of the isolate's requests in the previous window. */
export const LEASE_SHARE = 20;
/** The same while the org's last lease left it at or below half its limit. */
export const LEASE_SHARE_WITH_HEADROOM = 2;

/** This isolate's requests per `route:org` in the current and the previous one-second window. */
interface Traffic {
  slot: number;
  current: number;
  previous: number;
  /** Whether the org's count after this isolate's last lease was at most half the limit. */
  headroom: boolean;
}
const traffic = new Map<string, Traffic>();

/** Counts this request and returns the lease size this isolate's traffic warrants. */
function leaseSize(key: string): number {
  const slot = Math.floor(Date.now() / 1000);
  let t = traffic.get(key);
  if (!t) {
    t = { slot, current: 0, previous: 0, headroom: false };
    traffic.set(key, t);
  }
  if (slot !== t.slot) {
    t.previous = slot === t.slot + 1 ? t.current : 0;
    t.current = 0;
    t.slot = slot;
  }
  t.current++;
  const share = t.headroom ? LEASE_SHARE_WITH_HEADROOM : LEASE_SHARE;
  return Math.max(1, Math.min(Math.floor(limitPerSecond / LEASE_DIVISOR), Math.floor(t.previous / share)));
}

interface Lease {
  left: number;
  expiresAt: number;
}
/** Per `route:org`: requests this isolate may still admit. */
const leases = new Map<string, Lease>();
/** One lease request at a time per `route:org`. */
const leasing = new InFlight(1_000);

/** Sets the per-org limit this isolate enforces (tests, and deployments that tune it). */
export function setIngestRateLimit(perSecond: number): void {
  limitPerSecond = perSecond;
  limiters.clear();
  leases.clear();
  traffic.clear();
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
    logError("rate limiter (redis) unavailable, admitting", error);
    return { ok: true, retryAfterMs: 0 };
  }
}

async function lease(env: Bindings, orgId: string, route: string, key: string, want: number): Promise<RateDecision> {
  let granted: RateLease;
  try {
    granted = await env.OrgRateLimiter.getByName(orgId).take(route, limitPerSecond, want);
  } catch (error) {
    logError(`rate limiter (OrgRateLimiter ${orgId}) unavailable, admitting`, error);
    return { ok: true, retryAfterMs: 0 };
  }
  const t = traffic.get(key);
  if (t) t.headroom = granted.used <= limitPerSecond / 2;
  if (granted.granted === 0) return { ok: false, retryAfterMs: granted.retryAfterMs };
  // This request takes one; the rest wait here, for this window only.
  if (granted.granted > 1) leases.set(key, { left: granted.granted - 1, expiresAt: Date.now() + granted.validForMs });
  return { ok: true, retryAfterMs: 0 };
}

async function durableObjectLimit(env: Bindings, orgId: string, route: string): Promise<RateDecision> {
  const key = `${route}:${orgId}`;
  const want = leaseSize(key);
  // While a lease is in flight the others wait for it and use what it brings, so
  // concurrent requests do not each lease a share.
  return leasing.load(key, {
    fresh: () => {
      const held = leases.get(key);
      if (!held || held.left <= 0 || Date.now() >= held.expiresAt) return undefined;
      held.left--;
      return { ok: true, retryAfterMs: 0 };
    },
    read: () => {
      leases.delete(key);
      return lease(env, orgId, route, key, want);
    },
  });
}

/** Whether the org may make another `route` request now; when not, for how long to wait. */
export async function checkIngestRate(env: Bindings, orgId: string, route: string): Promise<RateVerdict> {
  const redis = redisFor(env);
  const verdict = redis ? await redisLimit(redis, route, `${route}:${orgId}`, Date.now()) : await durableObjectLimit(env, orgId, route);
  if (verdict.ok) return { ok: true };
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  return { ok: false, retryAfterSeconds: seconds, message: `org exceeds ${limitPerSecond} ${route} requests per second; retry after ${seconds} s` };
}
