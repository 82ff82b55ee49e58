import { describe, expect, it } from "vitest";
import { KllSketch, kllNormalizedRankError } from "./kll.ts";
import { levelCapacity, totalCapacity } from "./kll-compaction.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";

function exactRanks(values: Float64Array): (x: number, inclusive: boolean) => number {
  const sorted = Float64Array.from(values).sort();
  return (x, inclusive) => {
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const v = sorted[mid]!;
      if (inclusive ? v <= x : v < x) lo = mid + 1; else hi = mid;
    }
    return lo / sorted.length;
  };
}

/** Largest |estimated − exact| rank over every retained item, inclusive and exclusive (where the step functions jump). */
function maxRankError(sketch: KllSketch, values: Float64Array): number {
  const exact = exactRanks(values);
  let worst = 0;
  for (const x of sketch.sortedView().items) {
    worst = Math.max(worst, Math.abs(sketch.rank(x, true) - exact(x, true)), Math.abs(sketch.rank(x, false) - exact(x, false)));
  }
  return worst;
}

function minOf(values: Float64Array): number {
  return values.reduce((a, b) => Math.min(a, b), Infinity);
}

function maxOf(values: Float64Array): number {
  return values.reduce((a, b) => Math.max(a, b), -Infinity);
}

function sample(seed: number, n: number, kind: "uniform" | "normal" = "uniform"): Float64Array {
  const u = mulberry32(seed);
  const draw = kind === "normal" ? normalFrom(u) : u;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = draw();
  return out;
}

function sketchOf(values: ArrayLike<number>, k = 200, seed?: number): KllSketch {
  const s = new KllSketch(k, seed === undefined ? {} : { seed });
  for (let i = 0; i < values.length; i++) s.update(values[i]!);
  return s;
}

describe("KllSketch construction", () => {
  it("defaults to k = 200 and validates k like DataSketches", () => {
    expect(new KllSketch().k).toBe(200);
    expect(() => new KllSketch(3)).toThrow("k must be >= 8 and <= 65535: 3");
    expect(() => new KllSketch(65536)).toThrow("k must be >= 8 and <= 65535: 65536");
    expect(() => new KllSketch(20.5)).toThrow("k must be >= 8");
    expect(new KllSketch(8).k).toBe(8);
    expect(new KllSketch(65535).k).toBe(65535);
  });

  it("uses DataSketches' level capacities: max(8, round(k·(2/3)^depth))", () => {
    expect(levelCapacity(200, 1, 0)).toBe(200);
    expect(levelCapacity(200, 2, 0)).toBe(133); // 200·2/3 = 133.3
    expect(levelCapacity(200, 3, 0)).toBe(89); // 200·4/9 = 88.9
    expect(levelCapacity(200, 20, 0)).toBe(8);
    expect(totalCapacity(200, 2)).toBe(333);
    expect(levelCapacity(65535, 80, 0)).toBe(8);
  });

  it("states the DataSketches error formula: 1.33% single-sided and 1.65% pmf at k = 200", () => {
    expect(new KllSketch().normalizedRankError()).toBeCloseTo(2.296 / 200 ** 0.9723, 12);
    expect(kllNormalizedRankError(200)).toBeCloseTo(0.01329, 4);
    expect(kllNormalizedRankError(200, true)).toBeCloseTo(0.01651, 4);
  });
});

describe("KllSketch queries", () => {
  it("reports empty and refuses rank and quantile queries on an empty sketch", () => {
    const s = new KllSketch();
    expect(s.isEmpty()).toBe(true);
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.min())).toBe(true);
    expect(() => s.rank(1)).toThrow("empty");
    expect(() => s.quantile(0.5)).toThrow("empty");
  });

  it("rejects non-finite values with a clear error and leaves the sketch unchanged", () => {
    const s = new KllSketch();
    s.update(1);
    expect(() => s.update(Number.NaN)).toThrow("value must be finite, got NaN");
    expect(() => s.update(Infinity)).toThrow("value must be finite, got Infinity");
    expect(s.n).toBe(1);
  });

  it("is exact while nothing has been compacted", () => {
    const s = sketchOf([5, 1, 4, 2, 3]);
    expect(s.rank(3)).toBe(0.6);
    expect(s.rank(3, false)).toBe(0.4);
    expect(s.rank(0)).toBe(0);
    expect(s.rank(9)).toBe(1);
    expect(s.quantile(0.5)).toBe(3);
    expect(s.quantile(0.2)).toBe(1);
    expect(s.quantile(0.21)).toBe(2);
    expect(s.quantiles([0, 1])).toEqual([1, 5]);
    expect(s.cdf([1.5, 4])).toEqual([0.2, 0.8, 1]);
    const view = s.sortedView();
    expect(Array.from(view.items)).toEqual([1, 2, 3, 4, 5]);
    expect(Array.from(view.cumWeights)).toEqual([1, 2, 3, 4, 5]);
  });

  it("handles a stream of identical values", () => {
    const s = sketchOf(new Float64Array(50_000).fill(7));
    expect(s.rank(7)).toBe(1);
    expect(s.rank(7, false)).toBe(0);
    expect(s.quantile(0.5)).toBe(7);
    expect(s.min()).toBe(7);
    expect(s.max()).toBe(7);
  });

  it("validates quantile ranks and cdf split points", () => {
    const s = sketchOf([1, 2, 3]);
    expect(() => s.quantile(1.5)).toThrow("q must be in [0, 1]");
    expect(() => s.quantile(Number.NaN)).toThrow("q must be in [0, 1]");
    expect(() => s.cdf([2, 1])).toThrow("strictly increasing");
    expect(() => s.cdf([Number.NaN])).toThrow("finite");
    expect(s.cdf([])).toEqual([1]);
  });

  it("keeps cumulative weights ending at n and min/max exact after compaction", () => {
    const values = sample(11, 100_000, "normal");
    const s = sketchOf(values, 200, 3);
    const view = s.sortedView();
    expect(view.cumWeights[view.cumWeights.length - 1]).toBe(100_000);
    for (let i = 1; i < view.items.length; i++) expect(view.items[i]!).toBeGreaterThanOrEqual(view.items[i - 1]!);
    expect(s.min()).toBe(minOf(values));
    expect(s.max()).toBe(maxOf(values));
    expect(s.numRetained).toBeLessThan(1000);
  });
});

