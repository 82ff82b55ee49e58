import { describe, expect, it } from "vitest";
import { CategoryCounter } from "./category-counter.ts";
import { mulberry32 } from "../testing/rng.ts";

/** Zipf(s = 1.1) draws over `universe` categories by inverse CDF on a seeded uniform. */
function zipfStream(seed: number, n: number, universe: number): string[] {
  const weights = Array.from({ length: universe }, (_, i) => 1 / (i + 1) ** 1.1);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) { acc += w / total; cdf.push(acc); }
  const u = mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const x = u();
    let lo = 0;
    let hi = universe - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (cdf[mid]! >= x) hi = mid; else lo = mid + 1; }
    out.push(`c${lo}`);
  }
  return out;
}

function exactCounts(xs: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

function counterOf(xs: readonly string[], capacity: number): CategoryCounter {
  const c = new CategoryCounter(capacity);
  for (const x of xs) c.update(x);
  return c;
}

/** Asserts every stated SpaceSaving bound against the exact counts; returns the worst overestimate. */
function assertGuarantee(c: CategoryCounter, truth: Map<string, number>): number {
  const n = [...truth.values()].reduce((a, b) => a + b, 0);
  expect(c.n).toBe(n);
  expect(c.maxError).toBeLessThanOrEqual(n / c.capacity);
  let worst = 0;
  for (const [category, t] of truth) {
    const { lower, upper } = c.bounds(category);
    expect(lower).toBeLessThanOrEqual(t);
    expect(upper).toBeGreaterThanOrEqual(t);
    expect(upper - t).toBeLessThanOrEqual(c.maxError);
    if (t > n / c.capacity) expect(c.count(category)).toBeGreaterThan(0);
    worst = Math.max(worst, c.count(category) > 0 ? c.count(category) - t : 0);
  }
  const attributed = c.entries().reduce((a, e) => a + e.count - e.error, 0);
  expect(c.otherCount).toBe(n - attributed);
  return worst;
}

describe("CategoryCounter", () => {
  it("validates its capacity and inputs", () => {
    expect(new CategoryCounter().capacity).toBe(1000);
    expect(() => new CategoryCounter(0)).toThrow("capacity must be >= 1 and <= 1000000: 0");
    const c = new CategoryCounter(4);
    expect(() => c.update("a", 0)).toThrow("weight must be a positive integer: 0");
    expect(() => c.update("a", 1.5)).toThrow("weight must be a positive integer");
  });

  it("is exact up to the cap, including an empty counter", () => {
    const empty = new CategoryCounter();
    expect([empty.n, empty.isExact, empty.size, empty.otherCount, empty.entries().length]).toEqual([0, true, 0, 0, 0]);
    const xs = zipfStream(1, 20_000, 1000);
    const c = counterOf(xs, 1000);
    const truth = exactCounts(xs);
    expect(c.isExact).toBe(true);
    expect(c.size).toBe(truth.size);
    for (const [k, v] of truth) expect(c.count(k)).toBe(v);
    expect(c.maxError).toBe(0);
    expect(c.otherCount).toBe(0);
    expect(c.topK(2).map((e) => e.category)).toEqual(["c0", "c1"]);
  });

  it("switches to SpaceSaving at cap + 1 distinct categories", () => {
    const c = new CategoryCounter(3);
    c.update("a", 5);
    c.update("b", 3);
    c.update("c", 1);
    expect(c.isExact).toBe(true);
    c.update("d", 2);
    expect(c.isExact).toBe(false);
    // d takes over c's counter: count 1 + 2, error 1.
    expect(c.entries()).toEqual([
      { category: "a", count: 5, error: 0 },
      { category: "b", count: 3, error: 0 },
      { category: "d", count: 3, error: 1 },
    ]);
    expect(c.bounds("c")).toEqual({ lower: 0, upper: 1 });
    expect(c.otherCount).toBe(1);
  });

  it("keeps the n/m bound on a skewed stream of 200k events over 20k categories", () => {
    const xs = zipfStream(2, 200_000, 20_000);
    const c = counterOf(xs, 100);
    const truth = exactCounts(xs);
    const worst = assertGuarantee(c, truth);
    expect(c.isExact).toBe(false);
    expect(c.size).toBe(100);
    expect(worst).toBeGreaterThan(0); // the summary is really approximate here
    // The heaviest categories keep their exact order.
    expect(c.topK(5).map((e) => e.category)).toEqual(["c0", "c1", "c2", "c3", "c4"]);
  });

  it("merges parts (sequential and tree) within the same bound, and exact parts exactly", () => {
    const xs = zipfStream(3, 120_000, 5000);
    const truth = exactCounts(xs);
    const parts = Array.from({ length: 12 }, (_, p) => counterOf(xs.slice(p * 10_000, (p + 1) * 10_000), 200));
    const sequential = new CategoryCounter(200);
    for (const p of parts) sequential.merge(p);
    assertGuarantee(sequential, truth);
    let level = parts.map((p) => CategoryCounter.fromJSON(p.toJSON()));
    while (level.length > 1) {
      const next: CategoryCounter[] = [];
      for (let i = 0; i < level.length; i += 2) { const a = level[i]!; if (level[i + 1]) a.merge(level[i + 1]!); next.push(a); }
      level = next;
    }
    assertGuarantee(level[0]!, truth);

    const a = counterOf(["x", "y", "x"], 5);
    a.merge(counterOf(["y", "z"], 5));
    expect(a.isExact).toBe(true);
    expect([...a.counts()]).toEqual([["x", 2], ["y", 2], ["z", 1]]);
    a.merge(a);
    expect(a.count("x")).toBe(4);
    expect(a.n).toBe(10);
    const full = counterOf(["p", "q", "r", "s", "t"], 5);
    full.merge(counterOf(["u"], 5));
    expect(full.isExact).toBe(false);
    assertGuarantee(full, exactCounts(["p", "q", "r", "s", "t", "u"]));
    expect(() => full.merge(new CategoryCounter(6))).toThrow("different capacity: 5 and 6");
  });

  it("round-trips through JSON and validates what it reads", () => {
    const c = counterOf(zipfStream(4, 5000, 400), 50);
    const json = JSON.parse(JSON.stringify(c));
    const back = CategoryCounter.fromJSON(json);
    expect(back.toJSON()).toEqual(c.toJSON());
    expect(back.maxError).toBe(c.maxError);
    back.update("c0");
    expect(back.count("c0")).toBe(c.count("c0") + 1);
    const exact = counterOf(["a", "b", "a"], 10).toJSON();
    expect(exact).toEqual({ version: 1, capacity: 10, n: 3, exact: true, floor: 0, categories: ["a", "b"], counts: [2, 1] });
    expect(json.errors).toHaveLength(50);
    expect(() => CategoryCounter.fromJSON({ ...exact, version: 3 })).toThrow("unsupported category counter version 3");
    expect(() => CategoryCounter.fromJSON({ ...exact, n: 4 })).toThrow("exact counts sum to 3, not n = 4");
    expect(() => CategoryCounter.fromJSON({ ...exact, categories: ["a", "a"] })).toThrow("duplicate category");
    expect(() => CategoryCounter.fromJSON({ ...exact, counts: [2] })).toThrow("counts must be an array of 2 integers");
    expect(() => CategoryCounter.fromJSON({ ...exact, counts: [2, 0] })).toThrow("counts[1] must be an integer >= 1");
    expect(() => CategoryCounter.fromJSON({ ...exact, capacity: 1 })).toThrow("2 categories exceed capacity 1");
    expect(() => CategoryCounter.fromJSON({ ...json, errors: json.errors.map(() => json.floor + 1) })).toThrow("errors[0] must be <= min(floor, count)");
    expect(() => CategoryCounter.fromJSON({ ...json, floor: Math.ceil(json.n / 50) + 1, errors: json.errors.map(() => 0) })).toThrow("exceeds n/capacity");
  });
});
