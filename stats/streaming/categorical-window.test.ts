import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import type { CategoricalFeatureProfile } from "../profile/schema.ts";
import { ByteReader, ByteWriter } from "./bytes.ts";
import { CategoricalWindow } from "./categorical-window.ts";

const profile = buildProfile(
  ["a", "a", "a", "b", "b", "c", "d"].map((c) => ({ c })),
  { maxCategories: 2 },
);
const feature = profile.features[0] as CategoricalFeatureProfile;

describe("CategoricalWindow", () => {
  it("counts kept categories, pools the rest into __other__ and tallies them", () => {
    const window = new CategoricalWindow("c", new Map([["a", 0], ["b", 1]]), 2);
    for (const raw of ["a", "b", "a", "c", "zz", "q", "zz", null, "", { x: 1 }, 7]) window.update(raw);
    expect(Array.from(window.cells)).toEqual([2, 1, 5]);
    expect(window.moments).toMatchObject({ count: 8, missing: 2, typeViolations: 1 });
    expect([...window.unlisted]).toEqual([["c", 1], ["zz", 2]]);
    expect(window.unlistedOverflow).toBe(2);
  });

  it("uses the profile's kept categories as cells", () => {
    expect(feature.categories.values).toEqual(["a", "b"]);
    const window = CategoricalWindow.forProfile(feature);
    for (const label of ["a", "c", "d", "b"]) window.update(label);
    expect(Array.from(window.cells)).toEqual([1, 1, 2]);
  });

  it("merges exactly and round-trips through bytes", () => {
    const a = CategoricalWindow.forProfile(feature);
    const b = CategoricalWindow.forProfile(feature);
    const whole = CategoricalWindow.forProfile(feature);
    const labels = ["a", "b", "x", "a", null, "y", "x", "b", "b"];
    labels.forEach((label, i) => {
      (i < 4 ? a : b).update(label);
      whole.update(label);
    });
    a.merge(b);
    expect(Array.from(a.cells)).toEqual(Array.from(whole.cells));
    expect(a.moments).toEqual(whole.moments);
    expect([...a.unlisted].sort()).toEqual([...whole.unlisted].sort());
    const out = new ByteWriter();
    a.write(out);
    const read = CategoricalWindow.read(new ByteReader(out.finish()), feature);
    expect(Array.from(read.cells)).toEqual(Array.from(a.cells));
    expect([...read.unlisted]).toEqual([...a.unlisted]);
    expect(read.moments).toEqual(a.moments);
  });
});
