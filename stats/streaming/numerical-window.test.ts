import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import type { NumericalFeatureProfile } from "../profile/schema.ts";
import { drawSample } from "../testing/arith-samples.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { NumericalWindow } from "./numerical-window.ts";

const reference = drawSample({ shape: "normal", seed: 11, n: 1000 });
const profile = buildProfile({ columns: ["x"], get: () => Array.from(reference) });
const feature = profile.features[0] as NumericalFeatureProfile;

describe("NumericalWindow", () => {
  it("sorts raw cells into values and rejections", () => {
    const window = NumericalWindow.forProfile(feature);
    for (const raw of [1.5, -2, "3.25", " 4 ", null, undefined, Number.NaN, "", Infinity, "-Infinity", "abc", true, {}]) window.update(raw);
    expect(window.moments.toJSON()).toMatchObject({ count: 4, missing: 4, nonFinite: 2, min: -2, max: 4 });
    expect(window.typeViolations).toBe(3);
    expect(window.sketch.n).toBe(4);
    expect(window.bins.reduce((a, b) => a + b, 0)).toBe(4);
  });

  it("counts the profile's bins exactly and keeps exact moments", () => {
    const current = drawSample({ shape: "heavy", seed: 12, n: 5000 });
    const window = NumericalWindow.forProfile(feature);
    for (const x of current) window.update(x);
    const expected = new Array(feature.bins.edges.length + 1).fill(0);
    for (const x of current) expected[feature.bins.edges.filter((edge) => edge < x).length]++;
    expect(Array.from(window.bins)).toEqual(expected);
    const mean = current.reduce((a, b) => a + b, 0) / current.length;
    const variance = current.reduce((a, b) => a + (b - mean) ** 2, 0) / current.length;
    expect(window.moments.mean).toBeCloseTo(mean, 12);
    expect(window.moments.std(0)).toBeCloseTo(Math.sqrt(variance), 10);
  });

  it("round-trips through bytes and checks the family and bin count", () => {
    const window = NumericalWindow.forProfile(feature);
    for (const x of drawSample({ shape: "normal", seed: 13, n: 3000 })) window.update(x);
    window.update(null);
    const out = new ByteWriter();
    window.write(out);
    const bytes = out.finish();
    const read = NumericalWindow.read(new ByteReader(bytes), feature);
    expect(Array.from(read.bins)).toEqual(Array.from(window.bins));
    expect(read.moments.toJSON()).toEqual(window.moments.toJSON());
    expect(read.typeViolations).toBe(0);
    expect(read.sketch.toBytes()).toEqual(window.sketch.toBytes());
    const wrongFamily = bytes.slice();
    wrongFamily[0] = 0x02;
    expect(() => NumericalWindow.read(new ByteReader(wrongFamily), feature)).toThrow(/expected a numerical window/);
    const otherBins = { ...feature, bins: { ...feature.bins, edges: [0] } };
    expect(() => NumericalWindow.read(new ByteReader(bytes), otherBins)).toThrow(/window has 10 bins, profile has 2/);
    expect(() => NumericalWindow.read(new ByteReader(bytes.slice(0, 20)), feature)).toThrow(/truncated/);
  });

  it("refuses to merge windows on different bins", () => {
    const a = NumericalWindow.forProfile(feature);
    const b = NumericalWindow.forProfile({ ...feature, bins: { ...feature.bins, edges: feature.bins.edges.map((e) => e + 1) } });
    expect(() => a.merge(b)).toThrow(/different bins/);
  });
});
