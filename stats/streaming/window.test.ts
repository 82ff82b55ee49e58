import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { bytesFromBase64, bytesToBase64 } from "../sketch/base64.ts";
import { drawLabels, drawSample } from "../testing/arith-samples.ts";
import { CategoricalWindow } from "./categorical-window.ts";
import { NumericalWindow } from "./numerical-window.ts";
import { rankErrorOf } from "./scores/quantile-summary.ts";
import { scoreWindow } from "./score-window.ts";
import { ByteWriter } from "./bytes.ts";
import { WindowState } from "./window.ts";

function events(seed: number, n: number, shift = 0) {
  const x = drawSample({ shape: "normal", seed, n, shift });
  const z = drawSample({ shape: "discrete", seed: seed + 1, n });
  const c = drawLabels(seed + 2, n, ["red", "green", "blue"], [5, 3, 2]);
  const p = drawSample({ shape: "heavy", seed: seed + 3, n });
  return Array.from(x, (xi, i) => ({ features: { x: xi, z: z[i], c: c[i] }, prediction: p[i] }));
}

/**
 * The window as version 2 wrote it (window.ts layout under families 0x10, 0x01 and 0x02):
 * the stored form of windows in Durable Object SQLite from before version 3.
 */
function version2Bytes(window: WindowState): Uint8Array {
  const out = new ByteWriter();
  out.u8(2);
  out.u8(0x10);
  out.varint(window.rows);
  out.varint(window.features.length);
  for (const feature of window.features) {
    out.string(feature.name);
    feature.write(out, 2);
  }
  out.u8(window.prediction === null ? 0 : 1);
  window.prediction?.write(out, 2);
  window.presence.write(out);
  return out.finish();
}

/** Rewrites each embedded KLL header (family 0xCB, version 2, k = 200) as KLL version 1 wrote it; returns how many. */
function rewriteKllHeaders(bytes: Uint8Array): number {
  let rewritten = 0;
  for (let i = 0; i + 8 <= bytes.length; i++) {
    if (bytes[i] === 0xcb && bytes[i + 1] === 2 && bytes[i + 4] === 200 && bytes[i + 5] === 0 && bytes[i + 6] === 0 && bytes[i + 7] === 0) {
      bytes[i] = 0x0f;
      bytes[i + 1] = 1;
      rewritten++;
    }
  }
  return rewritten;
}

const reference = events(100, 5000);
const profile = buildProfile(
  reference.map((e) => ({ ...e.features, p: e.prediction })),
  { prediction: "p" },
);
/** A profile without the fine grid, as every profile was before version 4 windows: what old stored windows were counted against. */
const legacyProfile = buildProfile(
  reference.map((e) => ({ ...e.features, p: e.prediction })),
  { prediction: "p", gridBins: 0 },
);

