import { describe, expect, it } from "vitest";
import { BinaryRocAuc, MulticlassRocAuc } from "./roc-auc.ts";
import { aucFromSketches } from "./roc-auc-sketch.ts";
import { KllSketch } from "../sketch/kll.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import fixture from "./fixtures/perf.json" with { type: "json" };

/** Exact Mann–Whitney AUC with ties counted ½, by sorting (O(n log n)). */
function exactAuc(pos: number[], neg: number[]): number {
  const sortedNeg = [...neg].sort((a, b) => a - b);
  const countBelow = (x: number, strict: boolean) => {
    let lo = 0;
    let hi = sortedNeg.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (strict ? sortedNeg[mid]! < x : sortedNeg[mid]! <= x) lo = mid + 1; else hi = mid; }
    return lo;
  };
  let sum = 0;
  for (const x of pos) sum += (countBelow(x, true) + countBelow(x, false)) / 2;
  return sum / (pos.length * neg.length);
}

describe("BinaryRocAuc (histograms)", () => {
  it("is NaN without both classes, and validates its inputs", () => {
    const h = new BinaryRocAuc();
    h.update(1, 0.3);
    expect(Number.isNaN(h.result().auc)).toBe(true);
    expect(() => new BinaryRocAuc(0)).toThrow("bins must be >= 1 and <= 1000000: 0");
    expect(() => h.update(1, 1.2)).toThrow("probability must be within [0, 1]: 1.2");
  });

  it("matches the exact Mann–Whitney AUC within its reported bound at 1000 and 10 bins", () => {
    const b = fixture.binary;
    for (const [bins, want, same] of [[1000, b.aucHist1000, b.sameBin1000], [10, b.aucHist10, b.sameBin10]] as const) {
      const h = new BinaryRocAuc(bins);
      b.y.forEach((y, i) => h.update(y, b.p[i]!));
      const r = h.result();
      expect(Math.abs(r.auc - want)).toBeLessThan(1e-12); // same binning as the numpy script
      expect(Math.abs(r.sameBinPairFraction - same)).toBeLessThan(1e-12);
      expect(Math.abs(r.auc - b.aucExact)).toBeLessThanOrEqual(r.errorBound);
      expect(r.errorBound).toBe(r.sameBinPairFraction / 2);
    }
    const pos = b.p.filter((_, i) => b.y[i] === 1);
    const neg = b.p.filter((_, i) => b.y[i] === 0);
    expect(Math.abs(exactAuc(pos, neg) - b.aucExact)).toBeLessThan(1e-12); // our exact AUC agrees with scipy's
  });

  it("gives 1 for separated classes, 0 for inverted ones, ½ for identical score distributions", () => {
    const separated = new BinaryRocAuc();
    const inverted = new BinaryRocAuc();
    const same = new BinaryRocAuc();
    const u = mulberry32(3);
    for (let i = 0; i < 2000; i++) {
      const s = u();
      separated.update(s > 0.5, s);
      inverted.update(s < 0.5, s);
      same.update(i % 2, u());
    }
    expect(separated.result().auc).toBeGreaterThan(1 - separated.result().errorBound - 1e-12);
    expect(inverted.result().auc).toBeLessThan(inverted.result().errorBound + 1e-12);
    expect(Math.abs(same.result().auc - 0.5)).toBeLessThan(0.04); // 4 SE of AUC at n⁺ = n⁻ = 1000
  });

  it("separates a slight shift from no shift on seeded data, within bound of the exact AUC", () => {
    const normal = normalFrom(mulberry32(8));
    const logistic = (z: number) => 1 / (1 + Math.exp(-z));
    const h = new BinaryRocAuc(1000);
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const y = i % 2;
      const s = logistic(normal() + (y ? 0.2 : 0));
      (y ? pos : neg).push(s);
      h.update(y, s);
    }
    const r = h.result();
    const exact = exactAuc(pos, neg);
    expect(Math.abs(r.auc - exact)).toBeLessThanOrEqual(r.errorBound);
    expect(r.errorBound).toBeLessThan(0.002);
    expect(exact).toBeGreaterThan(0.53); // Φ(0.2/√2) = 0.556
  });

  it("merges and round-trips through JSON", () => {
    const b = fixture.binary;
    const whole = new BinaryRocAuc(100);
    const a = new BinaryRocAuc(100);
    const c = new BinaryRocAuc(100);
    b.y.forEach((y, i) => { whole.update(y, b.p[i]!); (i < 1000 ? a : c).update(y, b.p[i]!); });
    a.merge(BinaryRocAuc.fromJSON(JSON.parse(JSON.stringify(c))));
    expect(a.result()).toEqual(whole.result());
    expect(() => a.merge(new BinaryRocAuc(10))).toThrow("different bins: 100 and 10");
    expect(() => BinaryRocAuc.fromJSON({ ...whole.toJSON(), positive: [1] })).toThrow("positive must be an array of 100 counts");
    expect(() => BinaryRocAuc.fromJSON({ ...whole.toJSON(), version: 2 })).toThrow("unsupported roc auc version 2");
  });
});

