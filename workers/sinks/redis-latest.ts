// Outbox sink: the latest scores per model version in Redis, for readers that want
// "now" without asking the Durable Object (a fleet overview, other services).
// Key `vigil:latest:<orgId>:<model>:<version>` holds the newest record as JSON.
import type { Redis } from "@upstash/redis/cloudflare";
import type { AggregateRecord, Sink } from "../../durable/monitor/outbox.ts";

export const latestKey = (orgId: string, model: string, version: string) => `vigil:latest:${orgId}:${model}:${version}`;
const TTL_S = 7 * 24 * 3600;

export function redisLatestSink(redis: Redis): Sink {
  return {
    name: "redis",
    async send(records) {
      const newest = new Map<string, AggregateRecord>();
      for (const r of records) newest.set(latestKey(r.orgId, r.model, r.version), r);
      const pipeline = redis.pipeline();
      for (const [key, record] of newest) pipeline.set(key, JSON.stringify(record), { ex: TTL_S });
      await pipeline.exec();
    },
  };
}
