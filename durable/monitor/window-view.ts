// Turns a merged Aggregate into the protocol's WindowView: per-feature drift (scored by
// stats/streaming, decided by its judge through drift-decision.ts), data quality, latency percentiles
// and performance.
import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile, Profile } from "../../stats/profile/schema.ts";
import type { CategoricalWindow } from "../../stats/streaming/categorical-window.ts";
import type { NumericalWindow } from "../../stats/streaming/numerical-window.ts";
import { scoreFeature } from "../../stats/streaming/score-window.ts";
import type { FeatureWindow } from "../../stats/streaming/window.ts";
import type { DataQuality, Distribution, FeatureDrift, Latency, WindowName, WindowView } from "../protocol.ts";
import type { Aggregate } from "./aggregate.ts";
import { decide } from "./drift-decision.ts";
import type { PerfState } from "./perf.ts";

/** Categories sent per feature on the wire; the rest are pooled into "__other__". */
const WIRE_CATEGORIES = 20;

function proportions(counts: ArrayLike<number>): number[] {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  return Array.from(counts, (c) => (total > 0 ? c / total : 0));
}

function numericalDistribution(profile: NumericalFeatureProfile, window: NumericalWindow): Distribution {
  return { kind: "numerical", edges: profile.bins.edges, reference: profile.bins.proportions, current: proportions(window.bins) };
}

function categoricalDistribution(profile: CategoricalFeatureProfile, window: CategoricalWindow): Distribution {
  const ref = [...profile.categories.counts, profile.categories.other_count];
  const cur = Array.from(window.cells);
  const keep = Math.min(WIRE_CATEGORIES, profile.categories.values.length);
  const pool = (cells: number[]) => {
    const head = cells.slice(0, keep);
    let rest = 0;
    for (let i = keep; i < cells.length; i++) rest += cells[i] as number;
    return proportions([...head, rest]);
  };
  return { kind: "categorical", categories: [...profile.categories.values.slice(0, keep), "__other__"], reference: pool(ref), current: pool(cur) };
}

function featureDrift(profile: FeatureProfile, window: FeatureWindow): FeatureDrift {
  const scored = scoreFeature(profile, window);
  const decision = decide(profile, window, scored);
  let distribution: Distribution | null = null;
  if (window.moments.count > 0) {
    if (profile.kind === "numerical" && window.kind === "numerical") distribution = numericalDistribution(profile, window);
    else if (profile.kind === "categorical" && window.kind === "categorical") distribution = categoricalDistribution(profile, window);
  }
  return { feature: profile.name, kind: profile.kind, count: window.moments.count, distribution, ...decision };
}

/**
 * Rates per event. Out of range is read from the live KLL sketch (values below the
 * baseline's min or above its max), so it carries the sketch's rank error (about 1.3%
 * at k = 200); new categories are the "__other__" cell, exact when the baseline
 * pooled nothing into it.
 */
function quality(profile: Profile, window: FeatureWindow[], rows: number): DataQuality {
  const out: DataQuality = { missingRate: {}, newCategoryRate: {}, outOfRangeRate: {}, typeViolationRate: {} };
  if (rows === 0) return out;
  profile.features.forEach((feature, i) => {
    const w = window[i];
    if (!w) return;
    out.missingRate[feature.name] = w.moments.missing / rows;
    if (w.kind === "numerical" && feature.kind === "numerical") {
      out.typeViolationRate[feature.name] = w.typeViolations / rows;
      const n = w.sketch.n;
      out.outOfRangeRate[feature.name] =
        n === 0 ? 0 : w.sketch.rank(feature.moments.min, false) + (1 - w.sketch.rank(feature.moments.max, true));
    } else if (w.kind === "categorical") {
      out.typeViolationRate[feature.name] = w.moments.typeViolations / rows;
      const other = w.cells[w.cells.length - 1] as number;
      out.newCategoryRate[feature.name] = w.moments.count === 0 ? 0 : other / w.moments.count;
    }
  });
  return out;
}

function latency(aggregate: Aggregate): Latency | null {
  const sketch = aggregate.latency;
  if (!sketch || sketch.n === 0) return null;
  return { p50: sketch.quantile(0.5), p95: sketch.quantile(0.95), p99: sketch.quantile(0.99), count: sketch.n };
}

export function windowView(name: WindowName, from: number, to: number, aggregate: Aggregate, perf: PerfState, profile: Profile | null): WindowView {
  const state = aggregate.window;
  if (!profile || !state) {
    return {
      window: name, from, to, rows: aggregate.events, features: [], prediction: null, driftShare: null,
      quality: null, latency: latency(aggregate), performance: perf.view(),
    };
  }
  const features = profile.features.map((feature, i) => featureDrift(feature, state.features[i] as FeatureWindow));
  const prediction = profile.prediction && state.prediction ? featureDrift(profile.prediction, state.prediction) : null;
  const scored = features.filter((f) => f.score !== null);
  return {
    window: name, from, to, rows: aggregate.events, features, prediction,
    driftShare: scored.length === 0 ? null : scored.filter((f) => f.drifted).length / scored.length,
    quality: quality(profile, state.features, state.rows),
    latency: latency(aggregate),
    performance: perf.view(),
  };
}
