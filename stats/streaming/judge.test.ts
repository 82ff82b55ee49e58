import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { KllSketch } from "../sketch/kll.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import judgeJson from "./fixtures/judge.json" with { type: "json" };
import { DEFAULT_DISTANCE_THRESHOLD, judgeFeature, judgeWindow } from "./judge.ts";
import { bridgeL1Mean, cellDistanceCritical, chiSquareIsf, effectiveSize, lInfinityCritical, wassersteinCritical } from "./null-critical.ts";
import { poolCounts, poolGroups } from "./pool-cells.ts";
import { nullQuantile } from "../profile/grid-null.ts";
import type { NumericalFeatureProfile } from "../profile/schema.ts";
import type { NumericalWindow } from "./numerical-window.ts";
import { referenceSketch } from "./reference-cells.ts";
import { scoreFeature } from "./score-window.ts";
import { ksTest } from "./scores/ks.ts";
import { featureWindowFor, WindowState } from "./window.ts";

describe("null critical values", () => {
  it.each(judgeJson.chi2_isf.map((c) => [c.alpha, c.df, c] as const))("chiSquareIsf(%f, %f) matches scipy.stats.chi2.isf", (_a, _df, c) => {
    expect(Math.abs(chiSquareIsf(c.alpha, c.df) - c.isf)).toBeLessThanOrEqual(1e-9 * c.isf);
  });

  it.each(judgeJson.l_infinity.map((c) => [c.n_eff, c] as const))("lInfinityCritical matches a scipy brentq root (n_eff %f)", (_n, c) => {
    expect(Math.abs(lInfinityCritical(c.proportions, c.n_eff, c.alpha) - c.critical)).toBeLessThanOrEqual(1e-9);
  });

  it("computes the Brownian-bridge L1 mean on an exact sketch as numpy does on the ECDF", () => {
    const sketch = new KllSketch();
    for (const x of judgeJson.bridge.sample) sketch.update(x);
    expect(bridgeL1Mean(sketch)).toBeCloseTo(judgeJson.bridge.mean, 12);
  });

  it("scales the f-divergence critical values by f''(1): PSI = q/n_eff, JS and Hellinger = √(q/(8·n_eff))", () => {
    const q = chiSquareIsf(0.01, 9);
    expect(cellDistanceCritical("psi", 10, 100, 0.01)).toBeCloseTo(q / 100, 14);
    expect(cellDistanceCritical("js", 10, 100, 0.01)).toBeCloseTo(Math.sqrt(q / 800), 14);
    expect(cellDistanceCritical("hellinger", 10, 100, 0.01)).toBeCloseTo(Math.sqrt(q / 800), 14);
    expect(cellDistanceCritical("psi", 1, 100, 0.01)).toBe(0);
    expect(effectiveSize(20_000, 100)).toBeCloseTo((20_000 * 100) / 20_100, 12);
  });

  it("shrinks the Wasserstein critical value as 1/√n_eff", () => {
    const sketch = new KllSketch();
    for (const x of judgeJson.bridge.sample) sketch.update(x);
    const small = wassersteinCritical(sketch, 3, 100, 0.01);
    expect(wassersteinCritical(sketch, 3, 10_000, 0.01)).toBeCloseTo(small / 10, 12);
  });

  it("rejects bad arguments", () => {
    expect(() => chiSquareIsf(0, 3)).toThrow(/alpha/);
    expect(() => chiSquareIsf(0.01, 0)).toThrow(/degrees of freedom/);
    expect(() => effectiveSize(0, 10)).toThrow(/both counts/);
  });
});

