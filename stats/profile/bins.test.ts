import { describe, expect, it } from "vitest";
import { binCounts, binIndex, equalWidthEdges, linearQuantile, quantileEdges } from "./bins.ts";

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe("linearQuantile", () => {
  it("matches numpy.quantile's linear method", () => {
    const x = sorted([1, 2, 3, 4, 10]);
    // numpy.quantile([1,2,3,4,10], [0, .1, .5, .9, 1]) = [1, 1.4, 3, 7.6, 10]
    expect(linearQuantile(x, 0)).toBe(1);
    expect(linearQuantile(x, 0.1)).toBeCloseTo(1.4, 15);
    expect(linearQuantile(x, 0.5)).toBe(3);
    expect(linearQuantile(x, 0.9)).toBeCloseTo(7.6, 14);
    expect(linearQuantile(x, 1)).toBe(10);
  });

  it("rejects an empty sample", () => {
    expect(() => linearQuantile(new Float64Array(0), 0.5)).toThrow(/empty/);
  });
});

describe("quantileEdges", () => {
  it("gives bins − 1 interior decile edges for continuous data", () => {
    const x = sorted(Array.from({ length: 101 }, (_, i) => i));
    expect(quantileEdges(x, 10)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90]);
  });

  it("deduplicates tied quantiles", () => {
    const x = sorted([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]);
    const edges = quantileEdges(x, 10);
    expect(edges[0]).toBe(0);
    for (let i = 1; i < edges.length; i++) expect(edges[i]).toBeGreaterThan(edges[i - 1] as number);
    expect(edges.length).toBeLessThan(9);
  });

  it("keeps one edge for a constant feature", () => {
    expect(quantileEdges(sorted([5, 5, 5]), 10)).toEqual([5]);
  });

  it("validates the bin count", () => {
    expect(() => quantileEdges(sorted([1, 2]), 1)).toThrow(/bins must be an integer >= 2/);
    expect(() => quantileEdges(sorted([1, 2]), 2.5)).toThrow(/bins must be an integer >= 2/);
  });
});

describe("equalWidthEdges", () => {
  it("splits the reference range evenly", () => {
    expect(equalWidthEdges(0, 10, 5)).toEqual([2, 4, 6, 8]);
  });

  it("keeps one edge for a constant feature and rejects an inverted range", () => {
    expect(equalWidthEdges(3, 3, 10)).toEqual([3]);
    expect(() => equalWidthEdges(4, 3, 10)).toThrow(/min <= max/);
  });
});

describe("binIndex and binCounts", () => {
  const edges = [0, 1, 2];

  it("uses right-closed bins with open outer bins", () => {
    expect(binIndex(edges, -1e300)).toBe(0);
    expect(binIndex(edges, 0)).toBe(0);
    expect(binIndex(edges, 0.5)).toBe(1);
    expect(binIndex(edges, 1)).toBe(1);
    expect(binIndex(edges, 2)).toBe(2);
    expect(binIndex(edges, 2.0000001)).toBe(3);
  });

  it("counts every value exactly once", () => {
    const counts = binCounts(edges, [-5, 0, 0.5, 1, 1.5, 2, 3, 4]);
    expect(counts).toEqual([2, 2, 2, 2]);
  });
});
