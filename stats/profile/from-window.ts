// A reference profile from a merged live window instead of raw rows: how a baseline
// is frozen from a range of production traffic (WhyLabs' approach: merge the stored
// mergeable sketches over the range, then read the profile off the merged sketch).
//
// Numerical features: the merged KLL sketch is read as the sample it stands for (each
// retained item repeated by its weight). Bin edges are that sample's quantiles i/bins
// computed as numpy.quantile (linear) computes them, bin counts are its counts per
// right-closed bin, and the sketch itself is stored. Moments (count, missing,
// non-finite, type violations, min, max, mean, std) are exact: they merge exactly.
//
// Approximation. While the sketch has not compacted (n ≤ about k values) the sample is
// the data itself, and edges and counts equal buildProfile's bit for bit. After that,
// KLL's rank guarantee carries over (99% confidence, k = 200, see stats/sketch/kll.ts):
// every edge sits within ε₁ ≈ 1.33% of its target quantile in normalized rank, each
// cumulative count at an edge is within ε₁·n of the true count of values ≤ edge, and each
// bin count within ε₂·n, ε₂ ≈ 1.65% (the double-sided, pmf bound).
//
// Categorical features: exact counts for the window profile's categories and for up
// to DEFAULT_MAX_UNLISTED labels outside them (categorical-window.ts); labels past that
// cap were only counted in "__other__", so they are pooled into other_count and
// `distinct` becomes a lower bound. When nothing overflowed, categories, counts,
// other_count and distinct equal buildProfile's.
//
// A feature with no usable value in the window is left out of the profile (as the
// first-events baseline does) and named in `omitted`.

import { kllNormalizedRankError } from "../sketch/kll.ts";
import type { KllSketch } from "../sketch/kll.ts";
import type { CategoricalWindow } from "../streaming/categorical-window.ts";
import type { NumericalWindow } from "../streaming/numerical-window.ts";
import type { FeatureWindow, WindowState } from "../streaming/window.ts";
import { DEFAULT_BINS } from "./build.ts";
import { DEFAULT_MAX_CATEGORIES } from "./categories.ts";
import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile, Profile } from "./schema.ts";

export interface ProfileFromWindowOptions {
  /** Quantile bins per numerical feature (default DEFAULT_BINS = 10, deciles). */
  bins?: number;
  /** Categories kept per categorical feature (default: the window profile's max_categories, else 1000). */
  maxCategories?: number;
  /** Stored as created_at (ISO 8601); left out when not given. */
  createdAt?: string;
}

export interface ProfileFromWindow {
  profile: Profile;
  /** Features (or the prediction column) with no usable value in the window, left out. */
  omitted: string[];
  /** Normalized rank error of the numerical edges and cumulative counts (0 when every sketch is exact). */
  rankError: number;
}

/** The profile of the traffic a (merged) window counted. Pure; see the file comment for its error. */
export function profileFromWindow(window: WindowState, options: ProfileFromWindowOptions = {}): ProfileFromWindow {
  const bins = options.bins ?? DEFAULT_BINS;
  if (!Number.isInteger(bins) || bins < 2 || bins > 1000) throw new Error(`bins must be an integer >= 2 and <= 1000: ${bins}`);
  const omitted: string[] = [];
  let rankError = 0;
  const profileOf = (feature: FeatureWindow, reference: FeatureProfile | undefined): FeatureProfile | null => {
    if (feature.kind === "numerical") {
      if (feature.moments.count === 0) return null;
      if (isCompacted(feature.sketch)) rankError = Math.max(rankError, kllNormalizedRankError(feature.sketch.k));
      return numericalFromWindow(feature, bins);
    }
    if (feature.moments.count === 0) return null;
    const max = options.maxCategories ?? (reference?.kind === "categorical" ? reference.categories.max_categories : DEFAULT_MAX_CATEGORIES);
    return categoricalFromWindow(feature, max);
  };
  const features: FeatureProfile[] = [];
  window.features.forEach((feature, i) => {
    const profiled = profileOf(feature, window.profile.features[i]);
    if (profiled) features.push(profiled);
    else omitted.push(feature.name);
  });
  let prediction: FeatureProfile | null = null;
  if (window.prediction !== null) {
    prediction = profileOf(window.prediction, window.profile.prediction ?? undefined);
    if (prediction === null) omitted.push(window.prediction.name);
  }
  const profile: Profile = {
    format: "vigil.profile",
    version: 1,
    ...(options.createdAt === undefined ? {} : { created_at: options.createdAt }),
    rows: window.rows,
    features,
    prediction,
  };
  return { profile, omitted, rankError };
}

