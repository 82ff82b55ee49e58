// POST /v1/integrations/cloudevents: zero-code ingest from KServe's and Seldon Core's
// payload loggers (docs/integrations.md). Each inference arrives as two CloudEvents, the
// request and the response; the model version's object pairs them (durable/monitor/
// cloudevent-pairs.ts), and the pair is stored through the same path as POST /v1/ingest
// (ingest/store-events.ts) with batch id `ce:<pair id>`, so a re-sent event never counts
// twice. Loggers cannot set headers: the key may come as `?key=` (a revocable API key;
// give the logger its own, limited to the model, with the ingest scope).
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { authorize } from "../auth/authenticate.ts";
import { keyFromQuery } from "../auth/key-from-query.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { parseCloudEvents, type InferenceEvent } from "../integrations/cloudevent.ts";
import type { MappingOptions } from "../integrations/inference-payloads.ts";
import { pairToEvents } from "../integrations/pair-to-events.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { nameField } from "../ingest/parse-body.ts";
import { rateLimited } from "../ingest/rate-limited.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { IngestReply, NameField } from "../ingest/schemas.ts";
import { storeEvents, type StoredEvents } from "../ingest/store-events.ts";
import { authErrors, describedErrors, errorResponses, orgSecurity, rateLimitedResponse } from "../openapi/errors.ts";

/** One half's data as JSON text, at most: the object keeps it until its partner comes. */
export const MAX_HALF_BYTES = 1024 * 1024;
/** Events per batched-mode request. */
export const MAX_EVENTS_PER_REQUEST = 1_000;

const EventResult = z
  .object({
    pair_id: z.string(),
    status: z.enum(["waiting", "ingested", "duplicate", "refused"]).openapi({
      description: "waiting: this half is stored until its partner comes (1 h); ingested: the pair was stored as events; duplicate: the pair was already ingested; refused: (batched mode) this event was refused, see error",
    }),
    waiting_for: z.enum(["request", "response"]).optional(),
    ingest: IngestReply.optional().openapi({ description: "For an ingested pair: the reply POST /v1/ingest gives for its events" }),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }).optional(),
  })
  .openapi("CloudEventResult");

const cloudEventsRoute = createRoute({
  method: "post",
  path: "/v1/integrations/cloudevents",
  tags: ["ingest"],
  summary: "Inference request/response CloudEvents from KServe or Seldon payload logging",
  description:
    "Accepts `org.kubeflow.serving.inference.request|response` (KServe) and `io.seldon.serving.inference.request|response` (Seldon Core) CloudEvents in binary mode " +
    "(`ce-*` headers, JSON payload as the body), structured mode (`application/cloudevents+json`) or batched mode (`application/cloudevents-batch+json`). " +
    "The request and response of one inference are paired by `ce-requestid` (Seldon) or `ce-id` (KServe), in either order; the pair becomes one event per instance: " +
    "features from V1 `instances`, Open Inference Protocol V2 `inputs` or a SeldonMessage, predictions from `predictions`, `outputs` or the SeldonMessage. " +
    "Model and version come from the query, else `ce-inferenceservicename` and `ce-endpoint` (else `default`). The API key may be sent as `?key=`.",
  security: orgSecurity,
  request: {
    query: z.object({
      model: NameField.optional().openapi({ description: "Default: the event's `inferenceservicename`" }),
      version: NameField.optional().openapi({ description: "Default: the event's `endpoint`, else `default`" }),
      key: z.string().optional().openapi({ description: "An API key with the ingest scope, for loggers that cannot set headers" }),
      features: z.string().optional().openapi({ description: "Comma-separated names for unnamed feature columns (default f0, f1, …)" }),
      output: z.string().optional().openapi({ description: "The V2 output holding the predictions (default: the first)" }),
    }),
    body: {
      required: true,
      content: {
        "application/json": { schema: z.unknown().openapi({ description: "Binary mode: the inference payload, with the CloudEvent attributes in ce-* headers" }) },
        "application/cloudevents+json": { schema: z.record(z.string(), z.unknown()).openapi({ description: "Structured mode: one CloudEvent" }) },
        "application/cloudevents-batch+json": { schema: z.array(z.record(z.string(), z.unknown())).openapi({ description: "Batched mode" }) },
      },
    },
  },
  responses: {
    200: { description: "The pair was ingested, or was already (batched mode: one result per event)", content: { "application/json": { schema: z.union([EventResult, z.object({ results: z.array(EventResult) })]) } } },
    202: { description: "This half is stored until its partner arrives", content: { "application/json": { schema: EventResult } } },
    ...authErrors,
    ...describedErrors({
      404: "Unknown model version (and the caller may not register it), or one outside the key's project or model",
      413: `Body past the byte limits, a half over ${MAX_HALF_BYTES} bytes, or more than ${MAX_EVENTS_PER_REQUEST} events`,
      422: "The payloads cannot be mapped to features and predictions (`details` names the field), or no event matches the version's schema",
    }),
    ...errorResponses(415),
    ...rateLimitedResponse,
  },
});

