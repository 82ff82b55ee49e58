// Turns a merged Aggregate into the protocol's WindowView: per-feature drift (scored by
// stats/streaming, decided by its judge through drift-decision.ts), data quality, latency percentiles
// and performance.
import { shares } from "../../stats/kernel/proportions.ts";
import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile, Profile } from "../../stats/profile/schema.ts";
import type { CategoricalWindow } from "../../stats/streaming/categorical-window.ts";
import { DEFAULT_QUALITY_TOLERANCES, categoricalQuality, numericalQuality } from "../../stats/streaming/data-quality.ts";
import type { NumericalWindow } from "../../stats/streaming/numerical-window.ts";
import type { JudgeOptions } from "../../stats/streaming/judge.ts";
import { scoreFeature } from "../../stats/streaming/score-window.ts";
import type { FeatureWindow, WindowState } from "../../stats/streaming/window.ts";
import { divergedMetrics } from "../../stats/estimation/cbpe.ts";
import type { DataQuality, Distribution, EstimatedPerformanceView, FeatureDrift, Latency, Performance, WindowName, WindowView } from "../protocol.ts";
import type { Aggregate } from "./aggregate.ts";
import { decide } from "./drift-decision.ts";
import type { PerfState } from "./perf.ts";

/** Categories sent per feature on the wire; the rest are pooled into "__other__". */
const WIRE_CATEGORIES = 20;

function numericalDistribution(profile: NumericalFeatureProfile, window: NumericalWindow): Distribution {
  return { kind: "numerical", edges: profile.bins.edges, reference: profile.bins.proportions, current: shares(window.bins) };
}

function categoricalDistribution(profile: CategoricalFeatureProfile, window: CategoricalWindow): Distribution {
  const ref = [...profile.categories.counts, profile.categories.other_count];
  const cur = Array.from(window.cells);
  const keep = Math.min(WIRE_CATEGORIES, profile.categories.values.length);
  const pool = (cells: number[]) => {
    const head = cells.slice(0, keep);
    let rest = 0;
    for (let i = keep; i < cells.length; i++) rest += cells[i] as number;
    return shares([...head, rest]);
  };
  return { kind: "categorical", categories: [...profile.categories.values.slice(0, keep), "__other__"], reference: pool(ref), current: pool(cur) };
}

function featureDrift(profile: FeatureProfile, window: FeatureWindow, options: JudgeOptions): FeatureDrift {
  const scored = scoreFeature(profile, window);
  const decision = decide(profile, window, scored, options);
  let distribution: Distribution | null = null;
  if (window.moments.count > 0) {
    if (profile.kind === "numerical" && window.kind === "numerical") distribution = numericalDistribution(profile, window);
    else if (profile.kind === "categorical" && window.kind === "categorical") distribution = categoricalDistribution(profile, window);
  }
  return { feature: profile.name, kind: profile.kind, count: window.moments.count, distribution, ...decision };
}

/**
 * The rates of stats/streaming/data-quality.ts's report. Missing values and type
 * violations are per event. Out of range is exact: finite values below the baseline's
 * min or above its max, counted as they arrived, over the finite values. New categories
 * are the "__other__" cell over the labels counted, exact when the baseline pooled
 * nothing into it.
 *
 * A window still holding events read from version 1 bytes (stored before the range
 * counts existed; `presence.uncheckedRows` > 0) has no range counts for them, so its
 * out-of-range rate falls back to the KLL sketch, with the sketch's rank error (about
 * 1.3% at k = 200).
 */
