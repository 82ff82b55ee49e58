// The drift tests whose numerics depend on n, at a million rows per side and on either
// side of KS's exact/asymptotic switch, against scipy (scripts/fixtures/gen_drift_large.py).
// Cramér-von Mises is held to 1e-9 relative: its U passes 2^53 at this size, so a float
// sum of U or a float T = U/(kN) − (4k−1)/(6N) drifts by ~1e-6 (issue #22). It is also
// held to 1e-11 against U summed in Python integers, the exact value scipy approximates.
// The p-value is 1 − CDF∞(T) in every implementation, so it carries the CDF's rounding
// (a few 1e-16) as absolute error: below p ≈ 1e-6 relative agreement is not meaningful,
// hence the 1e-14 absolute floor. (In the 50-tied-values case the series' own truncation
// rule, terms ≥ 1e-7, is what leaves p at 8e-10; the untruncated value is ~2e-32.)

import { describe, expect, it } from "vitest";
import { agrees, casesOf, type FixtureCase, type RawCase } from "./fixtures/cases.ts";
import file from "./fixtures/drift-cases-large.json" with { type: "json" };
import { anderson } from "./stattests/anderson.ts";
import { cramerVonMises } from "./stattests/cramer-von-mises.ts";
import { es } from "./stattests/es.ts";
import { ks } from "./stattests/ks.ts";
import { mannw } from "./stattests/mannw.ts";
import type { DriftTest } from "./types.ts";

type LargeRawCase = RawCase & { cramer_von_mises_exact_u: number };
const raw = (file as unknown as { cases: LargeRawCase[] }).cases;

// Tolerance per test: relative, with an absolute floor for p-values small enough that
// 1 − CDF's rounding dominates (see above).
const TOLERANCE: Record<string, { rel: number; abs: number }> = {
  cramer_von_mises: { rel: 1e-9, abs: 1e-14 },
  ks: { rel: 1e-9, abs: 1e-14 },
  anderson: { rel: 1e-9, abs: 1e-14 },
  mannw: { rel: 1e-9, abs: 1e-14 },
  es: { rel: 1e-9, abs: 1e-14 },
};

function scoreOf(test: DriftTest, c: FixtureCase): number {
  const outcome = test.run(c.reference, c.current);
  if (!outcome.applicable) throw new Error(`${test.id} not applicable on ${c.name}`);
  return outcome.score;
}

describe("n-dependent drift tests at large n, against scipy", { timeout: 120_000 }, () => {
  const cases = casesOf(raw);
  for (const [index, c] of cases.entries()) {
    describe(c.name, () => {
      for (const test of [cramerVonMises, ks, anderson, mannw, es]) {
        it(test.id, () => {
          const expected = c.expected[test.id] as number;
          const actual = scoreOf(test, c);
          const { rel, abs } = TOLERANCE[test.id] as { rel: number; abs: number };
          expect(agrees(actual, expected, rel, abs), `${test.id} ${actual} vs scipy ${expected}`).toBe(true);
        });
      }
      it("cramer_von_mises equals the exact-integer U value to 1e-11", () => {
        const exact = (raw[index] as LargeRawCase).cramer_von_mises_exact_u;
        const actual = scoreOf(cramerVonMises, c);
        expect(agrees(actual, exact, 1e-11, 1e-14), `${actual} vs exact ${exact}`).toBe(true);
      });
    });
  }
});
