import { describe, expect, it } from "vitest";
import { OTHER_SEGMENT, parseSegmentKey, rankSegments, segmentableDimension, segmentAlpha, segmentDriftSummary, type TrackedSegment } from "./segments.ts";

const counts = (entries: Record<string, number>) => new Map(Object.entries(entries));
const keys = (tracked: TrackedSegment[]) => tracked.map((s) => s.key).sort();

describe("segment keys", () => {
  it("splits at the first colon, so values may hold colons", () => {
    expect(parseSegmentKey("region:eu")).toEqual({ dimension: "region", value: "eu" });
    expect(parseSegmentKey("url:https://x")).toEqual({ dimension: "url", value: "https://x" });
  });

  it("names what is wrong with a malformed key", () => {
    expect(parseSegmentKey("region")).toMatchObject({ error: expect.stringContaining("dimension:value") });
    expect(parseSegmentKey(":eu")).toMatchObject({ error: expect.stringContaining("dimension") });
    expect(parseSegmentKey("region:")).toMatchObject({ error: expect.stringContaining("value") });
    expect(parseSegmentKey(`${"d".repeat(201)}:x`)).toMatchObject({ error: expect.stringContaining("200") });
  });

  it("refuses dimensions that could not be read back", () => {
    expect(segmentableDimension("region")).toBe(true);
    expect(segmentableDimension("a:b")).toBe(false);
    expect(segmentableDimension("")).toBe(false);
  });
});

describe("rankSegments", () => {
  it("fills free slots with the largest segments and never tracks other", () => {
    const r = rankSegments(counts({ a: 5, b: 50, c: 20, [OTHER_SEGMENT]: 999 }), [], 2, 1_000);
    expect(keys(r.tracked)).toEqual(["b", "c"]);
    expect(r.entered.sort()).toEqual(["b", "c"]);
    expect(r.tracked.every((s) => s.since === 1_000)).toBe(true);
  });

  it("keeps a tracked segment against a challenger within the margin, swaps past it", () => {
    const tracked = [{ key: "a", since: 1 }, { key: "b", since: 1 }];
    const close = rankSegments(counts({ a: 100, b: 100, c: 124 }), tracked, 2, 2);
    expect(keys(close.tracked)).toEqual(["a", "b"]);
    expect(close.left).toEqual([]);
    const past = rankSegments(counts({ a: 100, b: 90, c: 126 }), tracked, 2, 2);
    expect(keys(past.tracked)).toEqual(["a", "c"]);
    expect(past.left).toEqual(["b"]);
    expect(past.entered).toEqual(["c"]);
    // The survivor keeps its start; the newcomer starts now.
    expect(past.tracked.find((s) => s.key === "a")!.since).toBe(1);
    expect(past.tracked.find((s) => s.key === "c")!.since).toBe(2);
  });

  it("drops silent segments and the smallest when k shrinks", () => {
    const tracked = [{ key: "a", since: 1 }, { key: "b", since: 1 }, { key: "c", since: 1 }];
    const r = rankSegments(counts({ a: 10, b: 30 }), tracked, 1, 2);
    expect(keys(r.tracked)).toEqual(["b"]);
    expect(r.left.sort()).toEqual(["a", "c"]);
  });

  it("swaps several when several challengers win", () => {
    const tracked = [{ key: "a", since: 1 }, { key: "b", since: 1 }];
    const r = rankSegments(counts({ a: 1, b: 2, c: 50, d: 40 }), tracked, 2, 2);
    expect(keys(r.tracked)).toEqual(["c", "d"]);
  });
});

describe("segment drift summary", () => {
  it("names the segments with a drifted feature, most drifted first", () => {
    const s = segmentDriftSummary([
      { key: "region:eu", rows: 100, driftShare: 0.5, driftedFeatures: ["age"] },
      { key: "region:us", rows: 100, driftShare: 0, driftedFeatures: [] },
      { key: "region:apac", rows: 100, driftShare: 1, driftedFeatures: ["age", "income"] },
      { key: "region:none", rows: 0, driftShare: null, driftedFeatures: [] },
    ]);
    expect(s).toEqual({ drifting: ["region:apac", "region:eu"], scored: 3 });
  });

  it("splits α over the segments scored", () => {
    expect(segmentAlpha(0.01, 4)).toBeCloseTo(0.0025, 12);
    expect(segmentAlpha(0.01, 0)).toBe(0.01);
  });
});
