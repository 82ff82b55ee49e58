// One retention run for an org: every store where its data lives is pruned to the
// policy (the org's, with each model's overrides), and the run is audited with what
// each store removed. Stores go in this order, each on its own, so one that fails (a
// monitor that does not answer, Redis down, an audit prefix that does not verify) is
// reported in `errors` and retried by the next run while the others still prune:
//   1. every model version's ModelMonitor (durable/monitor/retention.ts), which also
//      keeps the policy so its alarm prunes by it between runs
//   2. Postgres tables (postgres.ts)
//   3. Redis latest summaries (redis.ts)
//   4. the audit log, exported then dropped by whole prefixes (audit-prune.ts)
// Postgres itself down fails the run (nothing can be read or audited); it is logged and
// the next trigger runs it again. Every step is idempotent, so a repeated run removes
// only what has aged out since.
import type { Redis } from "@upstash/redis/cloudflare";
import { eq } from "drizzle-orm";
import type { MonitorRetention, RetentionRemoved } from "../../durable/monitor/retention.ts";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Database } from "../db/client.ts";
import { models, modelVersions } from "../db/schema/index.ts";
import { describeError } from "../security/log-safe.ts";
import { AuditChainBroken, pruneAudit, type AuditExportSummary } from "./audit-prune.ts";
import { effectiveFor } from "./policy.ts";
import { prunePostgres } from "./postgres.ts";
import { pruneRedis } from "./redis.ts";
import { modelOverrides, orgPolicy } from "./store.ts";

export type RetentionTrigger = "schedule" | "start" | "api";

export interface RetentionDeps {
  db: Database;
  monitor: (orgId: string, model: string, version: string) => { applyRetention(policy: MonitorRetention): Promise<RetentionRemoved> };
  redis?: Redis;
  /** R2 for audit exports (deployed environments); without it they stay in Postgres. */
  reports?: R2Bucket;
}

export interface RetentionRunResult {
  removed: Record<string, number>;
  audit_exports: AuditExportSummary[];
  errors: string[];
  ran_at: string;
}

const MONITOR_STORES = ["predictions", "actuals", "baseline_events", "hour_aggregates"] as const;

async function versionsOf(db: Database, orgId: string) {
  return db
    .select({ modelId: models.id, model: models.name, version: modelVersions.version })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(eq(modelVersions.orgId, orgId))
    .orderBy(models.name, modelVersions.version);
}

const reason = (what: string, error: unknown) => {
  const d = describeError(error);
  return `${what}: ${error instanceof AuditChainBroken ? error.message : d}`;
};

export async function runRetention(deps: RetentionDeps, orgId: string, trigger: RetentionTrigger, actor: AuditActor, now = Date.now()): Promise<RetentionRunResult> {
  const { db } = deps;
  const policy = (await orgPolicy(db, orgId)).days;
  const overrides = await modelOverrides(db, orgId);
  const versions = await versionsOf(db, orgId);
  const removed: Record<string, number> = Object.fromEntries(MONITOR_STORES.map((s) => [s, 0]));
  const errors: string[] = [];

  for (const v of versions) {
    const days = effectiveFor(policy, overrides.get(v.modelId) ?? {});
    try {
      const got = await deps.monitor(orgId, v.model, v.version).applyRetention({ rawEventsDays: days.raw_events_days, labelsDays: days.labels_days, aggregatesDays: days.aggregates_days });
      for (const s of MONITOR_STORES) removed[s]! += got[s] ?? 0;
    } catch (error) {
      errors.push(reason(`monitor ${v.model} ${v.version}`, error));
    }
  }

  const modelNames = new Map(versions.map((v) => [v.modelId, v.model]));
  const scopes = [...overrides].filter(([id]) => modelNames.has(id)).map(([id, o]) => ({ name: modelNames.get(id)!, overrides: o }));
  Object.assign(removed, await prunePostgres(db, orgId, policy, scopes, now));

  removed.redis = 0;
  if (deps.redis) {
    try {
      const scoped = versions.map((v) => ({ model: v.model, version: v.version, aggregatesDays: effectiveFor(policy, overrides.get(v.modelId) ?? {}).aggregates_days }));
      removed.redis = await pruneRedis(deps.redis, orgId, scoped, now);
    } catch (error) {
      errors.push(reason("redis", error));
    }
  }

  let exports: AuditExportSummary[] = [];
  try {
    exports = await pruneAudit(db, orgId, policy.audit_days, now, deps.reports);
  } catch (error) {
    errors.push(reason("audit log", error));
  }
  removed.audit_log = exports.reduce((n, e) => n + e.records, 0);

  const ranAt = new Date(now).toISOString();
  await recordAudit(db, actor, {
    orgId,
    action: "retention.run",
    targetType: "retention_policy",
    targetId: orgId,
    details: { trigger, removed, policy, model_overrides: scopes.length, audit_exports: exports.map((e) => e.id), errors },
  });
  return { removed, audit_exports: exports, errors, ran_at: ranAt };
}
