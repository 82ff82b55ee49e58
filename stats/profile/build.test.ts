import { describe, expect, it } from "vitest";
import { parseCsv } from "../io/csv.ts";
import { KllSketch } from "../sketch/kll.ts";
import { drawSample } from "../testing/arith-samples.ts";
import { buildProfile, ProfileBuildError } from "./build.ts";
import type { CategoricalFeatureProfile, NumericalFeatureProfile } from "./schema.ts";

const rows = [
  { age: 30, city: "Oslo", score: 0.1, label: "yes" },
  { age: 41, city: "Rome", score: 0.7, label: "no" },
  { age: null, city: "Oslo", score: 0.4, label: "yes" },
  { age: 25, city: "", score: Infinity, label: "yes" },
  { age: 52, city: "Lima", score: 0.9, label: "no" },
];

function numerical(profile: ReturnType<typeof buildProfile>, i: number): NumericalFeatureProfile {
  const feature = profile.features[i];
  if (feature?.kind !== "numerical") throw new Error("expected numerical");
  return feature;
}

function categorical(profile: ReturnType<typeof buildProfile>, i: number): CategoricalFeatureProfile {
  const feature = profile.features[i];
  if (feature?.kind !== "categorical") throw new Error("expected categorical");
  return feature;
}

describe("buildProfile", () => {
  it("infers kinds and profiles the prediction column separately", () => {
    const profile = buildProfile(rows, { prediction: "label" });
    expect(profile.format).toBe("vigil.profile");
    expect(profile.version).toBe(1);
    expect(profile.rows).toBe(5);
    expect(profile.features.map((f) => [f.name, f.kind])).toEqual([
      ["age", "numerical"],
      ["city", "categorical"],
      ["score", "numerical"],
    ]);
    expect(profile.prediction?.kind).toBe("categorical");
    expect(profile.prediction?.name).toBe("label");
  });

  it("records moments and rejected cells", () => {
    const profile = buildProfile(rows, { prediction: "label" });
    const age = numerical(profile, 0);
    expect(age.moments).toMatchObject({ count: 4, missing: 1, non_finite: 0, type_violations: 0, min: 25, max: 52 });
    expect(age.moments.mean).toBeCloseTo(37, 12);
    expect(age.moments.std).toBeCloseTo(Math.sqrt((49 + 16 + 144 + 225) / 4), 12);
    expect(numerical(profile, 2).moments).toMatchObject({ count: 4, missing: 0, non_finite: 1 });
    const city = categorical(profile, 1);
    expect(city.moments).toEqual({ count: 4, missing: 1, type_violations: 0 });
    expect(city.categories).toEqual({ values: ["Oslo", "Lima", "Rome"], counts: [2, 1, 1], other_count: 0, distinct: 3, max_categories: 1000 });
  });

  it("stores a KLL sketch of the reference and bin proportions", () => {
    const values = drawSample({ shape: "normal", seed: 5, n: 3000 });
    const profile = buildProfile({ columns: ["x"], get: () => Array.from(values) });
    const x = numerical(profile, 0);
    const sketch = KllSketch.fromBase64(x.sketch.base64);
    expect(sketch.n).toBe(3000);
    expect(x.bins.method).toBe("quantile");
    expect(x.bins.edges).toHaveLength(9);
    expect(x.bins.counts).toEqual(Array(10).fill(300));
    expect(x.bins.proportions).toEqual(Array(10).fill(0.1));
  });

  it("gives the same profile from rows and from columns", () => {
    const columns = ["age", "city", "score", "label"] as const;
    const columnar = { columns, get: (name: string) => rows.map((row) => row[name as (typeof columns)[number]]) };
    expect(buildProfile(columnar, { prediction: "label" })).toEqual(buildProfile(rows, { prediction: "label" }));
  });

  it("reads stats/io datasets (CSV) the same as rows", () => {
    const csv = "age,city,score,label\n30,Oslo,0.1,yes\n41,Rome,0.7,no\n,Oslo,0.4,yes\n25,,inf,yes\n52,Lima,0.9,no\n";
    expect(buildProfile(parseCsv(csv), { prediction: "label" })).toEqual(buildProfile(rows, { prediction: "label" }));
  });

  it("honours given kinds, equal-width bins and the category cap", () => {
    const profile = buildProfile(rows, {
      features: [{ name: "age", kind: "categorical" }, { name: "score" }, { name: "city", kind: "categorical" }],
      binning: "equal_width",
      bins: 4,
      maxCategories: 1,
    });
    const age = categorical(profile, 0);
    expect(age.categories.values).toEqual(["25"]);
    expect(age.categories.other_count).toBe(3);
    const score = numerical(profile, 1);
    expect(score.bins.method).toBe("equal_width");
    expect(score.bins.edges.map((e) => Number(e.toFixed(12)))).toEqual([0.3, 0.5, 0.7]);
    expect(score.bins.counts).toEqual([1, 1, 1, 1]);
    expect(categorical(profile, 2).categories).toMatchObject({ values: ["Oslo"], counts: [2], other_count: 2, distinct: 3 });
    expect(profile.prediction).toBeNull();
  });

  it("counts strings in a numerical column as type violations", () => {
    const profile = buildProfile([{ x: 1 }, { x: "2" }, { x: "oops" }, { x: true }], { features: [{ name: "x", kind: "numerical" }] });
    expect(numerical(profile, 0).moments).toMatchObject({ count: 2, type_violations: 2, min: 1, max: 2 });
  });

  it("names the column when it is absent or empty", () => {
    expect(() => buildProfile(rows, { features: [{ name: "height" }] })).toThrow(ProfileBuildError);
    expect(() => buildProfile(rows, { features: [{ name: "height" }] })).toThrow(/column "height" is not in the reference data/);
    expect(() => buildProfile([{ a: null }, { a: NaN }], {})).toThrow(/column "a" has no values after cleaning/);
    expect(() => buildProfile([{ a: "x" }], { features: [{ name: "a", kind: "numerical" }] })).toThrow(/column "a" has no values/);
  });
});
