import { describe, expect, it } from "vitest";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { hashedProjection, seedOf } from "./hashed-projection.ts";

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number);
  return s;
};

describe("hashed projection", () => {
  it("keeps vectors of at most k components as they are", () => {
    const p = hashedProjection(3, 64, 1);
    const out = new Float64Array(5);
    p.project([1.5, -2, 3], out, 1);
    expect(p.k).toBe(3);
    expect(Array.from(out)).toEqual([0, 1.5, -2, 3, 0]);
  });

  it("sends each input component to one output with a sign: y = S·x with one ±1 per column", () => {
    const p = hashedProjection(300, 16, 7);
    const columns: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const e = new Float64Array(300);
      e[i] = 1;
      const y = new Float64Array(16);
      p.project(e, y, 0);
      expect(y.filter((v) => v !== 0).length).toBe(1);
      expect(Math.abs(y.find((v) => v !== 0)!)).toBe(1);
      columns.push(Array.from(y));
    }
    // Linear: the projection of a sum is the sum of the projections.
    const normal = normalFrom(mulberry32(3));
    const x = Float64Array.from({ length: 300 }, () => normal());
    const y = new Float64Array(16);
    p.project(x, y, 0);
    for (let j = 0; j < 16; j++) expect(y[j]).toBeCloseTo(columns.reduce((s, col, i) => s + col[j]! * x[i]!, 0), 10);
  });

  it("keeps inner products in expectation (Weinberger et al. 2009): the mean over seeds is within 3 standard errors", () => {
    const normal = normalFrom(mulberry32(11));
    const d = 1024;
    const a = Float64Array.from({ length: d }, () => normal());
    const b = Float64Array.from({ length: d }, (_, i) => 0.6 * a[i]! + 0.8 * normal());
    const exact = dot(a, b);
    const estimates: number[] = [];
    for (let seed = 0; seed < 400; seed++) {
      const p = hashedProjection(d, 64, seed);
      const ya = new Float64Array(64);
      const yb = new Float64Array(64);
      p.project(a, ya, 0);
      p.project(b, yb, 0);
      estimates.push(dot(ya, yb));
    }
    const mean = estimates.reduce((s, v) => s + v, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((s, v) => s + (v - mean) ** 2, 0) / (estimates.length - 1));
    expect(Math.abs(mean - exact)).toBeLessThan((3 * sd) / Math.sqrt(estimates.length));
  });

  it("is the same projection for the same feature name in every isolate", () => {
    const x = Array.from({ length: 200 }, (_, i) => Math.sin(i));
    const one = new Float32Array(32);
    const two = new Float32Array(32);
    hashedProjection(200, 32, seedOf("text_embedding")).project(x, one, 0);
    hashedProjection(200, 32, seedOf("text_embedding")).project(x, two, 0);
    expect(Array.from(one)).toEqual(Array.from(two));
    expect(seedOf("a")).not.toBe(seedOf("b"));
  });
});
