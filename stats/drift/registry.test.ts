import { describe, expect, it } from "vitest";
import { DriftInputError } from "./errors.ts";
import { DRIFT_TESTS, defaultTestId, getTest, isDrifted, testIds } from "./registry.ts";

// docs/drift-tests.md "The tests" table, copied by hand: id, kinds, default threshold, direction, rule.
const SPEC: [string, string[], number, "p_value" | "distance", "lte" | "lt" | "gte" | "gt"][] = [
  ["ks", ["numerical"], 0.05, "p_value", "lte"],
  ["wasserstein", ["numerical"], 0.1, "distance", "gte"],
  ["psi", ["numerical", "categorical"], 0.1, "distance", "gte"],
  ["kl_div", ["numerical", "categorical"], 0.1, "distance", "gte"],
  ["jensenshannon", ["numerical", "categorical"], 0.1, "distance", "gte"],
  ["hellinger", ["numerical", "categorical"], 0.1, "distance", "gte"],
  ["anderson", ["numerical"], 0.1, "p_value", "lt"],
  ["cramer_von_mises", ["numerical"], 0.1, "p_value", "lte"],
  ["mannw", ["numerical"], 0.05, "p_value", "lt"],
  ["ed", ["numerical"], 0.1, "distance", "gt"],
  ["t_test", ["numerical"], 0.05, "p_value", "lt"],
  ["es", ["numerical"], 0.05, "p_value", "lt"],
  ["chisquare", ["categorical"], 0.05, "p_value", "lt"],
  ["z", ["categorical"], 0.05, "p_value", "lt"],
  ["g_test", ["categorical"], 0.1, "p_value", "lt"],
  ["TVD", ["categorical"], 0.1, "p_value", "lt"],
  ["fisher_exact", ["categorical"], 0.1, "p_value", "lt"],
];

describe("registry", () => {
  it("holds exactly the 17 tests of the spec, with the spec's kinds, thresholds, directions and rules", () => {
    expect(testIds()).toEqual(SPEC.map((row) => row[0]));
    for (const [id, kinds, threshold, direction, drifts] of SPEC) {
      const t = getTest(id);
      expect({ id: t.id, kinds: [...t.kinds], threshold: t.defaultThreshold, direction: t.direction, drifts: t.drifts }).toEqual({
        id,
        kinds,
        threshold,
        direction,
        drifts,
      });
    }
    expect(DRIFT_TESTS.length).toBe(17);
    // zero filling is part of the description: psi and kl_div fill, jensenshannon does not
    expect([getTest("psi").zeroFilling, getTest("kl_div").zeroFilling, getTest("jensenshannon").zeroFilling]).toEqual([true, true, false]);
  });

  it("rejects an unknown id with the list of valid ones", () => {
    expect(() => getTest("foo")).toThrow(DriftInputError);
    expect(() => getTest("foo")).toThrow(`unknown test "foo"; valid tests: ${testIds().join(", ")}`);
  });

  it("decides drift with the strictness the rule says", () => {
    expect(isDrifted(getTest("ks"), 0.05, 0.05)).toBe(true);
    expect(isDrifted(getTest("mannw"), 0.05, 0.05)).toBe(false);
    expect(isDrifted(getTest("mannw"), 0.0499, 0.05)).toBe(true);
    expect(isDrifted(getTest("psi"), 0.1, 0.1)).toBe(true);
    expect(isDrifted(getTest("ed"), 0.1, 0.1)).toBe(false);
    expect(isDrifted(getTest("ed"), 0.1001, 0.1)).toBe(true);
    expect(isDrifted(getTest("wasserstein"), 0.0999, 0.1)).toBe(false);
  });

  it.each([
    ["numerical", 1000, 6, "ks"],
    ["numerical", 1000, 5, "chisquare"],
    ["numerical", 1000, 3, "chisquare"],
    ["numerical", 1000, 2, "z"],
    ["categorical", 10, 3, "chisquare"],
    ["categorical", 10, 2, "z"],
    ["categorical", 10, 50, "chisquare"],
    ["numerical", 1001, 6, "wasserstein"],
    ["numerical", 1001, 5, "jensenshannon"],
    ["categorical", 1001, 2, "jensenshannon"],
    ["categorical", 5000, 100, "jensenshannon"],
  ] as const)("default for %s, n_ref=%i, u=%i is %s", (kind, nRef, u, id) => {
    expect(defaultTestId(kind, nRef, u)).toBe(id);
  });
});
