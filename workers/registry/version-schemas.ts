import { z } from "@hono/zod-openapi";
import { FeatureSchema, PREDICTION_KINDS } from "./feature-schema.ts";
import { Signature, SignatureInput } from "../signatures/schemas.ts";
import { PageQuery } from "./pagination.ts";
import { DEFAULT_TOP_K, MAX_TOP_K } from "../../stats/streaming/segments.ts";

export const STAGES = ["development", "staging", "production", "archived"] as const;
export type Stage = (typeof STAGES)[number];

export const VersionName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, "must be 1-64 letters, digits, '.', '_', '+' or '-'");

export const Thresholds = z
  .record(
    z.string().min(1),
    z
      .object({
        drift: z.number().nonnegative().optional().openapi({ description: "drift score threshold for this feature's test" }),
        test: z.string().min(1).optional().openapi({ description: "drift test id (e.g. psi, ks, wasserstein)" }),
        missing_rate: z.number().min(0).max(1).optional(),
        type_violation_rate: z.number().min(0).max(1).optional(),
      })
      .strict(),
  )
  .openapi("Thresholds", { description: "Per feature: alerting thresholds that override the defaults" });

export const Links = z
  .object({
    artifact_uri: z.string().url().optional(),
    git_commit: z.string().regex(/^[0-9a-f]{7,40}$/, "must be a 7-40 character hex commit id").optional(),
  })
  .catchall(z.string().max(2_000))
  .openapi("VersionLinks");

const Tags = z.record(z.string(), z.string());

export const SegmentSettings = z
  .object({
    top_k: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_TOP_K, `must be at most ${MAX_TOP_K}`)
      .optional()
      .openapi({ description: `Segments tracked with full drift, quality and performance windows, the largest by volume over the last hour (default ${DEFAULT_TOP_K}); the rest count in "other".` }),
  })
  .strict()
  .openapi("SegmentSettings", { description: "Segment drift settings (docs/architecture.md, \"Segments\")" });

/** Monitor shards (issue 23): 1..16 Durable Objects share a version's ingest; see docs/architecture.md, "Sharded monitors". */
export const MAX_SHARDS = 16;
export const SHARDS_MODES = ["fixed", "auto"] as const;
export type ShardsMode = (typeof SHARDS_MODES)[number];

const ShardCount = z
  .number()
  .int("must be a whole number")
  .min(1, "must be at least 1")
  .max(MAX_SHARDS, `must be at most ${MAX_SHARDS}`)
  .openapi({ description: `A fixed number of shards, 1-${MAX_SHARDS}.` });

export const Shards = z
  .union([ShardCount, z.literal("auto").openapi({ description: "Start where the version is (1 for a new one) and let Vigil add shards while a monitor object stays overloaded." })], {
    error: `must be a whole number from 1 to ${MAX_SHARDS}, or "auto"`,
  })
  .openapi({
    description:
      `Durable Objects this version's ingest is split across: a whole number 1-${MAX_SHARDS} (default 1), or "auto". Events are routed by a stable hash of prediction_id, so a prediction and its actuals meet in one shard; ` +
      "the version's primary object merges every shard's minute buckets into the windows, scores them, runs the alerts and serves /live, so readers see one model. " +
      "Changing it on a live version loses and double-counts nothing: the primary keeps merging from every shard that ever held data. 1 is the single-object path. " +
      `"auto" keeps the shards in effect and doubles them (at most ${MAX_SHARDS}) each time one of the version's monitor objects stays 60 % busy or more for 30 s, at most once per 90 s; it never lowers them. ` +
      "A number sets the mode back to fixed.",
  });

export const Transition = z.object({ from: z.enum(STAGES).nullable(), to: z.enum(STAGES), actor: z.string(), note: z.string(), at: z.string() }).openapi("StageTransition");

export const Version = z
  .object({
    id: z.string().uuid(),
    model: z.string(),
    version: z.string(),
    stage: z.enum(STAGES),
    prediction_kind: z.enum(PREDICTION_KINDS),
    feature_schema: FeatureSchema,
    description: z.string(),
    owners: z.array(z.string()),
    tags: Tags,
    links: z.record(z.string(), z.string()),
    thresholds: Thresholds,
    segments: z.object({ top_k: z.number() }).openapi({ description: "Segment drift settings in effect (top_k: segments tracked with full windows)" }),
    shards: z.number().int().openapi({ description: "Monitor shards in effect (see CreateModelVersion.shards); with shards_mode auto, the number the auto mode has reached" }),
    shards_mode: z.enum(SHARDS_MODES).openapi({ description: 'How shards is set: "fixed" (a number a user gave) or "auto" (raised by Vigil under load; see CreateModelVersion.shards)' }),
    active_baseline: z.string().uuid().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    transitions: z.array(Transition).optional().openapi({ description: "stage history, oldest first (single-version reads only)" }),
  })
  .openapi("ModelVersion");

export const CreateVersion = z
  .object({
    version: VersionName,
    feature_schema: FeatureSchema.default([]),
    prediction_kind: z.enum(PREDICTION_KINDS).optional().openapi({ description: "defaults to the model's" }),
    stage: z.enum(["development", "staging"]).default("development"),
    description: z.string().max(10_000).default(""),
    owners: z.array(z.string().min(1)).max(100).default([]),
    tags: Tags.default({}),
    links: Links.default({}),
    thresholds: Thresholds.default({}),
    segments: SegmentSettings.default({}),
    shards: Shards.default(1),
  })
  .openapi("CreateModelVersion");

export const UpdateVersion = z
  .object({
    feature_schema: FeatureSchema.optional(),
    prediction_kind: z.enum(PREDICTION_KINDS).optional(),
    stage: z.enum(STAGES).optional().openapi({ description: "records a transition; use /promote to also archive the previous production version" }),
    description: z.string().max(10_000).optional(),
    owners: z.array(z.string().min(1)).max(100).optional(),
    tags: Tags.optional(),
    links: Links.optional(),
    thresholds: Thresholds.optional(),
    segments: SegmentSettings.optional(),
    shards: Shards.optional(),
    note: z.string().max(2_000).optional(),
    signature: SignatureInput.optional().openapi({ description: "an electronic signature for a threshold change, when the org's policy asks for one (or to sign it anyway)" }),
  })
  .openapi("UpdateModelVersion");

export const Promote = z
  .object({
    stage: z.enum(["staging", "production"]).default("production"),
    archive_previous: z.boolean().default(true).openapi({ description: "archive the versions now in the target stage (default true)" }),
    note: z.string().max(2_000).optional(),
    signature: SignatureInput.optional().openapi({ description: "an electronic signature for a promotion to production, when the org's policy asks for one (or to sign it anyway)" }),
  })
  .openapi("Promote");

export const PromoteResult = z
  .object({ version: Version, archived: z.array(z.string()), signatures: z.array(Signature).openapi({ description: "the signatures that approved this promotion (empty when none were needed or given)" }) })
  .openapi("PromoteResult");

export const VersionListQuery = PageQuery.extend({
  sort: z.enum(["created_at", "version"]).default("created_at"),
  stage: z.enum(STAGES).optional(),
});
