// A business KPI as a series of time buckets, from business_outcomes by each outcome's
// own timestamp. Outcomes joined to this version (by prediction_id) count, and so do those
// attributed by time (version null); outcomes joined to another version do not. The
// aggregate per bucket is the mean (a rate such as conversion), the sum (revenue per
// bucket) or the count of outcomes.
import { and, eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/queryable.ts";
import { businessOutcomes } from "../db/schema/index.ts";
import { ApiError } from "../errors.ts";

export type KpiAggregate = "mean" | "sum" | "count";

export interface KpiQuery {
  orgId: string;
  model: string;
  version: string;
  kpi: string;
  from: number;
  to: number;
  bucketMs: number;
  agg: KpiAggregate;
  /** Only outcomes whose segment holds these pairs. */
  segment?: Record<string, string>;
}

/** The model's KPI names with how many outcomes each has, most reported first. */
export async function knownKpis(db: Queryable, orgId: string, model: string): Promise<{ kpi: string; outcomes: number; first: string; last: string }[]> {
  const rows = await db
    .select({ kpi: businessOutcomes.kpi, outcomes: sql<number>`count(*)::int`, first: sql<Date>`min(${businessOutcomes.at})`, last: sql<Date>`max(${businessOutcomes.at})` })
    .from(businessOutcomes)
    .where(and(eq(businessOutcomes.orgId, orgId), eq(businessOutcomes.model, model)))
    .groupBy(businessOutcomes.kpi)
    .orderBy(sql`count(*) desc`)
    .limit(200);
  return rows.map((r) => ({ kpi: r.kpi, outcomes: r.outcomes, first: new Date(r.first).toISOString(), last: new Date(r.last).toISOString() }));
}

/** 404 naming the known KPIs when the model has no outcome of this one. */
export async function requireKpi(db: Queryable, orgId: string, model: string, kpi: string): Promise<void> {
  const [hit] = await db.select({ one: sql<number>`1` }).from(businessOutcomes).where(and(eq(businessOutcomes.orgId, orgId), eq(businessOutcomes.model, model), eq(businessOutcomes.kpi, kpi))).limit(1);
  if (hit) return;
  const known = (await knownKpis(db, orgId, model)).map((k) => k.kpi);
  const list = known.length === 0 ? `no KPI has been reported for ${model} yet (POST /v1/outcomes)` : `known KPIs: ${known.join(", ")}`;
  throw new ApiError(404, "unknown_kpi", `unknown KPI "${kpi}" for model ${model}; ${list}`, { known_kpis: known });
}

/** Bucket start (Unix ms) → the KPI's aggregate over the bucket's outcomes. */
export async function kpiSeries(db: Queryable, q: KpiQuery): Promise<Map<number, number>> {
  // One bucket expression in SELECT and GROUP BY: as a bound parameter twice, Postgres would not
  // see them as the same expression. The width is ours (60, 3600 or 86400), never the caller's text.
  const seconds = sql.raw(String(Math.round(q.bucketMs / 1000)));
  const bucket = sql<number>`(floor(extract(epoch from ${businessOutcomes.at}) / ${seconds}) * ${seconds})::float8`;
  const value = q.agg === "sum" ? sql<number>`sum(${businessOutcomes.value})::float8` : q.agg === "count" ? sql<number>`count(*)::float8` : sql<number>`avg(${businessOutcomes.value})::float8`;
  const rows = await db
    .select({ t: bucket, v: value })
    .from(businessOutcomes)
    .where(and(
      eq(businessOutcomes.orgId, q.orgId), eq(businessOutcomes.model, q.model), eq(businessOutcomes.kpi, q.kpi),
      sql`${businessOutcomes.at} >= ${new Date(q.from).toISOString()}::timestamptz and ${businessOutcomes.at} < ${new Date(q.to).toISOString()}::timestamptz`,
      sql`(${businessOutcomes.version} = ${q.version} or ${businessOutcomes.version} is null)`,
      q.segment ? sql`${businessOutcomes.segment} @> ${JSON.stringify(q.segment)}::jsonb` : undefined,
    ))
    .groupBy(bucket);
  const out = new Map<number, number>();
  for (const r of rows) out.set(Math.round(Number(r.t) * 1000), Number(r.v));
  return out;
}
