// A model version's metric as a series of event-time buckets, read from monitor_series
// (written by the ModelMonitor's outbox, durable/monitor/series.ts). Minutes and hours are
// read as stored; a day merges its hours: counts add, performance sums merge exactly
// (stats/perf), and drift, which is not additive, is the row-weighted mean of the hours'.
// Values are recomputed from the performance sums with the version's current matrix, so
// a series stays comparable across a change of matrix.
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import { PerfState } from "../../durable/monitor/perf.ts";
import { outcomesOf } from "../../durable/monitor/value.ts";
import { valueOf, type ValueMatrix } from "../../stats/impact/value.ts";
import type { Queryable } from "../db/queryable.ts";
import { monitorSeries } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";

export type Granularity = "minute" | "hour" | "day";
export const BUCKET_MS: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export const PERFORMANCE_METRICS = ["accuracy", "precision", "recall", "f1", "macro_precision", "macro_recall", "macro_f1", "roc_auc", "log_loss", "brier", "mae", "rmse", "mape", "r2", "bias"] as const;
const OTHER_METRICS = ["volume", "drift_share", "prediction_drift", "value_per_prediction", "value_total", "drift:<feature>"] as const;
export const KNOWN_METRICS: readonly string[] = [...OTHER_METRICS, ...PERFORMANCE_METRICS];

export type MetricSpec =
  | { kind: "volume" | "drift_share" | "prediction_drift" }
  | { kind: "feature_drift"; feature: string }
  | { kind: "value"; per: "prediction" | "total" }
  | { kind: "performance"; name: string };

/** The metric a query names, or a 400 listing the known ones. */
export function parseMetric(name: string): MetricSpec {
  if (name === "volume" || name === "drift_share" || name === "prediction_drift") return { kind: name };
  if (name.startsWith("drift:") && name.length > 6) return { kind: "feature_drift", feature: name.slice(6) };
  if (name === "value_per_prediction" || name === "value.per_prediction") return { kind: "value", per: "prediction" };
  if (name === "value_total" || name === "value.total") return { kind: "value", per: "total" };
  if ((PERFORMANCE_METRICS as readonly string[]).includes(name)) return { kind: "performance", name };
  throw new ApiError(400, "validation_failed", `unknown metric "${name}"; known: ${KNOWN_METRICS.join(", ")}`, [{ field: "metric", error: `expected one of ${KNOWN_METRICS.join(", ")}` }]);
}

/** Needs joined labels (accuracy, value, …). */
export const needsLabels = (m: MetricSpec) => m.kind === "performance" || m.kind === "value";

/** One event-time bucket of the version. */
export interface SeriesBucket {
  t: number;
  rows: number;
  labeled: number;
  driftShare: number | null;
  drifted: string[];
  featureScores: Record<string, number>;
  predictionScore: number | null;
  metrics: Record<string, number>;
  perf: PerfState | null;
}

export interface SeriesQuery {
  orgId: string;
  model: string;
  version: string;
  granularity: Granularity;
  from: number;
  to: number;
  /**
   * Which heavy columns to read: the performance sums (about 3 KB an hour, needed for values
   * and to merge days) and the per-feature scores. A 30-day hourly accuracy series reads
   * neither, which keeps it to a few KB.
   */
  read?: { perf?: boolean; scores?: boolean };
}

/** What a metric needs read from each stored bucket. */
export function columnsFor(m: MetricSpec | null, granularity: Granularity): { perf: boolean; scores: boolean } {
  return {
    perf: m === null ? false : m.kind === "value" || (granularity === "day" && m.kind === "performance"),
    scores: m !== null && m.kind === "feature_drift",
  };
}

const weighted = (parts: { w: number; v: number | null | undefined }[]): number | null => {
  let sw = 0;
  let s = 0;
  for (const p of parts) {
    if (p.v === null || p.v === undefined || p.w <= 0) continue;
    sw += p.w;
    s += p.w * p.v;
  }
  return sw === 0 ? null : s / sw;
};

