import { sql } from "drizzle-orm";
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

// The registry core: orgs → projects → models → model versions, the API keys that
// act for an org, and the audit log that records every change.

const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();

export const orgs = pgTable("orgs", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  createdAt: createdAt(),
});

export const projects = pgTable(
  "projects",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("projects_org_slug").on(t.orgId, t.slug)],
);

export const models = pgTable(
  "models",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    projectId: uuid("project_id").notNull().references(() => projects.id, { onDelete: "restrict" }),
    /** The name clients send in ingest bodies, unique within an org. */
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** binary | multiclass | regression */
    predictionKind: text("prediction_kind").notNull(),
    owners: text("owners").array().notNull().default(sql`'{}'::text[]`),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("models_org_name").on(t.orgId, t.name), index("models_project").on(t.projectId)],
);

export const modelVersions = pgTable(
  "model_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    modelId: uuid("model_id").notNull().references(() => models.id, { onDelete: "cascade" }),
    version: text("version").notNull(),
    /** development | staging | production | archived */
    stage: text("stage").notNull().default("development"),
    /** Feature schema: [{ name, kind, dtype, range?, categories?, pii? }]. */
    featureSchema: jsonb("feature_schema").$type<unknown[]>().notNull().default([]),
    description: text("description").notNull().default(""),
    links: jsonb("links").$type<Record<string, string>>().notNull().default({}),
    createdAt: createdAt(),
    /** binary | multiclass | regression; null means the model's kind. */
    predictionKind: text("prediction_kind"),
    owners: text("owners").array().notNull().default(sql`'{}'::text[]`),
    tags: jsonb("tags").$type<Record<string, string>>().notNull().default({}),
    /** Per-feature alerting thresholds: { "<feature>": { drift?, missing_rate?, test? } }. */
    thresholds: jsonb("thresholds").$type<Record<string, Record<string, unknown>>>().notNull().default({}),
    /** Segment drift settings: { top_k? } (segments tracked with full windows; default 20). */
    segments: jsonb("segments").$type<{ top_k?: number }>().notNull().default({}),
    /** Monitor shards (issue 23): ingest is split across this many Durable Objects by prediction id (1..16). */
    shards: integer("shards").notNull().default(1),
    /** The most shards this version ever had: the coordinator merges from all of them, so lowering `shards` loses nothing. */
    shardsMax: integer("shards_max").notNull().default(1),
    /** fixed: `shards` is what a user set; auto: the Worker doubles `shards` (at most 16) while an object stays overloaded (workers/registry/auto-shards.ts). */
    shardsMode: text("shards_mode").notNull().default("fixed"),
    /** When `shards` last changed, by a user or the auto mode: the auto mode's cool-down starts there. Null: never changed since creation. */
    shardsChangedAt: timestamp("shards_changed_at", { withTimezone: true }),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("model_versions_model_version").on(t.modelId, t.version),
    index("model_versions_org").on(t.orgId),
    // Several production versions may coexist (champion/challenger) when a promotion
    // is told not to archive the previous one, so this is not unique.
    index("model_versions_model_stage").on(t.modelId, t.stage),
  ],
);

/** Every stage change of a version, in order: who moved it, from where, to where, and why. */
export const stageTransitions = pgTable(
  "stage_transitions",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    versionId: uuid("version_id").notNull().references(() => modelVersions.id, { onDelete: "cascade" }),
    fromStage: text("from_stage"),
    toStage: text("to_stage").notNull(),
    actor: text("actor").notNull(),
    note: text("note").notNull().default(""),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("stage_transitions_version").on(t.versionId, t.id)],
);

/** Reference profiles (stats/profile format) of a version; several kept, at most one active. */
export const baselines = pgTable(
  "baselines",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    versionId: uuid("version_id").notNull().references(() => modelVersions.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** "vigil.profile" and its version, checked on write so readers can trust the shape. */
    format: text("format").notNull(),
    formatVersion: text("format_version").notNull(),
    profile: jsonb("profile").$type<Record<string, unknown>>().notNull(),
    active: boolean("active").notNull().default(false),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("baselines_version_name").on(t.versionId, t.name),
    uniqueIndex("baselines_one_active").on(t.versionId).where(sql`active`),
  ],
);

export const apiKeys = pgTable(
  "api_keys",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: uuid("org_id").notNull().references(() => orgs.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** The visible start of the key (e.g. "vgl_3f9a2c1b"), shown in listings. */
    prefix: text("prefix").notNull().unique(),
    /** SHA-256 of the whole key, hex. The key itself is shown once and never stored. */
    keyHash: text("key_hash").notNull().unique(),
    scopes: text("scopes").array().notNull(),
    projectId: uuid("project_id").references(() => projects.id, { onDelete: "cascade" }),
    modelId: uuid("model_id").references(() => models.id, { onDelete: "cascade" }),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    expiresAt: timestamp("expires_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    /** Set on a key issued by rotation: the key it replaces (which stays valid for the overlap). */
    rotatedFrom: uuid("rotated_from"),
  },
  (t) => [index("api_keys_org").on(t.orgId)],
);

/**
 * Append-only record of who did what. Each row carries the hash of the previous
 * row of its org, so an edit or deletion anywhere breaks the chain visibly.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    orgId: uuid("org_id").references(() => orgs.id, { onDelete: "restrict" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** user | api_key | system */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    prevHash: text("prev_hash").notNull(),
    hash: text("hash").notNull(),
  },
  (t) => [index("audit_log_org_at").on(t.orgId, t.at)],
);
