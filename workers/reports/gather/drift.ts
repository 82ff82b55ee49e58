// The drift report: one model version over a range against its active baseline. Two
// readings of the same traffic, both shown:
//   - the range as a whole (range-judgement.ts): the monitor's sketches merged over the
//     range and judged by the live rule, with the reference and current distributions;
//     the monitor keeps sketches 7 days, so older ranges have only the second reading;
//   - the history the monitor wrote while the range was live (history.ts), sampled per
//     hour (or day): dataset drift share and each feature's score over time.
// Dataset drift follows Evidently's DatasetDriftMetric: drifted when at least half the
// scored features drifted (DATASET_DRIFT_SHARE).
import { RANGE_RETENTION_MS } from "../../../durable/monitor/range.ts";
import type { FeatureProfile } from "../../../stats/profile/schema.ts";
import { monitorStub } from "../../ingest/monitor-stub.ts";
import { scalarFeatures, type FeatureSpec } from "../../registry/feature-schema.ts";
import type { Block, Gathered, Section } from "../document.ts";
import { formatNumber, formatPercent, formatTime } from "../render/format.ts";
import { activeBaseline } from "./baseline.ts";
import type { GatherContext } from "./context.ts";
import { iso } from "./context.ts";
import { sampleAggregates, sampleFeatureScores, samplingFor, type FeatureSample } from "./history.ts";
import { distributionLabels, judgeRangeFeature, RANGE_ALPHA, type RangeFeatureDrift } from "./range-judgement.ts";

export const DATASET_DRIFT_SHARE = 0.5;
/** Feature charts over time: the most drifted features first, at most this many. */
const MAX_TREND_CHARTS = 8;

interface FeatureHistory {
  samples: number;
  drifted_samples: number;
  max_score: number | null;
  /** The last sample, its time as ISO 8601 like every time in the report's JSON. */
  last: (Omit<FeatureSample, "at"> & { at: string }) | null;
}

function historyOf(samples: FeatureSample[]): FeatureHistory {
  const scores = samples.map((s) => s.score).filter((s): s is number => s !== null);
  const last = samples[samples.length - 1];
  return { samples: samples.length, drifted_samples: samples.filter((s) => s.drifted).length, max_score: scores.length ? Math.max(...scores) : null, last: last ? { ...last, at: iso(last.at)! } : null };
}

function withoutDistribution(r: RangeFeatureDrift): Omit<RangeFeatureDrift, "distribution"> {
  const { distribution: _, ...verdict } = r;
  return verdict;
}

type RangeReading =
  | { available: true; rows: number; events: number; covered_from: string; covered_to: string; minute_buckets: number; hour_buckets: number; rank_error: number; omitted_features: string[]; features: RangeFeatureDrift[]; prediction: RangeFeatureDrift | null }
  | { available: false; reason: string };

async function readRange(ctx: GatherContext, reference: { features: FeatureProfile[]; prediction: FeatureProfile | null } | null): Promise<RangeReading> {
  const v = ctx.scope.version!;
  const from = ctx.range.from.getTime();
  const to = ctx.range.to.getTime();
  if (!reference) return { available: false, reason: "the version has no active baseline in the registry (a baseline frozen from the first events lives only in the monitor), so only the history's verdicts are shown" };
  if (from < ctx.now - RANGE_RETENTION_MS) return { available: false, reason: `the monitor keeps its sketches ${RANGE_RETENTION_MS / 86_400_000} days and the range starts before that; only the history's verdicts are shown` };
  const result = await monitorStub(ctx.env, v.orgId, v.model, v.version).profileForRange(from, to);
  if (!result.ok) return { available: false, reason: result.message };
  const current = new Map(result.profile.features.map((f) => [f.name, f]));
  return {
    available: true,
    rows: result.rows,
    events: result.events,
    covered_from: iso(result.coveredFrom)!,
    covered_to: iso(result.coveredTo)!,
    minute_buckets: result.minutes,
    hour_buckets: result.hours,
    rank_error: result.rankError,
    omitted_features: result.omitted,
    features: reference.features.map((f) => judgeRangeFeature(f, current.get(f.name))),
    prediction: reference.prediction ? judgeRangeFeature(reference.prediction, result.profile.prediction ?? undefined) : null,
  };
}

