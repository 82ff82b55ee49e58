// Which streaming score decides "drifted" for a column, and at what threshold. The
// decision itself belongs to stats/streaming/judge.ts, the one place that decides
// drift for live windows: it raises each default threshold to the score's null
// critical value at the window's size (false-alarm level α = 0.01 per feature and
// evaluation), so small windows do not flood users with false alarms and large
// ones do not flag noise. This adapter only reshapes its verdict for the protocol.
import type { FeatureProfile } from "../../stats/profile/schema.ts";
import { DEFAULT_ALPHA, judgeFeature, type JudgeOptions } from "../../stats/streaming/judge.ts";
import type { FeatureScores } from "../../stats/streaming/score-window.ts";
import type { FeatureWindow } from "../../stats/streaming/window.ts";

export interface Decision {
  method: string;
  direction: "distance" | "p_value";
  score: number | null;
  /** The effective threshold: max(default, null critical value at this size) for distances; the level for p-values. */
  threshold: number;
  drifted: boolean;
  /**
   * Every score computed, flattened by name; each equals its batch counterpart within the
   * bound docs/drift-tests.md states ("What the payload's numbers are"):
   * numerical: psi, js, hellinger (on the profile's bins), wasserstein_normed and
   * wasserstein_normed_error_bound, ks_d, ks_d_upper (scipy's statistic lies in
   * [ks_d, ks_d_upper] on the grid), ks_p_value (scipy ks_2samp method "asymp" at ks_d);
   * categorical: psi, js, hellinger, l_infinity, chi_square_gof and its p-value (scipy
   * chisquare against the reference frequencies, which treats the reference as exact and
   * so runs low on null data), chi_square_two_sample and its p-value (scipy
   * chi2_contingency, correction=False).
   */
  scores: Record<string, number>;
}

function finiteScores(entries: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(entries)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

function flatten(scored: FeatureScores): Record<string, number> {
  if (scored.scores === null) return {};
  if (scored.kind === "numerical") {
    const s = scored.scores;
    return finiteScores({
      psi: s.psi, js: s.js, hellinger: s.hellinger,
      wasserstein_normed: s.wasserstein_normed, wasserstein_normed_error_bound: s.wasserstein_error_bound,
      ks_d: s.ks.d, ks_d_upper: s.ks.d_upper, ks_p_value: s.ks.p_value,
    });
  }
  const s = scored.scores;
  return finiteScores({
    psi: s.psi, js: s.js, hellinger: s.hellinger, l_infinity: s.l_infinity,
    chi_square_gof: s.chi_square.statistic, chi_square_gof_p_value: s.chi_square.p_value,
    chi_square_two_sample: s.chi_square_two_sample.statistic, chi_square_two_sample_p_value: s.chi_square_two_sample.p_value,
  });
}

/** The judge's deciding score for each kind (see JudgeOptions defaults). */
const DECIDING = { numerical: { method: "wasserstein_normed", direction: "distance" }, categorical: { method: "chi_square_two_sample", direction: "p_value" } } as const;

/** `options.alpha`: a segment's windows are judged at a Bonferroni share of α (stats/streaming/segments.ts). */
export function decide(profile: FeatureProfile, window: FeatureWindow, scored: FeatureScores, options: JudgeOptions = {}): Decision {
  const scores = flatten(scored);
  const judgement = judgeFeature(profile, window, scored, options);
  if (!("verdicts" in judgement)) {
    const d = DECIDING[profile.kind];
    return { method: d.method, direction: d.direction, score: null, threshold: d.direction === "p_value" ? (options.alpha ?? DEFAULT_ALPHA) : 0.1, drifted: false, scores };
  }
  const verdict = judgement.verdicts.find((v) => v.score === judgement.decided_by)!;
  return { method: verdict.score, direction: verdict.direction, score: verdict.value, threshold: verdict.effective_threshold, drifted: judgement.drifted, scores };
}
