// Retention in Redis (real Redis through the Upstash REST adapter): latest summaries older
// than their version's aggregates retention go, fresh ones and other orgs' stay.
import { Redis } from "@upstash/redis/cloudflare";
import { describe, expect, inject, it } from "vitest";
import type { AggregateRecord } from "../../durable/monitor/outbox.ts";
import { latestKey, redisLatestSink } from "../sinks/redis-latest.ts";
import { pruneRedis } from "./redis.ts";

const DAY = 86_400_000;
const record = (orgId: string, version: string, at: number): AggregateRecord => ({
  orgId, model: "m", version, at, tick: 1, windows: [],
  totals: { events: 1, batches: 1, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: null, lateEvents: 0, rejectedEvents: 0 },
});

describe("Redis retention", () => {
  it("deletes latest summaries older than each version's aggregates retention", async (ctx) => {
    const { upstashUrl, upstashToken } = inject("services");
    if (!upstashUrl) return ctx.skip("no Redis on this machine");
    const redis = new Redis({ url: upstashUrl, token: upstashToken });
    const org = crypto.randomUUID();
    const other = crypto.randomUUID();
    const now = Date.now();
    await redisLatestSink(redis).send([record(org, "old", now - 3 * DAY), record(org, "fresh", now - DAY / 2), record(org, "long", now - 3 * DAY), record(other, "old", now - 3 * DAY)]);
    const removed = await pruneRedis(redis, org, [
      { model: "m", version: "old", aggregatesDays: 2 },
      { model: "m", version: "fresh", aggregatesDays: 2 },
      { model: "m", version: "long", aggregatesDays: 30 },
      { model: "m", version: "never-written", aggregatesDays: 1 },
    ], now);
    expect(removed).toBe(1);
    expect(await redis.exists(latestKey(org, "m", "old"))).toBe(0);
    expect(await redis.exists(latestKey(org, "m", "fresh"), latestKey(org, "m", "long"), latestKey(other, "m", "old"))).toBe(3);
  });
});
