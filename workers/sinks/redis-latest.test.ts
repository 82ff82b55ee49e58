import { inject, describe, expect, it } from "vitest";
import { Redis } from "@upstash/redis/cloudflare";
import type { AggregateRecord } from "../../durable/monitor/outbox.ts";
import { latestKey, redisLatestSink } from "./redis-latest.ts";

const record = (tick: number): AggregateRecord => ({
  orgId: "org-1", model: "m", version: `v-${Date.now()}`, at: 1_000 + tick, tick, windows: [],
  totals: { events: tick, batches: 1, duplicateBatches: 0, actuals: 0, unmatchedActuals: 0, lastEventAt: null, lateEvents: 0, rejectedEvents: 0 },
});

describe("Redis latest-scores sink (real Redis through the Upstash REST adapter)", () => {
  it("keeps the newest record per model version", async (ctx) => {
    const { upstashUrl, upstashToken } = inject("services");
    if (!upstashUrl) return ctx.skip();
    const redis = new Redis({ url: upstashUrl, token: upstashToken });
    const first = record(1);
    const second = { ...record(2), version: first.version };
    await redisLatestSink(redis).send([first, second]);
    const stored = await redis.get<AggregateRecord>(latestKey("org-1", "m", first.version));
    expect(stored).toMatchObject({ tick: 2, totals: { events: 2 } });
    expect(await redis.ttl(latestKey("org-1", "m", first.version))).toBeGreaterThan(0);
  });
});
