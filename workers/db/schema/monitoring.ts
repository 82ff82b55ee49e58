import { sql } from "drizzle-orm";
import { bigint, bigserial, boolean, doublePrecision, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { orgs } from "./registry.ts";

// Monitoring history, written in batches from the ModelMonitor outboxes: one row per
// (model version, window, tick) with the window's summary, and one per feature score.
// The unique keys make a re-sent outbox row a no-op, so a sink retry never doubles a point.

const at = (name: string) => timestamp(name, { withTimezone: true, mode: "date" }).notNull();

export const monitorAggregates = pgTable(
  "monitor_aggregates",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    version: text("version").notNull(),
    /** 5m | 1h | 24h */
    window: text("window").notNull(),
    /** "" for the version's whole traffic; a tracked segment's key (region:eu, other) for its windows. */
    segment: text("segment").notNull().default(""),
    at: at("at"),
    windowFrom: at("window_from"),
    tick: bigint("tick", { mode: "number" }).notNull(),
    rows: bigint("rows", { mode: "number" }).notNull(),
    driftShare: doublePrecision("drift_share"),
    driftedFeatures: integer("drifted_features").notNull(),
    /** The window without per-feature scores: prediction drift, quality, latency, performance. */
    summary: jsonb("summary").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [
    uniqueIndex("monitor_aggregates_point").on(t.orgId, t.model, t.version, t.window, t.segment, t.at),
    // Retention prunes by age per model (migration 0011).
    index("monitor_aggregates_retention").on(t.orgId, t.model, t.at),
  ],
);

export const featureScores = pgTable(
  "feature_scores",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    version: text("version").notNull(),
    window: text("window").notNull(),
    /** As monitor_aggregates.segment. */
    segment: text("segment").notNull().default(""),
    at: at("at"),
    feature: text("feature").notNull(),
    method: text("method").notNull(),
    score: doublePrecision("score"),
    threshold: doublePrecision("threshold").notNull(),
    drifted: boolean("drifted").notNull(),
    count: bigint("count", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("feature_scores_point").on(t.orgId, t.model, t.version, t.window, t.segment, t.feature, t.at),
    index("feature_scores_series").on(t.orgId, t.model, t.version, t.feature, t.at),
    index("feature_scores_retention").on(t.orgId, t.model, t.at),
  ],
);

/** Business KPIs reported against predictions (POST /v1/outcomes). */
export const businessOutcomes = pgTable(
  "business_outcomes",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    predictionId: text("prediction_id"),
    /** The data subject the outcome is about (erasure deletes by it; migration 0007). */
    subjectId: text("subject_id"),
    at: at("at"),
    kpi: text("kpi").notNull(),
    value: doublePrecision("value").notNull(),
    batchId: text("batch_id"),
    /** The version whose prediction the outcome joined (by prediction_id); null: attributed by time (migration 0014). */
    version: text("version"),
    /** Segment the outcome belongs to, e.g. { "region": "north" } (migration 0014). */
    segment: jsonb("segment").$type<Record<string, string>>(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("business_outcomes_series").on(t.orgId, t.model, t.kpi, t.at),
    uniqueIndex("business_outcomes_batch").on(t.orgId, t.model, t.batchId, t.predictionId, t.kpi, t.at),
    // Retention by age, erasure by subject (migration 0011), outcome joins by prediction id (0014).
    index("business_outcomes_retention").on(t.orgId, t.model, t.at),
    index("business_outcomes_subject").on(t.orgId, t.subjectId).where(sql`"subject_id" IS NOT NULL`),
    index("business_outcomes_prediction").on(t.orgId, t.predictionId).where(sql`"prediction_id" IS NOT NULL`),
  ],
);
