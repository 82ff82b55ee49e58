import { describe, expect, it } from "vitest";
import { kllNormalizedRankError } from "../sketch/kll.ts";
import { WindowState } from "../streaming/window.ts";
import { drawLabels, drawSample } from "../testing/arith-samples.ts";
import { binCounts } from "./bins.ts";
import { buildProfile } from "./build.ts";
import { profileFromWindow } from "./from-window.ts";
import { readProfile } from "./io.ts";
import type { CategoricalFeatureProfile, NumericalFeatureProfile, Profile } from "./schema.ts";

type Row = { x: number; z: number; c: string; p: number };

function rows(seed: number, n: number, labels = ["red", "green", "blue"], shift = 0): Row[] {
  const x = drawSample({ shape: "normal", seed, n, shift });
  const z = drawSample({ shape: "discrete", seed: seed + 1, n });
  const c = drawLabels(seed + 2, n, labels, labels.map((_, i) => labels.length - i));
  const p = drawSample({ shape: "heavy", seed: seed + 3, n });
  return Array.from(x, (xi, i) => ({ x: xi, z: z[i] as number, c: c[i] as string, p: p[i] as number }));
}

const build = (data: Row[]) => buildProfile(data, { prediction: "p", features: [{ name: "x" }, { name: "z" }, { name: "c", kind: "categorical" }] });

// The live profile a monitor counts against: red and green only, so "blue" and any new
// label land in "__other__" and the unlisted tally.
const reference = build(rows(1, 2_000, ["red", "green"]));

/** Counts traffic the way a monitor does: one WindowState per "minute", merged. */
function countedInMinutes(traffic: Row[], minutes: number): WindowState {
  const merged = new WindowState(reference);
  const per = Math.ceil(traffic.length / minutes);
  for (let m = 0; m < minutes; m++) {
    const bucket = new WindowState(reference);
    for (const r of traffic.slice(m * per, (m + 1) * per)) bucket.updateRow({ x: r.x, z: r.z, c: r.c }, r.p);
    merged.merge(bucket);
  }
  return merged;
}

const numerical = (p: Profile, name: string) => [...p.features, p.prediction].find((f) => f?.name === name) as NumericalFeatureProfile;
const categorical = (p: Profile, name: string) => p.features.find((f) => f.name === name) as CategoricalFeatureProfile;

