import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../workers/testing/seed.ts";
import { SlidingWindow, type OrgRateLimiter } from "./org-rate-limiter.ts";

/** Hits `window` `n` times at `now`; returns how many were admitted. */
function admitted(window: SlidingWindow, now: number, limit: number, n: number): number {
  let ok = 0;
  for (let i = 0; i < n; i++) if (window.hit(now, limit).ok) ok++;
  return ok;
}

describe("SlidingWindow", () => {
  it("admits exactly `limit` requests in a window, does not count refusals, and says when the window ends", () => {
    const w = new SlidingWindow(1_000);
    for (let i = 0; i < 5; i++) expect(w.hit(10_000 + i, 5)).toEqual({ ok: true, retryAfterMs: 0 });
    expect(w.hit(10_005, 5)).toEqual({ ok: false, retryAfterMs: 995 });
    expect(w.hit(10_999, 5)).toEqual({ ok: false, retryAfterMs: 1 });
    // The refusals above were not counted: the next window sees exactly 5 before it.
    // At 11,500 half of the previous window still overlaps: floor(5 × 0.5) = 2 are charged.
    expect(admitted(w, 11_500, 5, 10)).toBe(3);
  });

  it("weighs the previous window by how much of it still overlaps (floored, as upstash does)", () => {
    const w = new SlidingWindow(1_000);
    expect(admitted(w, 10_000, 10, 10)).toBe(10);
    expect(admitted(w, 11_250, 10, 10)).toBe(3); // floor(10 × 0.75) = 7 charged
    expect(admitted(w, 11_500, 10, 10)).toBe(2); // 5 charged, 3 already taken
    expect(admitted(w, 11_750, 10, 10)).toBe(3); // 2 charged, 5 already taken
    expect(w.hit(11_750, 10)).toEqual({ ok: false, retryAfterMs: 250 });
  });

  it("forgets windows older than the previous one, and honours the limit each caller passes", () => {
    const w = new SlidingWindow(1_000);
    expect(admitted(w, 10_000, 4, 10)).toBe(4);
    expect(admitted(w, 12_000, 4, 10)).toBe(4); // window 11 was empty: nothing carries over
    expect(admitted(w, 12_100, 6, 10)).toBe(2); // a higher limit admits the difference
    expect(w.hit(12_100, 1).ok).toBe(false);
  });

  it("stays in the newest window when the clock steps back", () => {
    const w = new SlidingWindow(1_000);
    expect(admitted(w, 12_000, 2, 2)).toBe(2);
    expect(w.hit(11_900, 2)).toEqual({ ok: false, retryAfterMs: 1_100 });
  });

  it("grants a lease of what `want` hits in a row would admit, counts it at once, and says how long it lasts", () => {
    const w = new SlidingWindow(1_000);
    expect(w.take(10_200, 10, 4)).toEqual({ granted: 4, retryAfterMs: 0, validForMs: 800, used: 4 });
    expect(w.take(10_300, 10, 4)).toEqual({ granted: 4, retryAfterMs: 0, validForMs: 700, used: 8 });
    expect(w.take(10_400, 10, 4)).toEqual({ granted: 2, retryAfterMs: 0, validForMs: 600, used: 10 }); // only 2 left
    expect(w.take(10_500, 10, 4)).toEqual({ granted: 0, retryAfterMs: 500, validForMs: 500, used: 10 });
    expect(w.hit(10_500, 10).ok).toBe(false);
    // Next window at 11,500: half of the 10 leased still weighs (5); 5 are left.
    expect(w.take(11_500, 10, 8)).toEqual({ granted: 5, retryAfterMs: 0, validForMs: 500, used: 10 });
  });

  it("rejects a window shorter than a millisecond", () => {
    expect(() => new SlidingWindow(0)).toThrow("windowMs must be a finite number >= 1: 0");
  });
});

let counter = 0;
const freshOrg = () => `rate-org-${Date.now()}-${++counter}`;

async function pinClock(stub: DurableObjectStub<OrgRateLimiter>, now: number): Promise<void> {
  await runInDurableObject(stub, (instance: OrgRateLimiter) => {
    instance.clock = () => now;
  });
}

describe("OrgRateLimiter", () => {
  it("keeps one window per route and applies the limit passed with each call", async () => {
    const stub = testEnv.OrgRateLimiter.getByName(freshOrg());
    await pinClock(stub, 50_000);
    const ingest = await Promise.all(Array.from({ length: 5 }, () => stub.hit("ingest", 3)));
    expect(ingest.filter((d) => d.ok)).toHaveLength(3);
    expect(ingest.filter((d) => !d.ok)).toEqual([{ ok: false, retryAfterMs: 1_000 }, { ok: false, retryAfterMs: 1_000 }]);
    expect(await stub.hit("actuals", 3)).toEqual({ ok: true, retryAfterMs: 0 });
    expect((await stub.hit("ingest", 4)).ok).toBe(true);
  });

  it("counts every caller of one org against one budget, exactly, and other orgs apart", async () => {
    const org = freshOrg();
    // Separate stubs stand for separate isolates: each reaches the same object by name.
    const first = testEnv.OrgRateLimiter.getByName(org);
    const second = testEnv.OrgRateLimiter.get(testEnv.OrgRateLimiter.idFromName(org));
    await pinClock(first, 80_000);
    const decisions = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first : second).hit("ingest", 7)));
    expect(decisions.filter((d) => d.ok)).toHaveLength(7);
    expect((await second.hit("ingest", 7)).ok).toBe(false);

    const other = testEnv.OrgRateLimiter.getByName(freshOrg());
    await pinClock(other, 80_000);
    expect((await other.hit("ingest", 7)).ok).toBe(true);
  });

  it("leases from the same budget as single hits", async () => {
    const stub = testEnv.OrgRateLimiter.getByName(freshOrg());
    await pinClock(stub, 90_250);
    expect(await stub.take("ingest", 10, 6)).toEqual({ granted: 6, retryAfterMs: 0, validForMs: 750, used: 6 });
    expect(await stub.take("ingest", 10, 6)).toEqual({ granted: 4, retryAfterMs: 0, validForMs: 750, used: 10 });
    expect(await stub.hit("ingest", 10)).toEqual({ ok: false, retryAfterMs: 750 });
  });
});
