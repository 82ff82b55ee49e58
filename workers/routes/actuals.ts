// POST /v1/actuals (ground truth joined to stored predictions by prediction_id) and
// POST /v1/outcomes (business KPIs, stored in Postgres: they are low-volume and read
// as history, so they skip the Durable Object).
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize } from "../auth/authenticate.ts";
import { businessOutcomes } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { MAX_ACTUALS_PER_BATCH, MAX_REJECTIONS_LISTED } from "../ingest/limits.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { arrayField, batchIdField, bodyFormat, nameField, objectBody } from "../ingest/parse-body.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { validateActuals, validateOutcomes } from "../ingest/validate-actuals.ts";
import { loadModel } from "../registry/models.ts";
import { identityOf, rateLimited } from "./ingest.ts";

const Rejection = z.object({ index: z.number().int(), field: z.string(), error: z.string() });
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const errorResponses = {
  400: { description: "Malformed body", content: { "application/json": { schema: ErrorSchema } } },
  404: { description: "Unknown model (version), or one outside the key's project or model", content: { "application/json": { schema: ErrorSchema } } },
  413: { description: "Too large", content: { "application/json": { schema: ErrorSchema } } },
  429: { description: "Rate limited", content: { "application/json": { schema: ErrorSchema } } },
};

const actualsDoc = createRoute({
  method: "post",
  path: "/v1/actuals",
  tags: ["ingest"],
  summary: "Send ground truth for earlier predictions",
  description: "Each actual joins the prediction with the same prediction_id (kept for 7 days) and updates the performance of that prediction's window. Unmatched ids are counted and listed (first 100).",
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ model: z.string(), version: z.string(), actuals: z.array(z.object({ prediction_id: z.string(), actual: z.union([z.string(), z.number(), z.boolean()]), timestamp: z.string().optional() })) }) } },
    },
  },
  responses: {
    200: {
      description: "Joined",
      content: { "application/json": { schema: z.object({ matched: z.number(), unmatched: z.number(), already_labeled: z.number(), unmatched_ids: z.array(z.string()), rejected: z.array(Rejection), rejected_count: z.number() }) } },
    },
    ...errorResponses,
  },
});

const outcomesDoc = createRoute({
  method: "post",
  path: "/v1/outcomes",
  tags: ["ingest"],
  summary: "Send business outcomes (KPIs)",
  security: [{ bearer: [] }],
  request: {
    body: {
      required: true,
      content: { "application/json": { schema: z.object({ model: z.string(), batch_id: z.string().optional(), outcomes: z.array(z.object({ prediction_id: z.string().optional(), timestamp: z.string(), kpi: z.string(), value: z.number() })) }) } },
    },
  },
  responses: {
    200: { description: "Stored", content: { "application/json": { schema: z.object({ accepted: z.number(), rejected: z.array(Rejection), rejected_count: z.number() }) } } },
    ...errorResponses,
  },
});

export const actuals = new OpenAPIHono<AppEnv>();
actuals.openAPIRegistry.registerPath(actualsDoc);
actuals.openAPIRegistry.registerPath(outcomesDoc);

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
  const batchId = batchIdField(body.batch_id);
  const items = records(body, "outcomes");
  // Outcomes belong to a model: the caller must reach it with the ingest scope (a key limited to another model or project gets 404).
  await loadModel(c.var.db(), c.var.principal!, model, "ingest");
  const { outcomes, rejected } = validateOutcomes(items, Date.now());
  if (outcomes.length > 0) {
    const orgId = c.var.principal!.orgId;
    const rows = outcomes.map((o) => ({ orgId, model, predictionId: o.prediction_id ?? null, at: new Date(o.timestamp), kpi: o.kpi, value: o.value, batchId }));
    await c.var.db().insert(businessOutcomes).values(rows).onConflictDoNothing();
  }
  return c.json({ accepted: outcomes.length, rejected: rejected.slice(0, MAX_REJECTIONS_LISTED), rejected_count: rejected.length }, 200);
});
