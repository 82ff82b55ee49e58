// Which streaming score decides "drifted" for a column, and at what threshold.
// stats/streaming computes every score but (except for KS) decides nothing, so this
// thin adapter applies Evidently's default rule by reference size: with at most 1,000
// reference values, a p-value test at 0.05 (sketch KS for numerical columns,
// chi-square for categorical ones); above that, a distance at 0.1 (normed
// Wasserstein for numerical, Jensen-Shannon for categorical), which does not flag
// tiny shifts on large samples.
import type { FeatureProfile } from "../../stats/profile/schema.ts";
import type { FeatureScores } from "../../stats/streaming/score-window.ts";

export const SMALL_REFERENCE = 1_000;
export const P_VALUE_THRESHOLD = 0.05;
export const DISTANCE_THRESHOLD = 0.1;

export interface Decision {
  method: string;
  direction: "distance" | "p_value";
  score: number | null;
  threshold: number;
  drifted: boolean;
  /** Every score computed, flattened by name. */
  scores: Record<string, number>;
}

function finiteScores(entries: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(entries)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

export function decide(profile: FeatureProfile, scored: FeatureScores): Decision {
  const small = profile.moments.count <= SMALL_REFERENCE;
  if (profile.kind === "numerical") {
    const method = small ? "ks_p_value" : "wasserstein_normed";
    if (scored.scores === null || scored.kind !== "numerical") {
      return { method, direction: small ? "p_value" : "distance", score: null, threshold: small ? P_VALUE_THRESHOLD : DISTANCE_THRESHOLD, drifted: false, scores: {} };
    }
    const s = scored.scores;
    const scores = finiteScores({
      psi: s.psi, js: s.js, hellinger: s.hellinger, wasserstein_normed: s.wasserstein_normed,
      ks_d: s.ks.d, ks_p_value: s.ks.p_approx,
    });
    return small
      // The sketch KS test makes its own decision (threshold on D with both sketches' errors added).
      ? { method, direction: "p_value", score: s.ks.p_approx, threshold: P_VALUE_THRESHOLD, drifted: s.ks.drifted, scores }
      : { method, direction: "distance", score: s.wasserstein_normed, threshold: DISTANCE_THRESHOLD, drifted: s.wasserstein_normed >= DISTANCE_THRESHOLD, scores };
  }
  const method = small ? "chi_square_p_value" : "jensen_shannon";
  if (scored.scores === null || scored.kind !== "categorical") {
    return { method, direction: small ? "p_value" : "distance", score: null, threshold: small ? P_VALUE_THRESHOLD : DISTANCE_THRESHOLD, drifted: false, scores: {} };
  }
  const s = scored.scores;
  const scores = finiteScores({
    psi: s.psi, js: s.js, hellinger: s.hellinger, l_infinity: s.l_infinity,
    chi_square: s.chi_square.statistic, chi_square_p_value: s.chi_square.p_value,
  });
  return small
    ? { method, direction: "p_value", score: s.chi_square.p_value, threshold: P_VALUE_THRESHOLD, drifted: s.chi_square.p_value < P_VALUE_THRESHOLD, scores }
    : { method, direction: "distance", score: s.js, threshold: DISTANCE_THRESHOLD, drifted: s.js >= DISTANCE_THRESHOLD, scores };
}
