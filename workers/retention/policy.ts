// Retention policy: how many whole days each store keeps its records, per org, with
// per-model overrides of the stores that belong to a model. The schemas here are the
// API's contract (GET/PUT /v1/retention, GET/PUT /v1/models/{model}/retention); the
// defaults are what an org gets until an admin sets a policy (docs/compliance.md).
import { z } from "@hono/zod-openapi";

export const MIN_DAYS = 1;
export const MAX_DAYS = 3650;
/** Audit records are kept at least this long unless an instance admin sets less. */
export const AUDIT_MIN_DAYS = 365;

export const RETENTION_FIELDS = ["raw_events_days", "labels_days", "aggregates_days", "outcomes_days", "deliveries_days", "audit_days"] as const;
export type RetentionField = (typeof RETENTION_FIELDS)[number];
/** The fields a model may override: its own events, labels, aggregates and outcomes. Deliveries and the audit log are org-wide. */
export const MODEL_FIELDS = ["raw_events_days", "labels_days", "aggregates_days", "outcomes_days"] as const;
export type ModelField = (typeof MODEL_FIELDS)[number];

export type RetentionDays = Record<RetentionField, number>;
export type ModelOverrides = Partial<Record<ModelField, number>>;

/**
 * Defaults: raw events and labels 7 days (the label join's horizon before policies
 * existed), aggregates and outcomes 13 months (a year-over-year comparison), deliveries
 * 90 days, the audit log 7 years (SOX record keeping).
 */
export const DEFAULT_RETENTION: Readonly<RetentionDays> = {
  raw_events_days: 7,
  labels_days: 7,
  aggregates_days: 395,
  outcomes_days: 395,
  deliveries_days: 90,
  audit_days: 2555,
};

const DESCRIPTIONS: Record<RetentionField, string> = {
  raw_events_days: "Row-level events: predictions kept for the label join, events held for a first-events baseline, stored batches",
  labels_days: "Actuals (label marks) and the predictions they labelled",
  aggregates_days: "Window summaries and event-time series in Postgres, hour roll-ups in the monitors (at most 7 days there), latest scores in Redis",
  outcomes_days: "Business outcomes (POST /v1/outcomes), by their time",
  deliveries_days: "Finished alert deliveries (delivered or dead) and their attempts",
  audit_days: `Audit log records; exported, then dropped as a whole chain prefix. At least ${AUDIT_MIN_DAYS} unless an instance admin sets less`,
};

const days = (field: RetentionField) =>
  z
    .number({ error: (issue) => (issue.input === undefined ? "is required" : "must be a whole number of days") })
    .int("must be a whole number of days")
    .min(MIN_DAYS, `must be at least ${MIN_DAYS} day`)
    .max(MAX_DAYS, `must be at most ${MAX_DAYS} days`)
    .openapi({ description: DESCRIPTIONS[field], example: DEFAULT_RETENTION[field] });

/** PUT /v1/retention: any of the six fields; those left out keep their current value. */
export const RetentionUpdate = z
  .object(Object.fromEntries(RETENTION_FIELDS.map((f) => [f, days(f).optional()])) as Record<RetentionField, z.ZodOptional<z.ZodNumber>>)
  .strict()
  .openapi("RetentionUpdate");

export const RetentionPolicy = z
  .object({
    ...(Object.fromEntries(RETENTION_FIELDS.map((f) => [f, days(f)])) as Record<RetentionField, z.ZodNumber>),
    defaults: z.object(Object.fromEntries(RETENTION_FIELDS.map((f) => [f, z.number().int()])) as Record<RetentionField, z.ZodNumber>).openapi({ description: "What an org without a policy keeps" }),
    audit_min_days: z.number().int().openapi({ description: `The floor for audit_days (${AUDIT_MIN_DAYS}); only a signed-in instance admin may set less` }),
    is_default: z.boolean().openapi({ description: "True until an admin sets a policy" }),
    updated_at: z.string().nullable(),
    updated_by: z.object({ type: z.string(), id: z.string() }).nullable(),
  })
  .openapi("RetentionPolicy");

/** PUT /v1/models/{model}/retention: the model's whole override set (a field left out or null follows the org). */
export const ModelRetentionUpdate = z
  .object(Object.fromEntries(MODEL_FIELDS.map((f) => [f, days(f).nullable().optional()])) as Record<ModelField, z.ZodOptional<z.ZodNullable<z.ZodNumber>>>)
  .strict()
  .openapi("ModelRetentionUpdate");

export const ModelRetention = z
  .object({
    model: z.string(),
    overrides: z
      .object(Object.fromEntries(MODEL_FIELDS.map((f) => [f, z.number().int().optional()])) as Record<ModelField, z.ZodOptional<z.ZodNumber>>)
      .openapi({ description: "The model's own values; fields absent here follow the org" }),
    effective: z
      .object(Object.fromEntries(RETENTION_FIELDS.map((f) => [f, z.number().int()])) as Record<RetentionField, z.ZodNumber>)
      .openapi({ description: "What applies to this model's data: its overrides over the org's policy" }),
    updated_at: z.string().nullable(),
    updated_by: z.object({ type: z.string(), id: z.string() }).nullable(),
  })
  .openapi("ModelRetention");

export const RetentionRunResult = z
  .object({
    removed: z.record(z.string(), z.number().int()).openapi({
      description:
        "Records removed per store: predictions, actuals, baseline_events, hour_aggregates (Durable Objects), monitor_aggregates, feature_scores, monitor_series, outcomes, deliveries, delivery_attempts, audit_log (Postgres), redis",
      example: { predictions: 1200, actuals: 40, baseline_events: 0, hour_aggregates: 24, monitor_aggregates: 300, outcomes: 2, deliveries: 5, audit_log: 0, redis: 0 },
    }),
    audit_exports: z
      .array(z.object({ id: z.string(), first_id: z.number().int(), last_id: z.number().int(), records: z.number().int(), last_hash: z.string(), location: z.enum(["postgres", "r2"]) }))
      .openapi({ description: "Audit chain prefixes this run exported, then dropped (GET /v1/audit/exports/{id} returns one)" }),
    errors: z.array(z.string()).openapi({ description: "Stores this run could not reach or would not prune (e.g. a monitor that did not answer, an audit prefix that does not verify); the next run retries them" }),
    ran_at: z.string(),
  })
  .openapi("RetentionRunResult");

/** A model's effective days: its overrides over the org's policy. */
export function effectiveFor(org: RetentionDays, overrides: ModelOverrides): RetentionDays {
  const out = { ...org };
  for (const f of MODEL_FIELDS) if (overrides[f] !== undefined) out[f] = overrides[f]!;
  return out;
}

export const DAY_MS = 86_400_000;
