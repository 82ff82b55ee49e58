import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { modelVersions, models, orgs } from "./registry.ts";

// Alerting: rules (what to watch), channels (where to say it), alerts (what happened,
// with a lifecycle), their activity trail, and deliveries (the webhook outbox and log).

const tz = (name: string) => timestamp(name, { withTimezone: true });

export const alertRules = pgTable(
  "alert_rules",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    modelId: uuid("model_id").notNull().references(() => models.id, { onDelete: "cascade" }),
    /** Null: the rule applies to every version of the model. */
    modelVersionId: uuid("model_version_id").references(() => modelVersions.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    severity: text("severity").notNull(),
    window: text("window").notNull(),
    /** The RuleCondition from durable/alerts/rules.ts: { kind, …params }. */
    condition: jsonb("condition").$type<Record<string, unknown>>().notNull(),
    forEvaluations: integer("for_evaluations").notNull(),
    cooldownSeconds: integer("cooldown_seconds").notNull(),
    autoResolveAfter: integer("auto_resolve_after").notNull(),
    enabled: boolean("enabled").notNull().default(true),
    /** Set on rules created as defaults for a version, so they are created once. */
    defaultKey: text("default_key"),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
  },
  (t) => [index("alert_rules_model").on(t.orgId, t.modelId), uniqueIndex("alert_rules_version_default").on(t.modelVersionId, t.defaultKey)],
);

export const channels = pgTable(
  "channels",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** webhook | slack | pagerduty | teams | retrain */
    kind: text("kind").notNull(),
    config: jsonb("config").$type<Record<string, unknown>>().notNull(),
    /** HMAC secret for signed kinds; shown once when created. */
    secret: text("secret"),
    /** Model names this channel hears; null hears every model of the org. */
    models: text("models").array(),
    enabled: boolean("enabled").notNull().default(true),
    createdAt: tz("created_at").notNull().defaultNow(),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    /** Soft delete keeps the delivery log readable. */
    deletedAt: tz("deleted_at"),
  },
  (t) => [index("channels_org").on(t.orgId)],
);

export const alerts = pgTable(
  "alerts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    ruleId: uuid("rule_id").references(() => alertRules.id, { onDelete: "set null" }),
    modelId: uuid("model_id").references(() => models.id, { onDelete: "cascade" }),
    model: text("model").notNull(),
    version: text("version").notNull(),
    ruleName: text("rule_name").notNull(),
    ruleKind: text("rule_kind").notNull(),
    severity: text("severity").notNull(),
    window: text("window").notNull(),
    /** open | acknowledged | resolved */
    status: text("status").notNull(),
    /** The evaluator's firing id (rule@openedAt). */
    firingId: text("firing_id").notNull(),
    summary: text("summary").notNull(),
    evidence: jsonb("evidence").$type<Record<string, unknown>>(),
    fireCount: integer("fire_count").notNull().default(1),
    openedAt: tz("opened_at").notNull(),
    lastFiredAt: tz("last_fired_at").notNull(),
    acknowledgedAt: tz("acknowledged_at"),
    acknowledgedBy: text("acknowledged_by"),
    resolvedAt: tz("resolved_at"),
    resolvedBy: text("resolved_by"),
  },
  (t) => [
    index("alerts_org_opened").on(t.orgId, t.openedAt),
    // Duplicate firings update the open alert: at most one unresolved alert per rule and version.
    uniqueIndex("alerts_one_open").on(t.ruleId, t.model, t.version).where(sql`status <> 'resolved'`),
  ],
);

/** Every change to an alert, with who or what made it. */
export const alertActivity = pgTable(
  "alert_activity",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    alertId: uuid("alert_id").notNull().references(() => alerts.id, { onDelete: "cascade" }),
    /** The evaluator event applied, so a retried event is applied once. */
    eventId: text("event_id").unique(),
    at: tz("at").notNull().defaultNow(),
    /** opened | fired_again | acknowledged | resolved */
    action: text("action").notNull(),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    /** system | api_key | user */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    note: text("note"),
  },
  (t) => [index("alert_activity_alert").on(t.alertId, t.at)],
);

/** The outbox and delivery log: one row per (notification, channel). Its id is the Idempotency-Key. */
export const deliveries = pgTable(
  "deliveries",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    channelId: uuid("channel_id").notNull().references(() => channels.id, { onDelete: "cascade" }),
    alertId: uuid("alert_id").references(() => alerts.id, { onDelete: "cascade" }),
    /** opened | acknowledged | resolved | retrain | test */
    event: text("event").notNull(),
    /** Unique per notification and channel, so one event is queued once per channel. */
    dedupeKey: text("dedupe_key").notNull().unique(),
    /** The notification as built when queued (workers/channels/notification.ts). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    /** pending | delivering | delivered | dead | awaiting_approval */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: tz("next_attempt_at"),
    lastAttemptAt: tz("last_attempt_at"),
    lastStatusCode: integer("last_status_code"),
    lastLatencyMs: integer("last_latency_ms"),
    lastError: text("last_error"),
    deliveredAt: tz("delivered_at"),
    createdAt: tz("created_at").notNull().defaultNow(),
  },
  (t) => [
    index("deliveries_due").on(t.status, t.nextAttemptAt),
    index("deliveries_alert").on(t.alertId),
    // Retention prunes finished deliveries by age (migration 0011).
    index("deliveries_retention").on(t.orgId, t.createdAt).where(sql`"status" IN ('delivered', 'dead')`),
  ],
);

export const deliveryAttempts = pgTable(
  "delivery_attempts",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    deliveryId: uuid("delivery_id").notNull().references(() => deliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: tz("at").notNull(),
    ok: boolean("ok").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    error: text("error"),
  },
  (t) => [index("delivery_attempts_delivery").on(t.deliveryId)],
);
