import { Ratelimit } from "@upstash/ratelimit";
import { Redis } from "@upstash/redis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startUpstashAdapter, type UpstashAdapter } from "./upstash-adapter.ts";

// Talks to the real redis-server every machine runs; the key prefix keeps runs apart.
const prefix = `vigil-test:${process.pid}:${Date.now()}:`;
let adapter: UpstashAdapter;
let redis: Redis;

beforeAll(async () => {
  adapter = await startUpstashAdapter({ redisUrl: process.env.VIGIL_TEST_REDIS ?? "redis://127.0.0.1:6379", token: "t0k3n" });
  redis = new Redis({ url: adapter.url, token: adapter.token, retry: false });
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await adapter.close();
});

describe("Upstash REST adapter", () => {
  it("round-trips strings, numbers, JSON and non-ASCII text through @upstash/redis (base64 responses)", async () => {
    await redis.set(`${prefix}s`, "héllo wörld ✓");
    expect(await redis.get(`${prefix}s`)).toBe("héllo wörld ✓");
    await redis.set(`${prefix}j`, { a: 1, b: ["x"] });
    expect(await redis.get(`${prefix}j`)).toEqual({ a: 1, b: ["x"] });
    expect(await redis.incrby(`${prefix}n`, 5)).toBe(5);
    expect(await redis.ping()).toBe("PONG");
    expect(await redis.get(`${prefix}missing`)).toBeNull();
  });

  it("runs pipelines and multi-exec transactions in order", async () => {
    const p = redis.pipeline();
    p.set(`${prefix}p1`, "a");
    p.incr(`${prefix}p2`);
    p.get(`${prefix}p1`);
    expect(await p.exec()).toEqual(["OK", 1, "a"]);
    const tx = redis.multi();
    tx.incr(`${prefix}p2`);
    tx.incr(`${prefix}p2`);
    expect(await tx.exec()).toEqual([2, 3]);
  });

  it("reports Redis errors as errors", async () => {
    await redis.set(`${prefix}str`, "not a number");
    await expect(redis.incr(`${prefix}str`)).rejects.toThrow(/not an integer/);
  });

  it("rejects a wrong token with 401", async () => {
    const res = await fetch(adapter.url, { method: "POST", headers: { authorization: "Bearer nope" }, body: '["PING"]' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: "Unauthorized" });
  });

  it("runs @upstash/ratelimit's Lua scripts on Redis 7.0 (shebang stripped) and enforces the limit", async () => {
    const limiter = new Ratelimit({ redis, limiter: Ratelimit.fixedWindow(3, "60 s"), prefix: `${prefix}rl` });
    const results = [];
    for (let i = 0; i < 5; i++) results.push((await limiter.limit("org-1")).success);
    expect(results).toEqual([true, true, true, false, false]);
    // A different identifier has its own budget.
    expect((await limiter.limit("org-2")).success).toBe(true);
  });
});
