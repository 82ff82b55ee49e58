// The API shape of an alert rule, validated with zod so each bad field is named.
import { z } from "@hono/zod-openapi";

const features = z.array(z.string().min(1)).min(1).optional().describe("feature names; all when omitted");
const share = z.number().gt(0).lte(1);

export const RuleCondition = z
  .discriminatedUnion("kind", [
    z.object({ kind: z.literal("feature_drift"), features, threshold: z.number().optional().describe("overrides the scorer's own threshold") }).strict(),
    z.object({ kind: z.literal("dataset_drift"), share: share.describe("share of features drifting, 0..1") }).strict(),
    z.object({ kind: z.literal("prediction_drift"), threshold: z.number().optional() }).strict(),
    z.object({ kind: z.literal("performance"), metric: z.string().min(1).describe("accuracy, f1, roc_auc, rmse, mae, …; estimated_accuracy, estimated_precision, estimated_recall, estimated_f1, estimated_roc_auc for the label-free estimate; value.per_prediction, value.total, value_vs_baseline once a value matrix is set"), op: z.enum(["below", "above"]), value: z.number() }).strict(),
    z.object({ kind: z.literal("data_quality"), check: z.enum(["missing_rate", "new_categories", "out_of_range"]), max: z.number().min(0).max(1), features }).strict(),
    z.object({ kind: z.literal("latency"), percentile: z.enum(["p95", "p99"]), above_ms: z.number().positive() }).strict(),
    z
      .object({ kind: z.literal("volume"), min_ratio: z.number().positive().optional(), max_ratio: z.number().positive().optional() })
      .strict()
      .refine((v) => v.min_ratio !== undefined || v.max_ratio !== undefined, { message: "set min_ratio (drop), max_ratio (spike) or both", path: ["min_ratio"] }),
    z.object({ kind: z.literal("no_data"), minutes: z.number().int().min(1).max(7 * 24 * 60) }).strict(),
    z
      .object({
        kind: z.literal("multivariate"),
        method: z.enum(["domain_classifier", "reconstruction"]).optional().describe("which multivariate score; either when omitted"),
      })
      .strict(),
    z
      .object({
        kind: z.literal("embedding_drift"),
        features: z.array(z.string().min(1)).max(8).optional().describe("embedding features to watch; every one when omitted"),
        method: z.enum(["model", "distance", "ratio"]).optional().describe("whose verdict fires; the domain classifier's (model) when omitted"),
      })
      .strict(),
  ])
  .openapi("RuleCondition");

const common = {
  name: z.string().min(1).max(200),
  severity: z.enum(["info", "warning", "critical"]),
  window: z.enum(["5m", "1h", "24h"]),
  for: z.number().int().min(1).max(1000).describe("consecutive breaching evaluations before it fires"),
  cooldown_minutes: z.number().int().min(0).max(30 * 24 * 60).describe("after a resolution, no new alert of this rule for this long"),
  auto_resolve_after: z.number().int().min(0).max(100_000).describe("consecutive clear evaluations that resolve it; 0 = only by hand"),
  enabled: z.boolean(),
  condition: RuleCondition,
};

export const RuleInput = z
  .object({
    model: z.string().min(1).describe("model name"),
    version: z.string().min(1).optional().describe("a version; every version of the model when omitted"),
    ...common,
    for: common.for.default(3),
    cooldown_minutes: common.cooldown_minutes.default(30),
    auto_resolve_after: common.auto_resolve_after.default(5),
    enabled: common.enabled.default(true),
  })
  .openapi("RuleInput");

export const RulePatch = z.object(common).partial().openapi("RulePatch");

export const Rule = z
  .object({
    id: z.uuid(),
    model: z.string(),
    version: z.string().nullable(),
    ...common,
    default: z.boolean().describe("created automatically for the version"),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("Rule");