/** True once some retained item stands for more than one value. */
function isCompacted(sketch: KllSketch): boolean {
  return sketch.numRetained !== sketch.n;
}

export function numericalFromWindow(window: NumericalWindow, bins = DEFAULT_BINS): NumericalFeatureProfile {
  const { sketch, moments } = window;
  if (sketch.n !== moments.count) {
    throw new Error(`feature "${window.name}": sketch holds ${sketch.n} values, moments count ${moments.count}`);
  }
  const view = sketch.sortedView();
  const edges: number[] = [];
  for (let i = 1; i < bins; i++) {
    const edge = weightedLinearQuantile(view, i / bins);
    if (edges.length === 0 || edge > (edges[edges.length - 1] as number)) edges.push(edge);
  }
  const n = sketch.n;
  const counts: number[] = [];
  let below = 0;
  for (const edge of edges) {
    const atOrBelow = cumulativeWeight(view, edge);
    counts.push(atOrBelow - below);
    below = atOrBelow;
  }
  counts.push(n - below);
  return {
    name: window.name,
    kind: "numerical",
    moments: {
      count: n,
      missing: moments.missing,
      non_finite: moments.nonFinite,
      type_violations: window.typeViolations,
      min: moments.min(),
      max: moments.max(),
      mean: moments.mean,
      std: Math.sqrt(Math.max(0, moments.variance(0))),
    },
    sketch: { family: "kll", k: sketch.k, base64: sketch.toBase64() },
    bins: { method: "quantile", edges, counts, proportions: counts.map((c) => c / n) },
  };
}

interface SortedView {
  items: Float64Array;
  cumWeights: Float64Array;
}

/** The value at 0-based position j of the sample the view stands for. */
function valueAt(view: SortedView, j: number): number {
  let lo = 0;
  let hi = view.cumWeights.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((view.cumWeights[mid] as number) > j) hi = mid;
    else lo = mid + 1;
  }
  return view.items[lo] as number;
}

/** bins.ts linearQuantile over the weighted sample, with the same two-sided lerp. */
function weightedLinearQuantile(view: SortedView, q: number): number {
  const n = view.cumWeights[view.cumWeights.length - 1] as number;
  const h = (n - 1) * q;
  const lo = Math.floor(h);
  const a = valueAt(view, lo);
  if (lo >= n - 1) return valueAt(view, n - 1);
  const b = valueAt(view, lo + 1);
  const t = h - lo;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Weight of the retained items ≤ x (an integer: weights are powers of two). */
function cumulativeWeight(view: SortedView, x: number): number {
  let lo = 0;
  let hi = view.items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((view.items[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo === 0 ? 0 : (view.cumWeights[lo - 1] as number);
}

export function categoricalFromWindow(window: CategoricalWindow, maxCategories = DEFAULT_MAX_CATEGORIES): CategoricalFeatureProfile {
  if (!Number.isInteger(maxCategories) || maxCategories < 1) throw new Error(`maxCategories must be an integer >= 1: ${maxCategories}`);
  const counts = new Map<string, number>();
  for (const [label, cell] of window.index) {
    const count = window.cells[cell] as number;
    if (count > 0) counts.set(label, count);
  }
  let listed = 0;
  for (const [label, count] of window.unlisted) {
    counts.set(label, (counts.get(label) ?? 0) + count);
    listed += count;
  }
  // Labels past the unlisted cap: counted in "__other__" only, names unknown.
  const unnamed = Math.max(0, (window.cells[window.index.size] as number) - listed);
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const kept = ranked.slice(0, maxCategories);
  let other = unnamed;
  for (let i = maxCategories; i < ranked.length; i++) other += (ranked[i] as [string, number])[1];
  return {
    name: window.name,
    kind: "categorical",
    moments: { count: window.moments.count, missing: window.moments.missing, type_violations: window.moments.typeViolations },
    categories: {
      values: kept.map(([label]) => label),
      counts: kept.map(([, count]) => count),
      other_count: other,
      distinct: counts.size + (unnamed > 0 ? 1 : 0),
      max_categories: maxCategories,
    },
  };
}
