// Business impact of a model version (issue 17; stats/impact/README.md):
//   PUT/GET /v1/models/{model}/versions/{version}/value-matrix   what each outcome is worth (audited; pushed to the monitor)
//   GET     /v1/models/{model}/versions/{version}/impact          a KPI against a model metric by event time, with correlations
//   GET     /v1/models/{model}/versions/{version}/impact/events   drift onsets and alert periods with the KPI before and after
//   GET     /v1/models/{model}/versions/{version}/impact/kpis     the KPIs reported for the model
// SQL and statistics live in ../impact/; this file only reads the request and shapes the reply.
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { authorize } from "../auth/authenticate.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import { alertPeriods } from "../impact/alert-periods.ts";
import { align, driftPeriods, impactStats, kpiAcross, requireMetricData, type ImpactEvent } from "../impact/analyse.ts";
import { knownKpis, kpiSeries, requireKpi } from "../impact/kpi-series.ts";
import { BUCKET_MS, KNOWN_METRICS, columnsFor, parseMetric, readSeries, type Granularity } from "../impact/metric-series.ts";
import { ImpactEvents, ImpactKpis, ImpactReply } from "../impact/schemas.ts";
import { ValueMatrixBody, ValueMatrixReply, parseValueMatrix } from "../impact/value-matrix-schema.ts";
import { checkFit, getValueMatrix, putValueMatrix, type StoredValueMatrix } from "../impact/value-matrix-store.ts";
import { monitorStub } from "../ingest/monitor-stub.ts";
import { resolveVersion } from "../ingest/resolve-version.ts";
import { authErrors, describedErrors, orgSecurity } from "../openapi/errors.ts";
import { VersionParams } from "../openapi/params.ts";
import { jsonBody, jsonResponse } from "../openapi/shapes.ts";
import type { ModelVersionRecord } from "../registry/versions.ts";
import { actorOf } from "./request-context.ts";

const base = "/v1/models/{model}/versions/{version}";
const tags = ["impact"];
const unknownVersion = describedErrors({ 404: "Unknown model version, or one outside the caller's reach" });
/** Most buckets one query spans (7 days of minutes; 30 days of hours is 720). */
export const MAX_BUCKETS = 10_080;

const range = {
  from: z.string().optional().openapi({ description: "ISO 8601 with offset, or Unix ms; default `to` minus 24 hours (7 days for day buckets)" }),
  to: z.string().optional().openapi({ description: "ISO 8601 with offset, or Unix ms; default now" }),
  granularity: z.enum(["minute", "hour", "day"]).default("hour").openapi({ description: "bucket size; metrics follow each prediction's own timestamp, KPIs each outcome's" }),
  agg: z.enum(["mean", "sum", "count"]).default("mean").openapi({ description: "the KPI per bucket: mean of its outcomes' values (a rate), their sum (revenue), or their count" }),
  segment: z.string().optional().openapi({ description: "`key:value`: only outcomes reported with this segment pair" }),
};

const ImpactQuery = z.object({
  kpi: z.string().min(1).max(200).openapi({ description: "a KPI name sent to POST /v1/outcomes" }),
  metric: z.string().min(1).max(300).default("drift_share").openapi({ description: `the model metric: ${KNOWN_METRICS.join(", ")}` }),
  ...range,
});
const EventsQuery = z.object({ kpi: ImpactQuery.shape.kpi, ...range });

function time(value: string | undefined, field: string, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms) || (!/^\d+$/.test(value) && !/(Z|[+-]\d\d:?\d\d)$/i.test(value))) {
    throw new ApiError(400, "validation_failed", `${field} must be ISO 8601 with an offset, or Unix ms: "${value.slice(0, 60)}"`, [{ field, error: "expected ISO 8601 with offset or Unix ms" }]);
  }
  return ms;
}

interface Window {
  from: number;
  to: number;
  granularity: Granularity;
  bucketMs: number;
  segment?: Record<string, string>;
}

function windowOf(q: { from?: string; to?: string; granularity: Granularity; segment?: string | undefined }, now: number): Window {
  const bucketMs = BUCKET_MS[q.granularity];
  const toRaw = time(q.to, "to", now);
  const fromRaw = time(q.from, "from", toRaw - (q.granularity === "day" ? 7 : 1) * BUCKET_MS.day);
  if (fromRaw >= toRaw) throw new ApiError(400, "validation_failed", "from must be before to", [{ field: "from", error: "not before to" }]);
  // Whole buckets: the first one holding `from`, up to the end of the one holding `to`.
  const from = Math.floor(fromRaw / bucketMs) * bucketMs;
  const to = Math.ceil(toRaw / bucketMs) * bucketMs;
  const buckets = (to - from) / bucketMs;
  if (buckets > MAX_BUCKETS) {
    throw new ApiError(400, "validation_failed", `the range spans ${buckets} ${q.granularity} buckets, more than ${MAX_BUCKETS}; narrow it or use a coarser granularity`, [{ field: "from", error: "range too long for the granularity" }]);
  }
  let segment: Record<string, string> | undefined;
  if (q.segment !== undefined) {
    const at = q.segment.indexOf(":");
    if (at <= 0) throw new ApiError(400, "validation_failed", `segment must be key:value, got "${q.segment.slice(0, 60)}"`, [{ field: "segment", error: "expected key:value" }]);
    segment = { [q.segment.slice(0, at)]: q.segment.slice(at + 1) };
  }
  return { from, to, granularity: q.granularity, bucketMs, ...(segment ? { segment } : {}) };
}

