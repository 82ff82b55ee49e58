// The failed-sign-in limits on their own (the routes' end-to-end checks are in
// workers/routes/sessions.test.ts): 5 failures per email and address, 20 per email from
// anywhere, within 15 minutes of the first; counted in Redis when there is one (a double
// here, recording its calls), else per isolate, with the isolate map capped at 10,000.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { assertSignInAllowed, clearIsolateSignInFailures, MAX_FAILURES, MAX_FAILURES_PER_ACCOUNT, recordSignInFailure, WINDOW_S, type FailureCounterRedis } from "./sign-in-limit.ts";

const env = {} as Bindings;
const T0 = Date.UTC(2026, 0, 1);

beforeEach(() => clearIsolateSignInFailures());
afterEach(() => vi.useRealTimers());

/** The refusal, or undefined when the sign-in may go ahead. */
async function refusal(email: string, ip: string | undefined, redis?: FailureCounterRedis): Promise<ApiError | undefined> {
  try {
    await assertSignInAllowed(env, email, ip, redis);
    return undefined;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
}

async function fail(times: number, email: string, ip: string | undefined, redis?: FailureCounterRedis): Promise<void> {
  for (let i = 0; i < times; i++) await recordSignInFailure(env, email, ip, redis);
}

function at(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
}

describe("isolate counters (no Redis)", () => {
  it("allows 4 failures from one address and refuses the 5th with a 429 naming the wait", async () => {
    expect(MAX_FAILURES).toBe(5);
    await fail(4, "alice@example.test", "198.51.100.1");
    expect(await refusal("alice@example.test", "198.51.100.1")).toBeUndefined();
    await fail(1, "alice@example.test", "198.51.100.1");
    const err = await refusal("alice@example.test", "198.51.100.1");
    expect(err?.status).toBe(429);
    expect(err?.code).toBe("rate_limited");
    expect(err?.message).toBe("too many failed sign-ins for alice@example.test; try again in up to 15 minutes");
    expect(err?.details).toEqual({ retry_after_s: 900 });
    // Another address for the same email, and another email from this address, still may try.
    expect(await refusal("alice@example.test", "198.51.100.2")).toBeUndefined();
    expect(await refusal("bob@example.test", "198.51.100.1")).toBeUndefined();
  });

  it("counts an email however it is cased or padded as the same account", async () => {
    await fail(5, "  Carol@Example.TEST ", "198.51.100.1");
    expect((await refusal("carol@example.test", "198.51.100.1"))?.message).toBe("too many failed sign-ins for carol@example.test; try again in up to 15 minutes");
  });

  it("counts a request without an address under one shared 'unknown' address", async () => {
    await fail(5, "dan@example.test", undefined);
    expect((await refusal("dan@example.test", undefined))?.status).toBe(429);
    expect(await refusal("dan@example.test", "198.51.100.1")).toBeUndefined();
  });

  it("refuses the account from every address once 20 failures came from rotating addresses", async () => {
    expect(MAX_FAILURES_PER_ACCOUNT).toBe(20);
    for (let i = 0; i < 19; i++) await fail(1, "erin@example.test", `203.0.113.${i}`);
    expect(await refusal("erin@example.test", "203.0.113.200")).toBeUndefined();
    await fail(1, "erin@example.test", "203.0.113.19");
    expect((await refusal("erin@example.test", "203.0.113.200"))?.status).toBe(429);
    expect(await refusal("frank@example.test", "203.0.113.200")).toBeUndefined();
  });

  it("forgets the failures at the end of the 15-minute window that started with the first", async () => {
    expect(WINDOW_S).toBe(900);
    at(T0);
    await fail(4, "gina@example.test", "198.51.100.1");
    at(T0 + 600_000);
    await fail(1, "gina@example.test", "198.51.100.1");
    at(T0 + WINDOW_S * 1000 - 1);
    expect((await refusal("gina@example.test", "198.51.100.1"))?.status).toBe(429);
    at(T0 + WINDOW_S * 1000);
    expect(await refusal("gina@example.test", "198.51.100.1")).toBeUndefined();
    // A failure after the window starts a new count at 1, not at 6.
    await fail(4, "gina@example.test", "198.51.100.1");
    expect(await refusal("gina@example.test", "198.51.100.1")).toBeUndefined();
    await fail(1, "gina@example.test", "198.51.100.1");
    expect((await refusal("gina@example.test", "198.51.100.1"))?.status).toBe(429);
  });

  it("when 10,000 counters are held, drops the oldest to make room for a new one, not before", async () => {
    await fail(5, "victim@example.test", "198.51.100.1"); // the two oldest counters
    for (let i = 0; i < 4_999; i++) await fail(1, `filler-${i}@example.test`, "198.51.100.9");
    expect((await refusal("victim@example.test", "198.51.100.1"))?.status).toBe(429);
    // One more counter (a known email from a new address: its account counter exists) takes
    // the place of the oldest, the victim's per-address one, so the map never holds 10,001.
    await fail(1, "filler-0@example.test", "198.51.100.10");
    expect(await refusal("victim@example.test", "198.51.100.1")).toBeUndefined();
    expect(await refusal("newcomer@example.test", "198.51.100.9")).toBeUndefined();
  });

  it("when full, drops counters whose window ended (at that very instant) before any live one", async () => {
    at(T0);
    await fail(1, "victim@example.test", "198.51.100.1"); // the two oldest counters
    at(T0 + 1);
    for (let i = 0; i < 4_995; i++) await fail(1, `filler-${i}@example.test`, "198.51.100.9"); // 9,990 counters
    // Every window has ended; the victim's counters restart where they sit, first in the map.
    at(T0 + 1 + WINDOW_S * 1000);
    await fail(5, "victim@example.test", "198.51.100.1");
    for (let i = 0; i < 4; i++) await fail(1, `late-${i}@example.test`, "198.51.100.9"); // 10,000 counters
    // A new counter: the fillers' windows ended at this instant, so they go, not the victim.
    await fail(1, "newcomer@example.test", "198.51.100.9");
    expect((await refusal("victim@example.test", "198.51.100.1"))?.status).toBe(429);
  });
});

/** Redis as the counters see it, in memory, recording each call; `down` makes every call throw. */
function memoryRedis() {
  const values = new Map<string, number>();
  const calls: string[] = [];
  const state = { down: false };
  const redis: FailureCounterRedis = {
    async get<T>(key: string) {
      calls.push(`get ${key}`);
      if (state.down) throw new Error("redis unavailable");
      return (values.get(key) ?? null) as T | null;
    },
    async incr(key: string) {
      calls.push(`incr ${key}`);
      if (state.down) throw new Error("redis unavailable");
      const n = (values.get(key) ?? 0) + 1;
      values.set(key, n);
      return n;
    },
    async expire(key: string, seconds: number) {
      calls.push(`expire ${key} ${seconds}`);
      return 1;
    },
  };
  return { redis, values, calls, state };
}

describe("Redis counters", () => {
  it("counts per (email, address) and per email, setting the 15-minute expiry on the first failure only", async () => {
    const { redis, calls } = memoryRedis();
    await fail(2, " Hana@Example.test", "198.51.100.1", redis);
    expect(calls).toEqual([
      "incr vigil:signin-fail:hana@example.test:198.51.100.1",
      "incr vigil:signin-fail-account:hana@example.test",
      "expire vigil:signin-fail:hana@example.test:198.51.100.1 900",
      "expire vigil:signin-fail-account:hana@example.test 900",
      "incr vigil:signin-fail:hana@example.test:198.51.100.1",
      "incr vigil:signin-fail-account:hana@example.test",
    ]);
    calls.length = 0;
    await recordSignInFailure(env, "ivan@example.test", undefined, redis);
    expect(calls).toContain("incr vigil:signin-fail:ivan@example.test:unknown");
  });

  it("refuses from the Redis counts, which every isolate shares", async () => {
    const { redis, values, calls } = memoryRedis();
    expect(await refusal("jo@example.test", "198.51.100.1", redis)).toBeUndefined();
    expect(calls).toEqual(["get vigil:signin-fail:jo@example.test:198.51.100.1", "get vigil:signin-fail-account:jo@example.test"]);
    values.set("vigil:signin-fail:jo@example.test:198.51.100.1", 4);
    expect(await refusal("jo@example.test", "198.51.100.1", redis)).toBeUndefined();
    values.set("vigil:signin-fail:jo@example.test:198.51.100.1", 5);
    expect((await refusal("jo@example.test", "198.51.100.1", redis))?.status).toBe(429);
    values.set("vigil:signin-fail:jo@example.test:198.51.100.1", 0);
    values.set("vigil:signin-fail-account:jo@example.test", 19);
    expect(await refusal("jo@example.test", "198.51.100.1", redis)).toBeUndefined();
    values.set("vigil:signin-fail-account:jo@example.test", 20);
    expect((await refusal("jo@example.test", "198.51.100.2", redis))?.status).toBe(429);
    // Nothing was counted in the isolate while Redis answered.
    expect(await refusal("jo@example.test", "198.51.100.1")).toBeUndefined();
  });

  it("falls back to the isolate's counters while Redis fails, rather than admitting every guess", async () => {
    const { redis, state } = memoryRedis();
    state.down = true;
    await fail(5, "kim@example.test", "198.51.100.1", redis);
    expect((await refusal("kim@example.test", "198.51.100.1", redis))?.status).toBe(429);
    expect((await refusal("kim@example.test", "198.51.100.1"))?.status).toBe(429);
  });
});
