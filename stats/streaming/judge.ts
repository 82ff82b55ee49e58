// The one place that decides "drifted" for streaming scores, as stats/drift/registry.ts
// does for batch tests. Scores come from score-window.ts; this module adds the rule.
//
// Why size-aware: a fixed distance threshold (Evidently's 0.1) false-alarms on small
// windows, where sampling noise alone is that large (null data, 100 events against a
// 20k-row reference: PSI ≥ 0.1 in 37% of windows, JS 52%, Hellinger 53%, normed
// Wasserstein 66%). So each distance drifts when
//   score ≥ max(threshold, null critical value at this window size and level α),
// the critical values derived in null-critical.ts. Above a few thousand events the
// critical value falls below the threshold and the rule is Evidently's.
//
// Per score:
//   psi, js, hellinger (numerical bins and categorical cells): f-divergence chi-square
//     limit, critical at level α (null-critical.ts);
//   wasserstein_normed: on a profile with a grid (stats/profile/grid.ts), the simulated
//     Brownian-bridge L1 null stored with the baseline (grid-null.ts), critical q_α/√n_eff,
//     and no floor unless the caller gives a threshold: the score is computed from exact
//     current counts, so no sketch allowance either. Without a grid: the Borell-TIS tail
//     bound plus the sketch allowance, under the 0.1 floor;
//   l_infinity: Bonferroni normal bound over the reference cells;
//   ks: on a grid, its p-value (scipy ks_2samp asymp at the grid statistic) < α; without
//     one, the sketch-error-aware rule of scores/ks.ts at level α:
//     d > c(α)·√((n+m)/(n·m)) + ε_ref + ε_cur (strict, as DataSketches), threshold floor 0;
//   chi_square_two_sample: p < α;
//   chi_square (goodness of fit): its X² treats the reference frequencies as exact and,
//     under H0, is inflated by about (1 + m/n) (the reference's own noise), which is why
//     it alarms on large windows; the judge tests X²·n/(n + m) against χ²_df instead
//     (p < α). A category the reference never had (X² = ∞) drifts unless pooled.
// The cell rules (psi, js, hellinger, both chi-squares) first pool cells that expect
// fewer than 30 events (pool-cells.ts), so the chi-square limits hold on small windows;
// their verdicts report the value on the pooled cells (equal to the score when nothing
// was pooled: from about 300 events on 10 deciles).
//
// False-alarm level: α = 0.01 per score, per feature, per evaluation (DEFAULT_ALPHA).
// A feature's `drifted` follows one score (default: normed Wasserstein for numerical
// features, as Evidently's batch default for references over 1,000 rows; two-sample
// chi-square for categorical ones), so its false-alarm rate is that score's, ≤ α.
// The chi-square and f-divergence limits are asymptotic; false-alarm.test.ts checks the
// rates on null data at 100 to 100k events.

import { nullQuantile } from "../profile/grid-null.ts";
import type { FeatureProfile, Profile } from "../profile/schema.ts";
import { chiSquareSf } from "../special/distributions.ts";
import {
  cellDistanceCritical,
  effectiveSize,
  ksCritical,
  lInfinityCritical,
  occupiedCells,
  wassersteinCritical,
  wassersteinSketchAllowance,
} from "./null-critical.ts";
import type { CellDistance } from "./null-critical.ts";
import { poolCounts, poolGroups } from "./pool-cells.ts";
import { referenceCells, referenceSketch } from "./reference-cells.ts";
import { chiSquare } from "./scores/chisquare.ts";
import { chiSquareTwoSample } from "./scores/chi-square-two-sample.ts";
import { hellinger } from "./scores/hellinger.ts";
import { jensenShannon } from "./scores/jensenshannon.ts";
import { psi } from "./scores/psi.ts";
import type { CategoricalScoreName, NumericalScoreName, ScoreName } from "./score-names.ts";
import { scoreFeature } from "./score-window.ts";
import type { FeatureScores } from "./score-window.ts";
import type { FeatureWindow, WindowState } from "./window.ts";

export const DEFAULT_ALPHA = 0.01;
/** Evidently's default distance threshold, the floor under each null critical value. */
export const DEFAULT_DISTANCE_THRESHOLD = 0.1;

