// The streaming scores' names and the stattest each one computes.
//
// The names are public: the live protocol's `method` and `scores`, the dashboard, alert
// rule metrics and the judge's verdicts carry them, so they stay as published. The
// identity is shared with the batch stattests through StatTestId
// (stats/kernel/stat-test-id.ts), mapped here explicitly. Three names differ from their id:
//   js → jensenshannon, wasserstein_normed → wasserstein, chi_square → chisquare.
// chi_square_two_sample and l_infinity have no batch counterpart.
import type { StatTestId } from "../kernel/stat-test-id.ts";

export const NUMERICAL_SCORES = ["psi", "js", "hellinger", "wasserstein_normed", "ks"] as const;
export const CATEGORICAL_SCORES = ["psi", "js", "hellinger", "l_infinity", "chi_square", "chi_square_two_sample"] as const;

export type NumericalScoreName = (typeof NUMERICAL_SCORES)[number];
export type CategoricalScoreName = (typeof CATEGORICAL_SCORES)[number];
export type ScoreName = NumericalScoreName | CategoricalScoreName;

/** The stattest behind each streaming score (see header). */
export const SCORE_TEST_IDS: Readonly<Record<ScoreName, StatTestId>> = {
  psi: "psi",
  js: "jensenshannon",
  hellinger: "hellinger",
  wasserstein_normed: "wasserstein",
  ks: "ks",
  l_infinity: "l_infinity",
  chi_square: "chisquare",
  chi_square_two_sample: "chi_square_two_sample",
};
