// /v1/rules: alert rules per model (or model version). Defaults exist for every version.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, inArray } from "drizzle-orm";
import type { z as zod } from "zod";
import { requireModelAccess } from "../alerts/access.ts";
import { errorResponses } from "../alerts/openapi-errors.ts";
import { callerActor, callerOrg, parseUuid } from "../alerts/route-context.ts";
import { Rule, RuleInput, RulePatch } from "../alerts/rule-schema.ts";
import { ensureDefaultRules, findVersion } from "../alerts/rules-store.ts";
import { appendAudit } from "../audit/append.ts";
import type { ApiKeyScope } from "../auth/api-key.ts";
import { authorize } from "../auth/authenticate.ts";
import type { Principal } from "../auth/principal.ts";
import { alertRules, modelVersions, models } from "../db/schema/index.ts";
import type { Queryable } from "../db/queryable.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";

type RuleRow = typeof alertRules.$inferSelect;
const json = <T extends zod.ZodType>(schema: T) => ({ content: { "application/json": { schema } } });
const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
const tags = ["alerts"];

async function names(db: Queryable, rows: RuleRow[]) {
  const modelIds = [...new Set(rows.map((r) => r.modelId))];
  const versionIds = [...new Set(rows.map((r) => r.modelVersionId).filter((v): v is string => v !== null))];
  const m = modelIds.length ? await db.select({ id: models.id, name: models.name }).from(models).where(inArray(models.id, modelIds)) : [];
  const v = versionIds.length ? await db.select({ id: modelVersions.id, version: modelVersions.version }).from(modelVersions).where(inArray(modelVersions.id, versionIds)) : [];
  return { model: new Map(m.map((x) => [x.id, x.name])), version: new Map(v.map((x) => [x.id, x.version])) };
}

function view(r: RuleRow, n: Awaited<ReturnType<typeof names>>): z.infer<typeof Rule> {
  return {
    id: r.id, model: n.model.get(r.modelId) ?? "", version: r.modelVersionId ? (n.version.get(r.modelVersionId) ?? null) : null,
    name: r.name, severity: r.severity as "info", window: r.window as "5m", for: r.forEvaluations, cooldown_minutes: Math.round(r.cooldownSeconds / 60),
    auto_resolve_after: r.autoResolveAfter, enabled: r.enabled, condition: r.condition as z.infer<typeof Rule>["condition"], default: r.defaultKey !== null,
    created_at: r.createdAt.toISOString(), updated_at: r.updatedAt.toISOString(),
  };
}

async function load(db: Queryable, p: Principal, id: string, scope: ApiKeyScope): Promise<RuleRow> {
  const [row] = await db.select().from(alertRules).where(and(eq(alertRules.id, parseUuid(id, "rule")), eq(alertRules.orgId, p.orgId))).limit(1);
  if (!row) throw new ApiError(404, "not_found", `rule ${id} not found`);
  await requireModelAccess(db, p, row.modelId, scope, `rule ${id} not found`);
  return row;
}

