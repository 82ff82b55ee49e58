// The one WebSocket protocol between a ModelMonitor and its dashboard sockets.
// Server and client both import it. The server builds messages typed as
// `ServerMessage` (and sends them with `satisfies`); the client parses what it
// receives with `parseServerMessage`, never a cast.
//
// Flow: on connect the object sends one `snapshot` (everything the dashboard needs to
// draw the model); afterwards one `update` per alarm tick (about every second while
// traffic flows) carrying the re-scored windows and the newest volume points. An
// update replaces the windows of the snapshot wholesale; volume points are merged by
// their minute `t`. `error` reports a problem with the socket itself (e.g. a bad room).
//
// Times are Unix milliseconds. Rates are fractions in [0, 1]. Numbers that cannot be
// computed yet (no data, no baseline) are null rather than NaN, since JSON has no NaN.
import { z } from "zod";

export const WINDOW_NAMES = ["5m", "1h", "24h"] as const;
export const windowName = z.enum(WINDOW_NAMES);
export type WindowName = z.infer<typeof windowName>;

const num = z.number();
const nullableNum = num.nullable();

/**
 * Reference and live histogram of one column, as proportions per cell. Numerical:
 * cells are the baseline's fixed bins, `edges` its interior edges (cell i is
 * (edges[i-1], edges[i]], the outer cells open-ended). Categorical: the baseline's most
 * frequent categories (at most 20 on the wire), then "__other__" for the rest.
 */
export const distribution = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("numerical"), edges: z.array(num), reference: z.array(num), current: z.array(num) }),
  z.object({ kind: z.literal("categorical"), categories: z.array(z.string()), reference: z.array(num), current: z.array(num) }),
]);
export type Distribution = z.infer<typeof distribution>;

/**
 * One column's drift in a window. `method` names the score that decides `drifted`
 * (e.g. "wasserstein_normed", "jensen_shannon", "ks_p_value"); `direction` says which
 * way it points: "distance" drifts when score >= threshold, "p_value" when score <
 * threshold. `score` is null when the window holds no value of the column.
 */
export const featureDrift = z.object({
  feature: z.string(),
  kind: z.enum(["numerical", "categorical"]),
  method: z.string(),
  direction: z.enum(["distance", "p_value"]),
  score: nullableNum,
  threshold: num,
  drifted: z.boolean(),
  /** Values of the column counted in the window (missing ones excluded). */
  count: num,
  /** Every score computed for the column, by name (psi, js, hellinger, ks_d, …). */
  scores: z.record(z.string(), num),
  distribution: distribution.nullable(),
});
export type FeatureDrift = z.infer<typeof featureDrift>;

/** Per-feature data-quality rates in a window, keyed by feature name. */
export const dataQuality = z.object({
  /** Missing (null, absent, NaN, empty) cells / events. */
  missingRate: z.record(z.string(), num),
  /** Categorical: labels the baseline never kept / labelled values. */
  newCategoryRate: z.record(z.string(), num),
  /** Numerical: values outside the baseline's [min, max] / values. */
  outOfRangeRate: z.record(z.string(), num),
  /** Values of the wrong type (a string in a numerical column, …) / events. */
  typeViolationRate: z.record(z.string(), num),
  /** Events whose record lacked the feature's key entirely (a subset of missing) / events. */
  absentRate: z.record(z.string(), num).default({}),
  /** Per key outside the baseline's features: events carrying it / events (at most 100 keys). */
  unknownFeatureRate: z.record(z.string(), num).default({}),
});
export type DataQuality = z.infer<typeof dataQuality>;

export const latency = z.object({ p50: nullableNum, p95: nullableNum, p99: nullableNum, count: num });
export type Latency = z.infer<typeof latency>;

/**
 * Performance from actuals joined by prediction_id. Classification: accuracy;
 * precision/recall/f1 of the positive class when labels are binary (0/1, false/true;
 * absent while no positive occurred) and macro means otherwise; macro_precision,
 * macro_recall, macro_f1 always; and when scores were sent roc_auc, log_loss, brier.
 * Regression: mae, rmse, mape, r2, bias. Only metrics that apply are present.
 */
export const performance = z.object({
  task: z.enum(["classification", "regression"]),
  /** Predictions in the window that have an actual. */
  labeled: num,
  metrics: z.record(z.string(), num),
});
export type Performance = z.infer<typeof performance>;

// [low, high]; an array, not a tuple, so the type survives Durable Object RPC (which widens tuples).
const band = z.array(num).length(2);

