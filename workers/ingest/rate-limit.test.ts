import { runInDurableObject } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import type { OrgRateLimiter } from "../../durable/org-rate-limiter.ts";
import { createApp } from "../app.ts";
import type { Bindings } from "../env.ts";
import { seedKey, seedOrg, testEnv, withDb } from "../testing/seed.ts";
import { DEFAULT_RATE_LIMIT_PER_SECOND } from "./limits.ts";
import { checkIngestRate, setIngestRateLimit } from "./rate-limit.ts";

afterEach(() => {
  setIngestRateLimit(DEFAULT_RATE_LIMIT_PER_SECOND);
  vi.restoreAllMocks();
});

let counter = 0;
const freshOrg = () => `00000000-rate-${Date.now()}-${++counter}`;

/** Waits for the start of the next one-second window, so a short burst stays inside one. */
async function startOfWindow(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 5));
}

/**
 * Holds the org's limiter object in one window however long a burst takes: 150 requests
 * through one-at-a-time leases can outlast a second on a loaded machine, and a burst that
 * spills into the next window is judged on two. Leases still lapse on the real clock and are
 * taken again, counted in the same frozen window.
 */
async function freezeLimiterClock(org: string): Promise<void> {
  const at = Math.floor(Date.now() / 1_000) * 1_000 + 1;
  await runInDurableObject(testEnv.OrgRateLimiter.getByName(org), (instance: OrgRateLimiter) => {
    instance.clock = () => at;
  });
}

function redisEnv(): Bindings | undefined {
  const { upstashUrl, upstashToken } = inject("services");
  return upstashUrl ? { ...testEnv, UPSTASH_REDIS_REST_URL: upstashUrl, UPSTASH_REDIS_REST_TOKEN: upstashToken } : undefined;
}

describe("checkIngestRate", () => {
  it.for([
    ["without Redis (OrgRateLimiter)", () => testEnv],
    ["with Redis (@upstash/ratelimit)", redisEnv],
  ] as const)("admits exactly the limit in a window and then answers 429's wait and message, %s", async ([, envFor], ctx) => {
    const env = envFor();
    if (!env) return ctx.skip();
    setIngestRateLimit(4);
    const org = freshOrg();
    await startOfWindow();
    const verdicts = await Promise.all(Array.from({ length: 10 }, () => checkIngestRate(env, org, "ingest")));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(4);
    expect(verdicts.find((v) => !v.ok)).toEqual({ ok: false, retryAfterSeconds: 1, message: "org exceeds 4 ingest requests per second; retry after 1 s" });
    expect((await checkIngestRate(env, org, "actuals")).ok).toBe(true); // routes count apart
  });

  it.for([
    [5, 12],
    [100, 150],
  ] as const)("shares one budget per org between isolates: a fresh copy of this module spends the same budget (limit %i, %i requests)", async ([limit, requests]) => {
    // A fresh module instance has none of this one's state, as in another isolate.
    vi.resetModules();
    const other = await import("./rate-limit.ts");
    expect(other.checkIngestRate).not.toBe(checkIngestRate);
    setIngestRateLimit(limit);
    other.setIngestRateLimit(limit);
    const org = freshOrg();
    await freezeLimiterClock(org);
    const verdicts = await Promise.all(Array.from({ length: requests }, (_, i) => (i % 2 ? other.checkIngestRate : checkIngestRate)(testEnv, org, "ingest")));
    expect(verdicts.filter((v) => v.ok)).toHaveLength(limit);
  });

  it("leases in proportion to this isolate's traffic: one request at a time when quiet, half the last window's while the org has headroom, a twentieth near its limit", async () => {
    let calls = 0;
    const counting = {
      ...testEnv,
      OrgRateLimiter: { getByName: (name: string) => (calls++, testEnv.OrgRateLimiter.getByName(name)) },
    } as unknown as Bindings;
    const burst = async (org: string, n: number) => {
      const before = calls;
      for (let i = 0; i < n; i++) expect((await checkIngestRate(counting, org, "ingest")).ok).toBe(true);
      return calls - before;
    };
    // Far below the limit: leases of half the last window's requests.
    setIngestRateLimit(100_000);
    const quiet = freshOrg();
    await startOfWindow();
    expect(await burst(quiet, 200)).toBe(200); // no traffic before: one request per call
    await startOfWindow();
    expect(await burst(quiet, 250)).toBe(3); // 200 last window: leases of 100 (100 + 100 + 50 of the third)
    await startOfWindow();
    expect(await burst(quiet, 5)).toBe(1); // 250 last window: one lease of 125 covers all five

    // Past half the limit (200/s: 100): leases of a twentieth, at most limit / LEASE_DIVISOR = 4.
    setIngestRateLimit(200);
    const busy = freshOrg();
    await startOfWindow();
    expect(await burst(busy, 150)).toBe(150);
    await startOfWindow();
    expect(await burst(busy, 20)).toBe(5); // 150 last window, and the org near its limit: leases of 4
  });

  it("fails open, and logs, when the limiter object errors", async () => {
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = {
      ...testEnv,
      OrgRateLimiter: { getByName: () => ({ take: () => Promise.reject(new Error("object reset")) }) },
    } as unknown as Bindings;
    setIngestRateLimit(0);
    expect(await checkIngestRate(broken, "org-1", "ingest")).toEqual({ ok: true });
    // Logged through logError (security/log-safe.ts): the context, then the error described without secrets.
    expect(error).toHaveBeenCalledTimes(1);
    expect(String(error.mock.calls[0]![0])).toMatch(/^rate limiter \(OrgRateLimiter org-1\) unavailable, admitting: Error: object reset/);
  });
});

describe("rate-limited routes without Redis", () => {
  // This module's app: `exports.default` runs its own copy of rate-limit.ts, which would
  // not see setIngestRateLimit.
  const app = createApp();
  let key = "";
  const post = (route: string) => app.request(`/v1/${route}`, {
    method: "POST", body: "{}", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
  }, testEnv);

  beforeAll(async () => {
    key = await withDb(async (db) => (await seedKey(db, (await seedOrg(db)).orgId, ["ingest"])).key);
    // Warm the key cache, so that the timed bursts below make no Postgres round trip. At a
    // limit of 1 the warm-up leases one request, not a default lease of 40 that would still
    // weigh on the next window of the tests' limit of 2.
    setIngestRateLimit(1);
    expect((await post("ingest")).status).toBe(400);
  });

  it.each(["ingest", "actuals", "outcomes"])("POST /v1/%s answers 429 with Retry-After once the org is over its limit", async (route) => {
    setIngestRateLimit(2);
    await startOfWindow();
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 3; i++) {
      const res = await post(route);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
      else await res.body?.cancel();
    }
    expect(statuses.slice(0, 2)).not.toContain(429);
    expect(statuses[2]).toBe(429);
    expect(limited!.headers.get("retry-after")).toBe("1");
    expect(await limited!.json()).toEqual({
      error: { code: "rate_limited", message: `org exceeds 2 ${route} requests per second; retry after 1 s`, details: { retry_after_seconds: 1 } },
    });
  });
});
