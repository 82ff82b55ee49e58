// Seeded null simulation of the judge's false-alarm rate (judge.ts). Each window is drawn
// from the same distribution as its 20,000-row reference, so every alarm is false. The
// reference is redrawn every few windows: the level is a rate over reference and window
// draws together (one frozen reference carries its own sampling deviation, which a
// two-sample rule averages over references, not within one).
//
// Tolerance: with R windows and a true rate α, the observed rate exceeds
// α + 3·√(α(1 − α)/R) with probability about 0.1% (normal approximation to the binomial),
// so each score's rate is asserted ≤ that bound, per distribution and size, and over all
// windows of a size together.

import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import type { FeatureProfile } from "../profile/schema.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { DEFAULT_ALPHA, judgeFeature } from "./judge.ts";
import type { FeatureJudgement } from "./judge.ts";
import { scoreFeature } from "./score-window.ts";
import { featureWindowFor } from "./window.ts";

type Draw = (uniform: () => number, normal: () => number) => number | string;

const LABELS = Array.from({ length: 30 }, (_, i) => `label_${i}`);
const ZIPF = LABELS.map((_, i) => 1 / Math.pow(i + 1, 1.1));
const ZIPF_TOTAL = ZIPF.reduce((a, b) => a + b, 0);

const DISTRIBUTIONS: Record<string, { kind: "numerical" | "categorical"; draw: Draw }> = {
  normal: { kind: "numerical", draw: (_u, z) => z() },
  // Student t with 3 degrees of freedom: Z / √(χ²₃/3).
  student_t3: {
    kind: "numerical",
    draw: (_u, z) => {
      const a = z();
      const b = z();
      const c = z();
      return z() / Math.sqrt((a * a + b * b + c * c) / 3);
    },
  },
  lognormal: { kind: "numerical", draw: (_u, z) => Math.exp(z()) },
  // Poisson(3) by Knuth's product of uniforms: a handful of values with heavy ties.
  poisson3: {
    kind: "numerical",
    draw: (u) => {
      const limit = Math.exp(-3);
      let k = 0;
      let p = u();
      while (p > limit) {
        k++;
        p *= u();
      }
      return k;
    },
  },
  // 30 labels with Zipf(1.1) frequencies: from 27% down to 0.7%.
  zipf_categories: {
    kind: "categorical",
    draw: (u) => {
      let x = u() * ZIPF_TOTAL;
      for (let i = 0; i < ZIPF.length; i++) {
        x -= ZIPF[i] as number;
        if (x < 0) return LABELS[i] as string;
      }
      return LABELS[LABELS.length - 1] as string;
    },
  },
};

/** Window size → [references, windows per reference]. Large windows sit far above the floors' noise, so fewer are needed. */
const PLAN: ReadonlyArray<readonly [number, number, number]> = [
  [100, 8, 75],
  [1_000, 4, 40],
  [10_000, 2, 20],
  [100_000, 1, 4],
];

const REFERENCE_ROWS = 20_000;

function slack(rate: number, trials: number): number {
  return rate + 3 * Math.sqrt((rate * (1 - rate)) / trials);
}

function simulate(name: string, size: number, references: number, windowsPerReference: number, seed: number): FeatureJudgement[] {
  const { kind, draw } = DISTRIBUTIONS[name]!;
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  const out: FeatureJudgement[] = [];
  for (let r = 0; r < references; r++) {
    const rows = Array.from({ length: REFERENCE_ROWS }, () => ({ x: draw(uniform, normal) }));
    const feature: FeatureProfile = buildProfile(rows, { features: [{ name: "x", kind }] }).features[0]!;
    for (let w = 0; w < windowsPerReference; w++) {
      const window = featureWindowFor(feature);
      for (let i = 0; i < size; i++) window.update(draw(uniform, normal));
      out.push(judgeFeature(feature, window, scoreFeature(feature, window)));
    }
  }
  return out;
}

function alarmsByScore(judgements: readonly FeatureJudgement[]): Map<string, number> {
  const alarms = new Map<string, number>();
  for (const judgement of judgements) {
    if (!("verdicts" in judgement)) throw new Error("a null window had no values");
    for (const verdict of judgement.verdicts) alarms.set(verdict.score, (alarms.get(verdict.score) ?? 0) + (verdict.drifted ? 1 : 0));
    alarms.set("decision", (alarms.get("decision") ?? 0) + (judgement.drifted ? 1 : 0));
  }
  return alarms;
}