/**
 * Label-free performance estimate (CBPE, stats/estimation/README.md) of the window's binary
 * predictions that carried a probability score: the metrics, ROC AUC's binning error bound,
 * a 95 % band where the realised metric should fall if the scores are calibrated and there is
 * no concept shift, and `diverged`: the metrics whose realised value (once at least half of
 * the estimated rows are labelled) is more than three standard errors away, i.e. the
 * assumptions broke.
 */
export const estimatedPerformance = z.object({
  accuracy: num,
  precision: num,
  recall: num,
  f1: num,
  roc_auc: num,
  roc_auc_bin_error: num,
  ci95: z.object({ accuracy: band, precision: band, recall: band, f1: band, roc_auc: band }),
  /** Predictions the estimate covers. */
  count: num,
  diverged: z.array(z.enum(["accuracy", "precision", "recall", "f1", "roc_auc"])),
});
export type EstimatedPerformanceView = z.infer<typeof estimatedPerformance>;

/**
 * What the window's labelled predictions are worth under the version's value matrix
 * (stats/impact/README.md): `total` over the `labeled` predictions the matrix values,
 * `per_prediction` = total / labeled (null without labels), `unvalued`: labelled
 * predictions whose (actual, predicted) cell the matrix lacks.
 */
export const predictionValue = z.object({
  total: num,
  per_prediction: nullableNum,
  labeled: num,
  currency: z.string(),
  unvalued: num.default(0),
});
export type PredictionValue = z.infer<typeof predictionValue>;

export const windowView = z.object({
  window: windowName,
  from: num,
  to: num,
  /** Events in the window. */
  rows: num,
  /** Empty until a baseline exists. */
  features: z.array(featureDrift),
  prediction: featureDrift.nullable(),
  /** Drifted features / scored features; null without a baseline or data. */
  driftShare: nullableNum,
  quality: dataQuality.nullable(),
  latency: latency.nullable(),
  performance: performance.nullable(),
  /** Null until a binary prediction with a score arrives in the window. */
  estimated_performance: estimatedPerformance.nullable().optional(),
  /** Null until a value matrix is set (PUT …/value-matrix). */
  value: predictionValue.nullable().optional(),
  /** value.total − value.labeled × the baseline's value per prediction; null without both. */
  value_vs_baseline: nullableNum.optional(),
});
export type WindowView = z.infer<typeof windowView>;

/**
 * What drift is measured against. "collecting": no baseline was uploaded, so the
 * first `target` events are being frozen as the reference (`rows` so far).
 */
export const baselineInfo = z.object({
  status: z.enum(["collecting", "ready"]),
  source: z.enum(["upload", "first_events"]).nullable(),
  rows: num,
  target: num,
  frozenAt: nullableNum,
  features: z.array(z.object({ name: z.string(), kind: z.enum(["numerical", "categorical"]) })),
});
export type BaselineInfo = z.infer<typeof baselineInfo>;

/** Events stamped in one minute (by prediction timestamp), for the volume chart. */
export const volumePoint = z.object({ t: num, events: num });
export type VolumePoint = z.infer<typeof volumePoint>;

/** Running totals since the object was created. */
export const totals = z.object({
  events: num,
  batches: num,
  duplicateBatches: num,
  actuals: num,
  unmatchedActuals: num,
  lastEventAt: nullableNum,
  /**
   * Events stamped more than 25 hours before they arrived: counted here and kept for the
   * label join, but older than any live window reaches.
   */
  lateEvents: num.default(0),
  /** Events the Worker refused on validation (each named in its ingest reply); never stored. */
  rejectedEvents: num.default(0),
});
export type Totals = z.infer<typeof totals>;

/**
 * Drift of the features together (stats/multivariate, docs/ml-drift.md), recomputed every
 * 30 s while traffic flows from the baseline's row sample and the most recent rows.
 */
export const multivariateView = z.object({
  domain_classifier: z.object({
    auc: num,
    ci95: band,
    drifted: z.boolean(),
    top_features: z.array(z.object({ feature: z.string(), importance: num })),
  }),
  reconstruction: z.object({ error: num, lower: num, upper: num, drifted: z.boolean(), components: num }),
  computed_at: num,
  rows: z.object({ reference: num, current: num }),
  /** Where the reference rows came from: the baseline's own rows, or the first rows counted after it was set. */
  reference: z.enum(["first_events", "upload", "after_baseline"]),
});
export type MultivariateView = z.infer<typeof multivariateView>;

/**
 * Drift of one embedding feature (stats/embeddings, docs/ml-drift.md), from its projected
 * vectors: the baseline's sample against the most recent rows, recomputed with the
 * multivariate scores. `drifted` is the domain classifier's verdict (`methods.model`);
 * the distance and ratio methods are shown beside it.
 */