export const DEFAULT_THRESHOLDS: Readonly<Record<ScoreName, number>> = {
  psi: DEFAULT_DISTANCE_THRESHOLD,
  js: DEFAULT_DISTANCE_THRESHOLD,
  hellinger: DEFAULT_DISTANCE_THRESHOLD,
  wasserstein_normed: DEFAULT_DISTANCE_THRESHOLD,
  l_infinity: DEFAULT_DISTANCE_THRESHOLD,
  // KS carries its own critical value; no floor unless one is given.
  ks: 0,
  // p-value scores: the threshold is the level (see JudgeOptions.alpha).
  chi_square: DEFAULT_ALPHA,
  chi_square_two_sample: DEFAULT_ALPHA,
};

export interface JudgeOptions {
  /** False-alarm level of each null critical value and each p-value rule (default 0.01). */
  alpha?: number;
  /** Distance floors (and p-value levels) per score; defaults in DEFAULT_THRESHOLDS. */
  thresholds?: Partial<Record<ScoreName, number>>;
  /** The score that decides a feature's `drifted` (defaults: wasserstein_normed, chi_square_two_sample). */
  decideNumerical?: NumericalScoreName;
  decideCategorical?: CategoricalScoreName;
}

export interface ScoreVerdict {
  score: ScoreName;
  direction: "distance" | "p_value";
  /** The distance, or the p-value the rule used (for chi_square, the size-corrected one). */
  value: number;
  /** The user's or default threshold (a distance floor, or the p-value level). */
  threshold: number;
  /** The distance the score reaches with probability α on null data at this size; null for p-values. */
  null_critical: number | null;
  /** max(threshold, null_critical) for distances; the level for p-values. */
  effective_threshold: number;
  drifted: boolean;
  /** Cells the rule used, when it works on cells: fewer than the profile's when sparse cells were pooled. */
  cells?: number;
}

export type FeatureJudgement =
  | { feature: string; kind: "numerical" | "categorical"; count: number; drifted: boolean; decided_by: ScoreName; verdicts: ScoreVerdict[] }
  | { feature: string; kind: "numerical" | "categorical"; count: 0; drifted: false; reason: string };

export interface WindowJudgement {
  rows: number;
  alpha: number;
  features: FeatureJudgement[];
  prediction: FeatureJudgement | null;
  drifted_features: number;
  /** Drifted share of the features with values in the window (null when none has any). */
  drift_share: number | null;
}

function distance(score: ScoreName, value: number, threshold: number, critical: number): ScoreVerdict {
  const effective = Math.max(threshold, critical);
  return { score, direction: "distance", value, threshold, null_critical: critical, effective_threshold: effective, drifted: value >= effective };
}

function pValue(score: ScoreName, p: number, level: number): ScoreVerdict {
  return { score, direction: "p_value", value: p, threshold: level, null_critical: null, effective_threshold: level, drifted: p < level };
}

