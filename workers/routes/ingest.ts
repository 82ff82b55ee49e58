// POST /v1/ingest: prediction telemetry in. The body is read here (not by the OpenAPI
// validator) because it may be NDJSON or gzip; the route is still documented, with the
// shapes in ../ingest/schemas.ts.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { MAX_EVENTS_PER_BATCH, MAX_ID_LENGTH } from "../ingest/limits.ts";
import { bodyFormat, parseIngestBody } from "../ingest/parse-body.ts";
import { rateLimited } from "../ingest/rate-limited.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { IngestBody, IngestReply, NameField } from "../ingest/schemas.ts";
import { storeEvents } from "../ingest/store-events.ts";
import { authErrors, describedErrors, errorResponses, orgSecurity, rateLimitedResponse } from "../openapi/errors.ts";

const ndjson = { schema: z.string().openapi({ description: "One event object per line (the shape of IngestEvent); `model`, `version` and `batch_id` in the query." }) };

const ingestRoute = createRoute({
  method: "post",
  path: "/v1/ingest",
  tags: ["ingest"],
  summary: "Send a batch of predictions",
  description:
    "JSON (`{ model, version, batch_id?, events }`) or NDJSON (`application/x-ndjson`, one event per line, `model`, `version` and `batch_id` in the query), optionally `Content-Encoding: gzip`. " +
    "Each event is validated against the version's feature schema; bad events are rejected individually (listed in `rejected`) and the rest accepted. A 2xx reply means the accepted events are durably stored. " +
    "A `batch_id` seen in the last 24 h is reported as a duplicate and not counted again. " +
    "An unknown version is registered on first ingest when the caller has the write or admin scope, with a schema inferred from the batch.",
  security: orgSecurity,
  request: {
    query: z.object({
      model: NameField.optional().openapi({ description: "NDJSON only" }),
      version: NameField.optional().openapi({ description: "NDJSON only" }),
      batch_id: z.string().min(1).max(MAX_ID_LENGTH).optional().openapi({ description: "NDJSON only" }),
    }),
    body: {
      required: true,
      content: {
        "application/json": { schema: IngestBody },
        "application/x-ndjson": ndjson,
        "application/ndjson": ndjson,
        "application/jsonl": ndjson,
        "application/x-jsonlines": ndjson,
        "application/jsonlines": ndjson,
      },
    },
  },
  responses: {
    200: { description: "Stored (or a duplicate of a stored batch)", content: { "application/json": { schema: IngestReply } } },
    ...authErrors,
    ...describedErrors({
      404: "Unknown model version (and the caller may not register it), or one outside the key's project or model",
      413: `Body past the byte limits, or more than ${MAX_EVENTS_PER_BATCH} events`,
      422: "No event of the batch matches the version's schema (`details` lists the rejections)",
    }),
    ...errorResponses(415),
    ...rateLimitedResponse,
  },
});

export const ingest = new OpenAPIHono<AppEnv>();
// Documented here, served below: the body is read raw (NDJSON and gzip), not by the route's validator.
ingest.openAPIRegistry.registerPath(ingestRoute);

ingest.post("/v1/ingest", authorize({ scope: "ingest" }), async (c) => {
  const format = bodyFormat(c.req.header("content-type"));
  const limited = await rateLimited(c, "ingest");
  if (limited) return limited;
  const text = await readBodyText(c.req.raw, { maxItems: MAX_EVENTS_PER_BATCH, items: "events", code: "too_many_events", lines: format === "ndjson" });
  const body = parseIngestBody(text, format, (name) => c.req.query(name));
  if (body.items.length > MAX_EVENTS_PER_BATCH) {
    throw new ApiError(413, "too_many_events", `batch holds ${body.items.length} events, more than ${MAX_EVENTS_PER_BATCH}; split it`);
  }
  if (body.items.length === 0) throw new ApiError(400, "validation_failed", "events: must hold at least one event", [{ field: "events", error: "empty" }]);
  return c.json(await storeEvents(c, { model: body.model, version: body.version, batchId: body.batchId, items: body.items, itemErrors: body.itemErrors }), 200);
});