export const ruleRoutes = new OpenAPIHono<AppEnv>()
  .openapi(
    createRoute({
      method: "post", path: "/v1/rules", tags, summary: "Create an alert rule",
      description: "Kinds: feature_drift, dataset_drift, prediction_drift, performance, data_quality, latency, volume, no_data. A rule fires after `for` consecutive breaching evaluations, refreshes its open alert while the condition persists, resolves itself after `auto_resolve_after` clear evaluations, and cannot reopen within `cooldown_minutes` of resolving.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { body: { ...json(RuleInput), required: true } },
      responses: { 201: { description: "created", ...json(Rule) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const b = c.req.valid("json");
      const db = c.var.db();
      const [model] = await db.select({ id: models.id }).from(models).where(and(eq(models.orgId, orgId), eq(models.name, b.model))).limit(1);
      if (!model) throw new ApiError(404, "not_found", `model ${b.model} not found`);
      await requireModelAccess(db, c.var.principal!, model.id, "write", `model ${b.model} not found`);
      let versionId: string | null = null;
      if (b.version !== undefined) {
        const ref = await findVersion(db, orgId, b.model, b.version);
        if (!ref) throw new ApiError(404, "not_found", `version ${b.version} of model ${b.model} not found`);
        versionId = ref.versionId;
      }
      const actor = callerActor(c);
      const row = await db.transaction(async (tx) => {
        const [row] = await tx
          .insert(alertRules)
          .values({ orgId, modelId: model.id, modelVersionId: versionId, name: b.name, severity: b.severity, window: b.window, condition: b.condition, forEvaluations: b.for, cooldownSeconds: b.cooldown_minutes * 60, autoResolveAfter: b.auto_resolve_after, enabled: b.enabled })
          .returning();
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "rule.create", targetType: "alert_rule", targetId: row!.id, details: { model: b.model, version: b.version ?? null, name: b.name, kind: b.condition.kind } });
        return row!;
      });
      return c.json(view(row, await names(db, [row])), 201);
    },
  )
  .openapi(
    createRoute({
      method: "get", path: "/v1/rules", tags, summary: "List alert rules",
      description: "With `model`, the model's rules including the defaults of each of its versions (created on first sight).",
      middleware: [authorize({ scope: "read" })] as const,
      request: { query: z.object({ model: z.string().min(1).optional(), version: z.string().min(1).optional() }) },
      responses: { 200: { description: "rules", ...json(z.object({ rules: z.array(Rule) })) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const q = c.req.valid("query");
      const db = c.var.db();
      const where = [eq(alertRules.orgId, orgId)];
      if (q.model !== undefined) {
        const [model] = await db.select({ id: models.id }).from(models).where(and(eq(models.orgId, orgId), eq(models.name, q.model))).limit(1);
        if (!model) throw new ApiError(404, "not_found", `model ${q.model} not found`);
        await requireModelAccess(db, c.var.principal!, model.id, "read", `model ${q.model} not found`);
        const versions = await db.select({ id: modelVersions.id, version: modelVersions.version }).from(modelVersions).where(eq(modelVersions.modelId, model.id));
        for (const v of versions) await ensureDefaultRules(db, orgId, model.id, v.id);
        where.push(eq(alertRules.modelId, model.id));
        if (q.version !== undefined) {
          const v = versions.find((x) => x.version === q.version);
          if (!v) throw new ApiError(404, "not_found", `version ${q.version} of model ${q.model} not found`);
          where.push(eq(alertRules.modelVersionId, v.id));
        }
      } else if (q.version !== undefined) {
        throw new ApiError(400, "validation_failed", "invalid query: version: needs model", [{ field: "version", error: "needs model" }]);
      } else {
        const p = c.var.principal!;
        if (p.kind === "api_key" && p.modelId) where.push(eq(alertRules.modelId, p.modelId));
        else if (p.kind === "api_key" && p.projectId) where.push(inArray(alertRules.modelId, db.select({ id: models.id }).from(models).where(eq(models.projectId, p.projectId))));
      }
      const rows = await db.select().from(alertRules).where(and(...where)).orderBy(asc(alertRules.createdAt), asc(alertRules.name));
      const n = await names(db, rows);
      return c.json({ rules: rows.map((r) => view(r, n)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get", path: "/v1/rules/{id}", tags, summary: "Get an alert rule",
      middleware: [authorize({ scope: "read" })] as const,
      request: { params: IdParam },
      responses: { 200: { description: "the rule", ...json(Rule) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = c.var.db();
      const row = await load(db, c.var.principal!, c.req.valid("param").id, "read");
      return c.json(view(row, await names(db, [row])), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch", path: "/v1/rules/{id}", tags, summary: "Update an alert rule",
      description: "Monitors pick up changes within 30 seconds.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam, body: { ...json(RulePatch), required: true } },
      responses: { 200: { description: "updated", ...json(Rule) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const db = c.var.db();
      const cur = await load(db, c.var.principal!, c.req.valid("param").id, "write");
      const p = c.req.valid("json");
      const set: Partial<typeof alertRules.$inferInsert> = { updatedAt: new Date() };
      if (p.name !== undefined) set.name = p.name;
      if (p.severity !== undefined) set.severity = p.severity;
      if (p.window !== undefined) set.window = p.window;
      if (p.for !== undefined) set.forEvaluations = p.for;
      if (p.cooldown_minutes !== undefined) set.cooldownSeconds = p.cooldown_minutes * 60;
      if (p.auto_resolve_after !== undefined) set.autoResolveAfter = p.auto_resolve_after;
      if (p.enabled !== undefined) set.enabled = p.enabled;
      if (p.condition !== undefined) set.condition = p.condition;
      const actor = callerActor(c);
      const row = await db.transaction(async (tx) => {
        const [row] = await tx.update(alertRules).set(set).where(eq(alertRules.id, cur.id)).returning();
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "rule.update", targetType: "alert_rule", targetId: cur.id, details: { fields: Object.keys(p) } });
        return row!;
      });
      return c.json(view(row, await names(db, [row])), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete", path: "/v1/rules/{id}", tags, summary: "Delete an alert rule",
      description: "A default rule is disabled instead of deleted, so it is not recreated; its alerts keep their history.",
      middleware: [authorize({ scope: "write" })] as const,
      request: { params: IdParam },
      responses: { 204: { description: "deleted" }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const orgId = callerOrg(c);
      const db = c.var.db();
      const cur = await load(db, c.var.principal!, c.req.valid("param").id, "write");
      const actor = callerActor(c);
      await db.transaction(async (tx) => {
        if (cur.defaultKey !== null) await tx.update(alertRules).set({ enabled: false, updatedAt: new Date() }).where(eq(alertRules.id, cur.id));
        else await tx.delete(alertRules).where(eq(alertRules.id, cur.id));
        await appendAudit(tx, { orgId, actorType: actor.type, actorId: actor.id, action: "rule.delete", targetType: "alert_rule", targetId: cur.id, details: { name: cur.name, default: cur.defaultKey !== null } });
      });
      return c.body(null, 204);
    },
  );
