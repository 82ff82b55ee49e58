// Monitoring history and baselines of a model version:
//   GET /v1/models/{model}/versions/{version}/metrics?from&to&window=  (Postgres history, ../history/)
//   PUT /v1/models/{model}/versions/{version}/baseline                  (pushed to the monitor;
//       a raw CSV / JSON Lines / JSON array dataset, a profile, reference rows, or
//       { from, to }: production traffic; read by ../baselines/put-body.ts)
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import { readBaselineInput } from "../baselines/put-body.ts";
import { pseudonymizeBaseline } from "../pii/apply.ts";
import { STREAMED_UPLOAD_LIMITS, uploadFormat } from "../baselines/read-upload.ts";
import { BaselineReply, baselineBodyContent } from "../baselines/schemas.ts";
import { MAX_JSON_ARRAY_CHARS } from "../baselines/upload.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { MAX_POINTS, metricsHistory } from "../history/metrics.ts";
import { MAX_BODY_BYTES, MAX_INFLATED_BYTES } from "../ingest/limits.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { authErrors, describedErrors, errorResponses, orgSecurity } from "../openapi/errors.ts";
import { VersionParams } from "../openapi/params.ts";
import { jsonResponse } from "../openapi/shapes.ts";
import { SegmentQuery, segmentParam } from "./segment-param.ts";
import { createBaseline } from "../registry/baselines.ts";
import { approvalsRequired } from "../signatures/policy.ts";
import { PendingApproval, SignatureInput } from "../signatures/schemas.ts";
import { actorOf, principalOf } from "./request-context.ts";
import { signerOf } from "./signer.ts";

const MB = 1024 * 1024;
const unknownVersion = describedErrors({ 404: "Unknown model version, or one outside the key's project or model" });

const MetricsHistory = z
  .object({
    window: z.enum(["5m", "1h", "24h"]),
    points: z.array(z.object({ at: z.string(), rows: z.number(), drift_share: z.number().nullable(), drifted_features: z.number(), summary: z.unknown() })),
    features: z.record(z.string(), z.array(z.object({ at: z.string(), method: z.string(), score: z.number().nullable(), threshold: z.number(), drifted: z.boolean() }))),
  })
  .openapi("MetricsHistory");

const metricsRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/versions/{version}/metrics",
  tags: ["monitoring"],
  summary: "Monitoring history of a model version",
  description:
    `Window aggregates and per-feature drift scores as written by the monitor (one point per window at most every 5 s), oldest first, at most ${MAX_POINTS} points. ` +
    "With `segment` (dimension:value, or `other`), a tracked segment's windows in the same shape (one point per window at most every minute); 400 when malformed, 404 when the monitor does not track it.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: {
    params: VersionParams,
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; default 1 hour before `to`" }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; default now" }),
      window: z.enum(["5m", "1h", "24h"]).default("5m"),
      segment: SegmentQuery.shape.segment,
    }),
  },
  responses: {
    200: jsonResponse(MetricsHistory, "History"),
    ...authErrors,
    ...describedErrors({
      400: "`from` after `to`, or a malformed `segment`",
      404: "Unknown model version, or one outside the key's project or model; or a segment the monitor does not track (`segment_not_tracked`)",
    }),
  },
});

const baselineRoute = createRoute({
  method: "put",
  path: "/v1/models/{model}/versions/{version}/baseline",
  tags: ["monitoring"],
  summary: "Set the reference (baseline) a model version is scored against",
  description:
    "The body is one of:\n" +
    "- a reference dataset, uploaded raw: `text/csv` (a header row, then one row per prediction; quoted fields may hold commas, quotes and line breaks; " +
    "an empty cell is missing), `application/x-ndjson` (or `application/jsonl`; JSON Lines, one row object per line) or `application/json` holding a bare array of row objects. " +
    "Columns are matched to the version's feature schema, which gives each its kind; `prediction`, when present, is profiled as the prediction. " +
    "Schema features the upload lacks are left out (listed in the reply's `dataset.omitted_features`), other columns are ignored. " +
    "Any of them may be gzip-compressed (`Content-Encoding: gzip`); `name` and `note` come from the query. " +
    `CSV and JSON Lines are parsed as they stream in, up to ${STREAMED_UPLOAD_LIMITS.wire / MB} MB on the wire and ${STREAMED_UPLOAD_LIMITS.inflated / MB} MB inflated; ` +
    `a JSON array is parsed whole: ${MAX_BODY_BYTES / MB} MB on the wire, ${MAX_INFLATED_BYTES / MB} MB inflated, at most ${MAX_JSON_ARRAY_CHARS / MB} M characters.\n` +
    "- `application/json` `{ \"profile\": <vigil.profile> }`: a Vigil profile (as `GET …/baselines/{id}` returns it);\n" +
    "- `application/json` `{ \"rows\": [ { <feature>: value, …, \"prediction\"?: value } ] }`: reference rows, profiled with the version's feature kinds (every schema feature must be present);\n" +
    "- `application/json` `{ \"from\": …, \"to\": … }` (ISO 8601 with offset, or Unix ms): freeze production traffic in that range. The monitor merges its stored sketches " +
    "(minute buckets for the last 2 h, hour roll-ups up to 7 days back; buckets overlapping the range count whole) into a profile: moments and categories exact, " +
    "numerical quantile bins within the KLL rank error (about 1.3% at k = 200). Only traffic counted against the current baseline can be frozen. " +
    "The reply's `range` gives the range actually covered and its rows.\n" +
    "Each stores a baseline (with an audit entry) and makes it active; `name` and `note` are optional. The live feature windows restart on the new baseline's bins.\n" +
    "When the org's signature policy requires it (`baseline_change`), a JSON object body carries `\"signature\": { \"password\", \"meaning\" }` from a signed-in user: the baseline is stored " +
    "and becomes active once enough distinct users signed (202 with the pending approval until then; later signers use POST …/baselines/{id}/activate). " +
    "A raw upload (CSV, JSON Lines, JSON array) cannot carry a signature and is refused with 428 while signatures are required: send the rows as `{ \"rows\": […], \"signature\": … }`.",
  security: orgSecurity,
  request: {
    params: VersionParams,
    query: z.object({
      name: z.string().max(200).optional().openapi({ description: "raw uploads only (CSV, JSON Lines, JSON array); default `upload <time>`" }),
      note: z.string().max(2_000).optional().openapi({ description: "raw uploads only; appended to the audit note" }),
    }),
    body: { required: true, content: baselineBodyContent },
  },
  responses: {
    200: jsonResponse(BaselineReply, "Baseline set"),
    202: jsonResponse(PendingApproval, "Stored and signed; active once more users sign"),
    ...authErrors,
    ...unknownVersion,
    ...describedErrors({
      400: "Invalid profile, rows or range (`details` names the field); a malformed upload (`malformed_dataset`, naming the CSV row and line or the JSON line or element; `malformed_body` for bad gzip or UTF-8); an upload with no rows (`empty_dataset`); a column with no usable value (`invalid_baseline`)",
      409: "A baseline of that name already exists for the version",
      413: "Upload past the size limits above (`payload_too_large`)",
      415: "A Content-Type other than those above (`unsupported_media_type`), or a Content-Encoding other than gzip",
      422: "An upload none of whose columns is a feature of the version's schema (`no_schema_columns`); a range that cannot be frozen: older than the 7-day retention (`range_out_of_retention`), no traffic counted in it (`no_traffic`), or no baseline yet to count against (`no_baseline`)",
      428: "Baseline changes need electronic signatures in this org (`signature_required`): none given, or a raw upload, which cannot carry one",
      429: "Too many wrong signing passwords for this account (the sign-in limits)",
    }),
  },
});

