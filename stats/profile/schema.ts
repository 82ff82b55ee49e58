// The reference profile's JSON form, version 1, and its validation on read. A profile
// is frozen when a baseline is set and read back by every Durable Object, CLI run and
// report, so a bad file must fail loudly with the field that is wrong.
//
// Layout (all numbers finite; JSON cannot hold ±∞, so bins store interior edges only):
// { "format": "vigil.profile", "version": 1, "created_at"?: ISO string, "rows": n,
//   "features": [FeatureProfile…], "prediction": FeatureProfile | null }

import { z } from "zod";
import { gridFromJson } from "./grid.ts";

const count = z.number().int().nonnegative();
const finite = z.number().refine(Number.isFinite, "must be a finite number");

const numericalMoments = z.object({
  count: count.refine((n) => n > 0, "must be > 0 (a feature needs at least one value)"),
  missing: count,
  non_finite: count,
  type_violations: count,
  min: finite,
  max: finite,
  mean: finite,
  /** Population standard deviation (ddof 0), as Evidently's normed Wasserstein uses. */
  std: finite.refine((s) => s >= 0, "must be >= 0"),
});

const categoricalMoments = z.object({
  count: count.refine((n) => n > 0, "must be > 0 (a feature needs at least one value)"),
  missing: count,
  type_violations: count,
});

const numericalFeature = z
  .object({
    name: z.string().min(1),
    kind: z.literal("numerical"),
    moments: numericalMoments,
    sketch: z.object({ family: z.literal("kll"), k: count, base64: z.string().min(1) }),
    bins: z.object({
      method: z.enum(["quantile", "equal_width"]),
      edges: z.array(finite).min(1),
      counts: z.array(count),
      proportions: z.array(finite),
    }),
    /**
     * The fine reference grid (grid.ts): B reference quantiles with the reference's exact
     * count per cell, and the normed Wasserstein null table (grid-null.ts). Absent from
     * profiles made before it existed, and from profiles frozen from live windows; the
     * live judge then falls back to the sketch scores.
     */
    grid: z
      .object({
        bins: count,
        edges: z.string().min(1),
        counts: z.string().min(1),
        atoms: z.boolean().optional(),
        wasserstein_null: z.object({
          levels: z.array(z.number().gt(0).lt(1)).min(1),
          quantiles: z.array(finite.refine((q) => q >= 0, "must be >= 0")).min(1),
          draws: count,
        }),
      })
      .optional(),
  })
  .superRefine((feature, ctx) => {
    if (feature.grid !== undefined) {
      try {
        const grid = gridFromJson(feature.grid, feature.moments.count);
        if (grid.edges[0] !== feature.moments.min || grid.edges[grid.edges.length - 1] !== feature.moments.max) {
          ctx.addIssue({ code: "custom", path: ["grid", "edges"], message: "must start at moments.min and end at moments.max" });
        }
      } catch (error) {
        ctx.addIssue({ code: "custom", path: ["grid"], message: (error as Error).message });
      }
      const table = feature.grid.wasserstein_null;
      if (table.levels.length !== table.quantiles.length) {
        ctx.addIssue({ code: "custom", path: ["grid", "wasserstein_null", "quantiles"], message: `must hold one quantile per level (${table.levels.length})` });
      }
    }
    const { edges, counts, proportions } = feature.bins;
    for (let i = 1; i < edges.length; i++) {
      if (!((edges[i] as number) > (edges[i - 1] as number))) {
        ctx.addIssue({ code: "custom", path: ["bins", "edges", i], message: "edges must be strictly increasing" });
      }
    }
    if (counts.length !== edges.length + 1) {
      ctx.addIssue({ code: "custom", path: ["bins", "counts"], message: `must hold edges.length + 1 = ${edges.length + 1} counts, has ${counts.length}` });
    }
    if (proportions.length !== counts.length) {
      ctx.addIssue({ code: "custom", path: ["bins", "proportions"], message: `must hold ${counts.length} proportions, has ${proportions.length}` });
    }
    const total = counts.reduce((a, b) => a + b, 0);
    if (total !== feature.moments.count) {
      ctx.addIssue({ code: "custom", path: ["bins", "counts"], message: `must sum to moments.count = ${feature.moments.count}, sums to ${total}` });
    }
    proportions.forEach((p, i) => {
      const expected = (counts[i] ?? Number.NaN) / total;
      if (!(Math.abs(p - expected) <= 1e-12)) {
        ctx.addIssue({ code: "custom", path: ["bins", "proportions", i], message: `must equal counts[${i}] / ${total}` });
      }
    });
  });