describe("judge: false-alarm rate on null data", () => {
  it.each(PLAN.map((p) => [p[0], p] as const))("stays within α = 0.01 (+ binomial slack) at %i events", (size, [, references, perReference]) => {
    const pooled = new Map<string, { alarms: number; trials: number }>();
    const report: string[] = [];
    Object.keys(DISTRIBUTIONS).forEach((name, d) => {
      const judgements = simulate(name, size, references, perReference, 1000 * size + d);
      const trials = judgements.length;
      for (const [score, alarms] of alarmsByScore(judgements)) {
        report.push(`${name}/${score}: ${alarms}/${trials}`);
        expect(alarms / trials, `${name} ${score} at ${size} events`).toBeLessThanOrEqual(slack(DEFAULT_ALPHA, trials));
        const total = pooled.get(score) ?? { alarms: 0, trials: 0 };
        pooled.set(score, { alarms: total.alarms + alarms, trials: total.trials + trials });
      }
    });
    for (const [score, { alarms, trials }] of pooled) {
      expect(alarms / trials, `${score} over all distributions at ${size} events (${report.join(", ")})`).toBeLessThanOrEqual(
        slack(DEFAULT_ALPHA, trials),
      );
    }
  }, 60_000);
});

describe("judge: p-value rules on large categorical windows", () => {
  // The goodness-of-fit chi-square alarmed on 90% of null 100k-event windows against a 20k
  // reference before the judge's n/(n + m) correction; categorical windows are cheap, so
  // this checks both chi-square rules on many more large windows than the test above.
  it("keeps chi_square and chi_square_two_sample within α at 10k and 100k events", () => {
    for (const [size, references, perReference] of [
      [10_000, 10, 10],
      [100_000, 10, 3],
    ] as const) {
      const judgements = simulate("zipf_categories", size, references, perReference, 77 + size);
      const alarms = alarmsByScore(judgements);
      for (const score of ["chi_square", "chi_square_two_sample"]) {
        expect((alarms.get(score) ?? 0) / judgements.length, `${score} at ${size}`).toBeLessThanOrEqual(slack(DEFAULT_ALPHA, judgements.length));
      }
    }
  }, 60_000);
});

describe("judge: power", () => {
  it("detects a 0.5σ mean shift of a normal feature in every 1,000-event window", () => {
    const uniform = mulberry32(42);
    const normal = normalFrom(uniform);
    const rows = Array.from({ length: REFERENCE_ROWS }, () => ({ x: normal() }));
    const feature = buildProfile(rows, { features: [{ name: "x", kind: "numerical" }] }).features[0]!;
    for (let w = 0; w < 10; w++) {
      const window = featureWindowFor(feature);
      for (let i = 0; i < 1000; i++) window.update(normal() + 0.5);
      const judgement = judgeFeature(feature, window, scoreFeature(feature, window));
      expect(judgement.drifted).toBe(true);
      if (!("verdicts" in judgement)) throw new Error("no verdicts");
      for (const verdict of judgement.verdicts) expect(verdict.drifted, verdict.score).toBe(true);
    }
  });

  it("detects the two top categories swapping in every 1,000-event window", () => {
    const { draw } = DISTRIBUTIONS.zipf_categories!;
    const uniform = mulberry32(43);
    const normal = normalFrom(uniform);
    const rows = Array.from({ length: REFERENCE_ROWS }, () => ({ x: draw(uniform, normal) }));
    const feature = buildProfile(rows, { features: [{ name: "x", kind: "categorical" }] }).features[0]!;
    const swap = (label: string | number) => (label === "label_0" ? "label_1" : label === "label_1" ? "label_0" : label);
    for (let w = 0; w < 10; w++) {
      const window = featureWindowFor(feature);
      for (let i = 0; i < 1000; i++) window.update(swap(draw(uniform, normal)));
      const judgement = judgeFeature(feature, window, scoreFeature(feature, window));
      expect(judgement.drifted).toBe(true);
    }
  });
});