function verdictText(f: Omit<RangeFeatureDrift, "distribution">): string {
  if (f.method === null) return "no values";
  const above = f.direction === "p_value" ? !f.drifted : f.drifted;
  return `${f.drifted ? "drift" : "no drift"}: ${f.direction === "p_value" ? "p" : "score"} ${formatNumber(f.score)} ${above ? "≥" : "<"} ${formatNumber(f.effective_threshold)}`;
}

export async function gatherDrift(ctx: GatherContext): Promise<Gathered> {
  const v = ctx.scope.version!;
  const from = ctx.range.from.getTime();
  const to = ctx.range.to.getTime();
  const baseline = await activeBaseline(ctx.db, v.versionId);
  const reference = baseline ? baseline.profile : null;
  const schema = new Map<string, FeatureSpec>(v.featureSchema.map((f) => [f.name, f]));
  const names = reference ? reference.features.map((f) => f.name) : scalarFeatures(v.featureSchema).map((f) => f.name);
  const sampling = samplingFor(from, to);
  const ref = { orgId: v.orgId, model: v.model, version: v.version };
  const [range, aggregates, scores] = await Promise.all([
    readRange(ctx, reference),
    sampleAggregates(ctx.db, ref, sampling),
    sampleFeatureScores(ctx.db, ref, [...names, "prediction"], sampling),
  ]);

  const judged = range.available ? new Map(range.features.map((f) => [f.feature, f])) : new Map<string, RangeFeatureDrift>();
  const features = names.map((name) => {
    const r = judged.get(name) ?? null;
    return {
      feature: name,
      kind: (reference?.features.find((f) => f.name === name)?.kind ?? schema.get(name)?.kind ?? "numerical") as "numerical" | "categorical",
      pii: schema.get(name)?.pii ?? null,
      range: r ? withoutDistribution(r) : null,
      distribution: r?.distribution ?? null,
      history: historyOf(scores.get(name) ?? []),
    };
  });
  const scored = range.available ? range.features.filter((f) => f.method !== null) : [];
  const drifted = scored.filter((f) => f.drifted).length;
  const share = scored.length ? drifted / scored.length : null;
  const lastPoint = aggregates[aggregates.length - 1] ?? null;
  const dataset = range.available
    ? { source: "range" as const, scored_features: scored.length, drifted_features: drifted, drift_share: share, share_threshold: DATASET_DRIFT_SHARE, drifted: share !== null && share >= DATASET_DRIFT_SHARE }
    : { source: "history" as const, scored_features: null, drifted_features: lastPoint?.drifted_features ?? null, drift_share: lastPoint?.drift_share ?? null, share_threshold: DATASET_DRIFT_SHARE, drifted: lastPoint?.drift_share != null && lastPoint.drift_share >= DATASET_DRIFT_SHARE };

  const data = {
    model: v.model,
    version: v.version,
    stage: v.stage,
    prediction_kind: v.predictionKind,
    baseline: baseline ? { id: baseline.id, name: baseline.name, created_at: baseline.created_at, created_by: baseline.created_by, rows: baseline.rows } : null,
    rule: { alpha: RANGE_ALPHA, numerical: "wasserstein_normed >= max(0.1, null critical value)", categorical: "chi_square_two_sample p < 0.01", dataset: `drift share >= ${DATASET_DRIFT_SHARE}` },
    dataset,
    range_reading: range.available ? { available: true, rows: range.rows, events: range.events, covered_from: range.covered_from, covered_to: range.covered_to, minute_buckets: range.minute_buckets, hour_buckets: range.hour_buckets, rank_error: range.rank_error, omitted_features: range.omitted_features } : range,
    features,
    prediction: range.available && range.prediction ? (({ distribution, ...rest }) => ({ ...rest, distribution }))(range.prediction) : null,
    prediction_history: historyOf(scores.get("prediction") ?? []),
    thresholds: v.thresholds,
    over_time: {
      window: sampling.window,
      step_seconds: sampling.stepMs / 1000,
      points: aggregates.map((a) => ({ at: iso(a.at), rows: a.rows, drift_share: a.drift_share, drifted_features: a.drifted_features })),
      features: Object.fromEntries(names.map((n) => [n, (scores.get(n) ?? []).map((s) => ({ at: iso(s.at), score: s.score, threshold: s.threshold, drifted: s.drifted }))])),
    },
  };
  return { title: `Drift report: ${v.model} ${v.version}`, subtitle: `${formatTime(from)} to ${formatTime(to)} against ${baseline ? `baseline "${baseline.name}"` : "the monitor's baseline"}`, data, sections: driftSections(data, range, aggregates, scores, from, to) };
}

