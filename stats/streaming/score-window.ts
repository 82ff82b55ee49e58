// Scores a live window against its reference profile, feature by feature. Each score's
// definition and error bound is in its file under scores/. This module only routes:
// cell-based scores (PSI, Jensen-Shannon, Hellinger) for every feature; KS and normed
// Wasserstein for numerical features, on the fine reference grid when the profile has
// one (exact current counts, scores/grid-ks.ts and scores/grid-wasserstein.ts) and on the
// KLL sketches otherwise (scores/ks.ts, scores/wasserstein.ts); chi-square (goodness of
// fit and two-sample) and L∞ for categorical ones. It decides nothing.

import type { CategoricalFeatureProfile, FeatureProfile, NumericalFeatureProfile, Profile } from "../profile/schema.ts";
import type { CategoricalWindow } from "./categorical-window.ts";
import type { NumericalWindow } from "./numerical-window.ts";
import { referenceCells, referenceGrid, referenceSketch } from "./reference-cells.ts";
import { chiSquare } from "./scores/chisquare.ts";
import type { ChiSquareResult } from "./scores/chisquare.ts";
import { chiSquareTwoSample } from "./scores/chi-square-two-sample.ts";
import { hellinger } from "./scores/hellinger.ts";
import { jensenShannon } from "./scores/jensenshannon.ts";
import { gridKs } from "./scores/grid-ks.ts";
import { gridWasserstein } from "./scores/grid-wasserstein.ts";
import { DEFAULT_KS_ALPHA, ksTest } from "./scores/ks.ts";
import { lInfinity } from "./scores/l-infinity.ts";
import { psi } from "./scores/psi.ts";
import { wassersteinNormed } from "./scores/wasserstein.ts";
import type { FeatureWindow, WindowState } from "./window.ts";

/** The two-sample KS of a window, on the grid or on the sketches. */
export interface NumericalKs {
  /** The statistic (≤ the exact one on the grid; within error_bound of it on sketches). */
  d: number;
  /** The exact batch statistic (scipy ks_2samp) lies in [d_lower, d_upper]. */
  d_lower: number;
  d_upper: number;
  /**
   * Grid: scipy ks_2samp(method="asymp") at d, at least the p-value of the raw data.
   * Sketch: the asymptotic Kolmogorov survival at √n_eff·max(0, d − ε), approximate.
   */
  p_value: number;
}

export interface NumericalScores {
  psi: number;
  js: number;
  hellinger: number;
  wasserstein_normed: number;
  /** Bound on |wasserstein_normed − exact batch value| (scores/grid-wasserstein.ts or scores/wasserstein.ts). */
  wasserstein_error_bound: number;
  ks: NumericalKs;
  /** "grid": KS and Wasserstein from exact counts on the reference grid; "sketch": from KLL sketches. */
  source: "grid" | "sketch";
}

export interface CategoricalScores {
  psi: number;
  js: number;
  hellinger: number;
  l_infinity: number;
  /** Goodness of fit against the reference frequencies (Evidently's and Vertex's chi-square). */
  chi_square: ChiSquareResult;
  /** Homogeneity of the two samples: stays calibrated when the window rivals the reference in size. */
  chi_square_two_sample: ChiSquareResult;
}

export type FeatureScores =
  | { feature: string; kind: "numerical"; count: number; scores: NumericalScores }
  | { feature: string; kind: "categorical"; count: number; scores: CategoricalScores }
  | { feature: string; kind: "numerical" | "categorical"; count: 0; scores: null; reason: string };

export interface ScoreOptions {
  /** Significance level of the sketch KS test (default 0.05). */
  ksAlpha?: number;
}

export interface WindowScores {
  rows: number;
  features: FeatureScores[];
  prediction: FeatureScores | null;
}

export function scoreNumerical(feature: NumericalFeatureProfile, window: NumericalWindow, options: ScoreOptions = {}): NumericalScores {
  const reference = referenceCells(feature);
  const current = Array.from(window.bins);
  const cells = { psi: psi(reference, current), js: jensenShannon(reference, current), hellinger: hellinger(reference, current) };
  const grid = referenceGrid(feature);
  if (grid !== null && window.grid !== null && window.grid.total > 0) {
    const counts = window.grid.counts();
    const ks = gridKs(grid, counts);
    const w = gridWasserstein(grid, counts, window.grid.below, window.grid.above, feature.moments.std);
    return {
      ...cells,
      wasserstein_normed: w.normed,
      wasserstein_error_bound: w.error_bound,
      ks: { d: ks.d, d_lower: ks.d, d_upper: ks.d_upper, p_value: ks.p_value },
      source: "grid",
    };
  }
  const wasserstein = wassersteinNormed(referenceSketch(feature), window.sketch, feature.moments.std);
  const ks = ksTest(referenceSketch(feature), window.sketch, options.ksAlpha ?? DEFAULT_KS_ALPHA);
  return {
    ...cells,
    wasserstein_normed: wasserstein.normed,
    wasserstein_error_bound: wasserstein.error_bound,
    ks: { d: ks.d, d_lower: Math.max(0, ks.d - ks.error_bound), d_upper: Math.min(1, ks.d + ks.error_bound), p_value: ks.p_approx },
    source: "sketch",
  };
}

export function scoreCategorical(feature: CategoricalFeatureProfile, window: CategoricalWindow): CategoricalScores {
  const reference = referenceCells(feature);
  const current = Array.from(window.cells);
  return {
    psi: psi(reference, current),
    js: jensenShannon(reference, current),
    hellinger: hellinger(reference, current),
    l_infinity: lInfinity(reference, current),
    chi_square: chiSquare(reference, current),
    chi_square_two_sample: chiSquareTwoSample(reference, current),
  };
}

export function scoreFeature(feature: FeatureProfile, window: FeatureWindow, options: ScoreOptions = {}): FeatureScores {
  if (feature.name !== window.name || feature.kind !== window.kind) {
    throw new Error(`window "${window.name}" (${window.kind}) does not match profile feature "${feature.name}" (${feature.kind})`);
  }
  const count = window.moments.count;
  if (count === 0) return { feature: feature.name, kind: feature.kind, count: 0, scores: null, reason: "no values in window" };
  if (feature.kind === "numerical" && window.kind === "numerical") {
    return { feature: feature.name, kind: "numerical", count, scores: scoreNumerical(feature, window, options) };
  }
  if (feature.kind === "categorical" && window.kind === "categorical") {
    return { feature: feature.name, kind: "categorical", count, scores: scoreCategorical(feature, window) };
  }
  throw new Error(`feature "${feature.name}": kind mismatch`);
}

export function scoreWindow(profile: Profile, window: WindowState, options: ScoreOptions = {}): WindowScores {
  if (window.features.length !== profile.features.length) {
    throw new Error(`window has ${window.features.length} features, profile has ${profile.features.length}`);
  }
  const features = profile.features.map((feature, i) => scoreFeature(feature, window.features[i] as FeatureWindow, options));
  const prediction =
    profile.prediction !== null && window.prediction !== null ? scoreFeature(profile.prediction, window.prediction, options) : null;
  return { rows: window.rows, features, prediction };
}
