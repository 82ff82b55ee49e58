// One identity per statistical test, shared by the two families that run the same tests:
// the batch stattests (stats/drift/stattests/, `vigil drift`) and the streaming scores
// (stats/streaming/scores/, live windows). The id is Evidently's stattest name, which is
// also the batch family's public name (`vigil drift --test`, the JSON `test` field).
//
// Public names stay as they are. The streaming scores keep the names the live protocol,
// the dashboard and alert rules already publish, and map each to its id explicitly in
// stats/streaming/score-names.ts; three differ: "js" is jensenshannon,
// "wasserstein_normed" is wasserstein, "chi_square" is chisquare.
//
// A test's file in either family is named after its id, lower case with "_" as "-":
// stattests/kl-div.ts, scores/jensenshannon.ts, scores/chi-square-two-sample.ts.

export const STAT_TEST_IDS = [
  // Evidently's legacy stattests, in the batch registry's order (stats/drift/registry.ts).
  "ks",
  "wasserstein",
  "psi",
  "kl_div",
  "jensenshannon",
  "hellinger",
  "anderson",
  "cramer_von_mises",
  "mannw",
  "ed",
  "t_test",
  "es",
  "chisquare",
  "z",
  "g_test",
  "TVD",
  "fisher_exact",
  // Streaming only: tests Evidently's legacy set lacks.
  "chi_square_two_sample",
  "l_infinity",
] as const;

export type StatTestId = (typeof STAT_TEST_IDS)[number];

const IDS: ReadonlySet<string> = new Set(STAT_TEST_IDS);

export function isStatTestId(value: string): value is StatTestId {
  return IDS.has(value);
}

/** The file a test lives in, in either family: "kl_div" → "kl-div.ts", "TVD" → "tvd.ts". */
export function statTestFile(id: StatTestId): string {
  return `${id.toLowerCase().replaceAll("_", "-")}.ts`;
}
