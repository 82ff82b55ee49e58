// Retention in Redis: the only record Vigil keeps there per model version is its latest
// window summary (`vigil:latest:…`, workers/sinks/redis-latest.ts, 7-day TTL). A summary
// older than the version's aggregates retention is deleted (a version still sending
// writes a fresh one within seconds). API-key cache entries, rate-limit and sign-in
// counters expire on their own within minutes to hours and hold no monitored data.
import type { Redis } from "@upstash/redis/cloudflare";
import type { AggregateRecord } from "../../durable/monitor/outbox.ts";
import { latestKey } from "../sinks/redis-latest.ts";
import { DAY_MS } from "./policy.ts";

const PIPELINE = 100;

export interface VersionScope {
  model: string;
  version: string;
  aggregatesDays: number;
}

/** Deletes latest-score summaries older than their version's aggregates retention; how many went. */
export async function pruneRedis(redis: Redis, orgId: string, versions: readonly VersionScope[], now: number): Promise<number> {
  let removed = 0;
  for (let i = 0; i < versions.length; i += PIPELINE) {
    const chunk = versions.slice(i, i + PIPELINE);
    const keys = chunk.map((v) => latestKey(orgId, v.model, v.version));
    const records = await redis.mget<(AggregateRecord | null)[]>(...keys);
    const stale = keys.filter((_, j) => {
      const at = records[j]?.at;
      return typeof at === "number" && at < now - chunk[j]!.aggregatesDays * DAY_MS;
    });
    if (stale.length > 0) removed += await redis.del(...stale);
  }
  return removed;
}
