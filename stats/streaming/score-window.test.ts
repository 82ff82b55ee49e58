import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { drawLabels, drawSample } from "../testing/arith-samples.ts";
import { referenceGrid, referenceSketch } from "./reference-cells.ts";
import { gridKs } from "./scores/grid-ks.ts";
import { gridWasserstein } from "./scores/grid-wasserstein.ts";
import { scoreWindow } from "./score-window.ts";
import { chiSquare } from "./scores/chisquare.ts";
import { ksTest } from "./scores/ks.ts";
import { psi } from "./scores/psi.ts";
import { CategoricalWindow } from "./categorical-window.ts";
import { NumericalWindow } from "./numerical-window.ts";
import { WindowState } from "./window.ts";

function rows(seed: number, n: number, shift: number, weights: number[]) {
  const stable = drawSample({ shape: "normal", seed, n });
  const moving = drawSample({ shape: "normal", seed: seed + 1, n, shift });
  const labels = drawLabels(seed + 2, n, ["a", "b", "c"], weights);
  return Array.from(stable, (s, i) => ({ stable: s, moving: moving[i], label: labels[i] }));
}

const profile = buildProfile(rows(1, 5000, 0, [5, 3, 2]));

describe("scoreWindow", () => {
  const window = new WindowState(profile);
  for (const row of rows(50, 3000, 0.5, [2, 3, 5])) window.updateRow(row);
  const result = scoreWindow(profile, window);

  it("scores every feature with the scores of its kind", () => {
    expect(result.rows).toBe(3000);
    expect(result.features.map((f) => [f.feature, f.kind, f.count])).toEqual([
      ["stable", "numerical", 3000],
      ["moving", "numerical", 3000],
      ["label", "categorical", 3000],
    ]);
    const [stable, moving, label] = result.features;
    if (stable?.kind !== "numerical" || stable.scores === null) throw new Error("stable should be scored");
    if (moving?.kind !== "numerical" || moving.scores === null) throw new Error("moving should be scored");
    if (label?.kind !== "categorical" || label.scores === null) throw new Error("label should be scored");
    expect(stable.scores.source).toBe("grid");
    expect(stable.scores.ks.p_value).toBeGreaterThan(0.01);
    expect(moving.scores.ks.p_value).toBeLessThan(1e-10);
    expect(moving.scores.psi).toBeGreaterThan(0.1);
    expect(stable.scores.psi).toBeLessThan(0.02);
    expect(moving.scores.wasserstein_normed).toBeGreaterThan(0.4);
    expect(stable.scores.wasserstein_normed).toBeLessThan(0.1);
    expect(label.scores.chi_square.p_value).toBeLessThan(1e-10);
    expect(label.scores.l_infinity).toBeGreaterThan(0.2);
  });

  it("routes to the same functions as calling the scores directly", () => {
    const feature = profile.features[1];
    const live = window.features[1];
    if (feature?.kind !== "numerical" || !(live instanceof NumericalWindow)) throw new Error("moving is numerical");
    const moving = result.features[1];
    if (moving?.kind !== "numerical" || moving.scores === null) throw new Error("moving should be scored");
    expect(moving.scores.psi).toBe(psi(feature.bins.counts, Array.from(live.bins)));
    const counts = live.grid!.counts();
    const ks = gridKs(referenceGrid(feature)!, counts);
    expect(moving.scores.ks).toEqual({ d: ks.d, d_lower: ks.d, d_upper: ks.d_upper, p_value: ks.p_value });
    const w = gridWasserstein(referenceGrid(feature)!, counts, live.grid!.below, live.grid!.above, feature.moments.std);
    expect(moving.scores.wasserstein_normed).toBe(w.normed);
    const sketchProfile = buildProfile(rows(1, 5000, 0, [5, 3, 2]), { gridBins: 0 });
    const sketchWindow = new WindowState(sketchProfile);
    for (const row of rows(50, 3000, 0.5, [2, 3, 5])) sketchWindow.updateRow(row);
    const sketchFeature = sketchProfile.features[1]!;
    if (sketchFeature.kind !== "numerical") throw new Error("moving is numerical");
    const sketchScores = scoreWindow(sketchProfile, sketchWindow).features[1]!;
    if (sketchScores.kind !== "numerical" || sketchScores.scores === null) throw new Error("moving should be scored");
    const rule = ksTest(referenceSketch(sketchFeature), (sketchWindow.features[1] as NumericalWindow).sketch);
    expect(sketchScores.scores.source).toBe("sketch");
    expect(sketchScores.scores.ks.d).toBe(rule.d);
    expect(sketchScores.scores.ks.p_value).toBe(rule.p_approx);
    const labelFeature = profile.features[2];
    const labelLive = window.features[2];
    if (labelFeature?.kind !== "categorical" || !(labelLive instanceof CategoricalWindow)) throw new Error("label is categorical");
    const label = result.features[2];
    if (label?.kind !== "categorical" || label.scores === null) throw new Error("label should be scored");
    expect(label.scores.chi_square).toEqual(chiSquare([...labelFeature.categories.counts, labelFeature.categories.other_count], Array.from(labelLive.cells)));
  });

  it("refuses a window built on another profile", () => {
    const other = buildProfile(rows(9, 100, 0, [1, 1, 1]).map(({ stable, label }) => ({ stable, label })));
    expect(() => scoreWindow(profile, new WindowState(other))).toThrow(/window has 2 features, profile has 3/);
    const renamed = buildProfile(rows(9, 100, 0, [1, 1, 1]).map(({ stable, moving, label }) => ({ steady: stable, moving, label })));
    expect(() => scoreWindow(profile, new WindowState(renamed))).toThrow(/does not match profile feature "stable"/);
  });

  it("returns no scores, with a reason, for a feature without values", () => {
    const empty = new WindowState(profile);
    empty.updateRow({ stable: null, moving: 1, label: undefined });
    const scored = scoreWindow(profile, empty);
    expect(scored.features[0]).toEqual({ feature: "stable", kind: "numerical", count: 0, scores: null, reason: "no values in window" });
    expect(scored.features[1]?.scores).not.toBeNull();
    expect(scored.features[2]?.scores).toBeNull();
    expect(scored.prediction).toBeNull();
  });
});
