import { z } from "@hono/zod-openapi";

// A model version's feature schema: what each input feature is, so ingest can validate
// events and the monitor can pick drift tests by kind.

export const FEATURE_KINDS = ["numerical", "categorical"] as const;
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
  })
  .superRefine((f, ctx) => {
    if (f.kind === "categorical" && f.range) ctx.addIssue({ code: "custom", path: ["range"], message: "only numerical features have a range" });
    if (f.kind === "numerical" && f.categories) ctx.addIssue({ code: "custom", path: ["categories"], message: "only categorical features have categories" });
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
    features.forEach((f, i) => {
      if (seen.has(f.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `duplicate feature "${f.name}"` });
      seen.add(f.name);
    });
  })
  .openapi("FeatureSchema");

export type FeatureSpec = z.infer<typeof FeatureSpec>;
