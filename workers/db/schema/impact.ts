import { bigint, bigserial, doublePrecision, index, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { modelVersions, orgs } from "./registry.ts";

// Business impact (issue 17, migration 0014): what each prediction outcome is worth per
// model version, and the model's metrics by event time for aligning with business KPIs.

/** The value matrix of a model version (PUT …/value-matrix; every change audited). */
export const valueMatrices = pgTable("value_matrices", {
  versionId: uuid("version_id").primaryKey().references(() => modelVersions.id, { onDelete: "cascade" }),
  orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
  /** binary | multiclass | regression */
  kind: text("kind").notNull(),
  currency: text("currency").notNull(),
  /** The matrix as stats/impact/value.ts `ValueMatrix`. */
  matrix: jsonb("matrix").$type<Record<string, unknown>>().notNull(),
  updatedBy: text("updated_by").notNull(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One point per (version, granularity, event-time bucket): the ModelMonitor's minute buckets
 * and hour roll-ups as they stand, rewritten whenever late events or labels change them
 * (`revision` is the monitor's clock; an older revision never overwrites a newer one).
 * `perf` holds the mergeable performance sums (stats/perf JSON) so day buckets and values
 * are computed exactly; minute points keep only the confusion and regression sums.
 */
export const monitorSeries = pgTable(
  "monitor_series",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    version: text("version").notNull(),
    /** minute | hour */
    granularity: text("granularity").notNull(),
    t: timestamp("t", { withTimezone: true, mode: "date" }).notNull(),
    rows: bigint("rows", { mode: "number" }).notNull(),
    labeled: bigint("labeled", { mode: "number" }).notNull(),
    driftShare: doublePrecision("drift_share"),
    /** Names of the features that drifted in the bucket. */
    drifted: jsonb("drifted").$type<string[]>().notNull().default([]),
    /** feature → its deciding drift score in the bucket. */
    featureScores: jsonb("feature_scores").$type<Record<string, number>>().notNull().default({}),
    predictionScore: doublePrecision("prediction_score"),
    /** Performance metrics of the bucket's labelled predictions (accuracy, f1, mae, …). */
    metrics: jsonb("metrics").$type<Record<string, number>>().notNull().default({}),
    perf: jsonb("perf").$type<Record<string, unknown>>(),
    revision: bigint("revision", { mode: "number" }).notNull(),
  },
  // The retention sweep (workers/retention, issue 15) deletes by org, model and time.
  (t) => [uniqueIndex("monitor_series_point").on(t.orgId, t.model, t.version, t.granularity, t.t), index("monitor_series_retention").on(t.orgId, t.model, t.t)],
);
