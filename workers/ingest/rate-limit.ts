// Per-org ingest rate limit (requests per second). With Redis configured it is shared
// by every isolate through @upstash/ratelimit's sliding window; without Redis each
// isolate keeps its own sliding-window counters (a single isolate under `npm start`,
// so the limit is exact locally). A Redis outage fails open: ingest is never refused
// because the limiter itself is down.
import { Ratelimit } from "@upstash/ratelimit";
import type { Bindings } from "../env.ts";
import { redisFor } from "../sinks/redis.ts";
import { DEFAULT_RATE_LIMIT_PER_SECOND } from "./limits.ts";

let limitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
const limiters = new Map<string, Ratelimit>();
const local = new Map<string, { second: number; current: number; previous: number }>();

/** Sets the per-org limit in this isolate (tests, and deployments that tune it). */
export function setIngestRateLimit(perSecond: number): void {
  limitPerSecond = perSecond;
  limiters.clear();
  local.clear();
}

function localLimit(key: string, now: number): { ok: boolean; retryAfterMs: number } {
  const second = Math.floor(now / 1000);
  let entry = local.get(key);
  if (!entry || entry.second < second - 1) entry = { second, current: 0, previous: 0 };
  else if (entry.second === second - 1) entry = { second, current: 0, previous: entry.current };
  local.set(key, entry);
  // Sliding window: the previous second weighs by how much of it still overlaps.
  const weight = 1 - (now % 1000) / 1000;
  if (entry.current + entry.previous * weight >= limitPerSecond) return { ok: false, retryAfterMs: 1000 - (now % 1000) };
  entry.current++;
  return { ok: true, retryAfterMs: 0 };
}

export type RateVerdict = { ok: true } | { ok: false; retryAfterSeconds: number; message: string };

/** Whether the org may make another `route` request now; when not, for how long to wait. */
export async function checkIngestRate(env: Bindings, orgId: string, route: string): Promise<RateVerdict> {
  const key = `${route}:${orgId}`;
  const now = Date.now();
  const redis = redisFor(env);
  let verdict: { ok: boolean; retryAfterMs: number };
  if (redis) {
    let limiter = limiters.get(route);
    if (!limiter) {
      limiter = new Ratelimit({ redis, limiter: Ratelimit.slidingWindow(limitPerSecond, "1 s"), prefix: "vigil:ratelimit", ephemeralCache: false });
      limiters.set(route, limiter);
    }
    try {
      const r = await limiter.limit(key);
      verdict = { ok: r.success, retryAfterMs: Math.max(0, r.reset - now) };
    } catch (error) {
      console.error("rate limiter (redis) unavailable, admitting:", (error as Error).message);
      verdict = { ok: true, retryAfterMs: 0 };
    }
  } else {
    verdict = localLimit(key, now);
  }
  if (verdict.ok) return { ok: true };
  const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
  return { ok: false, retryAfterSeconds: seconds, message: `org exceeds ${limitPerSecond} ${route} requests per second; retry after ${seconds} s` };
}
