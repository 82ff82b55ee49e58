import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { binIndex } from "./bins.ts";
import { buildGrid, cellLocator, decodeCounts, decodeEdges, encodeCounts, encodeEdges, gridFromJson, gridToJson } from "./grid.ts";
import { nullQuantile, wassersteinNullTable } from "./grid-null.ts";

const sorted = (values: number[]) => Float64Array.from(values).sort();

describe("reference grid", () => {
  it("puts the min, the quantiles j/B and the max on the edges, with exact right-closed counts", () => {
    const normal = normalFrom(mulberry32(1));
    const values = sorted(Array.from({ length: 5000 }, () => normal()));
    const grid = buildGrid(values, 100);
    expect(grid.edges.length).toBe(101);
    expect(grid.edges[0]).toBe(values[0]);
    expect(grid.edges[100]).toBe(values[4999]);
    expect(grid.counts[0]).toBe(1);
    expect(grid.counts[101]).toBe(0);
    expect(grid.n).toBe(5000);
    for (let j = 0; j < grid.edges.length; j++) {
      const below = values.filter((x) => x <= (grid.edges[j] as number)).length;
      expect(grid.cdf[j]).toBe(below / 5000);
    }
    expect(grid.atoms).toBe(false);
  });

  it("uses a discrete reference's distinct values as its edges (atoms)", () => {
    const grid = buildGrid(sorted([3, 1, 1, 2, 3, 3]), 1000);
    expect(Array.from(grid.edges)).toEqual([1, 2, 3]);
    expect(Array.from(grid.counts)).toEqual([2, 1, 3, 0]);
    expect(grid.atoms).toBe(true);
  });

  it("round-trips through its JSON form and refuses broken ones by name", () => {
    const normal = normalFrom(mulberry32(2));
    const grid = buildGrid(sorted(Array.from({ length: 3000 }, () => normal() * 1e6)), 1000);
    const json = gridToJson(grid, 1000);
    const back = gridFromJson(json, 3000);
    expect(Array.from(back.edges)).toEqual(Array.from(grid.edges));
    expect(Array.from(back.counts)).toEqual(Array.from(grid.counts));
    expect(Array.from(decodeCounts(encodeCounts(Float64Array.from([0, 127, 128, 2 ** 40]))))).toEqual([0, 127, 128, 2 ** 40]);
    expect(Array.from(decodeEdges(encodeEdges(Float64Array.from([-1.5, 0, 1e300]))))).toEqual([-1.5, 0, 1e300]);
    expect(() => gridFromJson(json, 2999)).toThrow(/sum to 3000, moments.count is 2999/);
    expect(() => gridFromJson({ ...json, edges: encodeEdges(Float64Array.from([2, 1])) })).toThrow(/strictly increasing/);
  });

  it("locates cells exactly as a binary search does, spikes and gaps included", () => {
    const uniform = mulberry32(3);
    const normal = normalFrom(uniform);
    const shapes = [
      Array.from({ length: 20000 }, () => normal()),
      Array.from({ length: 20000 }, () => Math.exp(3 * normal())),
      Array.from({ length: 20000 }, (_, i) => (i % 3 === 0 ? 5 + normal() * 1e-9 : normal() * 100)),
    ];
    for (const shape of shapes) {
      const grid = buildGrid(sorted(shape), 1000);
      const edges = Array.from(grid.edges);
      const locate = cellLocator(grid.edges);
      const probes = [...edges, ...edges.map((e) => e + 1e-12), ...edges.map((e) => e - 1e-12), -1e9, 1e9, ...Array.from({ length: 5000 }, () => normal() * 50)];
      for (const x of probes) expect(locate(x)).toBe(binIndex(edges, x));
    }
  });

  it("simulates the Wasserstein null table deterministically, quantiles rising as α falls", () => {
    const normal = normalFrom(mulberry32(4));
    const grid = buildGrid(sorted(Array.from({ length: 10000 }, () => normal())), 1000);
    const table = wassersteinNullTable(grid, 1);
    expect(wassersteinNullTable(grid, 1)).toEqual(table);
    for (let i = 1; i < table.quantiles.length; i++) expect(table.quantiles[i]!).toBeGreaterThan(table.quantiles[i - 1]!);
    // Normal reference: the 99% point of ∫|B(Φ(x))|dx is about 2.7 (scripts/bench/live_mde.py simulates 2.70 independently).
    expect(nullQuantile(table, 0.01)).toBeGreaterThan(2.55);
    expect(nullQuantile(table, 0.01)).toBeLessThan(2.85);
    expect(nullQuantile(table, 0.001)).toBeGreaterThan(nullQuantile(table, 0.002));
    expect(nullQuantile(table, 0.03)).toBeGreaterThan(nullQuantile(table, 0.05));
    expect(nullQuantile(table, 0.03)).toBeLessThan(nullQuantile(table, 0.02));
  });
});