function matrixReply(record: ModelVersionRecord, stored: StoredValueMatrix) {
  const { kind, currency, ...matrix } = stored.matrix;
  return { model: record.model, version: record.version, kind, currency, matrix, updated_by: stored.updatedBy, updated_at: stored.updatedAt.toISOString() };
}

const putMatrix = createRoute({
  method: "put",
  path: `${base}/value-matrix`,
  tags,
  summary: "Set what each prediction outcome is worth",
  description:
    "Binary: `{ currency, tp, fp, fn, tn, positive_label? }`. Multiclass: `{ currency, matrix: { <actual>: { <predicted>: value } } }` valuing every pair of its labels. " +
    "Regression: `{ currency, per_unit }` or asymmetric `{ currency, under, over }` per unit of absolute error. Every window then carries `value` and `value_vs_baseline`; the change is audited.",
  security: orgSecurity,
  request: { params: VersionParams, body: jsonBody(ValueMatrixBody) },
  responses: {
    200: jsonResponse(ValueMatrixReply, "The matrix as stored"),
    ...authErrors,
    ...unknownVersion,
    ...describedErrors({
      400: "A malformed matrix (`details` names each field)",
      422: "A matrix that does not fit the version: another kind than the version predicts (`matrix_kind_mismatch`), or labels that do not match (`matrix_labels_mismatch`, naming them)",
    }),
  },
});

const getMatrix = createRoute({
  method: "get",
  path: `${base}/value-matrix`,
  tags,
  summary: "The value matrix of a model version",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams },
  responses: { 200: jsonResponse(ValueMatrixReply, "The matrix"), ...authErrors, ...describedErrors({ 404: "Unknown version, or no value matrix set (`no_value_matrix`)" }) },
});

const impactRoute = createRoute({
  method: "get",
  path: `${base}/impact`,
  tags,
  summary: "How a model metric moves a business KPI",
  description:
    "Aligns the KPI (outcomes by their own timestamp) with the model metric computed by event time (each prediction's timestamp), bucket by bucket, so backfilled traffic " +
    "gives the answer live traffic would have. `points` are `[bucket start (Unix ms), metric, kpi]`; `pearson` and `spearman` carry r, a Fisher-z 95 % interval, the t-test p-value " +
    "and one adjusted for autocorrelation; `best_lag` is the lag in −6…+6 buckets (positive: the KPI follows) with the largest |r|. Fewer than 10 aligned points: null with `reasons`. " +
    "Formulas and sources: stats/impact/README.md.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams, query: ImpactQuery },
  responses: {
    200: jsonResponse(ImpactReply, "The aligned series and their statistics"),
    ...authErrors,
    ...describedErrors({
      400: "Unknown metric (the known ones listed), bad range or segment",
      404: "Unknown version, or an unknown KPI (`unknown_kpi`, `details.known_kpis` lists the model's KPIs)",
      422: "A metric that needs labels none of the range's predictions has (`no_labels`), or a value metric without a value matrix (`no_value_matrix`)",
    }),
  },
});

const eventsRoute = createRoute({
  method: "get",
  path: `${base}/impact/events`,
  tags,
  summary: "Drift onsets and alert periods, with the KPI before and during each",
  description:
    "Drift periods are runs of buckets in which a feature drifted (by event time); alert periods run from opening to resolution. For each, the KPI's mean during the period is compared " +
    "with the same length just before it (at most 24 buckets): Welch's difference, 95 % interval and p-value.",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams, query: EventsQuery },
  responses: { 200: jsonResponse(ImpactEvents, "Events, oldest first"), ...authErrors, ...describedErrors({ 400: "Bad range or segment", 404: "Unknown version or KPI (`unknown_kpi`)" }) },
});

const kpisRoute = createRoute({
  method: "get",
  path: `${base}/impact/kpis`,
  tags,
  summary: "The KPIs reported for the model",
  security: orgSecurity,
  middleware: [authorize({ scope: "read" })] as const,
  request: { params: VersionParams },
  responses: { 200: jsonResponse(ImpactKpis, "KPIs, most reported first"), ...authErrors, ...unknownVersion },
});

export const impactRoutes = new OpenAPIHono<AppEnv>();

