// POST /v1/erasure, GET /v1/erasure, GET /v1/erasure/{id}: GDPR Art. 17 erasure of a
// data subject's (or listed predictions') records across the org (workers/erasure/).
// Org-wide admin only: erasure reaches every project's models.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { requireOrgWide } from "../authz/access.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { createErasure } from "../erasure/create.ts";
import { ErasureBody, ErasureCreated, ErasureListQuery, ErasureView } from "../erasure/request-body.ts";
import { erasureView, getRequest, listRequests } from "../erasure/requests.ts";
import { scheduleErasures } from "../erasure/run.ts";
import { authErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { UuidParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { pageOf } from "../registry/pagination.ts";
import { actorOf, principalOf } from "./request-context.ts";

const tags = ["compliance"];
const WHAT = "erasure requests";

const create = createRoute({
  method: "post",
  path: "/",
  tags,
  summary: "Erase a data subject's records (GDPR Art. 17)",
  description:
    "Give exactly one of `subject_id` and `prediction_ids` (optionally `model`). Removes every row-level record: stored predictions and the label-join index in every " +
    "Durable Object of the org's model versions, label marks of actuals, events held for a first-events baseline, business outcomes in Postgres. Runs in the " +
    "background and resumes after a restart or an outage; GET the request for its status, per-store counts and certificate. Idempotent: repeating it removes nothing more.",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { body: jsonBody(ErasureBody) },
  responses: { 202: jsonResponse(ErasureCreated, "Accepted; processing in the background"), ...authErrors, ...errorResponses(404) },
});

const list = createRoute({
  method: "get",
  path: "/",
  tags,
  summary: "List erasure requests",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { query: ErasureListQuery },
  responses: { 200: jsonResponse(pageOf(ErasureView).openapi("ErasureRequestPage"), "A page of requests"), ...authErrors },
});

const get = createRoute({
  method: "get",
  path: "/{id}",
  tags,
  summary: "An erasure request: status, rows removed per store, certificate",
  security: orgSecurity,
  middleware: [authorize({ scope: "admin" })] as const,
  request: { params: UuidParams },
  responses: { 200: jsonResponse(ErasureView, "The request"), ...authErrors, ...errorResponses(404) },
});

export const erasureRoutes = new OpenAPIHono<AppEnv>()
  .openapi(create, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    const row = await createErasure(c.var.db(), p, actorOf(c), c.req.valid("json"));
    scheduleErasures(c, p.orgId);
    return c.json({ id: row.id, status: "pending" as const }, 202);
  })
  .openapi(list, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    const result = await listRequests(c.var.db(), p.orgId, c.req.valid("query"));
    // Reading the list is also a trigger: a request a restart left unfinished resumes.
    if (result.items.some((r) => r.status === "pending" || r.status === "running")) scheduleErasures(c, p.orgId);
    return c.json(result, 200);
  })
  .openapi(get, async (c) => {
    const p = principalOf(c);
    requireOrgWide(p, "admin", WHAT);
    const row = await getRequest(c.var.db(), p.orgId, c.req.valid("param").id);
    if (!row) throw new ApiError(404, "not_found", "erasure request not found");
    if (row.status === "pending" || row.status === "running") scheduleErasures(c, p.orgId);
    return c.json(erasureView(row) as z.infer<typeof ErasureView>, 200);
  });
