// Retention (issue 15): GET/PUT /v1/retention (the org's policy), GET/PUT
// /v1/models/{model}/retention (a model's overrides), POST /v1/retention/run (enforce
// now), and the audit chain prefixes retention exported (GET /v1/audit/exports…).
// Admin scope; the org policy, the run and the exports over the whole org.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { requireOrgWide } from "../authz/access.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { ModelParams, UuidParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { loadModel } from "../registry/models.ts";
import { AuditExportView, exportBody, listExports } from "../retention/exports.ts";
import { ModelRetention, ModelRetentionUpdate, RetentionPolicy, RetentionRunResult, RetentionUpdate } from "../retention/policy.ts";
import { runRetention } from "../retention/run.ts";
import { retentionDeps } from "../retention/schedule.ts";
import { modelPolicy, orgPolicy, policyView, setModelPolicy, setOrgPolicy, type ModelPolicy } from "../retention/store.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["compliance"];
const WHAT = "the retention policy";

const getPolicy = createRoute({
  method: "get",
  path: "/v1/retention",
  tags,
  summary: "The org's retention policy (days per store)",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  responses: { 200: jsonResponse(RetentionPolicy, "The policy; the defaults until an admin sets one"), ...authErrors },
});

const putPolicy = createRoute({
  method: "put",
  path: "/v1/retention",
  tags,
  summary: "Set the org's retention policy",
  description:
    "Whole days from 1 to 3650 per store; fields left out keep their value, unknown fields are refused. `audit_days` below 365 only from a signed-in instance admin (403 otherwise). " +
    "Audited (`retention.update`, before and after). Takes effect at the next run (daily, or POST /v1/retention/run).",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(RetentionUpdate) },
  responses: { 200: jsonResponse(RetentionPolicy, "The policy now"), ...authErrors },
});

const run = createRoute({
  method: "post",
  path: "/v1/retention/run",
  tags,
  summary: "Enforce the retention policy now",
  description:
    "Prunes every store of the org (each model version's Durable Object, Postgres, Redis, the audit log by exported prefixes) to the policy and its model overrides, as the daily run does, and answers what each store removed. Audited (`retention.run`).",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  responses: { 200: jsonResponse(RetentionRunResult, "What the run removed, per store"), ...authErrors },
});

const getModel = createRoute({
  method: "get",
  path: "/v1/models/{model}/retention",
  tags,
  summary: "A model's retention overrides and what applies to it",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: ModelParams },
  responses: { 200: jsonResponse(ModelRetention, "Overrides and effective days"), ...authErrors, ...errorResponses(404) },
});

const putModel = createRoute({
  method: "put",
  path: "/v1/models/{model}/retention",
  tags,
  summary: "Set a model's retention overrides",
  description:
    "The model's whole override set: `raw_events_days`, `labels_days`, `aggregates_days`, `outcomes_days` (1 to 3650); a field left out or null follows the org's policy, `{}` clears them all. " +
    "Deliveries and the audit log are org-wide (400 if given here). Audited (`retention.model_update`).",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: ModelParams, body: jsonBody(ModelRetentionUpdate) },
  responses: { 200: jsonResponse(ModelRetention, "Overrides and effective days now"), ...authErrors, ...errorResponses(404) },
});

const exportsList = createRoute({
  method: "get",
  path: "/v1/audit/exports",
  tags: ["audit"],
  summary: "Audit chain prefixes exported and dropped by retention",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  responses: { 200: jsonResponse(z.object({ items: z.array(AuditExportView) }).openapi("AuditExportList"), "Oldest first"), ...authErrors },
});

const exportGet = createRoute({
  method: "get",
  path: "/v1/audit/exports/{id}",
  tags: ["audit"],
  summary: "One audit export as JSON Lines",
  description: "The dropped records as `GET /v1/audit?format=jsonl` gave them; its SHA-256 is the export's `sha256`.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: UuidParams },
  responses: { 200: { description: "JSON Lines", content: { "application/x-ndjson": { schema: z.string() } } }, ...authErrors, ...errorResponses(404) },
});

const modelView = (name: string, p: ModelPolicy) => ({
  model: name,
  overrides: p.overrides,
  effective: p.effective,
  updated_at: p.updatedAt?.toISOString() ?? null,
  updated_by: p.updatedBy,
});

export const retentionRoutes = new OpenAPIHono<AppEnv>()
  .openapi(getPolicy, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    return c.json(policyView(await orgPolicy(c.var.db(), p.orgId)), 200);
  })
  .openapi(putPolicy, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    const instanceAdmin = p.kind === "user" && p.instanceAdmin;
    return c.json(policyView(await setOrgPolicy(c.var.db(), p.orgId, actorOf(c), c.req.valid("json"), instanceAdmin)), 200);
  })
  .openapi(run, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    return c.json(await runRetention(retentionDeps(c.env, c.var.db()), p.orgId, "api", actorOf(c)), 200);
  })
  .openapi(getModel, async (c) => {
    const p = principalOf(c);
    const { m } = await loadModel(c.var.db(), p, c.req.valid("param").model, "admin");
    return c.json(modelView(m.name, await modelPolicy(c.var.db(), p.orgId, m.id)), 200);
  })
  .openapi(putModel, async (c) => {
    const p = principalOf(c);
    const { m } = await loadModel(c.var.db(), p, c.req.valid("param").model, "admin");
    return c.json(modelView(m.name, await setModelPolicy(c.var.db(), p.orgId, { id: m.id, name: m.name }, actorOf(c), c.req.valid("json"))), 200);
  })
  .openapi(exportsList, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", "the audit log");
    return c.json({ items: await listExports(c.var.db(), p.orgId) }, 200);
  })
  .openapi(exportGet, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", "the audit log");
    const body = await exportBody(c.var.db(), p.orgId, c.req.valid("param").id, c.env.REPORTS);
    // The route documents JSON Lines, but hono's typed handler only models JSON bodies.
    return c.body(body, 200, { "content-type": "application/x-ndjson; charset=utf-8" }) as never;
  });
