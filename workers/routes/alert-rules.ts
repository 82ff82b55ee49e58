// /v1/rules: alert rules per model (or model version). Defaults exist for every version.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { Rule, RuleInput, RulePatch } from "../alerts/rule-schema.ts";
import { createRule, deleteRule, getRule, listRules, updateRule } from "../alerts/rule-service.ts";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { IdParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["alerts"];

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Create an alert rule",
  description:
    "Kinds: feature_drift, dataset_drift, prediction_drift, performance, data_quality, latency, volume, no_data. A rule fires after `for` consecutive breaching evaluations, refreshes its open alert while the condition persists, resolves itself after `auto_resolve_after` clear evaluations, and cannot reopen within `cooldown_minutes` of resolving.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { body: jsonBody(RuleInput) },
  responses: { 201: jsonResponse(Rule, "created"), ...authErrors, ...errorResponses(404) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List alert rules",
  description: "With `model`, the model's rules including the defaults of each of its versions (created on first sight).",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { query: z.object({ model: z.string().min(1).optional(), version: z.string().min(1).optional() }) },
  responses: { 200: jsonResponse(z.object({ rules: z.array(Rule) }).openapi("RuleList"), "rules"), ...authErrors, ...errorResponses(404) },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "Get an alert rule",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: IdParams },
  responses: { 200: jsonResponse(Rule, "the rule"), ...authErrors, ...errorResponses(404) },
});

const patch = createRoute({
  method: "patch",
  path: "/{id}",
  tags,
  summary: "Update an alert rule",
  description: "Monitors pick up changes within 30 seconds.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams, body: jsonBody(RulePatch) },
  responses: { 200: jsonResponse(Rule, "updated"), ...authErrors, ...errorResponses(404) },
});

const remove = createRoute({
  method: "delete",
  path: "/{id}",
  tags,
  summary: "Delete an alert rule",
  description: "A default rule is disabled instead of deleted, so it is not recreated; its alerts keep their history.",
  security: orgSecurity,
  middleware: [authorize({ scope: "write" })] as const,
  request: { params: IdParams },
  responses: { 204: { description: "deleted" }, ...authErrors, ...errorResponses(404) },
});

export const ruleRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => c.json(await createRule(c.var.db(), principalOf(c), actorOf(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json({ rules: await listRules(c.var.db(), principalOf(c), c.req.valid("query")) }, 200))
  .openapi(get, async (c) => c.json(await getRule(c.var.db(), principalOf(c), c.req.valid("param").id), 200))
  .openapi(patch, async (c) => c.json(await updateRule(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(remove, async (c) => {
    await deleteRule(c.var.db(), principalOf(c), actorOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  });
