import { describe, expect, it } from "vitest";
import { KllSketch } from "../sketch/kll.ts";
import { drawSample } from "../testing/arith-samples.ts";
import { buildProfile } from "./build.ts";
import { ProfileError, readProfile, writeProfile } from "./io.ts";
import type { Profile } from "./schema.ts";

const values = drawSample({ shape: "heavy", seed: 9, n: 2000 });
const source = Array.from(values, (x, i) => ({ x, c: i % 7 === 0 ? "rare" : i % 2 === 0 ? "even" : "odd", y: x > 0 ? 1 : 0 }));
const small = new KllSketch();
for (const x of [1, 2, 3]) small.update(x);
const smallSketch = small.toBase64();
const profile = buildProfile(source, { prediction: "y", createdAt: "2026-11-26T08:00:00Z" });

function mutated(change: (copy: any) => void): string {
  const copy = JSON.parse(writeProfile(profile));
  change(copy);
  return JSON.stringify(copy);
}

describe("profile JSON", () => {
  it("round-trips", () => {
    const text = writeProfile(profile);
    const read: Profile = readProfile(text);
    expect(read).toEqual(profile);
    expect(writeProfile(read)).toBe(text);
    expect(JSON.parse(text)).toMatchObject({ format: "vigil.profile", version: 1, created_at: "2026-11-26T08:00:00Z" });
  });

  it.each([
    ["a wrong format tag", (p: any) => (p.format = "evidently"), /format:/],
    ["a missing rows field", (p: any) => delete p.rows, /rows:/],
    ["non-increasing edges", (p: any) => (p.features[0].bins.edges[1] = p.features[0].bins.edges[0]), /features\[0\]\.bins\.edges\[1\]: edges must be strictly increasing/],
    ["counts that do not match the edges", (p: any) => p.features[0].bins.counts.pop(), /features\[0\]\.bins\.counts: must hold edges.length \+ 1/],
    ["a wrong proportion", (p: any) => (p.features[0].bins.proportions[2] = 0.5), /features\[0\]\.bins\.proportions\[2\]/],
    ["an unknown kind", (p: any) => (p.features[1].kind = "text"), /features\[1\]/],
    ["a negative count", (p: any) => (p.features[1].moments.missing = -1), /features\[1\]\.moments\.missing/],
    ["a repeated category", (p: any) => (p.features[1].categories.values[1] = p.features[1].categories.values[0]), /features\[1\]\.categories\.values: must not repeat/],
    ["a duplicate feature name", (p: any) => (p.features[1].name = p.features[0].name), /features\[1\]\.name: duplicate feature/],
    ["a corrupt sketch", (p: any) => (p.features[0].sketch.base64 = "AAAA"), /features\[0\]\.sketch\.base64/],
    ["a sketch of another size", (p: any) => (p.features[0].sketch.base64 = smallSketch), /features\[0\]\.sketch\.base64: sketch holds 3 values, moments.count is 2000/],
  ])("rejects %s, naming the field", (_what, change, message) => {
    expect(() => readProfile(mutated(change))).toThrow(ProfileError);
    expect(() => readProfile(mutated(change))).toThrow(message);
  });

  it("rejects other versions and non-JSON clearly", () => {
    expect(() => readProfile(mutated((p) => (p.version = 2)))).toThrow(/version: unsupported profile version 2/);
    expect(() => readProfile("{not json")).toThrow(/profile is not valid JSON/);
  });

  it("refuses to write an invalid profile", () => {
    const bad = { ...profile, rows: -1 } as Profile;
    expect(() => writeProfile(bad)).toThrow(/refusing to write an invalid profile: rows/);
  });
});
