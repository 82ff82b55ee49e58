// Monitoring history sampled for a report: the monitor writes a point per window up to
// every 5 s (17,280 a day per window; 50 times that for feature scores), far more than a
// chart needs and too many to read whole. So the report reads one point per step: the
// last one written in each step, by an index lookup per (feature, step) on
// feature_scores_series (org, model, version, feature, at) and on monitor_aggregates'
// unique point index. Ranges up to 3 days step by hour through the 1h window (each point
// then summarises exactly its hour); longer ones step by day through the 24h window.
import { sql } from "drizzle-orm";
import type { Queryable } from "../../db/queryable.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Sampling {
  window: "1h" | "24h";
  stepMs: number;
  /** Step ends, oldest first: each sample is the last point written in (end − step, end]. */
  ends: number[];
}

export function samplingFor(from: number, to: number): Sampling {
  const long = to - from > 3 * DAY;
  const stepMs = long ? DAY : HOUR;
  const ends: number[] = [];
  // Steps end on whole hours (days) after `from`, and the last one at `to`.
  for (let t = Math.floor(from / stepMs) * stepMs + stepMs; t < to; t += stepMs) ends.push(t);
  ends.push(to);
  return { window: long ? "24h" : "1h", stepMs, ends };
}

export interface VersionRef {
  orgId: string;
  model: string;
  version: string;
}

export interface AggregateSample {
  at: number;
  rows: number;
  drift_share: number | null;
  drifted_features: number;
  summary: Record<string, unknown>;
}

/** The rows of a raw query's result (the Neon driver's shape), checked rather than cast. */
function rowsOf(result: unknown): Array<Record<string, unknown>> {
  const rows = (result as { rows?: unknown } | null)?.rows;
  if (!Array.isArray(rows)) throw new Error("unexpected query result: no rows array");
  return rows as Array<Record<string, unknown>>;
}

const iso = (t: number) => new Date(t).toISOString();
const endsArray = (s: Sampling) => sql`array[${sql.join(s.ends.map((t) => sql`${iso(t)}::timestamptz`), sql`, `)}]`;

export async function sampleAggregates(db: Queryable, v: VersionRef, s: Sampling): Promise<AggregateSample[]> {
  const result = await db.execute(sql`
    select a.at, a.rows, a.drift_share, a.drifted_features, a.summary
    from unnest(${endsArray(s)}) as e(t)
    cross join lateral (
      select at, rows, drift_share, drifted_features, summary from monitor_aggregates
      where org_id = ${v.orgId} and model = ${v.model} and version = ${v.version} and "window" = ${s.window}
        and at > e.t - ${`${s.stepMs / 1000} seconds`}::interval and at <= e.t
      order by at desc limit 1
    ) a
    order by a.at`);
  return rowsOf(result).map((r) => ({
    at: new Date(r.at as string).getTime(),
    rows: Number(r.rows),
    drift_share: r.drift_share === null ? null : Number(r.drift_share),
    drifted_features: Number(r.drifted_features),
    summary: (typeof r.summary === "string" ? JSON.parse(r.summary) : r.summary) as Record<string, unknown>,
  }));
}

export interface FeatureSample {
  at: number;
  method: string;
  score: number | null;
  threshold: number;
  drifted: boolean;
}

/** Per feature, its sampled scores oldest first. */
export async function sampleFeatureScores(db: Queryable, v: VersionRef, features: string[], s: Sampling): Promise<Map<string, FeatureSample[]>> {
  const out = new Map<string, FeatureSample[]>(features.map((f) => [f, []]));
  if (features.length === 0) return out;
  const result = await db.execute(sql`
    select f.feature, s.at, s.method, s.score, s.threshold, s.drifted
    from unnest(array[${sql.join(features.map((f) => sql`${f}`), sql`, `)}]::text[]) as f(feature)
    cross join unnest(${endsArray(s)}) as e(t)
    cross join lateral (
      select at, method, score, threshold, drifted from feature_scores
      where org_id = ${v.orgId} and model = ${v.model} and version = ${v.version} and feature = f.feature and "window" = ${s.window}
        and at > e.t - ${`${s.stepMs / 1000} seconds`}::interval and at <= e.t
      order by at desc limit 1
    ) s
    order by f.feature, s.at`);
  for (const r of rowsOf(result)) {
    out.get(r.feature as string)?.push({
      at: new Date(r.at as string).getTime(),
      method: r.method as string,
      score: r.score === null ? null : Number(r.score),
      threshold: Number(r.threshold),
      drifted: r.drifted === true || r.drifted === "t",
    });
  }
  return out;
}