describe("profileFromWindow", () => {
  it("equals buildProfile bit for bit while the sketches are exact", () => {
    const traffic = rows(7, 150);
    const { profile, omitted, rankError } = profileFromWindow(countedInMinutes(traffic, 5));
    const exact = build(traffic);
    expect(omitted).toEqual([]);
    expect(rankError).toBe(0);
    expect(readProfile(JSON.parse(JSON.stringify(profile)))).toEqual(profile);
    for (const name of ["x", "z", "p"]) {
      const got = numerical(profile, name);
      const want = numerical(exact, name);
      expect(got.bins).toEqual(want.bins);
      expect({ ...got.moments, mean: 0, std: 0 }).toEqual({ ...want.moments, mean: 0, std: 0 });
      expect(got.moments.mean).toBeCloseTo(want.moments.mean, 12);
      expect(got.moments.std).toBeCloseTo(want.moments.std, 12);
    }
    expect(categorical(profile, "c").categories).toEqual(categorical(exact, "c").categories);
  });

  it("keeps edges and counts within the KLL rank bound on 30,000 events merged from 60 minutes", () => {
    const traffic = rows(11, 30_000, ["red", "green", "blue"], 0.5);
    const n = traffic.length;
    const { profile, rankError } = profileFromWindow(countedInMinutes(traffic, 60));
    const exact = build(traffic);
    const eps1 = kllNormalizedRankError(200);
    const eps2 = kllNormalizedRankError(200, true);
    expect(rankError).toBeCloseTo(eps1, 12);
    expect(profile.rows).toBe(n);
    readProfile(JSON.parse(JSON.stringify(profile)));
    for (const name of ["x", "z", "p"]) {
      const got = numerical(profile, name);
      const raw = Float64Array.from(traffic, (r) => r[name as "x" | "z" | "p"]).sort();
      const truth = binCounts(got.bins.edges, raw);
      let cumGot = 0;
      let cumTrue = 0;
      got.bins.counts.forEach((count, i) => {
        expect(Math.abs(count - (truth[i] as number))).toBeLessThanOrEqual(eps2 * n);
        cumGot += count;
        cumTrue += truth[i] as number;
        expect(Math.abs(cumGot - cumTrue)).toBeLessThanOrEqual(eps1 * n);
      });
      // Each edge sits near its target quantile, or on a tie (discrete z) that spans it.
      const want = numerical(exact, name);
      expect(got.bins.edges.length).toBe(want.bins.edges.length);
      got.bins.edges.forEach((edge, i) => {
        const below = raw.filter((v) => v < edge).length / n;
        const atOrBelow = raw.filter((v) => v <= edge).length / n;
        const target = (i + 1) / 10;
        if (name !== "z") expect(Math.min(Math.abs(below - target), Math.abs(atOrBelow - target))).toBeLessThanOrEqual(eps1);
      });
      if (name === "z") expect(got.bins.edges).toEqual(want.bins.edges);
      expect(got.moments.count).toBe(n);
      expect(got.moments.min).toBe(want.moments.min);
      expect(got.moments.max).toBe(want.moments.max);
      expect(got.moments.mean).toBeCloseTo(want.moments.mean, 9);
      expect(got.moments.std).toBeCloseTo(want.moments.std, 9);
    }
    // Nothing overflowed (3 labels), so the categories are exact, "blue" included although
    // the live profile had pooled it into "__other__".
    expect(categorical(profile, "c").categories).toEqual(categorical(exact, "c").categories);
  });

  it("pools labels past the unlisted cap into other_count, keeping the sums whole", () => {
    const labels = Array.from({ length: 150 }, (_, i) => `l${String(i).padStart(3, "0")}`);
    const traffic = rows(21, 3_000, ["red", ...labels]);
    const { profile } = profileFromWindow(countedInMinutes(traffic, 3));
    const c = categorical(profile, "c").categories;
    const exact = categorical(build(traffic), "c").categories;
    expect(c.values.length + c.other_count).toBeGreaterThan(100);
    expect(c.counts.reduce((a, b) => a + b, 0) + c.other_count).toBe(3_000);
    expect(c.other_count).toBeGreaterThan(0);
    expect(c.distinct).toBeLessThanOrEqual(exact.distinct);
    expect(c.distinct).toBeGreaterThanOrEqual(c.values.length);
    // A label the live profile keeps has its own cell, so its count stays exact.
    const red = (cats: typeof c) => cats.counts[cats.values.indexOf("red")];
    expect(red(c)).toBe(red(exact));
    readProfile(JSON.parse(JSON.stringify(profile)));
  });

  it("leaves out a feature with no usable value and says so", () => {
    const window = new WindowState(reference);
    for (let i = 0; i < 20; i++) window.updateRow({ x: null, z: i % 3, c: "red" }, "n/a");
    const { profile, omitted } = profileFromWindow(window, { createdAt: "2026-11-26T00:00:00.000Z" });
    expect(omitted).toEqual(["x", "p"]);
    expect(profile.features.map((f) => f.name)).toEqual(["z", "c"]);
    expect(profile.prediction).toBeNull();
    expect(profile.created_at).toBe("2026-11-26T00:00:00.000Z");
    expect(readProfile(profile).rows).toBe(20);
  });

  it("rejects a bad bin count", () => {
    expect(() => profileFromWindow(new WindowState(reference), { bins: 1 })).toThrow(/bins must be an integer >= 2/);
  });
});