// Documented above, served below: the body is read here rather than by the route's
// validator, so a bad matrix is told apart by kind and each bad field named
// (../impact/value-matrix-schema.ts), not reported as a failed union.
impactRoutes.openAPIRegistry.registerPath(putMatrix);
impactRoutes.put("/v1/models/:model/versions/:version/value-matrix", authorize({ scope: "write" }), async (c) => {
    const { model, version } = c.req.param();
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new ApiError(400, "validation_failed", "body must be JSON", [{ field: "(body)", error: "not valid JSON" }]);
    }
    const matrix = parseValueMatrix(body);
    const { record } = await resolveVersion(c, model, version, null, "write");
    const monitor = monitorStub(c.env, record.orgId, record.model, record.version);
    checkFit(record, matrix, matrix.kind === "regression" ? [] : await monitor.predictionLabels());
    const stored = await putValueMatrix(c.var.db(), actorOf(c), record, matrix);
    await monitor.setValueMatrix(matrix);
    return c.json(matrixReply(record, stored), 200);
});

impactRoutes
  .openapi(getMatrix, async (c) => {
    const { model, version } = c.req.valid("param");
    const { record } = await resolveVersion(c, model, version, null, "read");
    const stored = await getValueMatrix(c.var.db(), record.versionId);
    if (!stored) throw new ApiError(404, "no_value_matrix", `no value matrix is set for ${model} ${version}`);
    return c.json(matrixReply(record, stored), 200);
  })
  .openapi(impactRoute, async (c) => {
    const { model, version } = c.req.valid("param");
    const q = c.req.valid("query");
    const metric = parseMetric(q.metric);
    const w = windowOf(q, Date.now());
    const { record } = await resolveVersion(c, model, version, null, "read");
    const db = c.var.db();
    // One after another on the request's one connection: issued together they would each open
    // a connection of the pool, which costs more than it saves (and PGlite serves one at a time).
    await requireKpi(db, record.orgId, record.model, q.kpi);
    const matrix = metric.kind === "value" ? ((await getValueMatrix(db, record.versionId))?.matrix ?? null) : null;
    const buckets = await readSeries(db, { orgId: record.orgId, model: record.model, version: record.version, granularity: w.granularity, from: w.from, to: w.to, read: columnsFor(metric, w.granularity) });
    requireMetricData(buckets, metric, q.metric, matrix);
    const kpi = await kpiSeries(db, { orgId: record.orgId, model: record.model, version: record.version, kpi: q.kpi, from: w.from, to: w.to, bucketMs: w.bucketMs, agg: q.agg, ...(w.segment ? { segment: w.segment } : {}) });
    const { points } = align(buckets, kpi, metric, matrix);
    const stats = impactStats(points, w.bucketMs);
    return c.json({
      model: record.model, version: record.version, kpi: q.kpi, metric: q.metric, agg: q.agg, granularity: w.granularity,
      from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(),
      ...(matrix ? { currency: matrix.currency } : {}),
      points, ...stats,
    }, 200);
  })
  .openapi(eventsRoute, async (c) => {
    const { model, version } = c.req.valid("param");
    const q = c.req.valid("query");
    const w = windowOf(q, Date.now());
    const { record } = await resolveVersion(c, model, version, null, "read");
    const db = c.var.db();
    await requireKpi(db, record.orgId, record.model, q.kpi);
    // The stretch before the range's first event is read too.
    const lookBack = 24 * w.bucketMs;
    const buckets = await readSeries(db, { orgId: record.orgId, model: record.model, version: record.version, granularity: w.granularity, from: w.from, to: w.to });
    const kpi = await kpiSeries(db, { orgId: record.orgId, model: record.model, version: record.version, kpi: q.kpi, from: w.from - lookBack, to: w.to, bucketMs: w.bucketMs, agg: q.agg, ...(w.segment ? { segment: w.segment } : {}) });
    const events: ImpactEvent[] = [];
    for (const d of driftPeriods(buckets, w.bucketMs)) {
      events.push({ kind: "drift", label: `drift of ${d.feature}`, feature: d.feature, start: d.start, end: d.end, ...kpiAcross(kpi, d.start, d.end, w.bucketMs) });
    }
    for (const a of await alertPeriods(db, record.orgId, record.model, record.version, w.from, w.to)) {
      // Buckets the alert overlaps, whole.
      const start = Math.floor(a.start / w.bucketMs) * w.bucketMs;
      const end = Math.max(start + w.bucketMs, Math.ceil(a.end / w.bucketMs) * w.bucketMs);
      events.push({ kind: "alert", label: `${a.rule}: ${a.summary}`.slice(0, 300), alert_id: a.id, severity: a.severity, start, end, ...kpiAcross(kpi, start, end, w.bucketMs) });
    }
    events.sort((a, b) => a.start - b.start);
    return c.json({ model: record.model, version: record.version, kpi: q.kpi, agg: q.agg, granularity: w.granularity, from: new Date(w.from).toISOString(), to: new Date(w.to).toISOString(), events: events.slice(0, 500) }, 200);
  })
  .openapi(kpisRoute, async (c) => {
    const { model, version } = c.req.valid("param");
    const { record } = await resolveVersion(c, model, version, null, "read");
    return c.json({ model: record.model, kpis: await knownKpis(c.var.db(), record.orgId, record.model) }, 200);
  });