describe("poolGroups", () => {
  it("merges ordered cells left to right until each expects the target", () => {
    // n_eff 100, proportions 0.1 each → 10 expected per cell → groups of three, remainder joins the last.
    const groups = poolGroups(Array(10).fill(10), 100, true, 30);
    expect(groups).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]);
    expect(poolCounts([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], groups)).toEqual([6, 15, 34]);
  });

  it("merges unordered cells smallest first and keeps large cells alone", () => {
    const groups = poolGroups([500, 300, 100, 60, 40], 100, false, 15);
    // expected 50, 30, 10, 6, 4: the three small ones pool (20), the two large stay.
    expect(groups).toEqual([[4, 3, 2], [1], [0]]);
  });

  it("leaves cells alone when every cell expects enough", () => {
    expect(poolGroups([10, 10], 1000, true, 30)).toEqual([[0], [1]]);
  });
});

function normalProfile(seed: number, gridBins = 1000) {
  const normal = normalFrom(mulberry32(seed));
  const rows = Array.from({ length: 5000 }, () => ({ x: normal(), c: normal() > 0.5 ? "high" : "low" }));
  return { profile: buildProfile(rows, { gridBins }), normal };
}

describe("judgeFeature", () => {
  it("uses max(threshold, null critical) for distances: the critical value on small windows, the threshold on large ones", () => {
    const { profile, normal } = normalProfile(1, 0);
    const feature = profile.features[0]!;
    const judge = (size: number) => {
      const window = featureWindowFor(feature);
      for (let i = 0; i < size; i++) window.update(normal());
      const judgement = judgeFeature(feature, window, scoreFeature(feature, window));
      if (!("verdicts" in judgement)) throw new Error("no verdicts");
      return judgement;
    };
    const small = judge(50).verdicts.find((v) => v.score === "wasserstein_normed")!;
    expect(small.null_critical).toBeGreaterThan(DEFAULT_DISTANCE_THRESHOLD);
    expect(small.effective_threshold).toBe(small.null_critical);
    const large = judge(4000);
    for (const verdict of large.verdicts.filter((v) => v.score === "psi" || v.score === "js")) {
      expect(verdict.null_critical!).toBeLessThan(DEFAULT_DISTANCE_THRESHOLD);
      expect(verdict.effective_threshold).toBe(DEFAULT_DISTANCE_THRESHOLD);
      expect(verdict.drifted).toBe(verdict.value >= DEFAULT_DISTANCE_THRESHOLD);
    }
    expect(large.decided_by).toBe("wasserstein_normed");
  });

  it("pools sparse bins on tiny windows and reports the cells it used", () => {
    const { profile, normal } = normalProfile(2);
    const feature = profile.features[0]!;
    const window = featureWindowFor(feature);
    for (let i = 0; i < 100; i++) window.update(normal());
    const judgement = judgeFeature(feature, window, scoreFeature(feature, window));
    if (!("verdicts" in judgement)) throw new Error("no verdicts");
    const psiVerdict = judgement.verdicts.find((v) => v.score === "psi")!;
    expect(psiVerdict.cells).toBe(2); // 10 deciles × 9.8 expected events: groups of 4, the last 2 join the second
  });

  it("honours user thresholds, alpha and the deciding score", () => {
    const { profile, normal } = normalProfile(3);
    const feature = profile.features[0]!;
    const window = featureWindowFor(feature);
    for (let i = 0; i < 5000; i++) window.update(normal() + 0.4);
    const scored = scoreFeature(feature, window);
    const strict = judgeFeature(feature, window, scored, { thresholds: { wasserstein_normed: 0.01 } });
    const loose = judgeFeature(feature, window, scored, { thresholds: { wasserstein_normed: 0.5 } });
    expect(strict.drifted).toBe(true);
    expect(loose.drifted).toBe(false);
    const byKs = judgeFeature(feature, window, scored, { decideNumerical: "ks", alpha: 0.2 });
    if (!("verdicts" in byKs)) throw new Error("no verdicts");
    expect(byKs.decided_by).toBe("ks");
    expect(() => judgeFeature(feature, window, scored, { alpha: 1 })).toThrow(/alpha/);
  });

  it("decides a gridded feature by the Wasserstein null at n_eff, with no floor, and tests KS by its p-value", () => {
    const { profile, normal } = normalProfile(7);
    const feature = profile.features[0]!;
    if (feature.kind !== "numerical" || feature.grid === undefined) throw new Error("x has a grid");
    const window = featureWindowFor(feature);
    for (let i = 0; i < 20_000; i++) window.update(normal() + 0.1);
    const judgement = judgeFeature(feature, window, scoreFeature(feature, window));
    if (!("verdicts" in judgement)) throw new Error("no verdicts");
    const w = judgement.verdicts.find((v) => v.score === "wasserstein_normed")!;
    const nEff = effectiveSize(5000, 20_000);
    expect(w.threshold).toBe(0);
    expect(w.null_critical).toBeCloseTo(nullQuantile(feature.grid.wasserstein_null, 0.01) / Math.sqrt(nEff), 12);
    expect(w.null_critical!).toBeLessThan(0.06); // far below Evidently's 0.1, which a 0.1σ shift only just reaches
    expect(judgement.drifted).toBe(true);
    const ks = judgement.verdicts.find((v) => v.score === "ks")!;
    expect(ks.direction).toBe("p_value");
    expect(ks.drifted).toBe(ks.value < 0.01);
    // A user threshold is still a floor.
    const floored = judgeFeature(feature, window, scoreFeature(feature, window), { thresholds: { wasserstein_normed: 0.5 } });
    expect(floored.drifted).toBe(false);
  });

  it("applies scores/ks.ts's own rule to KS on profiles without a grid: the same threshold at the same α", () => {
    const { profile, normal } = normalProfile(6, 0);
    const feature = profile.features[0]!;
    const window = featureWindowFor(feature);
    for (let i = 0; i < 3000; i++) window.update(normal() + 0.1);
    const scored = scoreFeature(feature, window, { ksAlpha: 0.05 });
    const judgement = judgeFeature(feature, window, scored, { alpha: 0.05 });
    if (!("verdicts" in judgement) || scored.scores === null || scored.kind !== "numerical") throw new Error("no verdicts");
    const ks = judgement.verdicts.find((v) => v.score === "ks")!;
    const rule = ksTest(referenceSketch(feature as NumericalFeatureProfile), (window as NumericalWindow).sketch, 0.05);
    expect(scored.scores.source).toBe("sketch");
    expect(ks.effective_threshold).toBeCloseTo(rule.threshold, 12);
    expect(ks.drifted).toBe(rule.drifted);
  });

  it("decides categorical features by the two-sample chi-square p-value at α", () => {
    const { profile, normal } = normalProfile(4);
    const feature = profile.features[1]!;
    const window = featureWindowFor(feature);
    for (let i = 0; i < 2000; i++) window.update(normal() > 0 ? "high" : "low");
    const judgement = judgeFeature(feature, window, scoreFeature(feature, window));
    if (!("verdicts" in judgement)) throw new Error("no verdicts");
    const test = judgement.verdicts.find((v) => v.score === "chi_square_two_sample")!;
    expect(judgement.decided_by).toBe("chi_square_two_sample");
    expect(test.value).toBeLessThan(1e-10);
    expect(judgement.drifted).toBe(true);
  });
});

describe("judgeWindow", () => {
  it("judges every feature, counts drifted ones and skips empty features", () => {
    const { profile, normal } = normalProfile(5);
    const window = new WindowState(profile);
    for (let i = 0; i < 3000; i++) window.updateRow({ x: normal() + 1 });
    const judgement = judgeWindow(profile, window);
    expect(judgement.features.map((f) => [f.feature, f.drifted, f.count])).toEqual([
      ["x", true, 3000],
      ["c", false, 0],
    ]);
    expect(judgement.drifted_features).toBe(1);
    expect(judgement.drift_share).toBe(1);
    expect(judgement.alpha).toBe(0.01);
  });
});
