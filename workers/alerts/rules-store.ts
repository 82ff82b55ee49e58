// Alert rules in Postgres ↔ the evaluator's AlertRule, the zero-configuration defaults,
// and what a ModelMonitor needs each refresh: its rules and which of them have an alert
// that a person resolved.
import { and, eq, isNull, or, sql } from "drizzle-orm";
import { DEFAULT_RULES } from "../../durable/alerts/defaults.ts";
import type { MonitorRules } from "../../durable/alerts/envelope.ts";
import type { WindowName } from "../../durable/alerts/metrics.ts";
import type { AlertRule, RuleCondition, Severity } from "../../durable/alerts/rules.ts";
import type { Queryable } from "../db/queryable.ts";
import { alertRules, alerts, modelVersions, models } from "../db/schema/index.ts";

export type RuleRow = typeof alertRules.$inferSelect;

export function ruleOf(row: RuleRow): AlertRule {
  return {
    id: row.id,
    name: row.name,
    severity: row.severity as Severity,
    window: row.window as WindowName,
    condition: row.condition as unknown as RuleCondition,
    forEvaluations: row.forEvaluations,
    cooldownMs: row.cooldownSeconds * 1000,
    autoResolveAfter: row.autoResolveAfter,
    enabled: row.enabled,
  };
}

/** Creates the default rules of a version once; later calls (and races) change nothing. */
export async function ensureDefaultRules(db: Queryable, orgId: string, modelId: string, modelVersionId: string): Promise<void> {
  await db
    .insert(alertRules)
    .values(
      DEFAULT_RULES.map((r) => ({
        orgId, modelId, modelVersionId, name: r.name, severity: r.severity, window: r.window,
        condition: r.condition as unknown as Record<string, unknown>, forEvaluations: r.forEvaluations,
        cooldownSeconds: Math.round(r.cooldownMs / 1000), autoResolveAfter: r.autoResolveAfter, defaultKey: r.key,
      })),
    )
    .onConflictDoNothing();
}

export interface VersionRef {
  modelId: string;
  versionId: string;
}

export async function findVersion(db: Queryable, orgId: string, model: string, version: string): Promise<VersionRef | undefined> {
  const [row] = await db
    .select({ modelId: models.id, versionId: modelVersions.id })
    .from(modelVersions)
    .innerJoin(models, eq(models.id, modelVersions.modelId))
    .where(and(eq(models.orgId, orgId), eq(models.name, model), eq(modelVersions.version, version)))
    .limit(1);
  return row;
}

/** What a model version's monitor evaluates: its own rules plus the model-wide ones, defaults included. */
export async function rulesForMonitor(db: Queryable, orgId: string, model: string, version: string): Promise<MonitorRules> {
  const ref = await findVersion(db, orgId, model, version);
  if (!ref) return { modelId: null, rules: [], resolved: [] };
  await ensureDefaultRules(db, orgId, ref.modelId, ref.versionId);
  const rows = await db
    .select()
    .from(alertRules)
    .where(and(eq(alertRules.orgId, orgId), eq(alertRules.modelId, ref.modelId), or(eq(alertRules.modelVersionId, ref.versionId), isNull(alertRules.modelVersionId))));
  // The newest alert per rule for this version; only resolved ones matter to the evaluator.
  const latest = await db
    .selectDistinctOn([alerts.ruleId], { ruleId: alerts.ruleId, firingId: alerts.firingId, status: alerts.status, resolvedAt: alerts.resolvedAt })
    .from(alerts)
    .where(and(eq(alerts.orgId, orgId), eq(alerts.model, model), eq(alerts.version, version), sql`${alerts.ruleId} is not null`))
    .orderBy(alerts.ruleId, sql`${alerts.openedAt} desc`);
  const resolved = latest
    .filter((a) => a.status === "resolved" && a.resolvedAt && a.ruleId)
    .map((a) => ({ ruleId: a.ruleId!, firingId: a.firingId, resolvedAt: a.resolvedAt!.getTime() }));
  return { modelId: ref.modelId, rules: rows.map(ruleOf), resolved };
}

