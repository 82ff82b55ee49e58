import type { ApiClient } from "./client.ts";
import { array, literal, nullable, num, object, optional, str, type Parser } from "./parse.ts";

// The business-impact contract of workers/routes/impact.ts: GET …/impact, …/impact/events,
// …/impact/kpis and GET …/value-matrix.

const enc = encodeURIComponent;
const base = (model: string, version: string) => `/v1/models/${enc(model)}/versions/${enc(version)}`;

export type Granularity = "minute" | "hour" | "day";
export type KpiAggregate = "mean" | "sum" | "count";

export interface Correlation {
  r: number;
  ci95: [number, number];
  p: number;
  pAdjusted: number;
  n: number;
  nEffective: number;
}

export interface Impact {
  metric: string;
  kpi: string;
  granularity: Granularity;
  currency: string | null;
  /** [bucket start ms, metric, kpi]. */
  points: [number, number | null, number | null][];
  n: number;
  pearson: Correlation | null;
  spearman: Correlation | null;
  bestLag: { lag: number; r: number; n: number; pBonferroni: number } | null;
  reasons: { correlation?: string; bestLag?: string };
}

const pair: Parser<[number, number]> = (v, p = "") => {
  const a = array(num)(v, p);
  return [a[0] ?? NaN, a[1] ?? NaN];
};

const parseCorrelation: Parser<Correlation | null> = nullable((v, p) => {
  const o = object({ r: num, ci95: pair, p: num, p_adjusted: num, n: num, n_effective: num })(v, p);
  return { r: o.r, ci95: o.ci95, p: o.p, pAdjusted: o.p_adjusted, n: o.n, nEffective: o.n_effective };
});

const point: Parser<[number, number | null, number | null]> = (v, p = "") => {
  const a = array(nullable(num))(v, p);
  return [a[0] ?? 0, a[1] ?? null, a[2] ?? null];
};

const parseImpact: Parser<Impact> = (v, p) => {
  const o = object({
    metric: str, kpi: str, granularity: literal("minute", "hour", "day"), currency: optional(str), points: array(point), n: num,
    pearson: parseCorrelation, spearman: parseCorrelation,
    best_lag: nullable(object({ lag: num, r: num, n: num, p_bonferroni: num })),
    reasons: object({ correlation: optional(str), best_lag: optional(str) }),
  })(v, p);
  return {
    metric: o.metric, kpi: o.kpi, granularity: o.granularity, currency: o.currency ?? null, points: o.points, n: o.n, pearson: o.pearson, spearman: o.spearman,
    bestLag: o.best_lag ? { lag: o.best_lag.lag, r: o.best_lag.r, n: o.best_lag.n, pBonferroni: o.best_lag.p_bonferroni } : null,
    reasons: { ...(o.reasons.correlation ? { correlation: o.reasons.correlation } : {}), ...(o.reasons.best_lag ? { bestLag: o.reasons.best_lag } : {}) },
  };
};

export interface ImpactEvent {
  kind: "drift" | "alert";
  label: string;
  severity: string | null;
  start: number;
  end: number;
  shift: { before: number; after: number; difference: number; ci95: [number, number]; p: number } | null;
  reason: string | null;
}

const parseEvents: Parser<ImpactEvent[]> = (v, p) =>
  object({
    events: array((e, q) => {
      const o = object({
        kind: literal("drift", "alert"), label: str, severity: optional(str), start: num, end: num, reason: optional(str),
        kpi: nullable(object({ before: object({ mean: num }), after: object({ mean: num }), difference: num, ci95: pair, p: num })),
      })(e, q);
      return {
        kind: o.kind, label: o.label, severity: o.severity ?? null, start: o.start, end: o.end, reason: o.reason ?? null,
        shift: o.kpi ? { before: o.kpi.before.mean, after: o.kpi.after.mean, difference: o.kpi.difference, ci95: o.kpi.ci95, p: o.kpi.p } : null,
      };
    }),
  })(v, p).events;

export interface ImpactQuery {
  model: string;
  version: string;
  kpi: string;
  metric: string;
  granularity: Granularity;
  agg: KpiAggregate;
  from: number;
  to: number;
}

const query = (q: Omit<ImpactQuery, "model" | "version" | "metric"> & { metric?: string }) => {
  const s = new URLSearchParams({ kpi: q.kpi, granularity: q.granularity, agg: q.agg, from: new Date(q.from).toISOString(), to: new Date(q.to).toISOString() });
  if (q.metric) s.set("metric", q.metric);
  return s.toString();
};

export function getImpact(api: ApiClient, q: ImpactQuery, signal?: AbortSignal): Promise<Impact> {
  return api.get(`${base(q.model, q.version)}/impact?${query(q)}`, parseImpact, signal);
}

export function getImpactEvents(api: ApiClient, q: Omit<ImpactQuery, "metric">, signal?: AbortSignal): Promise<ImpactEvent[]> {
  return api.get(`${base(q.model, q.version)}/impact/events?${query(q)}`, parseEvents, signal);
}

export function listKpis(api: ApiClient, model: string, version: string, signal?: AbortSignal): Promise<string[]> {
  return api.get(`${base(model, version)}/impact/kpis`, (v, p) => object({ kpis: array(object({ kpi: str })) })(v, p).kpis.map((k) => k.kpi), signal);
}

export interface ValueMatrixSummary {
  kind: string;
  currency: string;
}

export function getValueMatrix(api: ApiClient, model: string, version: string, signal?: AbortSignal): Promise<ValueMatrixSummary> {
  return api.get(`${base(model, version)}/value-matrix`, object({ kind: str, currency: str }), signal);
}
