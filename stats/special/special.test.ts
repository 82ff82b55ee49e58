import { describe, expect, it } from "vitest";
import special from "../drift/fixtures/special-values.json" with { type: "json" };
import { agrees } from "../drift/fixtures/cases.ts";
import { quadraticFit } from "./anderson-ksamp.ts";
import { besselK } from "./bessel-k.ts";
import { cvmExactSf, cvmInfCdf } from "./cramer-von-mises.ts";
import { chiSquareSf, studentTTwoSided } from "./distributions.ts";
import { normalCdf } from "./erf.ts";
import { fisherExactTwoSided } from "./hypergeometric.ts";
import { kolmogorovNSf } from "./kolmogorov-n.ts";
import { ksTwoSampleExactP } from "./ks-exact.ts";
import { mannWhitneyExactSf } from "./mann-whitney-exact.ts";
import { smirnovSf } from "./smirnov.ts";

// Reference values: scripts/fixtures/gen_drift.py (scipy 1.17).
const S = special as unknown as Record<string, number[][]> & {
  hypergeom_fisher: [[[number, number], [number, number]], number][];
  anderson_polyfit: number[];
};

function check(actual: number, expected: number, rel = 1e-9, abs = 1e-15): void {
  expect(agrees(actual, expected, rel, abs), `${actual} vs scipy ${expected}`).toBe(true);
}

describe("special functions against scipy", () => {
  it.each(S.ndtr!.map((r) => [r[0], r[1]]))("ndtr(%s)", (x, p) => check(normalCdf(x as number), p as number, 1e-13, 0));
  it.each(S.chdtrc!.map((r) => [r[0], r[1], r[2]]))("chi2 sf k=%s x=%s", (k, x, p) =>
    check(chiSquareSf(x as number, k as number), p as number, 1e-11, 1e-300),
  );
  it.each(S.ttest_p!.map((r) => [r[0], r[1], r[2]]))("t two-sided t=%s df=%s", (t, df, p) =>
    check(studentTTwoSided(t as number, df as number), p as number, 1e-11, 1e-300),
  );
  it.each(S.kstwo_sf!.map((r) => [r[0], r[1], r[2]]))("kstwo.sf n=%s x=%s", (n, x, p) =>
    check(kolmogorovNSf(n as number, x as number), p as number, 1e-9, 1e-14),
  );
  it.each(S.smirnov!.map((r) => [r[0], r[1], r[2]]))("smirnov n=%s x=%s", (n, x, p) =>
    // log-space terms instead of scipy's double-double: ~1e-8 relative at n ~ 1e6
    check(smirnovSf(n as number, x as number), p as number, 1e-7, 1e-300),
  );
  it.each(S.kv!.map((r) => [r[0], r[1], r[2]]))("kv(%s, %s)", (v, x, k) => check(besselK(v as number, x as number), k as number, 1e-12, 1e-300));
  it.each(S.cvm_inf_cdf!.map((r) => [r[0], r[1]]))("Cramér-von Mises limiting cdf(%s)", (x, p) =>
    check(cvmInfCdf(x as number), p as number, 1e-10, 1e-12),
  );
  it.each(S.ks_exact!.map((r) => [r[0], r[1], r[2], r[3]]))("ks exact n1=%s n2=%s d=%s", (n1, n2, d, p) =>
    check(ksTwoSampleExactP(n1 as number, n2 as number, d as number) as number, p as number, 1e-9, 1e-15),
  );
  it.each(S.mwu_exact!.map((r) => [r[0], r[1], r[2], r[3]]))("mann-whitney exact sf n1=%s n2=%s u=%s", (n1, n2, u, p) =>
    check(mannWhitneyExactSf(u as number, n1 as number, n2 as number), p as number, 1e-12, 1e-15),
  );
  it.each(S.cvm_exact!.map((r) => [r[0], r[1], r[2], r[3]]))("cvm exact m=%s n=%s u=%s", (m, n, u, p) =>
    check(cvmExactSf(u as number, m as number, n as number), p as number, 1e-12, 1e-15),
  );
  it.each(S.hypergeom_fisher.map((r) => [JSON.stringify(r[0]), r[0], r[1]] as const))("fisher_exact %s", (_l, t, p) =>
    check(fisherExactTwoSided(t), p, 1e-9, 1e-15),
  );
  it("anderson_ksamp critical-value interpolation equals numpy.polyfit", () => {
    const crit = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085].map(
      (b0, i) => b0 + [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615][i]! + [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154][i]!,
    );
    const fit = quadraticFit(crit, [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001].map(Math.log));
    fit.forEach((c, i) => check(c, S.anderson_polyfit[i]!, 1e-10, 1e-12));
  });
});

describe("hypergeometric draws", () => {
  it("have the hypergeometric mean and variance", async () => {
    const { mulberry32 } = await import("../testing/rng.ts");
    const { drawHypergeometric } = await import("./hypergeometric.ts");
    const random = mulberry32(11);
    const [N, K, n] = [1000, 300, 200];
    const draws = Array.from({ length: 20000 }, () => drawHypergeometric(random, N, K, n));
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    const variance = draws.reduce((a, b) => a + (b - mean) ** 2, 0) / (draws.length - 1);
    const mu = (n * K) / N; // 60
    const sigma2 = (n * K * (N - K) * (N - n)) / (N * N * (N - 1)); // ≈ 33.6
    expect(Math.abs(mean - mu)).toBeLessThan(5 * Math.sqrt(sigma2 / draws.length));
    expect(Math.abs(variance / sigma2 - 1)).toBeLessThan(0.05);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThanOrEqual(200);
  });

  it("are right when few items are marked (sequential sampling path)", async () => {
    const { mulberry32 } = await import("../testing/rng.ts");
    const { drawHypergeometric } = await import("./hypergeometric.ts");
    const random = mulberry32(12);
    const draws = Array.from({ length: 20000 }, () => drawHypergeometric(random, 50, 5, 20));
    const freq = [0, 1, 2, 3, 4, 5].map((x) => draws.filter((d) => d === x).length / draws.length);
    // exact pmf of Hypergeometric(N=50, K=5, n=20)
    const choose = (a: number, b: number): number => (b < 0 || b > a ? 0 : b === 0 ? 1 : (choose(a - 1, b - 1) * a) / b);
    freq.forEach((f, x) => {
      const p = (choose(5, x) * choose(45, 20 - x)) / choose(50, 20);
      expect(Math.abs(f - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / draws.length) + 1e-9);
    });
  });
});
