// POST /v1/actuals (ground truth joined to stored predictions by prediction_id) and
// POST /v1/outcomes (business KPIs, stored in Postgres by ../ingest/outcomes.ts). Both
// read their bodies themselves, like ingest, so the routes are documented and served apart.
import { OpenAPIHono, createRoute } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { MAX_ACTUALS_PER_BATCH, MAX_REJECTIONS_LISTED } from "../ingest/limits.ts";
import { identityOf, monitorStub } from "../ingest/monitor-stub.ts";
import { storeOutcomes } from "../ingest/outcomes.ts";
import { arrayField, batchIdField, bodyFormat, nameField, objectBody } from "../ingest/parse-body.ts";
import { rateLimited } from "../ingest/rate-limited.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { actualsToShards } from "../ingest/shard-route.ts";
import { ActualsBody, ActualsReply, OutcomesBody, OutcomesReply } from "../ingest/schemas.ts";
import { validateActuals, validateOutcomes } from "../ingest/validate-actuals.ts";
import { authErrors, describedErrors, errorResponses, orgSecurity, rateLimitedResponse } from "../openapi/errors.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import { loadModel } from "../registry/models.ts";
import { attributeOutcomes } from "../impact/attribute-outcomes.ts";
import { principalOf } from "./request-context.ts";

const recordErrors = {
  ...authErrors,
  ...describedErrors({ 413: `Body past the byte limits, or more than ${MAX_ACTUALS_PER_BATCH} records` }),
  ...errorResponses(415),
  ...rateLimitedResponse,
};

const actualsRoute = createRoute({
  method: "post",
  path: "/v1/actuals",
  tags: ["ingest"],
  summary: "Send ground truth for earlier predictions",
  description:
    "Each actual joins the prediction with the same prediction_id (kept for 7 days) and updates the performance of that prediction's window. " +
    "Unmatched ids are counted and listed (first 100); bad records are rejected one by one (listed in `rejected`).",
  security: orgSecurity,
  request: { body: jsonBody(ActualsBody) },
  responses: {
    200: jsonResponse(ActualsReply, "Joined"),
    ...recordErrors,
    ...describedErrors({ 404: "Unknown model version, or one outside the key's project or model" }),
  },
});

const outcomesRoute = createRoute({
  method: "post",
  path: "/v1/outcomes",
  tags: ["ingest"],
  summary: "Send business outcomes (KPIs)",
  description:
    "Stored in Postgres as history of the model; bad records are rejected one by one (listed in `rejected`). " +
    "An outcome with a prediction_id is joined to the version holding that prediction (as actuals are; `joined`), else it is attributed by its timestamp " +
    "(and `segment`) to the versions serving traffic then. `GET …/impact` reads them.",
  security: orgSecurity,
  request: { body: jsonBody(OutcomesBody) },
  responses: {
    200: jsonResponse(OutcomesReply, "Stored"),
    ...recordErrors,
    ...describedErrors({ 404: "Unknown model, or one outside the key's project or model" }),
  },
});

export const actuals = new OpenAPIHono<AppEnv>();
actuals.openAPIRegistry.registerPath(actualsRoute);
actuals.openAPIRegistry.registerPath(outcomesRoute);

/**
 * The shared front of both routes: content type, the org's rate limit, then the JSON body
 * (or the 429 to send), read within the batch limit's structural budget; the envelope's
 * text is screened here, each record's by validateRecords.
 */
async function recordBody(c: Context<AppEnv>, route: "actuals" | "outcomes"): Promise<Response | Record<string, unknown>> {
  bodyFormat(c.req.header("content-type"));
  const limited = await rateLimited(c, route);
  if (limited) return limited;
  const text = await readBodyText(c.req.raw, { maxItems: MAX_ACTUALS_PER_BATCH, items: "records", code: "too_many_records", lines: false });
  return objectBody(text, route);
}

/** The body's records, within the batch limits. */
function records(body: Record<string, unknown>, field: "actuals" | "outcomes"): unknown[] {
  const items = arrayField(body, field);
  const n = items.length;
  if (n > MAX_ACTUALS_PER_BATCH) throw new ApiError(413, "too_many_records", `batch holds ${n} records, more than ${MAX_ACTUALS_PER_BATCH}; split it`);
  if (n === 0) throw new ApiError(400, "validation_failed", "batch must hold at least one record");
  return items;
}

actuals.post("/v1/actuals", authorize({ scope: "ingest" }), async (c) => {
  const body = await recordBody(c, "actuals");
  if (body instanceof Response) return body;
  const model = nameField(body.model, "model");
  const version = nameField(body.version, "version");
  const items = records(body, "actuals");
  const { record } = await resolveVersion(c, model, version, null, "ingest");
  const { actuals: valid, rejected } = validateActuals(items, Date.now());
  const result = valid.length === 0
    ? { matched: 0, unmatched: 0, alreadyLabeled: 0, unmatchedIds: [] }
    : record.shardsMax > 1 // ever sharded: predictions may sit on any shard (shard-route.ts)
      ? await actualsToShards(c.env, record, { identity: identityOf(record), actuals: valid })
      : await monitorStub(c.env, record.orgId, record.model, record.version).actuals({ identity: identityOf(record), actuals: valid });
  return c.json({
    matched: result.matched, unmatched: result.unmatched, already_labeled: result.alreadyLabeled, unmatched_ids: result.unmatchedIds,
    rejected: rejected.slice(0, MAX_REJECTIONS_LISTED), rejected_count: rejected.length,
  }, 200);
});

actuals.post("/v1/outcomes", authorize({ scope: "ingest" }), async (c) => {
  const body = await recordBody(c, "outcomes");
  if (body instanceof Response) return body;
  const model = nameField(body.model, "model");
  const version = body.version === undefined || body.version === null ? null : nameField(body.version, "version");
  const batchId = batchIdField(body.batch_id);
  const items = records(body, "outcomes");
  const principal = principalOf(c);
  // Outcomes belong to a model: the caller must reach it with the ingest scope (a key limited to another model or project gets 404).
  const { m } = await loadModel(c.var.db(), principal, model, "ingest");
  if (version !== null) await resolveVersion(c, model, version, null, "ingest");
  const { outcomes, rejected } = validateOutcomes(items, Date.now());
  // Outcomes naming a prediction join the version that holds it, as actuals do (../impact/attribute-outcomes.ts).
  const attribution = await attributeOutcomes(c.var.db(), c.env, principal.orgId, { id: m.id, name: model }, version, outcomes);
  await storeOutcomes(c.var.db(), principal.orgId, model, batchId, outcomes);
  return c.json({ accepted: outcomes.length, joined: attribution.joined, unmatched: attribution.unmatched, rejected: rejected.slice(0, MAX_REJECTIONS_LISTED), rejected_count: rejected.length }, 200);
});
