import { describe, expect, it } from "vitest";
import { KllSketch } from "../../sketch/kll.ts";
import { stepCdf, walkStepCdfs } from "./quantile-summary.ts";

function sketchOf(values: number[]): KllSketch {
  const s = new KllSketch(200, { seed: 1 });
  for (const v of values) s.update(v);
  return s;
}

function walk(a: KllSketch, b: KllSketch): [number, number, number][] {
  const out: [number, number, number][] = [];
  walkStepCdfs(a, b, (x, fa, fb) => out.push([x, fa, fb]));
  return out;
}

describe("stepCdf", () => {
  it("collapses repeated values into one step", () => {
    const step = stepCdf(sketchOf([2, 1, 2, 4]));
    expect(Array.from(step.xs)).toEqual([1, 2, 4]);
    expect(Array.from(step.cdf)).toEqual([0.25, 0.75, 1]);
  });
});

describe("walkStepCdfs", () => {
  it("visits the union of both CDFs' points in order, each CDF inclusive at the point", () => {
    expect(walk(sketchOf([1, 2]), sketchOf([2, 3, 3, 5]))).toEqual([
      [1, 0.5, 0],
      [2, 1, 0.25],
      [3, 1, 0.75],
      [5, 1, 1],
    ]);
  });

  it("is symmetric in its arguments", () => {
    const a = sketchOf([0.5, 7, 7, 9]);
    const b = sketchOf([1, 7, 8]);
    expect(walk(b, a)).toEqual(walk(a, b).map(([x, fa, fb]) => [x, fb, fa]));
  });
});