type DriftData = {
  dataset: { source: "range" | "history"; drifted: boolean; drift_share: number | null; drifted_features: number | null; scored_features: number | null };
  features: Array<{ feature: string; kind: string; pii: string | null; range: Omit<RangeFeatureDrift, "distribution"> | null; distribution: RangeFeatureDrift["distribution"]; history: FeatureHistory }>;
  prediction: RangeFeatureDrift | null;
  baseline: { name: string; created_at: string; rows: number } | null;
  model: string;
  version: string;
  stage: string;
  prediction_kind: string;
  thresholds: Record<string, Record<string, unknown>>;
};

function driftSections(data: DriftData, range: RangeReading, aggregates: Awaited<ReturnType<typeof sampleAggregates>>, scores: Map<string, FeatureSample[]>, from: number, to: number): Section[] {
  const d = data.dataset;
  const verdict: Block = {
    type: "paragraph",
    tone: d.drifted ? "bad" : "good",
    text: d.drift_share === null
      ? "No drift verdict: no feature had values in the range."
      : `${d.drifted ? "Dataset drift detected" : "No dataset drift"}: ${d.drifted_features}${d.scored_features !== null ? ` of ${d.scored_features}` : ""} features drifted (${formatPercent(d.drift_share)}; dataset drift at ${formatPercent(DATASET_DRIFT_SHARE)} or more)${d.source === "history" ? ", as the last history point in the range reports" : " over the whole range"}.`,
  };
  const facts: Array<[string, string]> = [
    ["Model version", `${data.model} ${data.version} (${data.stage}, ${data.prediction_kind})`],
    ["Baseline", data.baseline ? `${data.baseline.name}, ${formatNumber(data.baseline.rows)} rows, set ${formatTime(data.baseline.created_at)}` : "the monitor's own (frozen from first events)"],
    ["Range", `${formatTime(from)} to ${formatTime(to)}`],
  ];
  if (range.available) {
    facts.push(["Traffic judged", `${formatNumber(range.rows)} events, covered ${formatTime(range.covered_from)} to ${formatTime(range.covered_to)} (${range.minute_buckets} minute and ${range.hour_buckets} hour buckets; KLL rank error ${formatNumber(range.rank_error)})`]);
  }
  const summary: Block[] = [verdict, { type: "facts", rows: facts }];
  if (!range.available) summary.push({ type: "paragraph", tone: "note", text: `Whole-range reading unavailable: ${range.reason}.` });
  if (range.available && range.omitted_features.length) summary.push({ type: "paragraph", tone: "note", text: `No usable values in the range: ${range.omitted_features.join(", ")}.` });

  const table: Block = {
    type: "table",
    caption: "Per feature: the deciding test over the whole range (the live rule, α = 0.01), and the hourly (daily) history the monitor wrote.",
    columns: [{ label: "Feature" }, { label: "Kind" }, { label: "Test" }, { label: "Score", numeric: true }, { label: "Threshold", numeric: true }, { label: "Drift" }, { label: "Values", numeric: true }, { label: "Steps drifted", numeric: true }, { label: "Max score", numeric: true }],
    rows: data.features.map((f) => [
      f.pii ? `${f.feature} (pii: ${f.pii})` : f.feature,
      f.kind,
      f.range?.method ?? f.history.last?.method ?? "—",
      f.range?.score ?? f.history.last?.score ?? null,
      f.range?.effective_threshold ?? f.history.last?.threshold ?? null,
      f.range ? (f.range.method === null ? "no values" : f.range.drifted ? "DRIFT" : "ok") : f.history.last ? (f.history.last.drifted ? "DRIFT (last)" : "ok (last)") : "—",
      f.range?.count ?? null,
      `${f.history.drifted_samples} / ${f.history.samples}`,
      f.history.max_score,
    ]),
  };
  const sections: Section[] = [{ title: "Summary", blocks: summary }, { title: "Feature drift", blocks: [table] }];
  if (data.prediction) {
    const p = data.prediction;
    sections.push({ title: "Prediction drift", blocks: [{ type: "facts", rows: [["Test", p.method ?? "—"], ["Score", formatNumber(p.score)], ["Threshold", formatNumber(p.effective_threshold)], ["Verdict", p.method === null ? "no predictions in the range" : p.drifted ? "drift" : "no drift"]] }] });
  }
  const overTime: Block[] = [
    { type: "line-chart", title: "Dataset drift share", y_label: "share of features drifted", from, to, threshold: DATASET_DRIFT_SHARE, series: [{ name: "drift share", points: aggregates.map((a) => [a.at, a.drift_share]) }] },
  ];
  const trend = [...data.features].sort((a, b) => Number(b.range?.drifted ?? false) - Number(a.range?.drifted ?? false) || (b.history.max_score ?? -1) - (a.history.max_score ?? -1)).slice(0, MAX_TREND_CHARTS);
  for (const f of trend) {
    const samples = scores.get(f.feature) ?? [];
    if (samples.length === 0) continue;
    overTime.push({ type: "line-chart", title: `${f.feature}: ${samples[samples.length - 1]!.method}`, y_label: "score", from, to, threshold: samples[samples.length - 1]!.threshold, series: [{ name: f.feature, points: samples.map((s) => [s.at, s.score]) }] });
  }
  if (aggregates.length === 0) overTime.push({ type: "paragraph", tone: "note", text: "The monitor wrote no history in this range." });
  sections.push({ title: "Drift over time", blocks: overTime });
  const distributions: Block[] = data.features.flatMap((f): Block[] =>
    f.distribution && f.range
      ? [{ type: "distribution", title: f.feature, kind: f.distribution.kind, labels: distributionLabels(f.distribution), reference: f.distribution.reference, current: f.distribution.current, verdict: { drifted: f.range.drifted, text: verdictText(f.range) } }]
      : [],
  );
  sections.push({ title: "Distributions: reference against current", blocks: distributions.length ? distributions : [{ type: "paragraph", tone: "note", text: "No distributions: the whole-range reading is unavailable (see the summary)." }] });
  const thresholdRows = Object.entries(data.thresholds).map(([feature, t]) => [feature, JSON.stringify(t)]);
  sections.push({
    title: "Method and thresholds",
    blocks: [
      { type: "paragraph", text: `Numerical features drift when the normed Wasserstein distance (W1 of the two KLL sketches / the reference standard deviation) reaches max(0.1, its null critical value at this size); categorical features when the two-sample chi-square gives p < 0.01 on cells pooled to at least 30 expected events. The critical values hold the false-alarm rate at α = ${RANGE_ALPHA} per feature. Current distributions over the reference's bins are read off the range's KLL sketch.` },
      { type: "table", caption: "Alerting thresholds configured on the version", columns: [{ label: "Feature" }, { label: "Thresholds" }], rows: thresholdRows, empty: "No per-feature thresholds are configured on this version; alert rules use their own." },
    ],
  });
  return sections;
}