describe("WindowState", () => {
  it("merging 1-minute windows equals the single-pass window", () => {
    const traffic = events(200, 60 * 500, 0.2);
    const whole = new WindowState(profile);
    const merged = new WindowState(profile);
    for (let minute = 0; minute < 60; minute++) {
      const bucket = new WindowState(profile);
      for (const e of traffic.slice(minute * 500, (minute + 1) * 500)) bucket.updateRow(e.features, e.prediction);
      merged.merge(bucket);
    }
    for (const e of traffic) whole.updateRow(e.features, e.prediction);
    expect(merged.rows).toBe(whole.rows);
    const windows = [...merged.features, merged.prediction];
    const wholes = [...whole.features, whole.prediction];
    windows.forEach((window, i) => {
      const single = wholes[i];
      if (window instanceof NumericalWindow && single instanceof NumericalWindow) {
        expect(Array.from(window.bins)).toEqual(Array.from(single.bins));
        expect(window.moments.count).toBe(single.moments.count);
        expect(window.moments.min()).toBe(single.moments.min());
        expect(window.moments.max()).toBe(single.moments.max());
        expect(window.moments.mean).toBeCloseTo(single.moments.mean, 12);
        expect(window.moments.std(0)).toBeCloseTo(single.moments.std(0), 12);
        expect(window.moments.nonFinite + window.moments.missing).toBe(single.moments.nonFinite + single.moments.missing);
        expect(window.sketch.n).toBe(single.sketch.n);
        // Both sketches stay within their rank error of the exact ranks.
        const sorted = Float64Array.from(traffic.map((e) => e.features[window.name as "x" | "z"] ?? e.prediction)).sort();
        for (const q of [0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99]) {
          const x = sorted[Math.floor(q * (sorted.length - 1))] as number;
          let exact = 0;
          while (exact < sorted.length && (sorted[exact] as number) <= x) exact++;
          expect(Math.abs(window.sketch.rank(x) - exact / sorted.length)).toBeLessThanOrEqual(rankErrorOf(window.sketch));
        }
      } else if (window instanceof CategoricalWindow && single instanceof CategoricalWindow) {
        expect(Array.from(window.cells)).toEqual(Array.from(single.cells));
        expect(window.moments).toEqual(single.moments);
      } else {
        throw new Error("window kinds differ");
      }
    });
  });

  it("round-trips through bytes and base64, scoring the same", () => {
    const window = new WindowState(profile);
    for (const e of events(300, 4000, 0.5)) window.updateRow(e.features, e.prediction);
    window.updateRow({ x: "oops", c: null }, undefined);
    const bytes = window.toBytes();
    expect(bytes[0]).toBe(4);
    expect(bytes[1]).toBe(0xd7);
    const read = WindowState.fromBytes(bytes, profile);
    expect(read.toBytes()).toEqual(bytes);
    expect(WindowState.fromBase64(window.toBase64(), profile).toBytes()).toEqual(bytes);
    expect(scoreWindow(profile, read)).toEqual(scoreWindow(profile, window));
  });

  it("reads windows stored in the version 2 form (families 0x10, 0x01, 0x02) with either KLL form, scoring the same", () => {
    const window = new WindowState(legacyProfile);
    for (const e of events(300, 4000, 0.5)) window.updateRow(e.features, e.prediction);
    const bytes = window.toBytes();
    const numerical = [...window.features, window.prediction].filter((w) => w instanceof NumericalWindow).length;
    // Version 2 windows hold KLL version 2 (family 0xCB) since the KLL change, version 1 (0x0F) before it.
    const v2 = version2Bytes(window);
    expect([v2[0], v2[1]]).toEqual([2, 0x10]);
    const v2OldKll = v2.slice();
    expect(rewriteKllHeaders(v2OldKll)).toBe(numerical);
    for (const stored of [v2, v2OldKll]) {
      const read = WindowState.fromBytes(stored, legacyProfile);
      expect(read.toBytes()).toEqual(bytes);
      expect(scoreWindow(legacyProfile, read)).toEqual(scoreWindow(legacyProfile, window));
    }
  });

  it("scores against baselines stored with version 1 KLL bytes (family 0x0F) as against current ones", () => {
    const window = new WindowState(legacyProfile);
    for (const e of events(300, 4000, 0.5)) window.updateRow(e.features, e.prediction);
    // A baseline whose reference sketches are version 1 bytes, as Postgres holds older ones.
    const oldBaseline = structuredClone(legacyProfile);
    for (const feature of [...oldBaseline.features, oldBaseline.prediction]) {
      if (feature?.kind !== "numerical") continue;
      const sketch = bytesFromBase64(feature.sketch.base64);
      sketch[0] = 0x0f;
      sketch[1] = 1;
      feature.sketch.base64 = bytesToBase64(sketch);
    }
    const numericalSketches = oldBaseline.features.flatMap((f) => (f.kind === "numerical" ? [bytesFromBase64(f.sketch.base64)[0]] : []));
    expect(numericalSketches.length).toBeGreaterThan(0);
    expect(numericalSketches.every((family) => family === 0x0f)).toBe(true);
    const read = WindowState.fromBytes(version2Bytes(window), oldBaseline);
    expect(scoreWindow(oldBaseline, read)).toEqual(scoreWindow(legacyProfile, window));
  });

  it("refuses bytes from another profile or version", () => {
    const bytes = new WindowState(profile).toBytes();
    const other = buildProfile(reference.map((e) => ({ y: e.features.x })));
    expect(() => WindowState.fromBytes(bytes, other)).toThrow(/window state has 3 features, profile has 1/);
    const renamed = buildProfile(reference.map((e) => ({ w: e.features.x, z: e.features.z, c: e.features.c, p: e.prediction })), { prediction: "p" });
    expect(() => WindowState.fromBytes(bytes, renamed)).toThrow(/window state feature "x" where the profile has "w"/);
    const future = bytes.slice();
    future[0] = 5;
    expect(() => WindowState.fromBytes(future, profile)).toThrow("unsupported window state version 5 for family 0xD7");
    const noState = bytes.slice();
    noState[1] = 0x0f;
    expect(() => WindowState.fromBytes(noState, profile)).toThrow("not a window state: family 0x0F (expected 0xD7)");
  });

  it("stays within the per-feature size budget after a day of traffic", () => {
    const window = new WindowState(profile);
    for (let minute = 0; minute < 20; minute++) {
      const bucket = new WindowState(profile);
      for (const e of events(1000 + minute, 5000)) bucket.updateRow(e.features, e.prediction);
      window.merge(bucket);
    }
    const numericalBytes = window.features[0] instanceof NumericalWindow ? window.features[0].sketch.toBytes().length : 0;
    expect(numericalBytes).toBeGreaterThan(0);
    // 16 KB per numerical feature (issue 4 budget), bins and moments included; the grid
    // adds at most 2 bytes per cell (a day's counts are mostly two-byte varints).
    expect(window.toBytes().length / 4).toBeLessThan(16 * 1024 + 2 * 1002);
  });

  it("reads a version 3 window against a gridded profile: its counts have no grid, so it is scored on sketches", () => {
    const window = new WindowState(legacyProfile);
    for (const e of events(300, 1000)) window.updateRow(e.features, e.prediction);
    const read = WindowState.fromBytes(version3Bytes(window), profile);
    const x = read.features[0] as NumericalWindow;
    expect(x.grid).toBeNull();
    const scored = scoreWindow(profile, read).features[0]!;
    expect(scored.kind === "numerical" && scored.scores !== null && scored.scores.source).toBe("sketch");
    // A fresh minute merged into it keeps it sketch-scored: the grid counts would be partial.
    const fresh = new WindowState(profile);
    fresh.updateRow(events(301, 1)[0]!.features, 0);
    fresh.merge(read);
    expect((fresh.features[0] as NumericalWindow).grid).toBeNull();
  });
});

/** The window as version 3 wrote it: version 4's layout without the grid byte. */
function version3Bytes(window: WindowState): Uint8Array {
  const out = new ByteWriter();
  out.u8(3);
  out.u8(0xd7);
  out.varint(window.rows);
  out.varint(window.features.length);
  for (const feature of window.features) {
    out.string(feature.name);
    feature.write(out, 3);
  }
  out.u8(window.prediction === null ? 0 : 1);
  window.prediction?.write(out, 3);
  window.presence.write(out);
  return out.finish();
}