const categoricalFeature = z
  .object({
    name: z.string().min(1),
    kind: z.literal("categorical"),
    moments: categoricalMoments,
    categories: z.object({
      values: z.array(z.string()),
      counts: z.array(count.refine((n) => n > 0, "must be > 0")),
      other_count: count,
      distinct: count,
      max_categories: count.refine((n) => n >= 1, "must be >= 1"),
    }),
  })
  .superRefine((feature, ctx) => {
    const { values, counts, other_count, distinct, max_categories } = feature.categories;
    if (counts.length !== values.length) {
      ctx.addIssue({ code: "custom", path: ["categories", "counts"], message: `must hold one count per value (${values.length}), has ${counts.length}` });
    }
    if (new Set(values).size !== values.length) {
      ctx.addIssue({ code: "custom", path: ["categories", "values"], message: "must not repeat a category" });
    }
    if (values.length > max_categories) {
      ctx.addIssue({ code: "custom", path: ["categories", "values"], message: `holds ${values.length} categories, more than max_categories ${max_categories}` });
    }
    if (distinct < values.length) {
      ctx.addIssue({ code: "custom", path: ["categories", "distinct"], message: `must be >= the ${values.length} kept categories` });
    }
    const total = counts.reduce((a, b) => a + b, 0) + other_count;
    if (total !== feature.moments.count) {
      ctx.addIssue({ code: "custom", path: ["categories", "counts"], message: `with other_count must sum to moments.count = ${feature.moments.count}, sums to ${total}` });
    }
  });

const featureProfile = z.discriminatedUnion("kind", [numericalFeature, categoricalFeature]);

export const profileSchema = z
  .object({
    format: z.literal("vigil.profile"),
    version: z.literal(1),
    created_at: z.string().optional(),
    rows: count,
    features: z.array(featureProfile),
    prediction: featureProfile.nullable(),
    /**
     * Score calibration for the label-free performance estimate (stats/estimation): the
     * isotonic map from the baseline's scores to the observed rate of positive actuals,
     * as points (x ascending, y non-decreasing in [0, 1]) joined linearly. Present when the
     * baseline had `score` and binary `actual` columns.
     */
    calibration: z
      .object({ x: z.array(finite), y: z.array(z.number().min(0).max(1)), rows: count })
      .superRefine((map, ctx) => {
        if (map.x.length === 0 || map.x.length !== map.y.length) ctx.addIssue({ code: "custom", path: ["y"], message: "x and y must be non-empty and of one length" });
        for (let i = 1; i < map.x.length; i++) {
          if (!((map.x[i] as number) > (map.x[i - 1] as number))) ctx.addIssue({ code: "custom", path: ["x", i], message: "must increase" });
          if (!((map.y[i] as number) >= (map.y[i - 1] as number))) ctx.addIssue({ code: "custom", path: ["y", i], message: "must not decrease" });
        }
      })
      .optional(),
  })
  .superRefine((profile, ctx) => {
    const seen = new Set<string>();
    profile.features.forEach((feature, i) => {
      if (seen.has(feature.name)) {
        ctx.addIssue({ code: "custom", path: ["features", i, "name"], message: `duplicate feature "${feature.name}"` });
      }
      seen.add(feature.name);
    });
  });

export type Profile = z.infer<typeof profileSchema>;
export type FeatureProfile = z.infer<typeof featureProfile>;
export type NumericalFeatureProfile = z.infer<typeof numericalFeature>;
export type CategoricalFeatureProfile = z.infer<typeof categoricalFeature>;
