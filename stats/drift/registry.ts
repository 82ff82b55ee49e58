// The drift tests Vigil knows, the default test per column (DRIFT_SPEC.md "Default test
// per column", after Evidently's legacy stattests/registry.py), and the single place
// that turns a score into "drifted".

import { DriftInputError } from "./errors.ts";
import { anderson } from "./tests/anderson.ts";
import { chisquare } from "./tests/chisquare.ts";
import { cramerVonMises } from "./tests/cramer-von-mises.ts";
import { ed } from "./tests/ed.ts";
import { es } from "./tests/es.ts";
import { fisherExact } from "./tests/fisher-exact.ts";
import { gTest } from "./tests/g-test.ts";
import { hellinger } from "./tests/hellinger.ts";
import { jensenshannon } from "./tests/jensenshannon.ts";
import { klDiv } from "./tests/kl-div.ts";
import { ks } from "./tests/ks.ts";
import { mannw } from "./tests/mannw.ts";
import { psi } from "./tests/psi.ts";
import { tTest } from "./tests/t-test.ts";
import { tvd } from "./tests/tvd.ts";
import { wasserstein } from "./tests/wasserstein.ts";
import { z } from "./tests/z.ts";
import type { ColumnKind, DriftTest, DriftTestDescription } from "./types.ts";

/** Every test, in the order of DRIFT_SPEC.md's table. */
export const DRIFT_TESTS: readonly DriftTest[] = [
  ks,
  wasserstein,
  psi,
  klDiv,
  jensenshannon,
  hellinger,
  anderson,
  cramerVonMises,
  mannw,
  ed,
  tTest,
  es,
  chisquare,
  z,
  gTest,
  tvd,
  fisherExact,
];

const BY_ID = new Map(DRIFT_TESTS.map((t) => [t.id, t]));

export function testIds(): string[] {
  return DRIFT_TESTS.map((t) => t.id);
}

/** The test with this id; an unknown id is a DriftInputError listing the valid ones. */
export function getTest(id: string): DriftTest {
  const test = BY_ID.get(id);
  if (test === undefined) throw new DriftInputError(`unknown test "${id}"; valid tests: ${testIds().join(", ")}`);
  return test;
}

/** Whether a score means drift: p ≤ / p < / d ≥ / d > threshold, per the test's rule. */
export function isDrifted(description: DriftTestDescription, score: number, threshold: number): boolean {
  switch (description.drifts) {
    case "lte":
      return score <= threshold;
    case "lt":
      return score < threshold;
    case "gte":
      return score >= threshold;
    case "gt":
      return score > threshold;
  }
}

/**
 * Default test id: n_ref ≤ 1000 → numerical ks (u > 5), chisquare (u > 2), else z;
 * categorical chisquare (u > 2), else z. n_ref > 1000 → numerical wasserstein (u > 5),
 * else jensenshannon; categorical jensenshannon. u counts distinct values of both sides.
 */
export function defaultTestId(kind: ColumnKind, nRef: number, distinctCombined: number): string {
  const u = distinctCombined;
  if (nRef <= 1000) {
    if (kind === "numerical" && u > 5) return "ks";
    return u > 2 ? "chisquare" : "z";
  }
  if (kind === "numerical" && u > 5) return "wasserstein";
  return "jensenshannon";
}