/** Verdicts on one feature's scores; `window` supplies the cells the critical values need. */
export function judgeFeature(feature: FeatureProfile, window: FeatureWindow, scored: FeatureScores, options: JudgeOptions = {}): FeatureJudgement {
  if (scored.scores === null) return { feature: scored.feature, kind: scored.kind, count: 0, drifted: false, reason: scored.reason };
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  if (!(alpha > 0 && alpha < 1)) throw new Error(`alpha must be in (0, 1): ${alpha}`);
  const threshold = (score: ScoreName) => options.thresholds?.[score] ?? (score.startsWith("chi_square") ? alpha : DEFAULT_THRESHOLDS[score]);
  const n = feature.moments.count;
  const m = scored.count;
  const nEff = effectiveSize(n, m);
  const reference = referenceCells(feature);
  const current = window.kind === "numerical" ? Array.from(window.bins) : Array.from(window.cells);
  const groups = poolGroups(reference, nEff, feature.kind === "numerical");
  const pooled = groups.length < reference.length;
  const ref = pooled ? poolCounts(reference, groups) : reference;
  const cur = pooled ? poolCounts(current, groups) : current;
  const cells = occupiedCells(ref, cur);
  const cellVerdict = (score: CellDistance, unpooled: number) => {
    const value = !pooled ? unpooled : score === "psi" ? psi(ref, cur) : score === "js" ? jensenShannon(ref, cur) : hellinger(ref, cur);
    return { ...distance(score, value, threshold(score), cellDistanceCritical(score, cells, nEff, alpha)), cells: ref.length };
  };
  const verdicts: ScoreVerdict[] = [];
  let decide: ScoreName;
  if (scored.kind === "numerical" && feature.kind === "numerical" && window.kind === "numerical") {
    const s = scored.scores;
    verdicts.push(cellVerdict("psi", s.psi), cellVerdict("js", s.js), cellVerdict("hellinger", s.hellinger));
    if (s.source === "grid" && feature.grid !== undefined) {
      // Exact current counts on the reference grid: proper tests at n_eff, no sketch allowance.
      const floor = options.thresholds?.wasserstein_normed ?? 0;
      const wCritical = nullQuantile(feature.grid.wasserstein_null, alpha) / Math.sqrt(nEff);
      verdicts.push(distance("wasserstein_normed", s.wasserstein_normed, floor, wCritical));
      verdicts.push(pValue("ks", s.ks.p_value, alpha));
    } else {
      const sketch = referenceSketch(feature);
      const wCritical = wassersteinCritical(sketch, feature.moments.std, nEff, alpha) + wassersteinSketchAllowance(sketch, window.sketch, feature.moments.std);
      verdicts.push(distance("wasserstein_normed", s.wasserstein_normed, threshold("wasserstein_normed"), wCritical));
      const ksError = s.ks.d_upper - s.ks.d;
      const ks = distance("ks", s.ks.d, threshold("ks"), ksCritical(nEff, alpha) + ksError);
      ks.drifted = s.ks.d > ks.effective_threshold; // strict, as scores/ks.ts
      verdicts.push(ks);
    }
    decide = options.decideNumerical ?? "wasserstein_normed";
  } else if (scored.kind === "categorical" && feature.kind === "categorical") {
    const s = scored.scores;
    verdicts.push(cellVerdict("psi", s.psi), cellVerdict("js", s.js), cellVerdict("hellinger", s.hellinger));
    const proportions = reference.map((r) => r / n);
    verdicts.push(distance("l_infinity", s.l_infinity, threshold("l_infinity"), lInfinityCritical(proportions, nEff, alpha)));
    const gof = pooled ? chiSquare(ref, cur) : s.chi_square;
    const corrected = gof.statistic === Infinity ? 0 : gof.df === 0 ? gof.p_value : chiSquareSf((gof.statistic * n) / (n + m), gof.df);
    verdicts.push({ ...pValue("chi_square", corrected, threshold("chi_square")), cells: ref.length });
    const twoSample = pooled ? chiSquareTwoSample(ref, cur) : s.chi_square_two_sample;
    verdicts.push({ ...pValue("chi_square_two_sample", twoSample.p_value, threshold("chi_square_two_sample")), cells: ref.length });
    decide = options.decideCategorical ?? "chi_square_two_sample";
  } else {
    throw new Error(`feature "${feature.name}": scores of kind ${scored.kind} for a ${feature.kind} feature`);
  }
  const deciding = verdicts.find((v) => v.score === decide);
  if (deciding === undefined) throw new Error(`score "${decide}" does not apply to ${scored.kind} feature "${scored.feature}"`);
  return { feature: scored.feature, kind: scored.kind, count: m, drifted: deciding.drifted, decided_by: decide, verdicts };
}

/** Scores every feature (and the prediction) of a window and judges each. */
export function judgeWindow(profile: Profile, window: WindowState, options: JudgeOptions = {}): WindowJudgement {
  if (window.features.length !== profile.features.length) {
    throw new Error(`window has ${window.features.length} features, profile has ${profile.features.length}`);
  }
  const judge = (feature: FeatureProfile, featureWindow: FeatureWindow) =>
    judgeFeature(feature, featureWindow, scoreFeature(feature, featureWindow), options);
  const features = profile.features.map((feature, i) => judge(feature, window.features[i] as FeatureWindow));
  const prediction = profile.prediction !== null && window.prediction !== null ? judge(profile.prediction, window.prediction) : null;
  const scored = features.filter((f) => f.count > 0);
  const drifted = scored.filter((f) => f.drifted).length;
  return {
    rows: window.rows,
    alpha: options.alpha ?? DEFAULT_ALPHA,
    features,
    prediction,
    drifted_features: drifted,
    drift_share: scored.length === 0 ? null : drifted / scored.length,
  };
}
