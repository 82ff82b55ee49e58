import { describe, expect, it } from "vitest";
import { binnedPercents, histogramCounts, sturgesEdges } from "./binning.ts";
import { categoryCounts, distinctCombined, distinctCombinedUpTo, distinctCount } from "./distinct.ts";
import type { CleanColumn } from "./types.ts";

const num = (values: number[], integer = false): CleanColumn => ({ kind: "numerical", values: Float64Array.from(values), integer });
const cat = (values: string[]): CleanColumn => ({ kind: "categorical", values });

describe("Sturges edges (numpy.histogram_bin_edges 'sturges')", () => {
  it("matches numpy on known inputs", () => {
    // numpy.histogram_bin_edges(np.arange(10.0), "sturges") → [0, 1.8, 3.6, 5.4, 7.2, 9]
    expect(Array.from(sturgesEdges(0, 9, 10))).toEqual([0, 1.8, 3.6, 5.4, 7.2, 9]);
    // a constant sample spans v ± 0.5 in one bin
    expect(Array.from(sturgesEdges(3, 3, 7))).toEqual([2.5, 3.5]);
    // integer dtype: width at least 1 (numpy: np.histogram_bin_edges(np.array([0, 1, 1, 0]), "sturges") → [0, 1])
    expect(Array.from(sturgesEdges(0, 1, 4, true))).toEqual([0, 1]);
    expect(Array.from(sturgesEdges(0, 1, 4, false))).toEqual([0, 1 / 3, 2 / 3, 1]);
  });

  it("counts left-closed bins with the last bin closed on the right", () => {
    const edges = Float64Array.from([0, 1, 2, 3]);
    expect(Array.from(histogramCounts(Float64Array.from([0, 0.5, 1, 1, 2.999, 3]), edges))).toEqual([2, 2, 2]);
  });
});

describe("binned percents", () => {
  it("uses one bin per distinct value when the reference has at most 20", () => {
    const b = binnedPercents(num([1, 1, 2, 3]), num([2, 4]));
    expect(Array.from(b.reference)).toEqual([0.5, 0.25, 0.25, 0]);
    expect(Array.from(b.current)).toEqual([0, 0.5, 0, 0.5]);
  });

  it("uses a Sturges histogram over both sets when the reference has more than 20 distinct values", () => {
    const ref = Array.from({ length: 21 }, (_, i) => i);
    const b = binnedPercents(num(ref), num([0, 20]));
    expect(b.reference.length).toBe(6); // 23 values: ceil(log2 23 + 1) = 6 bins
    expect(b.reference.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 12);
    expect(b.current[0]).toBe(0.5);
    expect(b.current[5]).toBe(0.5);
  });

  it("counts categories seen on one side only", () => {
    const b = binnedPercents(cat(["a", "a", "b"]), cat(["c", "a"]));
    expect(Array.from(b.reference)).toEqual([2 / 3, 1 / 3, 0]);
    expect(Array.from(b.current)).toEqual([0.5, 0, 0.5]);
  });
});

describe("distinct values and counts", () => {
  it("counts distinct values per column and combined", () => {
    expect(distinctCount(num([1, 1, 2, -0, 0]))).toBe(3);
    expect(distinctCombined(num([1, 2]), num([2, 3]))).toBe(3);
    expect(distinctCombined(cat(["a"]), cat(["b", "a"]))).toBe(2);
    // capped count for the default-test choice: min(u, cap)
    expect(distinctCombinedUpTo(num([1, 2, -0]), num([2, 3, 0]), 6)).toBe(4);
    expect(distinctCombinedUpTo(num([1, 2, 3, 4]), num([5, 6, 7, 8]), 6)).toBe(6);
    expect(distinctCombinedUpTo(cat(["a", "b", "c"]), cat(["d"]), 3)).toBe(3);
    expect(distinctCombinedUpTo(cat(["a"]), cat(["a"]), 6)).toBe(1);
    const c = categoryCounts(cat(["x", "y", "x"]), cat(["z"]));
    expect(c.keys).toEqual(["x", "y", "z"]);
    expect(Array.from(c.reference)).toEqual([2, 1, 0]);
    expect(Array.from(c.current)).toEqual([0, 0, 1]);
  });
});
