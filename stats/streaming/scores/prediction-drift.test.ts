import { describe, expect, it } from "vitest";
import { buildProfile } from "../../profile/build.ts";
import { drawLabels, drawSample } from "../../testing/arith-samples.ts";
import { WindowState } from "../window.ts";
import { predictionDrift } from "./prediction-drift.ts";

describe("predictionDrift", () => {
  it("uses PSI and Jensen-Shannon for a numeric output", () => {
    const scores = drawSample({ shape: "normal", seed: 1, n: 4000 });
    const profile = buildProfile(Array.from(scores, (s) => ({ f: 1, score: s })), { prediction: "score" });
    const same = new WindowState(profile);
    const shifted = new WindowState(profile);
    for (const s of drawSample({ shape: "normal", seed: 2, n: 2000 })) same.updateRow({ f: 1 }, s);
    for (const s of drawSample({ shape: "normal", seed: 3, n: 2000, shift: 0.4 })) shifted.updateRow({ f: 1 }, s);
    const a = predictionDrift(profile, same);
    const b = predictionDrift(profile, shifted);
    if (a?.kind !== "numerical" || !("psi" in a) || b?.kind !== "numerical" || !("psi" in b)) throw new Error("expected numeric scores");
    expect(a.count).toBe(2000);
    expect(a.psi).toBeLessThan(0.02);
    expect(b.psi).toBeGreaterThan(0.1);
    expect(b.js).toBeGreaterThan(a.js);
  });

  it("uses L-infinity and chi-square for labels", () => {
    const labels = drawLabels(4, 3000, ["approve", "review", "deny"], [6, 3, 1]);
    const profile = buildProfile(labels.map((label) => ({ f: 1, label })), { prediction: "label" });
    const window = new WindowState(profile);
    for (const label of drawLabels(5, 1000, ["approve", "review", "deny"], [4, 3, 3])) window.updateRow({ f: 1 }, label);
    const drift = predictionDrift(profile, window);
    if (drift?.kind !== "categorical" || !("l_infinity" in drift)) throw new Error("expected label scores");
    expect(drift.l_infinity).toBeGreaterThan(0.15);
    expect(drift.chi_square.df).toBe(2);
    expect(drift.chi_square.p_value).toBeLessThan(1e-10);
  });

  it("is null without a prediction column and explains an empty window", () => {
    const profile = buildProfile([{ f: 1, y: 2 }], { prediction: "y" });
    expect(predictionDrift(buildProfile([{ f: 1 }]), new WindowState(buildProfile([{ f: 1 }])))).toBeNull();
    expect(predictionDrift(profile, new WindowState(profile))).toEqual({ kind: "numerical", count: 0, reason: "no predictions in window" });
  });
});