type EventResultBody = z.infer<typeof EventResult>;

function mappingOptions(c: Context<AppEnv>): MappingOptions {
  const features = c.req.query("features");
  const output = c.req.query("output");
  return {
    ...(features ? { featureNames: features.split(",").map((f) => f.trim()) } : {}),
    ...(output ? { output } : {}),
  };
}

async function handleEvent(c: Context<AppEnv>, event: InferenceEvent, options: MappingOptions): Promise<EventResultBody> {
  const model = nameField(c.req.query("model") ?? event.service ?? undefined, c.req.query("model") ? "model (query)" : "model (query, or ce-inferenceservicename)");
  const version = nameField(c.req.query("version") ?? event.endpoint ?? "default", c.req.query("version") ? "version (query)" : "version (ce-endpoint)");
  const payload = JSON.stringify(event.data);
  if (payload.length > MAX_HALF_BYTES) throw new ApiError(413, "payload_too_large", `the ${event.kind} payload is ${payload.length} bytes, more than ${MAX_HALF_BYTES}`, { limit_bytes: MAX_HALF_BYTES });
  const stub = monitorStub(c.env, c.var.principal!.orgId, model, version);
  const offer = await stub.offerCloudEvent({ pairId: event.pairId, kind: event.kind, at: event.time ?? Date.now(), payload });
  if (offer.state === "done") return { pair_id: event.pairId, status: "duplicate" };
  if (offer.state === "waiting") return { pair_id: event.pairId, status: "waiting", waiting_for: offer.waitingFor };
  let stored: StoredEvents;
  try {
    const items = pairToEvents({ pairId: event.pairId, request: offer.request, response: offer.response }, options);
    stored = await storeEvents(c, { model, version, batchId: `ce:${event.pairId}`, items, itemErrors: new Map() });
  } catch (error) {
    // A pair whose payloads cannot be mapped never will be: forget it rather than keep it an hour.
    if (error instanceof ApiError && error.status === 422) await stub.completeCloudEvent(event.pairId);
    throw error;
  }
  await stub.completeCloudEvent(event.pairId);
  return { pair_id: event.pairId, status: "ingested", ingest: stored };
}

export const integrations = new OpenAPIHono<AppEnv>();
integrations.openAPIRegistry.registerPath(cloudEventsRoute);

integrations.post("/v1/integrations/cloudevents", keyFromQuery(), authorize({ scope: "ingest" }), async (c) => {
  const limited = await rateLimited(c, "ingest");
  if (limited) return limited;
  const text = await readBodyText(c.req.raw);
  const events = parseCloudEvents(c.req.raw.headers, text);
  if (events.length > MAX_EVENTS_PER_REQUEST) throw new ApiError(413, "too_many_events", `batch holds ${events.length} events, more than ${MAX_EVENTS_PER_REQUEST}; split it`);
  const options = mappingOptions(c);
  const batched = (c.req.header("content-type") ?? "").toLowerCase().startsWith("application/cloudevents-batch+json");
  if (!batched) {
    const result = await handleEvent(c, events[0]!, options);
    return c.json(result, result.status === "waiting" ? 202 : 200);
  }
  const results: EventResultBody[] = [];
  for (const event of events) {
    try {
      results.push(await handleEvent(c, event, options));
    } catch (error) {
      if (!(error instanceof ApiError) || error.status >= 500 || error.status === 401 || error.status === 403) throw error;
      results.push({ pair_id: event.pairId, status: "refused", error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } });
    }
  }
  return c.json({ results }, 200);
});
