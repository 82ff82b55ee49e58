// stats/impact against scripts/fixtures/gen_impact.py (scipy.stats pearsonr, spearmanr,
// ttest_ind(equal_var=False), t.ppf; numpy for the formulas scipy lacks), plus the cases
// that must say why there is no answer.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { averageRanks, pearson, spearman } from "./correlation.ts";
import { bestLag } from "./lag.ts";
import { meanShift } from "./mean-shift.ts";
import { studentTQuantile } from "./t-quantile.ts";

interface Expected { r: number; p: number; ci95: [number, number]; n_effective: number; p_adjusted: number }
const fixture = JSON.parse(readFileSync(join(import.meta.dirname, "fixtures", "impact.json"), "utf8")) as {
  correlations: { name: string; x: number[]; y: number[]; pearson: Expected; spearman: Expected }[];
  lag: { metric: (number | null)[]; kpi: (number | null)[]; best: { lag: number; r: number; n: number; p: number; p_bonferroni: number }; by_lag: { lag: number; r: number; n: number }[] };
  welch: { before: number[]; after: number[]; difference: number; p: number; df: number; ci95: [number, number] }[];
  t_quantiles: { p: number; df: number; t: number }[];
};

const close = (actual: number, expected: number, tolerance = 1e-10) =>
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));

describe("correlations match scipy", () => {
  it.each(fixture.correlations)("$name", ({ x, y, pearson: ep, spearman: es }) => {
    for (const [got, want] of [[pearson(x, y), ep], [spearman(x, y), es]] as const) {
      expect(got.ok).toBe(true);
      if (!got.ok) return;
      close(got.value.r, want.r, 1e-12);
      close(got.value.p, want.p, 1e-9);
      close(got.value.ci95[0], want.ci95[0], 1e-12);
      close(got.value.ci95[1], want.ci95[1], 1e-12);
      close(got.value.n_effective, want.n_effective, 1e-10);
      close(got.value.p_adjusted, want.p_adjusted, 1e-9);
      expect(got.value.n).toBe(x.length);
    }
  });

  it("ranks ties by their average, as scipy.stats.rankdata", () => {
    expect(averageRanks([3, 1, 3, 2, 3])).toEqual([4, 1, 4, 2, 4]);
  });

  it("says why when there are fewer than 10 pairs or a series is constant", () => {
    const few = pearson([1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 1, 4, 3, 6, 5, 8, 7, 9]);
    expect(few).toEqual({ ok: false, reason: "n = 9 aligned points; a correlation needs at least 10" });
    const flat = spearman(Array.from({ length: 12 }, (_, i) => i), Array.from({ length: 12 }, () => 3));
    expect(flat.ok).toBe(false);
    if (!flat.ok) expect(flat.reason).toMatch(/constant/);
  });

  it("a perfect correlation has a zero p-value and a degenerate interval", () => {
    const x = Array.from({ length: 20 }, (_, i) => i);
    const c = pearson(x, x.map((v) => 3 * v + 1));
    expect(c.ok && c.value.r).toBe(1);
    expect(c.ok && c.value.p).toBe(0);
    expect(c.ok && c.value.ci95).toEqual([1, 1]);
  });
});

describe("best lag", () => {
  it("finds the KPI's 3-bucket delay over a grid with gaps, as the numpy scan", () => {
    const got = bestLag(fixture.lag.metric, fixture.lag.kpi, 6);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    expect(got.value.lag).toBe(3);
    expect(got.value.lag).toBe(fixture.lag.best.lag);
    expect(got.value.n).toBe(fixture.lag.best.n);
    close(got.value.r, fixture.lag.best.r, 1e-12);
    close(got.value.p_bonferroni, fixture.lag.best.p_bonferroni, 1e-9);
    expect(got.value.by_lag.map((b) => b.lag)).toEqual(fixture.lag.by_lag.map((b) => b.lag));
    got.value.by_lag.forEach((b, i) => close(b.r, fixture.lag.by_lag[i]!.r, 1e-12));
  });

  it("has no answer on a grid too short for any lag", () => {
    const got = bestLag([1, 2, 3, null], [1, 2, 3, 4], 6);
    expect(got.ok).toBe(false);
  });
});

describe("Welch mean shift matches scipy.stats.ttest_ind(equal_var=False)", () => {
  it.each(fixture.welch.map((w, i) => ({ ...w, i })))("case $i", ({ before, after, difference, p, df, ci95 }) => {
    const got = meanShift(before, after);
    expect(got.ok).toBe(true);
    if (!got.ok) return;
    close(got.value.difference, difference, 1e-12);
    close(got.value.df, df, 1e-10);
    close(got.value.p, p, 1e-9);
    close(got.value.ci95[0], ci95[0], 1e-9);
    close(got.value.ci95[1], ci95[1], 1e-9);
  });

  it("needs two points on each side", () => {
    expect(meanShift([1], [1, 2, 3])).toEqual({ ok: false, reason: "needs at least 2 KPI points on each side (before: 1, after: 3)" });
  });
});

describe("Student t quantiles match scipy.stats.t.ppf", () => {
  it.each(fixture.t_quantiles)("p=$p df=$df", ({ p, df, t }) => close(studentTQuantile(p, df), t, 1e-10));
  it("rejects p outside (0, 1)", () => expect(() => studentTQuantile(1, 3)).toThrow(/p must be in/));
});
