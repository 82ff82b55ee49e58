import { describe, expect, it } from "vitest";
import { buildProfile } from "../profile/build.ts";
import { mulberry32, normalFrom } from "../testing/rng.ts";
import { dataQuality } from "./data-quality.ts";
import type { CategoricalQuality, NumericalQuality } from "./data-quality.ts";
import { MAX_UNKNOWN_FEATURES } from "./feature-presence.ts";
import { WindowState } from "./window.ts";

const LABELS = ["a", "b", "c", "d"];

function cleanRows(seed: number, n: number): Record<string, unknown>[] {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  return Array.from({ length: n }, (_, i) => ({
    x: normal(),
    c: LABELS[Math.floor(uniform() * uniform() * LABELS.length)],
    // 2% missing in the reference, so the missing check has a non-zero baseline.
    y: i % 50 === 0 ? null : uniform(),
    score: uniform(),
  }));
}

const reference = cleanRows(1, 5000);
const profile = buildProfile(reference, { prediction: "score" });

function fill(rows: readonly Record<string, unknown>[]): WindowState {
  const window = new WindowState(profile);
  for (const row of rows) window.updateRow(row, row.score);
  return window;
}

function dirtyRows(): Record<string, unknown>[] {
  const rows = cleanRows(2, 1000);
  for (let i = 0; i < 100; i++) rows[i]!.x = null; // 10% missing
  for (let i = 100; i < 130; i++) rows[i]!.x = "abc"; // 3% type violations
  for (let i = 130; i < 150; i++) rows[i]!.x = i % 2 === 0 ? 1e6 : -1e6; // 20 out of range
  for (let i = 150; i < 170; i++) rows[i]!.x = Infinity;
  for (let i = 200; i < 230; i++) delete rows[i]!.c; // 30 events without c
  for (let i = 300; i < 340; i++) rows[i]!.extra = i; // 40 events with an unknown key
  for (let i = 320; i < 330; i++) rows[i]!.other = true;
  for (let i = 400; i < 415; i++) rows[i]!.c = i < 410 ? "new1" : "new2";
  for (let i = 415; i < 435; i++) rows[i]!.c = { nested: true }; // 2% type violations
  return rows;
}

describe("dataQuality", () => {
  it("flags nothing on clean traffic from the reference distribution", () => {
    const report = dataQuality(profile, fill(cleanRows(3, 2000)));
    expect(report.flagged).toBe(false);
    expect(report.flagged_features).toEqual([]);
    const x = report.features[0] as NumericalQuality;
    expect(x.out_of_range.expected).toBeCloseTo(2 / 5001, 15);
    expect(x.out_of_range.rate).toBeLessThan(0.005);
    const y = report.features[2] as NumericalQuality;
    expect(y.missing.expected).toBeCloseTo(100 / 5000, 15);
    expect(y.missing.rate).toBeCloseTo(40 / 2000, 15);
    expect(report.rows_with_unknown_features.count).toBe(0); // "score" is the prediction's key
    expect(report.checked_rows).toBe(2000);
  });

  it("counts and flags each defect", () => {
    const report = dataQuality(profile, fill(dirtyRows()));
    const x = report.features[0] as NumericalQuality;
    expect(x.events).toBe(1000);
    expect([x.missing.count, x.type_violations.count, x.non_finite.count]).toEqual([100, 30, 20]);
    expect([x.out_of_range.below, x.out_of_range.above]).toEqual([10, 10]);
    expect(x.out_of_range.rate).toBeCloseTo(20 / 850, 15);
    expect(x.flags).toEqual(["missing", "type_violations", "non_finite", "out_of_range"]);
    const c = report.features[1] as CategoricalQuality;
    expect([c.missing.count, c.absent.count, c.type_violations.count]).toEqual([30, 30, 20]);
    expect(c.unseen.count).toBe(15);
    expect(c.unseen.exact).toBe(true);
    expect(c.unseen.top).toEqual([
      { label: "new1", count: 10 },
      { label: "new2", count: 5 },
    ]);
    expect(c.flags).toEqual(["absent", "type_violations", "unseen"]); // 3% missing stays within 0 + 5 points
    expect(report.rows_missing_features.count).toBe(30);
    expect(report.rows_with_unknown_features.count).toBe(40);
    expect(report.rows_with_unknown_features.top).toEqual([
      { label: "extra", count: 40 },
      { label: "other", count: 10 },
    ]);
    expect(report.flagged_features).toEqual(["x", "c"]);
    expect(report.flagged).toBe(true);
  });

  it("gives the same report for merged parts as for the whole window, and after a byte round trip", () => {
    const rows = dirtyRows();
    const whole = fill(rows);
    const merged = fill(rows.slice(0, 333));
    merged.merge(fill(rows.slice(333, 700)));
    merged.merge(fill(rows.slice(700)));
    expect(dataQuality(profile, merged)).toEqual(dataQuality(profile, whole));
    expect(dataQuality(profile, WindowState.fromBytes(merged.toBytes(), profile))).toEqual(dataQuality(profile, whole));
  });

  it("applies tolerance overrides", () => {
    const report = dataQuality(profile, fill(dirtyRows()), { missing: 0.5, type_violations: 0.5, non_finite: 0.5, out_of_range: 0.5 });
    expect(report.features[0]!.flags).toEqual([]);
  });

  it("caps the unknown-key tally and counts the rest as untallied", () => {
    const window = new WindowState(profile);
    for (let i = 0; i < MAX_UNKNOWN_FEATURES + 5; i++) window.updateRow({ x: 0, c: "a", y: 0.5, [`k${i}`]: 1 });
    const report = dataQuality(profile, window);
    expect(window.presence.unknown.size).toBe(MAX_UNKNOWN_FEATURES);
    expect(report.rows_with_unknown_features.untallied).toBe(5);
    expect(report.rows_with_unknown_features.count).toBe(MAX_UNKNOWN_FEATURES + 5);
    expect(report.rows_missing_features.count).toBe(0);
  });

  it("reports a window read from version 1 bytes as unchecked for presence", () => {
    const window = fill(cleanRows(4, 10));
    window.presence.uncheckedRows = window.rows;
    const report = dataQuality(profile, window);
    expect(report.checked_rows).toBe(0);
    expect(report.rows_missing_features).toEqual({ count: 0, rate: 0, expected: 0, flagged: false });
  });
});
