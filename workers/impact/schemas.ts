// Reply shapes of the impact routes (../routes/impact.ts), for validation-free documentation.
import { z } from "@hono/zod-openapi";

const correlation = z
  .object({
    r: z.number(),
    ci95: z.array(z.number()).length(2).openapi({ description: "Fisher-z 95 % interval" }),
    p: z.number().openapi({ description: "two-sided t-test p-value (as scipy)" }),
    p_adjusted: z.number().openapi({ description: "the same test with n_effective for lag-one autocorrelation (Bretherton et al. 1999)" }),
    n: z.number().int(),
    n_effective: z.number(),
  })
  .nullable();

export const ImpactReply = z
  .object({
    model: z.string(),
    version: z.string(),
    kpi: z.string(),
    metric: z.string(),
    agg: z.enum(["mean", "sum", "count"]),
    granularity: z.enum(["minute", "hour", "day"]),
    from: z.string(),
    to: z.string(),
    currency: z.string().optional().openapi({ description: "for value metrics" }),
    points: z.array(z.array(z.number().nullable())).openapi({ description: "[bucket start (Unix ms), metric, kpi]; null where a bucket has none" }),
    n: z.number().int().openapi({ description: "buckets with both a metric and a KPI value" }),
    pearson: correlation,
    spearman: correlation,
    best_lag: z
      .object({ lag: z.number().int(), r: z.number(), n: z.number().int(), p: z.number(), p_bonferroni: z.number(), by_lag: z.array(z.object({ lag: z.number().int(), r: z.number(), n: z.number().int() })) })
      .nullable(),
    reasons: z.object({ correlation: z.string().optional(), best_lag: z.string().optional() }).openapi({ description: "why a figure is null" }),
  })
  .openapi("Impact");

const shift = z
  .object({
    before: z.object({ mean: z.number(), n: z.number().int() }),
    after: z.object({ mean: z.number(), n: z.number().int() }),
    difference: z.number(),
    ci95: z.array(z.number()).length(2),
    p: z.number(),
    df: z.number(),
  })
  .nullable();

export const ImpactEvents = z
  .object({
    model: z.string(),
    version: z.string(),
    kpi: z.string(),
    agg: z.enum(["mean", "sum", "count"]),
    granularity: z.enum(["minute", "hour", "day"]),
    from: z.string(),
    to: z.string(),
    events: z.array(
      z.object({
        kind: z.enum(["drift", "alert"]),
        label: z.string(),
        feature: z.string().optional(),
        alert_id: z.string().optional(),
        severity: z.string().optional(),
        start: z.number(),
        end: z.number(),
        kpi: shift.openapi({ description: "the KPI's mean during the period minus before it (Welch); null with `reason`" }),
        reason: z.string().optional(),
      }),
    ),
  })
  .openapi("ImpactEvents");

export const ImpactKpis = z
  .object({ model: z.string(), kpis: z.array(z.object({ kpi: z.string(), outcomes: z.number().int(), first: z.string(), last: z.string() })) })
  .openapi("ImpactKpis");