function quality(profile: Profile, state: WindowState): DataQuality {
  const out: DataQuality = { missingRate: {}, newCategoryRate: {}, outOfRangeRate: {}, typeViolationRate: {}, absentRate: {}, unknownFeatureRate: {} };
  if (state.rows === 0) return out;
  const checked = state.rows - state.presence.uncheckedRows;
  // Keys come from clients ("__proto__" included): define them, never assign.
  if (checked > 0) {
    for (const [key, count] of state.presence.unknown) Object.defineProperty(out.unknownFeatureRate, key, { value: count / checked, enumerable: true, writable: true, configurable: true });
  }
  const rangeCounted = state.presence.uncheckedRows === 0;
  profile.features.forEach((feature, i) => {
    const w = state.features[i];
    if (!w) return;
    const absent = state.presence.absent[i] ?? 0;
    if (checked > 0) out.absentRate[feature.name] = absent / checked;
    if (w.kind === "numerical" && feature.kind === "numerical") {
      const q = numericalQuality(feature, w, absent, DEFAULT_QUALITY_TOLERANCES);
      out.missingRate[feature.name] = q.missing.rate;
      out.typeViolationRate[feature.name] = q.type_violations.rate;
      out.outOfRangeRate[feature.name] = rangeCounted ? q.out_of_range.rate : sketchOutOfRange(feature, w);
    } else if (w.kind === "categorical" && feature.kind === "categorical") {
      const q = categoricalQuality(feature, w, absent, DEFAULT_QUALITY_TOLERANCES);
      out.missingRate[feature.name] = q.missing.rate;
      out.typeViolationRate[feature.name] = q.type_violations.rate;
      out.newCategoryRate[feature.name] = q.unseen.rate;
    }
  });
  return out;
}

/** Out of range estimated from the window's KLL sketch, for windows without range counts. */
function sketchOutOfRange(feature: NumericalFeatureProfile, window: NumericalWindow): number {
  const sketch = window.sketch;
  if (sketch.n === 0) return 0;
  return sketch.rank(feature.moments.min, false) + (1 - sketch.rank(feature.moments.max, true));
}

function latency(aggregate: Aggregate): Latency | null {
  const sketch = aggregate.latency;
  if (!sketch || sketch.n === 0) return null;
  return { p50: sketch.quantile(0.5), p95: sketch.quantile(0.95), p99: sketch.quantile(0.99), count: sketch.n };
}

/** Realised metrics are compared with the estimate once this share of its rows is labelled. */
const DIVERGENCE_MIN_COVERAGE = 0.5;

function estimatedPerformance(aggregate: Aggregate, performance: Performance | null): EstimatedPerformanceView | null {
  const estimate = aggregate.estimate?.estimate();
  if (estimate === undefined) return null;
  const { accuracy, precision, recall, f1, roc_auc, roc_auc_bin_error, ci95, count } = estimate;
  const comparable = performance !== null && performance.task === "classification" && performance.labeled >= DIVERGENCE_MIN_COVERAGE * count;
  return { accuracy, precision, recall, f1, roc_auc, roc_auc_bin_error, ci95, count, diverged: comparable ? divergedMetrics(estimate, performance.metrics) : [] };
}

/** `options`: the judge's level (a segment's windows use a share of α: stats/streaming/segments.ts). */
export function windowView(name: WindowName, from: number, to: number, aggregate: Aggregate, perf: PerfState, profile: Profile | null, options: JudgeOptions = {}): WindowView {
  const state = aggregate.window;
  const performance = perf.view();
  const estimated_performance = estimatedPerformance(aggregate, performance);
  if (!profile || !state) {
    return {
      window: name, from, to, rows: aggregate.events, features: [], prediction: null, driftShare: null,
      quality: null, latency: latency(aggregate), performance, estimated_performance,
    };
  }
  const features = profile.features.map((feature, i) => featureDrift(feature, state.features[i] as FeatureWindow, options));
  const prediction = profile.prediction && state.prediction ? featureDrift(profile.prediction, state.prediction, options) : null;
  const scored = features.filter((f) => f.score !== null);
  return {
    window: name, from, to, rows: aggregate.events, features, prediction,
    driftShare: scored.length === 0 ? null : scored.filter((f) => f.drifted).length / scored.length,
    quality: quality(profile, state),
    latency: latency(aggregate),
    performance,
    estimated_performance,
  };
}