const embeddingMethod = z.object({ score: num, threshold: num, drifted: z.boolean() });
export const embeddingDriftView = z.object({
  feature: z.string(),
  /** The schema's dimension, and the components the Worker's projection keeps (≤ 64). */
  dimension: num,
  components: num,
  drifted: z.boolean(),
  methods: z.object({
    model: embeddingMethod.extend({ ci95: band }),
    distance: embeddingMethod.extend({ distance: z.literal("euclidean") }),
    ratio: embeddingMethod.extend({ drifted_components: num }),
  }),
  rows: z.object({ reference: num, current: num }),
  /** The baseline's own first events, or the first rows counted after an uploaded baseline was set. */
  reference: z.enum(["first_events", "after_baseline"]),
  computed_at: num,
});
export type EmbeddingDriftView = z.infer<typeof embeddingDriftView>;

/**
 * One tracked segment (stats/streaming/segments.ts) in the socket's compact summary, for
 * the summary's window. `ratios`: per baseline feature (baseline.features order), its
 * deciding score relative to its threshold, ≥ 1 exactly when the feature drifted: score /
 * threshold for a distance, ln(p) / ln(level) for a p-value (capped at 99); null when the
 * segment has no value of the feature.
 */
export const segmentSummary = z.object({
  key: z.string(),
  /** Events in the window (memberships: an event with two dimensions counts in two segments). */
  rows: num,
  driftShare: nullableNum,
  driftedFeatures: z.array(z.string()),
  ratios: z.array(nullableNum),
  /** The segment's own baseline (from the baseline's `segment` column), or the global one. */
  baseline: z.enum(["segment", "global"]),
  /** When the segment entered the tracked set: its windows hold events since then. */
  since: num,
  computedAt: num,
});
export type SegmentSummary = z.infer<typeof segmentSummary>;

export const segmentsView = z.object({
  window: windowName,
  /** The version's top-K (segments tracked with full windows; the rest count in "other"). */
  topK: num,
  /** The level each segment's features are judged at: α / segments scored (Bonferroni). */
  alpha: num,
  /** Tracked segments, largest first, then "other". */
  items: z.array(segmentSummary),
  /** The segments with a drifted feature in the window, most drifted first. */
  segment_drift: z.object({ drifting: z.array(z.string()), scored: num }),
});
export type SegmentsView = z.infer<typeof segmentsView>;

export const snapshotMessage = z.object({
  type: z.literal("snapshot"),
  model: z.string(),
  version: z.string(),
  serverTime: num,
  baseline: baselineInfo,
  windows: z.array(windowView),
  /** The last 60 minutes, oldest first; minutes without events are absent. */
  volume: z.array(volumePoint),
  /** Events per second over the last 10 seconds. */
  eventRate: num,
  totals,
  /** Null until both the reference sample and the recent rows hold enough rows. */
  multivariate: multivariateView.nullable().optional(),
  /** One per embedding feature once both sides hold enough vectors. */
  embeddings: z.array(embeddingDriftView).optional(),
  /** Per-segment summary; null until an event carries a segment. */
  segments: segmentsView.nullable().optional(),
  /** Set when the windows are one segment's (GET …/live?segment=): its key. */
  segment: z.string().optional(),
});
export type SnapshotMessage = z.infer<typeof snapshotMessage>;

export const updateMessage = z.object({
  type: z.literal("update"),
  serverTime: num,
  /** Increases by one per alarm tick; a gap means the client missed an update. */
  tick: num,
  baseline: baselineInfo,
  windows: z.array(windowView),
  /** The current and previous minute's points (replace the ones with the same t). */
  volume: z.array(volumePoint),
  eventRate: num,
  totals,
  multivariate: multivariateView.nullable().optional(),
  embeddings: z.array(embeddingDriftView).optional(),
  segments: segmentsView.nullable().optional(),
});
export type UpdateMessage = z.infer<typeof updateMessage>;

export const errorMessage = z.object({ type: z.literal("error"), code: z.string(), message: z.string() });
export type ErrorMessage = z.infer<typeof errorMessage>;

export const serverMessage = z.discriminatedUnion("type", [snapshotMessage, updateMessage, errorMessage]);
export type ServerMessage = z.infer<typeof serverMessage>;

/** The message, or undefined when the text is not JSON or not a valid message. */
export function parseServerMessage(raw: string): ServerMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const parsed = serverMessage.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** A room name is `<model>:<version>`; model names may not contain ':'. */
export function parseRoomName(name: string): { model: string; version: string } | undefined {
  const at = name.indexOf(":");
  if (at <= 0 || at === name.length - 1) return undefined;
  return { model: name.slice(0, at), version: name.slice(at + 1) };
}
