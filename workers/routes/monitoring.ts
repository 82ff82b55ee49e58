// Monitoring history and baselines of a model version:
//   GET /v1/models/{model}/versions/{version}/metrics?from&to&window=  (Postgres history)
//   PUT /v1/models/{model}/versions/{version}/baseline                  (pushed to the monitor;
//       a raw CSV / JSON Lines / JSON array dataset (../baselines/), a profile, reference
//       rows, or { from, to }: production traffic, baseline-range.ts)
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gte, lte } from "drizzle-orm";
import { readProfile } from "../../stats/profile/io.ts";
import { buildProfile } from "../../stats/profile/build.ts";
import { authorize } from "../auth/authenticate.ts";
import { featureScores, monitorAggregates } from "../db/schema/index.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { objectBody } from "../ingest/parse-body.ts";
import { readBodyText } from "../ingest/read-body.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { MAX_JSON_ARRAY_CHARS, isJsonArray, profileJsonArray, profileStreamedUpload, uploadLabels, uploadNote, type ProfiledUpload } from "../baselines/upload.ts";
import { STREAMED_UPLOAD_LIMITS, uploadFormat } from "../baselines/read-upload.ts";
import { MAX_BODY_BYTES, MAX_INFLATED_BYTES } from "../ingest/limits.ts";
import { Baseline, createBaseline } from "../registry/baselines.ts";
import type { FeatureSpec } from "../registry/feature-schema.ts";
import { RangeBaselineBody, RangeCoverage, freezeRange, isRangeBody, type FrozenRange } from "./baseline-range.ts";
import { actorOf, principalOf } from "./request-context.ts";

const Params = z.object({ model: z.string(), version: z.string() });
const ErrorSchema = z.object({ error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }) });
const MAX_POINTS = 5_000;
const MB = 1024 * 1024;

const UploadSummarySchema = z
  .object({
    format: z.enum(["csv", "jsonl", "json"]),
    rows: z.number().int(),
    features: z.array(z.string()).openapi({ description: "schema features profiled" }),
    omitted_features: z.array(z.string()).openapi({ description: "schema features the upload has no column for" }),
    ignored_columns: z.array(z.string()).openapi({ description: "upload columns neither in the schema nor `prediction`" }),
    prediction: z.boolean().openapi({ description: "whether a `prediction` column was profiled" }),
  })
  .openapi("BaselineUploadSummary");

