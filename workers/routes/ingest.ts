// POST /v1/ingest: prediction telemetry in. The body is read here (not by the OpenAPI
// validator) because it may be NDJSON or gzip; the route is still documented.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { encodeBatch } from "../../durable/monitor/batch-codec.ts";
import type { MonitorIdentity } from "../../durable/monitor/calls.ts";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { ApiError, errorBody } from "../errors.ts";
import { MAX_EVENTS_PER_BATCH, MAX_REJECTIONS_LISTED } from "../ingest/limits.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { bodyFormat, parseIngestBody } from "../ingest/parse-body.ts";
import { checkIngestRate } from "../ingest/rate-limit.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { validateEvents } from "../ingest/validate-events.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";

const Rejection = z.object({ index: z.number().int(), field: z.string(), error: z.string() }).openapi("IngestRejection");
const IngestReply = z
  .object({
    accepted: z.number().int().openapi({ description: "Events stored (for a duplicate: the events the first delivery stored)." }),
    rejected: z.array(Rejection).openapi({ description: `Rejected events, each with its index in the batch (at most ${MAX_REJECTIONS_LISTED} listed).` }),
    rejected_count: z.number().int(),
    batch_id: z.string(),
    duplicate: z.boolean().openapi({ description: "The batch id was already accepted in the last 24 h; nothing was counted again." }),
    registered: z.object({ model: z.string(), version: z.string(), feature_schema: z.array(z.unknown()) }).optional()
      .openapi({ description: "Present when this call registered the version, with the schema inferred from the batch." }),
  })
  .openapi("IngestReply");
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const errors = (codes: Record<number, string>) =>
  Object.fromEntries(Object.entries(codes).map(([code, description]) => [code, { description, content: { "application/json": { schema: ErrorSchema } } }]));

const Event = z.object({
  prediction_id: z.string(),
  timestamp: z.string().optional().openapi({
    description: "ISO 8601 (or Unix ms); defaults to the time of receipt. Windows, volume and the label join follow this time; a time after receipt counts at receipt, and an event older than 25 h is counted (`lateEvents`) but outside every live window.",
  }),
  features: z.record(z.string(), z.unknown()),
  prediction: z.union([z.string(), z.number(), z.boolean()]),
  score: z.union([z.number(), z.record(z.string(), z.number())]).optional(),
  latency_ms: z.number().optional(),
  segment: z.record(z.string(), z.string()).optional(),
});

export const ingestDoc = createRoute({
  method: "post",
  path: "/v1/ingest",
  tags: ["ingest"],
  summary: "Send a batch of predictions",
  description:
    "JSON (`{ model, version, batch_id?, events }`) or NDJSON (`application/x-ndjson`, one event per line, `model`, `version` and `batch_id` in the query), optionally `Content-Encoding: gzip`. " +
    "Each event is validated against the version's feature schema; bad events are rejected individually and the rest accepted. A 2xx reply means the accepted events are durably stored. " +
    "A `batch_id` seen in the last 24 h is reported as a duplicate and not counted again. " +
    "An unknown version is registered on first ingest when the key has the write or admin scope, with a schema inferred from the batch.",
  security: [{ bearer: [] }],
  request: {
    query: z.object({ model: z.string().optional(), version: z.string().optional(), batch_id: z.string().optional() }),
    body: {
      required: true,
      content: {
        "application/json": { schema: z.object({ model: z.string(), version: z.string(), batch_id: z.string().optional(), events: z.array(Event) }) },
        "application/x-ndjson": { schema: z.string().openapi({ description: "One event object per line." }) },
      },
    },
  },
  responses: {
    200: { description: "Stored (or a duplicate of a stored batch)", content: { "application/json": { schema: IngestReply } } },
    ...errors({
      400: "Malformed body or envelope", 401: "Missing or bad API key", 403: "Key lacks the ingest scope", 404: "Unknown model version",
      413: "Body or batch too large", 415: "Unsupported Content-Type or Content-Encoding", 422: "No event matched the schema", 429: "Rate limited (see Retry-After)",
    }),
  },
});

export function identityOf(record: ModelVersionRecord): MonitorIdentity {
  return { orgId: record.orgId, model: record.model, version: record.version, predictionKind: record.predictionKind };
}

/** 429 with Retry-After, or undefined when the org may go on. */
export async function rateLimited(c: Context<AppEnv>, route: string): Promise<Response | undefined> {
  const verdict = await checkIngestRate(c.env, c.var.principal!.orgId, route);
  if (verdict.ok) return undefined;
  return c.json(errorBody("rate_limited", verdict.message, { retry_after_seconds: verdict.retryAfterSeconds }), 429, {
    "Retry-After": String(verdict.retryAfterSeconds),
  });
}

export const ingest = new OpenAPIHono<AppEnv>();
ingest.openAPIRegistry.registerPath(ingestDoc);

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
  const { record, registered } = await resolveVersion(c, body.model, body.version, body.items, "ingest");
  const now = Date.now();
  const { batch, rejected } = validateEvents(body.items, body.itemErrors, record.featureSchema, now);
  const listed = rejected.slice(0, MAX_REJECTIONS_LISTED);
  if (batch.length === 0) {
    const first = rejected[0]!;
    throw new ApiError(422, "schema_mismatch", `no event matches the schema of ${record.model} ${record.version}; first: events[${first.index}].${first.field}: ${first.error}`, listed);
  }
  const batchId = body.batchId ?? crypto.randomUUID();
  const stub = monitorStub(c.env, record.orgId, record.model, record.version);
  const result = await stub.ingest({
    identity: identityOf(record),
    features: record.featureSchema.map((f) => ({ name: f.name, kind: f.kind })),
    batchId,
    receivedAt: now,
    count: batch.length,
    events: encodeBatch(batch),
  });
  return c.json({
    accepted: result.accepted,
    rejected: listed,
    rejected_count: rejected.length,
    batch_id: batchId,
    duplicate: result.duplicate,
    ...(registered ? { registered: { model: record.model, version: record.version, feature_schema: record.featureSchema } } : {}),
  }, 200);
});
