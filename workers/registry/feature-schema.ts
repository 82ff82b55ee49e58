import { z } from "@hono/zod-openapi";

// A model version's feature schema: what each input feature is, so ingest can validate
// events and the monitor can pick drift tests by kind.

export const FEATURE_KINDS = ["numerical", "categorical", "embedding"] as const;
/** The widest embedding a schema may declare, and how many embedding features one version may have. */
export const MAX_EMBEDDING_DIMENSION = 4_096;
export const MAX_EMBEDDING_FEATURES = 8;
export const FEATURE_DTYPES = ["float", "int", "string", "bool"] as const;
export const PREDICTION_KINDS = ["binary", "multiclass", "regression"] as const;
export type PredictionKind = (typeof PREDICTION_KINDS)[number];

export const FeatureSpec = z
  .object({
    name: z.string().min(1).max(200),
    kind: z.enum(FEATURE_KINDS),
    dtype: z.enum(FEATURE_DTYPES),
    range: z.object({ min: z.number().optional(), max: z.number().optional() }).optional().openapi({ description: "Allowed numeric range (inclusive), numerical features only." }),
    categories: z.array(z.string()).max(10_000).optional().openapi({ description: "Allowed values, categorical features only." }),
    /** A PII tag such as "email" or "direct-identifier"; tagged features are never echoed in samples. */
    pii: z.string().min(1).max(64).optional(),
    nullable: z.boolean().optional(),
    segment: z.boolean().optional().openapi({
      description:
        'Categorical features only: `true` makes the feature\'s value a segment dimension (`{ "<feature>": value }`, merged with each event\'s own `segment` map, which wins for the same dimension), so drift, data quality and performance are scored per value (GET …/live?segment=<feature>:<value>) without changing senders.',
    }),
    dimension: z
      .number()
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(MAX_EMBEDDING_DIMENSION, `must be at most ${MAX_EMBEDDING_DIMENSION}`)
      .optional()
      .openapi({ description: `Embedding features only (kind "embedding", dtype "float"): the vector's length, 1 to ${MAX_EMBEDDING_DIMENSION}.` }),
  })
  .superRefine((f, ctx) => {
    if (f.kind === "categorical" && f.range) ctx.addIssue({ code: "custom", path: ["range"], message: "only numerical features have a range" });
    if (f.kind !== "categorical" && f.categories) ctx.addIssue({ code: "custom", path: ["categories"], message: "only categorical features have categories" });
    if (f.segment === true && f.kind !== "categorical") ctx.addIssue({ code: "custom", path: ["segment"], message: "only a categorical feature can be a segment key" });
    if (f.segment === true && f.pii !== undefined) ctx.addIssue({ code: "custom", path: ["segment"], message: "a pii-tagged feature cannot be a segment key (its values would name segments)" });
    if (f.segment === true && f.name.includes(":")) ctx.addIssue({ code: "custom", path: ["segment"], message: "a segment key's name cannot contain ':' (segment keys are dimension:value)" });
    if (f.kind === "embedding") {
      if (f.range) ctx.addIssue({ code: "custom", path: ["range"], message: "only numerical features have a range" });
      if (f.dimension === undefined) ctx.addIssue({ code: "custom", path: ["dimension"], message: "is required for an embedding feature" });
      if (f.dtype !== "float") ctx.addIssue({ code: "custom", path: ["dtype"], message: 'an embedding feature\'s dtype is "float"' });
      if (f.pii !== undefined) ctx.addIssue({ code: "custom", path: ["pii"], message: "an embedding feature cannot be tagged pii (it cannot be pseudonymised; leave it out)" });
    } else if (f.dimension !== undefined) ctx.addIssue({ code: "custom", path: ["dimension"], message: "only embedding features have a dimension" });
    if (f.range?.min !== undefined && f.range.max !== undefined && f.range.min > f.range.max) {
      ctx.addIssue({ code: "custom", path: ["range"], message: "min must be <= max" });
    }
  })
  .openapi("FeatureSpec");

export const FeatureSchema = z
  .array(FeatureSpec)
  .max(5_000)
  .superRefine((features, ctx) => {
    const seen = new Set<string>();
    let embeddings = 0;
    features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate feature "${f.name}"` });
      seen.add(f.name);
      if (f.kind === "embedding" && ++embeddings > MAX_EMBEDDING_FEATURES) ctx.addIssue({ code: "custom", path: [i, "kind"], message: `at most ${MAX_EMBEDDING_FEATURES} embedding features per version` });
    });
  })
  .openapi("FeatureSchema");

export type FeatureSpec = z.infer<typeof FeatureSpec>;

export type ScalarFeatureSpec = FeatureSpec & { kind: "numerical" | "categorical" };
export type EmbeddingFeatureSpec = FeatureSpec & { kind: "embedding"; dimension: number };

/**
 * The features profiled and judged one column at a time (numerical, categorical): what
 * baselines, windows and the per-feature tests see. Embedding features are scored
 * together as vectors instead (durable/monitor/embedding-rows.ts).
 */
export function scalarFeatures(schema: readonly FeatureSpec[]): ScalarFeatureSpec[] {
  return schema.filter((f): f is ScalarFeatureSpec => f.kind !== "embedding");
}

export function embeddingFeatures(schema: readonly FeatureSpec[]): EmbeddingFeatureSpec[] {
  return schema.filter((f): f is EmbeddingFeatureSpec => f.kind === "embedding" && f.dimension !== undefined);
}
