// Alert rules as the API manages them: create, list, read, change and delete, each
// checked against the caller's reach on the rule's model (alerts/access.ts) and
// audited in the transaction that makes the change. The routes (routes/alert-rules.ts)
// only parse and answer.
import type { z } from "@hono/zod-openapi";
import { and, asc, eq, inArray, type SQL } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { ApiKeyScope } from "../auth/api-key.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { alertRules, modelVersions, models } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";
import { loadModel } from "../registry/models.ts";
import { requireModelAccess } from "./access.ts";
import { parseUuid } from "./input-errors.ts";
import type { Rule, RuleInput, RulePatch } from "./rule-schema.ts";
import { ensureDefaultRules, findVersion, type RuleRow } from "./rules-store.ts";

type RuleJson = z.infer<typeof Rule>;

async function names(db: Queryable, rows: RuleRow[]) {
  const modelIds = [...new Set(rows.map((r) => r.modelId))];
  const versionIds = [...new Set(rows.map((r) => r.modelVersionId).filter((v): v is string => v !== null))];
  const m = modelIds.length ? await db.select({ id: models.id, name: models.name }).from(models).where(inArray(models.id, modelIds)) : [];
  const v = versionIds.length ? await db.select({ id: modelVersions.id, version: modelVersions.version }).from(modelVersions).where(inArray(modelVersions.id, versionIds)) : [];
  return { model: new Map(m.map((x) => [x.id, x.name])), version: new Map(v.map((x) => [x.id, x.version])) };
}

function view(r: RuleRow, n: Awaited<ReturnType<typeof names>>): RuleJson {
  return {
    id: r.id, model: n.model.get(r.modelId) ?? "", version: r.modelVersionId ? (n.version.get(r.modelVersionId) ?? null) : null,
    name: r.name, severity: r.severity as RuleJson["severity"], window: r.window as RuleJson["window"], for: r.forEvaluations, cooldown_minutes: Math.round(r.cooldownSeconds / 60),
    auto_resolve_after: r.autoResolveAfter, enabled: r.enabled, condition: r.condition as RuleJson["condition"], default: r.defaultKey !== null,
    created_at: r.createdAt.toISOString(), updated_at: r.updatedAt.toISOString(),
  };
}

async function viewOne(db: Queryable, row: RuleRow): Promise<RuleJson> {
  return view(row, await names(db, [row]));
}

async function load(db: Queryable, p: Principal, id: string, scope: ApiKeyScope): Promise<RuleRow> {
  const [row] = await db.select().from(alertRules).where(and(eq(alertRules.id, parseUuid(id, "rule")), eq(alertRules.orgId, p.orgId))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `rule ${id} not found`);
  await requireModelAccess(db, p, row.modelId, scope, `rule ${id}`);
  return row;
}

async function modelIdOf(db: Queryable, p: Principal, name: string, scope: ApiKeyScope): Promise<string> {
  return (await loadModel(db, p, name, scope)).m.id;
}

export async function createRule(db: Queryable, p: Principal, actor: AuditActor, b: z.infer<typeof RuleInput>): Promise<RuleJson> {
  const modelId = await modelIdOf(db, p, b.model, "write");
  let versionId: string | null = null;
  if (b.version !== undefined) {
    const ref = await findVersion(db, p.orgId, b.model, b.version);
    if (!ref) throw new ApiError(404, "not_found", `version ${b.version} of model ${b.model} not found`);
    versionId = ref.versionId;
  }
  const row = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(alertRules)
      .values({ orgId: p.orgId, modelId, modelVersionId: versionId, name: b.name, severity: b.severity, window: b.window, condition: b.condition, forEvaluations: b.for, cooldownSeconds: b.cooldown_minutes * 60, autoResolveAfter: b.auto_resolve_after, enabled: b.enabled })
      .returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "rule.create", targetType: "alert_rule", targetId: row!.id, details: { model: b.model, version: b.version ?? null, name: b.name, kind: b.condition.kind } });
    return row!;
  });
  return viewOne(db, row);
}