describe("KllSketch error guarantee", () => {
  it("stays within 2.296/k^0.9723 for 12 seeds of 1e5 items, and its error is not trivially zero", () => {
    const bound = kllNormalizedRankError(200);
    const errors: number[] = [];
    for (let seed = 1; seed <= 12; seed++) {
      const values = sample(1000 + seed, 100_000, seed % 2 === 0 ? "normal" : "uniform");
      errors.push(maxRankError(sketchOf(values, 200, seed), values));
    }
    for (const e of errors) expect(e).toBeLessThanOrEqual(bound);
    expect(Math.max(...errors)).toBeGreaterThan(bound / 10);
  });

  it("stays within the bound at 1e6 items and for a small k", () => {
    const values = sample(77, 1_000_000);
    expect(maxRankError(sketchOf(values, 200, 77), values)).toBeLessThanOrEqual(kllNormalizedRankError(200));
    const small = sample(78, 200_000, "normal");
    expect(maxRankError(sketchOf(small, 32, 78), small)).toBeLessThanOrEqual(kllNormalizedRankError(32));
  });

  it("quantile(q) has rank within the bound of q", () => {
    const values = sample(5, 200_000, "normal");
    const s = sketchOf(values, 200, 5);
    const exact = exactRanks(values);
    const bound = s.normalizedRankError();
    for (let q = 0.01; q < 1; q += 0.01) {
      const x = s.quantile(q);
      expect(exact(x, true)).toBeGreaterThanOrEqual(q - bound);
      expect(exact(x, false)).toBeLessThanOrEqual(q + bound);
    }
  });

  it("separates very different streams and not slightly different ones", () => {
    const a = sketchOf(sample(21, 50_000, "normal"), 200, 1);
    const same = sketchOf(sample(22, 50_000, "normal"), 200, 2);
    const shifted = sketchOf(sample(23, 50_000, "normal").map((x) => x + 1), 200, 3);
    const slightly = sketchOf(sample(24, 50_000, "normal").map((x) => x + 0.01), 200, 4);
    // Φ(0.5) − Φ(−0.5) = 0.383 at the midpoint of a unit shift.
    expect(a.rank(0.5) - shifted.rank(0.5)).toBeGreaterThan(0.383 - 2 * a.normalizedRankError() - 0.01);
    expect(Math.abs(a.rank(0) - same.rank(0))).toBeLessThan(2 * a.normalizedRankError() + 0.01);
    expect(Math.abs(a.rank(0) - slightly.rank(0))).toBeLessThan(2 * a.normalizedRankError() + 0.01);
  });
});

describe("KllSketch merge", () => {
  it("a merge of 1,000 small parts keeps the single-stream guarantee, in any order", () => {
    const values = sample(31, 200_000, "normal");
    const parts: KllSketch[] = [];
    for (let p = 0; p < 1000; p++) parts.push(sketchOf(values.subarray(p * 200, (p + 1) * 200), 200, p));
    const forward = new KllSketch(200, { seed: 1 });
    for (const part of parts) forward.merge(part);
    const shuffle = mulberry32(9);
    const order = parts.map((_, i) => i).sort(() => shuffle() - 0.5);
    const shuffled = new KllSketch(200, { seed: 2 });
    for (const i of order) shuffled.merge(parts[i]!);
    // Tree merge: pairs, then pairs of pairs, as windows roll up minutes into hours.
    let level = parts.map((p) => p.clone());
    while (level.length > 1) {
      const next: KllSketch[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const left = level[i]!;
        if (level[i + 1]) left.merge(level[i + 1]!);
        next.push(left);
      }
      level = next;
    }
    const bound = kllNormalizedRankError(200);
    for (const merged of [forward, shuffled, level[0]!]) {
      expect(merged.n).toBe(200_000);
      expect(merged.min()).toBe(minOf(values));
      expect(merged.max()).toBe(maxOf(values));
      expect(merged.numRetained).toBeLessThan(1000);
      expect(maxRankError(merged, values)).toBeLessThanOrEqual(bound);
    }
  });

  it("merging large sketches equals the sketch of the whole within the bound", () => {
    const a = sample(41, 300_000);
    const b = sample(42, 100_000).map((x) => x * 2);
    const sa = sketchOf(a, 200, 1);
    sa.merge(sketchOf(b, 200, 2));
    const all = new Float64Array(400_000);
    all.set(a);
    all.set(b, 300_000);
    expect(sa.n).toBe(400_000);
    expect(maxRankError(sa, all)).toBeLessThanOrEqual(kllNormalizedRankError(200));
  });

  it("merges with empty sketches and with itself, and refuses a different k", () => {
    const s = sketchOf([1, 2, 3]);
    s.merge(new KllSketch());
    expect(s.n).toBe(3);
    const e = new KllSketch();
    e.merge(s);
    expect(e.n).toBe(3);
    expect(e.min()).toBe(1);
    expect(e.max()).toBe(3);
    e.merge(e);
    expect(e.n).toBe(6);
    expect(e.rank(2)).toBeCloseTo(4 / 6, 12);
    expect(() => e.merge(new KllSketch(100))).toThrow("different k: 200 and 100");
  });
});
