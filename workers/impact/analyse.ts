// GET …/impact and …/impact/events: the KPI series and the metric series on one grid of
// event-time buckets, and the statistics of stats/impact over them.
import { pearson, spearman, type CorrelationResult } from "../../stats/impact/correlation.ts";
import { bestLag } from "../../stats/impact/lag.ts";
import { meanShift, type MeanShift } from "../../stats/impact/mean-shift.ts";
import type { ValueMatrix } from "../../stats/impact/value.ts";
import { ApiError } from "../errors.ts";
import { metricOf, needsLabels, type MetricSpec, type SeriesBucket } from "./metric-series.ts";

export interface Aligned {
  /** [bucket start (Unix ms), metric, kpi] for every bucket where the version served traffic or the KPI was reported. */
  points: [number, number | null, number | null][];
}

/**
 * Aligns the series on the bucket grid. A KPI bucket counts for this version only where the
 * version has a series bucket (it served traffic then); a joined outcome always has one.
 */
export function align(buckets: readonly SeriesBucket[], kpi: ReadonlyMap<number, number>, metric: MetricSpec, matrix: ValueMatrix | null): Aligned {
  const points: Aligned["points"] = buckets.map((b) => [b.t, metricOf(b, metric, matrix), kpi.get(b.t) ?? null]);
  return { points };
}

/** 422 when the metric needs labels (or a matrix) the range does not have: explained, never a series of zeros. */
export function requireMetricData(buckets: readonly SeriesBucket[], metric: MetricSpec, metricName: string, matrix: ValueMatrix | null): void {
  if (metric.kind === "value" && matrix === null) {
    throw new ApiError(422, "no_value_matrix", `${metricName} needs a value matrix: set one with PUT …/value-matrix`);
  }
  if (!needsLabels(metric)) return;
  const rows = buckets.reduce((s, b) => s + b.rows, 0);
  const labeled = buckets.reduce((s, b) => s + b.labeled, 0);
  if (labeled === 0) {
    throw new ApiError(422, "no_labels", `${metricName} needs labelled predictions, and none of the ${rows.toLocaleString("en-US")} predictions in this range has an actual yet (send them to POST /v1/actuals)`, { predictions: rows, labeled: 0 });
  }
}

const corr = (c: CorrelationResult) => (c.ok ? c.value : null);

export interface ImpactStats {
  n: number;
  pearson: ReturnType<typeof corr>;
  spearman: ReturnType<typeof corr>;
  best_lag: { lag: number; r: number; n: number; p: number; p_bonferroni: number; by_lag: { lag: number; r: number; n: number }[] } | null;
  /** Why a figure above is null. */
  reasons: { correlation?: string; best_lag?: string };
}

export function impactStats(points: Aligned["points"], gridMs: number): ImpactStats {
  const x: number[] = [];
  const y: number[] = [];
  for (const [, m, k] of points) {
    if (m === null || k === null) continue;
    x.push(m);
    y.push(k);
  }
  const p = pearson(x, y);
  const s = spearman(x, y);
  // Lags count buckets on the regular grid, so fill the gaps before shifting.
  const metric: (number | null)[] = [];
  const kpi: (number | null)[] = [];
  if (points.length > 0) {
    const start = (points[0] as Aligned["points"][number])[0];
    const end = (points[points.length - 1] as Aligned["points"][number])[0];
    const at = new Map(points.map((pt) => [pt[0], pt]));
    for (let t = start; t <= end; t += gridMs) {
      const pt = at.get(t);
      metric.push(pt?.[1] ?? null);
      kpi.push(pt?.[2] ?? null);
    }
  }
  const lag = bestLag(metric, kpi, 6);
  const reasons: ImpactStats["reasons"] = {};
  if (!p.ok) reasons.correlation = p.reason;
  if (!lag.ok) reasons.best_lag = lag.reason;
  return { n: x.length, pearson: corr(p), spearman: corr(s), best_lag: lag.ok ? lag.value : null, reasons };
}

export interface ImpactEvent {
  kind: "drift" | "alert";
  label: string;
  feature?: string;
  alert_id?: string;
  severity?: string;
  start: number;
  end: number;
  kpi: MeanShift | null;
  reason?: string;
}

/** Most buckets a "before" stretch takes: an event lasting longer is compared with this much before it. */
export const MAX_BEFORE_BUCKETS = 24;

/** Runs of consecutive buckets in which a feature drifted: a drift onset each. */
export function driftPeriods(buckets: readonly SeriesBucket[], gridMs: number): { feature: string; start: number; end: number }[] {
  const open = new Map<string, { start: number; last: number }>();
  const out: { feature: string; start: number; end: number }[] = [];
  const close = (feature: string) => {
    const run = open.get(feature);
    if (!run) return;
    out.push({ feature, start: run.start, end: run.last + gridMs });
    open.delete(feature);
  };
  for (const b of buckets) {
    const now = new Set(b.drifted);
    for (const [feature, run] of open) if (!now.has(feature) || b.t - run.last > gridMs) close(feature);
    for (const feature of now) {
      const run = open.get(feature);
      if (run) run.last = b.t;
      else open.set(feature, { start: b.t, last: b.t });
    }
  }
  for (const feature of [...open.keys()]) close(feature);
  return out.sort((a, b) => a.start - b.start || a.feature.localeCompare(b.feature));
}

/** The KPI's mean during [start, end) against the same length before it (at most MAX_BEFORE_BUCKETS buckets). */
export function kpiAcross(kpi: ReadonlyMap<number, number>, start: number, end: number, gridMs: number): Pick<ImpactEvent, "kpi" | "reason"> {
  const length = Math.min(Math.max(end - start, gridMs), MAX_BEFORE_BUCKETS * gridMs);
  const before: number[] = [];
  const after: number[] = [];
  for (const [t, v] of kpi) {
    if (t >= start - length && t < start) before.push(v);
    else if (t >= start && t < end) after.push(v);
  }
  const shift = meanShift(before, after);
  return shift.ok ? { kpi: shift.value } : { kpi: null, reason: shift.reason };
}