describe("MulticlassRocAuc (one-vs-rest, macro)", () => {
  it("matches scipy's exact per-class and macro AUC within the reported bounds", () => {
    const mc = fixture.multiclass;
    const m = new MulticlassRocAuc(mc.labels);
    const part = new MulticlassRocAuc(mc.labels);
    mc.y.forEach((y, i) => {
      const row = Object.fromEntries(mc.labels.map((l, k) => [l, mc.probs[i]![k]!]));
      (i % 2 ? m : part).update(y, row);
    });
    m.merge(MulticlassRocAuc.fromJSON(JSON.parse(JSON.stringify(part))));
    const r = m.result();
    for (const label of mc.labels) {
      const exact = mc.aucPerClassExact[label as keyof typeof mc.aucPerClassExact];
      expect(Math.abs(r.perClass[label]!.auc - exact)).toBeLessThanOrEqual(r.perClass[label]!.errorBound);
    }
    expect(Math.abs(r.macro - mc.aucMacroExact)).toBeLessThanOrEqual(r.errorBound);
    expect(r.errorBound).toBeLessThan(0.001);
    expect(() => m.update("emu", { cat: 1 })).toThrow("unknown class emu");
    expect(() => new MulticlassRocAuc(["a"])).toThrow("at least 2 class labels");
  });
});

describe("aucFromSketches (KLL)", () => {
  it("is within ε⁺ + ε⁻ of the exact AUC, for unbounded scores", () => {
    const normal = normalFrom(mulberry32(12));
    for (const shift of [0, 0.3, 3]) {
      const pos = new KllSketch(200, { seed: 1 });
      const neg = new KllSketch(200, { seed: 2 });
      const p: number[] = [];
      const q: number[] = [];
      for (let i = 0; i < 50_000; i++) {
        const a = normal() * 5 + shift * 5;
        const b = normal() * 5;
        p.push(a);
        q.push(b);
        pos.update(a);
        neg.update(b);
      }
      const r = aucFromSketches(pos, neg);
      expect(r.errorBound).toBeCloseTo(2 * pos.normalizedRankError(), 12);
      expect(Math.abs(r.auc - exactAuc(p, q))).toBeLessThanOrEqual(r.errorBound);
    }
    expect(Number.isNaN(aucFromSketches(new KllSketch(), new KllSketch()).auc)).toBe(true);
  });

  it("is exact on small uncompacted sketches with ties", () => {
    const pos = new KllSketch();
    const neg = new KllSketch();
    for (const x of [1, 2, 3]) pos.update(x);
    for (const x of [2, 0]) neg.update(x);
    expect(aucFromSketches(pos, neg).auc).toBeCloseTo(exactAuc([1, 2, 3], [2, 0]), 14);
  });
});