const metricsRoute = createRoute({
  method: "get",
  path: "/v1/models/{model}/versions/{version}/metrics",
  tags: ["monitoring"],
  summary: "Monitoring history of a model version",
  description: `Window aggregates and per-feature drift scores as written by the monitor (one point per window at most every 5 s), oldest first, at most ${MAX_POINTS} points.`,
  security: [{ bearer: [] }],
  middleware: [authorize({ scope: "read" })] as const,
  request: {
    params: Params,
    query: z.object({
      from: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; default 1 hour ago" }),
      to: z.iso.datetime({ offset: true }).optional().openapi({ description: "ISO 8601; default now" }),
      window: z.enum(["5m", "1h", "24h"]).default("5m"),
    }),
  },
  responses: {
    200: {
      description: "History",
      content: {
        "application/json": {
          schema: z.object({
            window: z.string(),
            points: z.array(z.object({ at: z.string(), rows: z.number(), drift_share: z.number().nullable(), drifted_features: z.number(), summary: z.unknown() })),
            features: z.record(z.string(), z.array(z.object({ at: z.string(), method: z.string(), score: z.number().nullable(), threshold: z.number(), drifted: z.boolean() }))),
          }),
        },
      },
    },
    404: { description: "Unknown model version", content: { "application/json": { schema: ErrorSchema } } },
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
    "- `application/json` `{ \"profile\": <vigil.profile> }`: a profile as `vigil profile` writes it;\n" +
    "- `application/json` `{ \"rows\": [ { <feature>: value, …, \"prediction\"?: value } ] }`: reference rows, profiled with the version's feature kinds (every schema feature must be present);\n" +
    "- `application/json` `{ \"from\": …, \"to\": … }` (ISO 8601 with offset, or Unix ms): freeze production traffic in that range. The monitor merges its stored sketches " +
    "(minute buckets for the last 2 h, hour roll-ups up to 7 days back; buckets overlapping the range count whole) into a profile: moments and categories exact, " +
    "numerical quantile bins within the KLL rank error (about 1.3% at k = 200). Only traffic counted against the current baseline can be frozen. " +
    "The reply's `range` gives the range actually covered and its rows.\n" +
    "Each stores a baseline (with an audit entry) and makes it active; `name` and `note` are optional. The live feature windows restart on the new baseline's bins.",
  security: [{ bearer: [] }],
  middleware: [authorize({ scope: "write" })] as const,
  request: {
    params: Params,
    query: z.object({
      name: z.string().max(200).optional().openapi({ description: "raw uploads only (CSV, JSON Lines, JSON array); default `upload <time>`" }),
      note: z.string().max(2_000).optional().openapi({ description: "raw uploads only; appended to the audit note" }),
    }),
    body: {
      required: true,
      content: {
        "text/csv": { schema: z.string().openapi({ description: "CSV with a header row", example: "age,region,prediction\n41,north,1\n37,\"south, coast\",0\n" }) },
        "application/x-ndjson": { schema: z.string().openapi({ description: "JSON Lines: one row object per line (also `application/jsonl`, `application/ndjson`, `application/x-jsonlines`)" }) },
        "application/json": {
          schema: z.union([
            z.array(z.record(z.string(), z.unknown())).openapi({ description: "a reference dataset: one object per row" }),
            z.object({ profile: z.record(z.string(), z.unknown()), name: z.string().optional(), note: z.string().optional() }),
            z.object({ rows: z.array(z.record(z.string(), z.unknown())), name: z.string().optional(), note: z.string().optional() }),
            RangeBaselineBody,
          ]),
        },
      },
    },
  },
  responses: {
    200: {
      description: "Baseline set",
      content: {
        "application/json": {
          schema: z
            .object({
              status: z.string(),
              rows: z.number(),
              baseline_id: z.string(),
              baseline: Baseline,
              range: RangeCoverage.optional().openapi({ description: "with `from`/`to` only" }),
              dataset: UploadSummarySchema.optional().openapi({ description: "raw uploads (CSV, JSON Lines, JSON array) only" }),
            })
            .passthrough(),
        },
      },
    },
    400: {
      description: "Invalid profile, rows or range (`details` names the field); a malformed upload (`malformed_dataset`, naming the CSV row and line or the JSON line or element; `malformed_body` for bad gzip or UTF-8); an upload with no rows (`empty_dataset`); a column with no usable value (`invalid_baseline`)",
      content: { "application/json": { schema: ErrorSchema } },
    },
    404: { description: "Unknown model version", content: { "application/json": { schema: ErrorSchema } } },
    413: { description: "Upload past the size limits above (`payload_too_large`)", content: { "application/json": { schema: ErrorSchema } } },
    415: { description: "A Content-Type other than those above (`unsupported_media_type`), or a Content-Encoding other than gzip", content: { "application/json": { schema: ErrorSchema } } },
    422: {
      description: "An upload none of whose columns is a feature of the version's schema (`no_schema_columns`); a range that cannot be frozen: older than the 7-day retention (`range_out_of_retention`), no traffic counted in it (`no_traffic`), or no baseline yet to count against (`no_baseline`)",
      content: { "application/json": { schema: ErrorSchema } },
    },
  },
});

export const monitoring = new OpenAPIHono<AppEnv>();

monitoring.openapi(metricsRoute, async (c) => {
  const { model, version } = c.req.valid("param");
  const query = c.req.valid("query");
  const { record } = await resolveVersion(c, model, version, null, "read");
  const to = query.to ? new Date(query.to) : new Date();
  const from = query.from ? new Date(query.from) : new Date(to.getTime() - 3_600_000);
  if (from > to) throw new ApiError(400, "validation_failed", "from must not be after to", [{ field: "from", error: "after to" }]);
  const scope = (t: typeof monitorAggregates | typeof featureScores) =>
    and(eq(t.orgId, record.orgId), eq(t.model, record.model), eq(t.version, record.version), eq(t.window, query.window), gte(t.at, from), lte(t.at, to));
  const db = c.var.db();
  const points = await db.select().from(monitorAggregates).where(scope(monitorAggregates)).orderBy(asc(monitorAggregates.at)).limit(MAX_POINTS);
  const scores = await db.select().from(featureScores).where(scope(featureScores)).orderBy(asc(featureScores.at)).limit(MAX_POINTS * 50);
  const features: Record<string, { at: string; method: string; score: number | null; threshold: number; drifted: boolean }[]> = {};
  for (const s of scores) {
    (features[s.feature] ??= []).push({ at: s.at.toISOString(), method: s.method, score: s.score, threshold: s.threshold, drifted: s.drifted });
  }
  return c.json({
    window: query.window,
    points: points.map((p) => ({ at: p.at.toISOString(), rows: p.rows, drift_share: p.driftShare, drifted_features: p.driftedFeatures, summary: p.summary })),
    features,
  }, 200);
});

// Documented above, served below: the body is read raw rather than through the route's
// validator (CSV and JSON Lines stream), and its Content-Type, then its shape (an array,
// or which keys an object has), decide which kind it is.
monitoring.openAPIRegistry.registerPath(baselineRoute);

monitoring.put("/v1/models/:model/versions/:version/baseline", authorize({ scope: "write" }), async (c) => {
  const { model, version } = c.req.param();
  const format = uploadFormat(c.req.header("content-type"));
  const { record } = await resolveVersion(c, model, version, null, "write");
  let profile: unknown;
  let frozen: FrozenRange | undefined;
  let upload: ProfiledUpload | undefined;
  let labels: { name?: unknown; note?: unknown };
  if (format !== "json") {
    labels = uploadLabels(new URL(c.req.url).searchParams);
    upload = await profileStreamedUpload(c.req.raw, format, record.featureSchema);
  } else {
    const text = await readBodyText(c.req.raw);
    if (isJsonArray(text)) {
      labels = uploadLabels(new URL(c.req.url).searchParams);
      upload = profileJsonArray(text, record.featureSchema);
    } else {
      const body = objectBody(text);
      labels = body;
      if (isRangeBody(body)) frozen = await freezeRange(c.env, record.orgId, record.model, record.version, body, Date.now());
      else profile = profileFromObject(body, record.featureSchema);
    }
  }
  profile = frozen?.profile ?? upload?.profile ?? profile;
  // The registry's baselines table is the record (validated, audited, one active); the
  // monitor then restarts its windows on it.
  const name = frozen?.name ?? (typeof labels.name === "string" && labels.name.trim() ? labels.name.trim() : `upload ${new Date().toISOString()}`);
  const userNote = typeof labels.note === "string" && labels.note.trim() ? labels.note.trim() : undefined;
  const note = frozen?.note ?? (upload ? uploadNote(upload.summary, userNote) : userNote);
  const baseline = await createBaseline(c.var.db(), principalOf(c), actorOf(c), model, version, {
    name, profile: profile as Record<string, unknown>, activate: true, ...(note ? { note } : {}),
  });
  const info = await monitorStub(c.env, record.orgId, record.model, record.version).setBaseline(profile);
  return c.json({ ...info, baseline_id: baseline.id, baseline, ...(frozen ? { range: frozen.range } : {}), ...(upload ? { dataset: upload.summary } : {}) }, 200);
});

/** `{ profile }` or `{ rows }`: the profile to store. 400 names what is wrong. */
function profileFromObject(body: Record<string, unknown>, schema: FeatureSpec[]): unknown {
  try {
    if (body.profile !== undefined) return readProfile(body.profile);
    if (Array.isArray(body.rows)) {
      const rows = body.rows.filter((r): r is Record<string, unknown> => typeof r === "object" && r !== null && !Array.isArray(r));
      if (rows.length === 0) throw new ApiError(400, "validation_failed", "rows: must hold at least one object", [{ field: "rows", error: "empty" }]);
      const hasPrediction = rows.some((r) => r.prediction !== undefined);
      return buildProfile(rows, {
        features: schema.map((f) => ({ name: f.name, kind: f.kind })),
        ...(hasPrediction ? { prediction: "prediction" } : {}),
        createdAt: new Date().toISOString(),
      });
    }
    throw new ApiError(400, "validation_failed", 'body must hold "profile", "rows" or "from" and "to"', [{ field: "(body)", error: 'expected "profile", "rows" or "from" and "to"' }]);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, "invalid_baseline", (error as Error).message);
  }
}
