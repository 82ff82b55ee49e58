import { describe, expect, it } from "vitest";
import { DEFAULT_LOAD_POLICY, LoadTracker } from "./load-tracker.ts";

const T0 = 1_800_000_000_000;

/** `share` of every 250 ms, from `from` for `forMs`, looking after each slot; the looks that said overloaded. */
function drive(t: LoadTracker, from: number, forMs: number, share: number): number[] {
  const verdicts: number[] = [];
  for (let now = from + 250; now <= from + forMs; now += 250) {
    t.record(now, 250 * share);
    if (t.overloaded(now)) verdicts.push(now);
  }
  return verdicts;
}

describe("LoadTracker", () => {
  it("measures the busy share over the sliding window only", () => {
    const t = new LoadTracker();
    expect(t.busyShare(T0)).toBe(0);
    drive(t, T0, 5_000, 0.8);
    expect(t.busyShare(T0 + 5_000)).toBeCloseTo(0.8, 9);
    // Work older than the window no longer counts.
    expect(t.busyShare(T0 + 7_500)).toBeCloseTo(0.4, 9);
    expect(t.busyShare(T0 + 11_000)).toBe(0);
    // Zero and negative work add nothing.
    t.record(T0 + 11_000, 0);
    t.record(T0 + 11_000, -5);
    expect(t.busyShare(T0 + 11_000)).toBe(0);
  });

  it("says overloaded only after the share stayed above the threshold for the sustained span", () => {
    const t = new LoadTracker();
    const verdicts = drive(t, T0, 60_000, 0.9);
    expect(verdicts.length).toBe(1);
    // The share passes 0.6 once 0.6 × 5 s of work is in the window (after 3.5 s at 0.9), then 30 s must pass.
    expect(verdicts[0]! - T0).toBe(3_500 + DEFAULT_LOAD_POLICY.sustainMs);
  });

  it("never says overloaded below the threshold", () => {
    const t = new LoadTracker();
    expect(drive(t, T0, 300_000, 0.59)).toEqual([]);
    expect(t.busyShare(T0 + 300_000)).toBeCloseTo(0.59, 9);
  });

  it("restarts the sustained span when one look sees the share drop", () => {
    const t = new LoadTracker();
    expect(drive(t, T0, 25_000, 0.9)).toEqual([]);
    // 4 s quiet: the 5 s window drops below 0.6 at a look.
    expect(drive(t, T0 + 25_000, 4_000, 0)).toEqual([]);
    const again = drive(t, T0 + 29_000, 60_000, 0.9);
    expect(again.length).toBe(1);
    expect(again[0]! - (T0 + 29_000)).toBeGreaterThanOrEqual(DEFAULT_LOAD_POLICY.sustainMs);
  });

  it("waits out the cool-down after a verdict, then needs the share high again", () => {
    const t = new LoadTracker();
    const verdicts = drive(t, T0, 400_000, 1);
    expect(verdicts.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < verdicts.length; i++) expect(verdicts[i]! - verdicts[i - 1]!).toBe(DEFAULT_LOAD_POLICY.coolDownMs);
  });

  it("takes an injected policy (tests drive it without waiting 30 s) and refuses a bad one", () => {
    const t = new LoadTracker({ threshold: 0.5, windowMs: 1_000, sustainMs: 0, coolDownMs: 10_000 });
    t.record(T0, 600);
    expect(t.overloaded(T0)).toBe(true);
    t.record(T0 + 1, 600);
    expect(t.overloaded(T0 + 1)).toBe(false); // cooling down
    expect(t.overloaded(T0 + 10_000)).toBe(false); // cooled down, but no work in the window
    t.record(T0 + 10_001, 500);
    expect(t.overloaded(T0 + 10_001)).toBe(true); // exactly at the threshold counts
    // Threshold 0: every look is loaded, with or without measured work (workerd's clock is in whole ms).
    const always = new LoadTracker({ threshold: 0, windowMs: 1_000, sustainMs: 0, coolDownMs: 0 });
    expect([always.overloaded(T0), always.overloaded(T0 + 1)]).toEqual([true, true]);
    expect(() => new LoadTracker({ ...DEFAULT_LOAD_POLICY, threshold: 1.5 })).toThrow("threshold must be >= 0 and <= 1: 1.5");
    expect(() => new LoadTracker({ ...DEFAULT_LOAD_POLICY, windowMs: 10 })).toThrow(/windowMs must be >= 250/);
    expect(() => new LoadTracker({ ...DEFAULT_LOAD_POLICY, sustainMs: Number.NaN })).toThrow(/sustainMs/);
  });
});
