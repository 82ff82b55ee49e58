import { describe, expect, it } from "vitest";
import { fixtureCases } from "../fixtures/cases.ts";
import { TVD_ITERATIONS, tvd, tvdPermutationP } from "./tvd.ts";

// Evidently's TVD p-value comes from 1000 numpy permutations (np.random.seed(0)); ours
// from 1000 mulberry32 permutations. Both estimate the same permutation p, so their
// difference has sd √(2p(1−p)/1000); allow 4.5 sd plus one permutation's worth.
describe("TVD against Evidently's numpy permutation p-values", () => {
  const cases = fixtureCases().filter((c) => typeof c.expected.TVD === "number");
  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const reference = c.expected.TVD as number;
    const outcome = tvd.run(c.reference, c.current);
    expect(outcome.applicable).toBe(true);
    if (!outcome.applicable) return;
    const p = Math.min(Math.max(reference, 1 / TVD_ITERATIONS), 1 - 1 / TVD_ITERATIONS);
    const tolerance = 4.5 * Math.sqrt((2 * p * (1 - p)) / TVD_ITERATIONS) + 1 / TVD_ITERATIONS;
    expect(Math.abs(outcome.score - reference), `ours ${outcome.score} vs numpy ${reference}`).toBeLessThanOrEqual(tolerance);
  });

  it("is deterministic for a fixed seed and moves with the seed", () => {
    const ref = Float64Array.from([30, 20, 10]);
    const cur = Float64Array.from([25, 25, 10]);
    expect(tvdPermutationP(ref, cur)).toBe(tvdPermutationP(ref, cur));
    const seeds = [1, 2, 3, 4, 5].map((s) => tvdPermutationP(ref, cur, s));
    expect(new Set(seeds).size).toBeGreaterThan(1);
  });

  it("gives p = 1 for identical count vectors and a small p for disjoint categories", () => {
    const same = Float64Array.from([40, 40]);
    expect(tvdPermutationP(same, same)).toBe(1);
    expect(tvdPermutationP(Float64Array.from([50, 0]), Float64Array.from([0, 50]))).toBe(0);
  });
});