/** With `model`, the model's rules including each version's defaults (created on first sight); else what the caller may see. */
export async function listRules(db: Queryable, p: Principal, q: { model?: string | undefined; version?: string | undefined }): Promise<RuleJson[]> {
  const where: SQL[] = [eq(alertRules.orgId, p.orgId)];
  if (q.model !== undefined) {
    const modelId = await modelIdOf(db, p, q.model, "read");
    const versions = await db.select({ id: modelVersions.id, version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.modelId, modelId));
    for (const v of versions) await ensureDefaultRules(db, p.orgId, modelId, v.id);
    where.push(eq(alertRules.modelId, modelId));
    if (q.version !== undefined) {
      const v = versions.find((x) => x.version === q.version);
      if (!v) throw new ApiError(404, "not_found", `version ${q.version} of model ${q.model} not found`);
      where.push(eq(alertRules.modelVersionId, v.id));
    }
  } else if (q.version !== undefined) {
    throw new ApiError(400, "validation_failed", "invalid query: version: needs model", [{ field: "version", error: "needs model" }]);
  } else if (p.kind === "api_key" && p.modelId) {
    where.push(eq(alertRules.modelId, p.modelId));
  } else if (p.kind === "api_key" && p.projectId) {
    where.push(inArray(alertRules.modelId, db.select({ id: models.id }).from(models).where(eq(models.projectId, p.projectId))));
  }
  const rows = await db.select().from(alertRules).where(and(...where)).orderBy(asc(alertRules.createdAt), asc(alertRules.name));
  const n = await names(db, rows);
  return rows.map((r) => view(r, n));
}

export async function getRule(db: Queryable, p: Principal, id: string): Promise<RuleJson> {
  return viewOne(db, await load(db, p, id, "read"));
}

export async function updateRule(db: Queryable, p: Principal, actor: AuditActor, id: string, patch: z.infer<typeof RulePatch>): Promise<RuleJson> {
  const cur = await load(db, p, id, "write");
  const set: Partial<typeof alertRules.$inferInsert> = { updatedAt: new Date() };
  if (patch.name !== undefined) set.name = patch.name;
  if (patch.severity !== undefined) set.severity = patch.severity;
  if (patch.window !== undefined) set.window = patch.window;
  if (patch.for !== undefined) set.forEvaluations = patch.for;
  if (patch.cooldown_minutes !== undefined) set.cooldownSeconds = patch.cooldown_minutes * 60;
  if (patch.auto_resolve_after !== undefined) set.autoResolveAfter = patch.auto_resolve_after;
  if (patch.enabled !== undefined) set.enabled = patch.enabled;
  if (patch.condition !== undefined) set.condition = patch.condition;
  const row = await db.transaction(async (tx) => {
    const [row] = await tx.update(alertRules).set(set).where(eq(alertRules.id, cur.id)).returning();
    await recordAudit(tx, actor, { orgId: p.orgId, action: "rule.update", targetType: "alert_rule", targetId: cur.id, details: { fields: Object.keys(patch) } });
    return row!;
  });
  return viewOne(db, row);
}

/** A default rule is disabled instead of deleted, so it is not recreated; its alerts keep their history. */
export async function deleteRule(db: Queryable, p: Principal, actor: AuditActor, id: string): Promise<void> {
  const cur = await load(db, p, id, "write");
  await db.transaction(async (tx) => {
    if (cur.defaultKey !== null) await tx.update(alertRules).set({ enabled: false, updatedAt: new Date() }).where(eq(alertRules.id, cur.id));
    else await tx.delete(alertRules).where(eq(alertRules.id, cur.id));
    await recordAudit(tx, actor, { orgId: p.orgId, action: "rule.delete", targetType: "alert_rule", targetId: cur.id, details: { name: cur.name, default: cur.defaultKey !== null } });
  });
}