function mergeDay(t: number, hours: SeriesBucket[]): SeriesBucket {
  const perf = new PerfState();
  for (const h of hours) if (h.perf) perf.merge(h.perf);
  const features = new Set<string>();
  for (const h of hours) for (const f of Object.keys(h.featureScores)) features.add(f);
  const featureScores: Record<string, number> = Object.create(null) as Record<string, number>;
  for (const f of features) {
    const v = weighted(hours.map((h) => ({ w: h.rows, v: h.featureScores[f] })));
    if (v !== null) featureScores[f] = v;
  }
  const drifted = new Set<string>();
  for (const h of hours) for (const f of h.drifted) drifted.add(f);
  return {
    t,
    rows: hours.reduce((s, h) => s + h.rows, 0),
    labeled: perf.labeled,
    driftShare: weighted(hours.map((h) => ({ w: h.rows, v: h.driftShare }))),
    drifted: [...drifted],
    featureScores,
    predictionScore: weighted(hours.map((h) => ({ w: h.rows, v: h.predictionScore }))),
    metrics: perf.view()?.metrics ?? {},
    perf,
  };
}

/** The version's buckets in [from, to), oldest first; days merged from hours (UTC days). */
export async function readSeries(db: Queryable, q: SeriesQuery): Promise<SeriesBucket[]> {
  const stored = q.granularity === "minute" ? "minute" : "hour";
  const rows = await db
    .select({
      t: monitorSeries.t, rows: monitorSeries.rows, labeled: monitorSeries.labeled, driftShare: monitorSeries.driftShare, drifted: monitorSeries.drifted,
      predictionScore: monitorSeries.predictionScore, metrics: monitorSeries.metrics,
      featureScores: q.read?.scores ? monitorSeries.featureScores : sql<Record<string, number>>`'{}'::jsonb`,
      perf: q.read?.perf ? monitorSeries.perf : sql<Record<string, unknown> | null>`null::jsonb`,
    })
    .from(monitorSeries)
    .where(and(eq(monitorSeries.orgId, q.orgId), eq(monitorSeries.model, q.model), eq(monitorSeries.version, q.version), eq(monitorSeries.granularity, stored), gte(monitorSeries.t, new Date(q.from)), lt(monitorSeries.t, new Date(q.to))))
    .orderBy(asc(monitorSeries.t));
  const buckets: SeriesBucket[] = rows.map((r) => ({
    t: r.t.getTime(), rows: r.rows, labeled: r.labeled, driftShare: r.driftShare, drifted: r.drifted, featureScores: r.featureScores,
    predictionScore: r.predictionScore, metrics: r.metrics, perf: r.perf ? PerfState.fromJSON(r.perf) : null,
  }));
  if (q.granularity !== "day") return buckets;
  const byDay = new Map<number, SeriesBucket[]>();
  for (const b of buckets) {
    const day = Math.floor(b.t / BUCKET_MS.day) * BUCKET_MS.day;
    const list = byDay.get(day);
    if (list) list.push(b);
    else byDay.set(day, [b]);
  }
  return [...byDay].sort(([a], [b]) => a - b).map(([t, hours]) => mergeDay(t, hours));
}

/** The metric's value in a bucket; null when the bucket has none (no labels, no score). */
export function metricOf(b: SeriesBucket, m: MetricSpec, matrix: ValueMatrix | null): number | null {
  switch (m.kind) {
    case "volume": return b.rows;
    case "drift_share": return b.driftShare;
    case "prediction_drift": return b.predictionScore;
    case "feature_drift": return Object.hasOwn(b.featureScores, m.feature) ? (b.featureScores[m.feature] as number) : null;
    case "performance": return b.labeled > 0 && Object.hasOwn(b.metrics, m.name) ? (b.metrics[m.name] as number) : null;
    case "value": {
      if (matrix === null || b.perf === null || b.labeled === 0) return null;
      const v = valueOf(matrix, outcomesOf(b.perf));
      return m.per === "total" ? v.total : v.per_prediction;
    }
  }
}
