// The drift tests Vigil knows, the default test per column (docs/drift-tests.md "Default test
// per column", after Evidently's legacy stattests/registry.py), and the single place
// that turns a score into "drifted".

import type { StatTestId } from "../kernel/stat-test-id.ts";
import { DriftInputError } from "./errors.ts";
import { anderson } from "./stattests/anderson.ts";
import { chisquare } from "./stattests/chisquare.ts";
import { cramerVonMises } from "./stattests/cramer-von-mises.ts";
import { ed } from "./stattests/ed.ts";
import { es } from "./stattests/es.ts";
import { fisherExact } from "./stattests/fisher-exact.ts";
import { gTest } from "./stattests/g-test.ts";
import { hellinger } from "./stattests/hellinger.ts";
import { jensenshannon } from "./stattests/jensenshannon.ts";
import { klDiv } from "./stattests/kl-div.ts";
import { ks } from "./stattests/ks.ts";
import { mannw } from "./stattests/mannw.ts";
import { psi } from "./stattests/psi.ts";
import { tTest } from "./stattests/t-test.ts";
import { tvd } from "./stattests/tvd.ts";
import { wasserstein } from "./stattests/wasserstein.ts";
import { z } from "./stattests/z.ts";
import type { ColumnKind, DriftTest, DriftTestDescription } from "./types.ts";

/** Every test, in the order of the table in docs/drift-tests.md, "The tests". */
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

const BY_ID: ReadonlyMap<string, DriftTest> = new Map(DRIFT_TESTS.map((t) => [t.id, t]));

export function testIds(): StatTestId[] {
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
export function defaultTestId(kind: ColumnKind, nRef: number, distinctCombined: number): StatTestId {
  const u = distinctCombined;
  if (nRef <= 1000) {
    if (kind === "numerical" && u > 5) return "ks";
    return u > 2 ? "chisquare" : "z";
  }
  if (kind === "numerical" && u > 5) return "wasserstein";
  return "jensenshannon";
}
