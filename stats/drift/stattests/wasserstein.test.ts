import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../../testing/rng.ts";
import { describeFixtureCases } from "../fixtures/run-cases.ts";
import { sortedOf, tieGroupsOf } from "../sorted.ts";
import { cdfDistance, w1Sorted, wasserstein } from "./wasserstein.ts";

describeFixtureCases(wasserstein);

describe("w1Sorted", () => {
  // The merge walk replaced cdfDistance(tieGroups, 1) in wasserstein: same terms, same order.
  it("equals the tie-group W1 exactly, with and without ties", () => {
    const normal = normalFrom(mulberry32(7));
    for (const [n1, n2, round] of [[1, 1, false], [3, 9, true], [500, 730, false], [2000, 1500, true]] as const) {
      const a = Float64Array.from({ length: n1 }, () => (round ? Math.round(normal() * 3) : normal()));
      const b = Float64Array.from({ length: n2 }, () => (round ? Math.round(normal() * 3 + 1) : normal() + 0.3));
      const expected = cdfDistance(tieGroupsOf(a, b), 1);
      expect(w1Sorted(sortedOf(a), sortedOf(b))).toBe(expected);
      expect(w1Sorted(sortedOf(b), sortedOf(a))).toBe(cdfDistance(tieGroupsOf(b, a), 1));
    }
  });

  it("is the shift for a shifted copy and 0 for identical samples", () => {
    const a = Float64Array.from([0, 1, 2, 3]);
    expect(w1Sorted(a, Float64Array.from([0.5, 1.5, 2.5, 3.5]))).toBeCloseTo(0.5, 15);
    expect(w1Sorted(a, a.slice())).toBe(0);
  });
});
