// Seeded null simulation of segment drift's false-alarm control (segments.ts): 20 segments
// plus "other" drawn from their reference's distribution, one numerical and one categorical
// feature each, judged at α/S. For each feature, the chance that some segment flags it must
// stay at α = 0.01 (Bonferroni), where judging each segment at α would flag one in about
// 1 − 0.99²¹ ≈ 19 % of evaluations. References are redrawn per run (the level is a rate over
// reference and window draws together, as in false-alarm.test.ts).
//
// Tolerance: with R runs and a true rate p ≤ α, the observed rate exceeds α + 3·√(α(1 − α)/R)
// with probability about 0.1 %.
import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { DEFAULT_ALPHA, judgeFeature } from "./judge.ts";
import { scoreFeature } from "./score-window.ts";
import { segmentAlpha } from "./segments.ts";
import { featureWindowFor } from "./window.ts";

const SEGMENTS = 21;
const RUNS = 150;
const REFERENCE = 2_000;
const WINDOW = 400;
const LABELS = ["a", "b", "c", "d", "e"];

describe("segment false alarms", () => {
  it("keeps the chance that any segment flags a feature at α, where α per segment would not", () => {
    const uniform = mulberry32(2026);
    const normal = normalFrom(mulberry32(18));
    const draw = () => ({ x: normal(), c: LABELS[Math.floor(uniform() * LABELS.length)] });
    const level = segmentAlpha(DEFAULT_ALPHA, SEGMENTS);
    const any = { corrected: { x: 0, c: 0 }, naive: { x: 0, c: 0 } };
    for (let run = 0; run < RUNS; run++) {
      // One reference per run, shared by the segments (their global baseline).
      const reference = Array.from({ length: REFERENCE }, draw);
      const profile = buildProfile(reference, { features: [{ name: "x", kind: "numerical" }, { name: "c", kind: "categorical" }], gridBins: 200 });
      const flagged = { corrected: { x: false, c: false }, naive: { x: false, c: false } };
      for (let s = 0; s < SEGMENTS; s++) {
        const windows = profile.features.map(featureWindowFor);
        for (let i = 0; i < WINDOW; i++) {
          const row = draw();
          windows[0]!.update(row.x);
          windows[1]!.update(row.c);
        }
        profile.features.forEach((feature, f) => {
          const name = feature.name as "x" | "c";
          const scored = scoreFeature(feature, windows[f]!);
          if (judgeFeature(feature, windows[f]!, scored, { alpha: level }).drifted) flagged.corrected[name] = true;
          if (judgeFeature(feature, windows[f]!, scored, { alpha: DEFAULT_ALPHA }).drifted) flagged.naive[name] = true;
        });
      }
      for (const rule of ["corrected", "naive"] as const) for (const name of ["x", "c"] as const) if (flagged[rule][name]) any[rule][name]++;
    }
    const bound = DEFAULT_ALPHA + 3 * Math.sqrt((DEFAULT_ALPHA * (1 - DEFAULT_ALPHA)) / RUNS);
    expect(any.corrected.x / RUNS).toBeLessThanOrEqual(bound);
    expect(any.corrected.c / RUNS).toBeLessThanOrEqual(bound);
    // Without the correction the same draws flag some segment far more often.
    expect(any.naive.x / RUNS).toBeGreaterThan(0.08);
    expect(any.naive.c / RUNS).toBeGreaterThan(0.08);
  }, 120_000);
});
