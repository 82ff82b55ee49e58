// Where retention runs from: the daily cron trigger and `npm start` (workers/scheduled/),
// for every org, and POST /v1/retention/run for the caller's org. Each org's run is
// separate: one that fails is logged (no stored value, workers/security/log-safe.ts)
// and the others still run; the next trigger runs it again.
import { asc } from "drizzle-orm";
import type { MonitorRetention, RetentionRemoved } from "../../durable/monitor/retention.ts";
import { redisFor } from "../clients/redis.ts";
import type { Database } from "../db/client.ts";
import { orgs } from "../db/schema/index.ts";
import type { Bindings } from "../env.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { logError } from "../security/log-safe.ts";
import { runRetention, type RetentionDeps, type RetentionTrigger } from "./run.ts";

export function retentionDeps(env: Bindings, db: Database): RetentionDeps {
  const redis = redisFor(env);
  return {
    db,
    monitor: (orgId, model, version) => ({
      applyRetention: (policy: MonitorRetention) => monitorStub(env, orgId, model, version).applyRetention(policy) as Promise<RetentionRemoved>,
    }),
    ...(redis ? { redis } : {}),
    ...(env.REPORTS ? { reports: env.REPORTS } : {}),
  };
}

/** Runs retention for every org; how many runs failed. */
export async function runRetentionForAll(env: Bindings, db: Database, trigger: RetentionTrigger, now = Date.now()): Promise<number> {
  const deps = retentionDeps(env, db);
  const all = await db.select({ id: orgs.id }).from(orgs).orderBy(asc(orgs.createdAt));
  let failed = 0;
  for (const { id } of all) {
    try {
      await runRetention(deps, id, trigger, { type: "system", id: `retention-${trigger}` }, now);
    } catch (error) {
      failed += 1;
      logError(`retention run for org ${id} failed; the next trigger runs it again`, error);
    }
  }
  return failed;
}
