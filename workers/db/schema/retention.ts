import { bigint, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { models, orgs } from "./registry.ts";

// Retention (issue 15, migration 0011): each org's policy and per-model overrides
// (workers/retention/), the exports an audit chain prefix leaves behind before it is
// dropped, and the per-org key PII categoricals are HMACed with (workers/pii/).

const tz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

/** An org's retention policy; no row: the defaults of workers/retention/policy.ts. */
export const retentionPolicies = pgTable("retention_policies", {
  orgId: uuid("org_id").primaryKey().references(() => orgs.id, { onDelete: "cascade" }),
  rawEventsDays: integer("raw_events_days").notNull(),
  labelsDays: integer("labels_days").notNull(),
  aggregatesDays: integer("aggregates_days").notNull(),
  outcomesDays: integer("outcomes_days").notNull(),
  deliveriesDays: integer("deliveries_days").notNull(),
  auditDays: integer("audit_days").notNull(),
  updatedAt: tz("updated_at").notNull().defaultNow(),
  /** The audit actor who set it: { type, id }. */
  updatedBy: jsonb("updated_by").$type<{ type: string; id: string }>().notNull(),
});

/** A model's overrides of the model-scoped stores; null: the org's value. */
export const modelRetention = pgTable(
  "model_retention",
  {
    modelId: uuid("model_id").primaryKey().references(() => models.id, { onDelete: "cascade" }),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    rawEventsDays: integer("raw_events_days"),
    labelsDays: integer("labels_days"),
    aggregatesDays: integer("aggregates_days"),
    outcomesDays: integer("outcomes_days"),
    updatedAt: tz("updated_at").notNull().defaultNow(),
    updatedBy: jsonb("updated_by").$type<{ type: string; id: string }>().notNull(),
  },
  (t) => [index("model_retention_org").on(t.orgId)],
);

/** An exported (then dropped) prefix of an org's audit chain: the JSONL here (`body`) or in R2 (`object_key`). */
export const auditExports = pgTable(
  "audit_exports",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    firstId: bigint("first_id", { mode: "number" }).notNull(),
    lastId: bigint("last_id", { mode: "number" }).notNull(),
    records: integer("records").notNull(),
    /** The hash the prefix chained from (64 zeros for an org's first export). */
    firstPrevHash: text("first_prev_hash").notNull(),
    /** The hash of the prefix's last record: the remaining chain starts from it. */
    lastHash: text("last_hash").notNull(),
    cutoff: tz("cutoff").notNull(),
    /** SHA-256 of the JSONL as stored. */
    sha256: text("sha256").notNull(),
    bytes: integer("bytes").notNull(),
    /** postgres | r2 */
    location: text("location").notNull(),
    objectKey: text("object_key"),
    body: text("body"),
    exportedAt: tz("exported_at").notNull().defaultNow(),
  },
  (t) => [uniqueIndex("audit_exports_org_last").on(t.orgId, t.lastId)],
);

/** The per-org HMAC key for PII categoricals (hex); never returned or logged. */
export const orgPiiKeys = pgTable("org_pii_keys", {
  orgId: uuid("org_id").primaryKey().references(() => orgs.id, { onDelete: "cascade" }),
  key: text("key").notNull(),
  createdAt: tz("created_at").notNull().defaultNow(),
});