export const monitoring = new OpenAPIHono<AppEnv>();

monitoring.openapi(metricsRoute, async (c) => {
  const { model, version } = c.req.valid("param");
  const query = c.req.valid("query");
  const segment = segmentParam(query.segment);
  const { record } = await resolveVersion(c, model, version, null, "read");
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  if (from > to) throw new ApiError(400, "validation_failed", "from must not be after to", [{ field: "from", error: "after to" }]);
  if (segment !== undefined && !(await monitorStub(c.env, record.orgId, record.model, record.version).tracksSegment(segment))) {
    throw new ApiError(404, "segment_not_tracked", `segment "${segment}" is not tracked by ${record.model} ${record.version} (the top-K segments by volume and "other" are)`, [{ field: "segment", error: "not tracked" }]);
  }
  const history = await metricsHistory(c.var.db(), { orgId: record.orgId, model: record.model, version: record.version, window: query.window, from, to, ...(segment !== undefined ? { segment } : {}) });
  return c.json(history, 200);
});

// Documented above, served below: the body is read raw rather than through the route's
// validator (CSV and JSON Lines stream), and its Content-Type, then its shape (an array,
// or which keys an object has), decide which kind it is.
monitoring.openAPIRegistry.registerPath(baselineRoute);

monitoring.put("/v1/models/:model/versions/:version/baseline", authorize({ scope: "write" }), async (c) => {
  const { model, version } = c.req.param();
  const format = uploadFormat(c.req.header("content-type"));
  const { record } = await resolveVersion(c, model, version, null, "write");
  if (format !== "json" && (await approvalsRequired(c.var.db(), record.orgId, "baseline_change")) > 0) {
    // Refused before the upload is read: a streamed body has nowhere to carry a signature.
    throw new ApiError(428, "signature_required", 'baseline changes need electronic signatures in this org, and a raw upload cannot carry one: send the rows as application/json { "rows": […], "signature": { "password", "meaning" } }', { action: "baseline_change" });
  }
  const input = await readBaselineInput(c.req.raw, format, record, c.env, Date.now());
  // PII categoricals are stored and monitored as keyed hashes, as ingest sends them (workers/pii/).
  input.profile = await pseudonymizeBaseline(c.var.db(), record.orgId, record.featureSchema, input.profile);
  for (const [key, p] of Object.entries(input.segmentProfiles ?? {})) input.segmentProfiles![key] = await pseudonymizeBaseline(c.var.db(), record.orgId, record.featureSchema, p);
  const signature = input.signature === undefined ? undefined : SignatureInput.safeParse(input.signature);
  if (signature && !signature.success) {
    const issues = signature.error.issues.map((i) => ({ field: ["signature", ...i.path].join("."), error: i.message }));
    throw new ApiError(400, "validation_failed", `invalid json: ${issues[0]!.field}: ${issues[0]!.error}`, issues);
  }
  const signer = await signerOf(c, signature?.data, { action: "baseline_change", model, version });
  // The registry's baselines table is the record (validated, audited, one active); the
  // monitor then restarts its windows on it.
  const baseline = await createBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, {
    name: input.name, profile: input.profile, activate: true, ...(input.note ? { note: input.note } : {}),
  }, signer);
  if ("pending" in baseline) return c.json({ status: "pending_approval" as const, approval: baseline.pending }, 202);
  const info = await monitorStub(c.env, record.orgId, record.model, record.version).setBaseline(input.profile, input.jointRows, input.segmentProfiles);
  return c.json({ ...info, baseline_id: baseline.id, baseline, ...(input.range ? { range: input.range } : {}), ...(input.dataset ? { dataset: input.dataset } : {}) }, 200);
});
