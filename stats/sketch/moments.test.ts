import { describe, expect, it } from "vitest";
import { Moments } from "./moments.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";

/** Two-pass reference (numpy's mean and var(ddof=1) use the same definition). */
function twoPass(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const ss = xs.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { mean, variance: ss / (xs.length - 1) };
}

function momentsOf(xs: readonly (number | null | undefined)[]): Moments {
  const m = new Moments();
  for (const x of xs) m.update(x);
  return m;
}

describe("Moments", () => {
  it("is empty with NaN statistics and null min/max in JSON", () => {
    const m = new Moments();
    expect(m.count).toBe(0);
    expect(Number.isNaN(m.mean)).toBe(true);
    expect(Number.isNaN(m.variance())).toBe(true);
    expect(m.toJSON()).toEqual({ version: 1, count: 0, missing: 0, nonFinite: 0, mean: 0, m2: 0, min: null, max: null });
  });

  it("counts missing and non-finite values apart and excludes them", () => {
    const m = momentsOf([1, null, 2, undefined, Number.NaN, Infinity, -Infinity, 3]);
    expect([m.count, m.missing, m.nonFinite, m.total]).toEqual([3, 2, 3, 8]);
    expect(m.mean).toBe(2);
    expect(m.variance()).toBe(1);
    expect(m.variance(0)).toBeCloseTo(2 / 3, 15);
    expect([m.min(), m.max()]).toEqual([1, 3]);
  });

  it("matches a two-pass reference where the naive sum of squares cancels", () => {
    const normal = normalFrom(mulberry32(1));
    const xs = Array.from({ length: 10_000 }, () => 1e6 + normal() * 1e-3);
    const ref = twoPass(xs);
    const m = momentsOf(xs);
    expect(Math.abs(m.mean - ref.mean)).toBeLessThan(1e-7);
    expect(Math.abs(m.variance() / ref.variance - 1)).toBeLessThan(1e-6);
    // The naive formula is off by orders of magnitude here, so this test can tell them apart.
    const naive = (xs.reduce((a, b) => a + b * b, 0) - xs.reduce((a, b) => a + b, 0) ** 2 / xs.length) / (xs.length - 1);
    expect(Math.abs(naive / ref.variance - 1)).toBeGreaterThan(1);
  });

  it("merges parts into the moments of the whole (Chan et al.), in any grouping", () => {
    const u = mulberry32(2);
    const xs = Array.from({ length: 5000 }, (_, i) => (i < 2500 ? u() * 10 : 100 + u()));
    const whole = momentsOf(xs);
    const parts = [0, 7, 1000, 1001, 3333, 5000];
    const merged = new Moments();
    for (let i = 0; i + 1 < parts.length; i++) merged.merge(momentsOf(xs.slice(parts[i], parts[i + 1])));
    merged.merge(new Moments());
    const ref = twoPass(xs);
    for (const m of [whole, merged]) {
      expect(m.count).toBe(5000);
      expect(Math.abs(m.mean / ref.mean - 1)).toBeLessThan(1e-12);
      expect(Math.abs(m.variance() / ref.variance - 1)).toBeLessThan(1e-10);
      expect(m.min()).toBe(Math.min(...xs));
      expect(m.max()).toBe(Math.max(...xs));
    }
    const intoEmpty = new Moments();
    intoEmpty.merge(whole);
    expect(intoEmpty.variance()).toBe(whole.variance());
  });

  it("round-trips through JSON and validates what it reads", () => {
    const m = momentsOf([4, 8, null, Number.NaN, 15]);
    const back = Moments.fromJSON(JSON.parse(JSON.stringify(m)));
    expect(back.toJSON()).toEqual(m.toJSON());
    expect(back.variance()).toBe(m.variance());
    expect(Moments.fromJSON(new Moments().toJSON()).count).toBe(0);
    expect(() => Moments.fromJSON({ ...m.toJSON(), version: 2 })).toThrow("unsupported moments version 2");
    expect(() => Moments.fromJSON({ ...m.toJSON(), count: -1 })).toThrow("count must be a non-negative integer");
    expect(() => Moments.fromJSON({ ...m.toJSON(), min: 99 })).toThrow("min 99 exceeds max 15");
    expect(() => Moments.fromJSON({ ...m.toJSON(), m2: -1 })).toThrow("m2 must be >= 0");
    expect(() => Moments.fromJSON("x")).toThrow("expected an object");
  });
});
