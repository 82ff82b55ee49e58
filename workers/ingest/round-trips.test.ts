import { describe, expect, it } from "vitest";
import { DEFAULT_ROUND_TRIP_POLICY, MAX_SAMPLES, ObjectRoundTrips, RoundTrips, type RoundTripPolicy } from "./round-trips.ts";

const T0 = 1_800_000_000_000;
const P = DEFAULT_ROUND_TRIP_POLICY;
/** Each look judges the one call that just ended (a 1 ms window), at once: no sustained span, no cool-down. */
const AT_ONCE: RoundTripPolicy = { ...P, windowMs: 1, sustainMs: 0, coolDownMs: 0, minSamples: 1 };

/** A call ending every `everyMs` from `from` (exclusive) for `forMs`, with round trip `rtt`, looking after each; the looks that said queued. */
function drive(t: ObjectRoundTrips, from: number, forMs: number, rtt: number, everyMs = 100): number[] {
  const verdicts: number[] = [];
  for (let now = from + everyMs; now <= from + forMs; now += everyMs) {
    t.record(now, rtt);
    if (t.queued(now)) verdicts.push(now);
  }
  return verdicts;
}

describe("ObjectRoundTrips", () => {
  it("keeps the floor as the lowest round trip of the floor span, and follows a path that got slower", () => {
    const t = new ObjectRoundTrips(P);
    expect(t.floor(T0)).toBeNull();
    t.record(T0, 30);
    t.record(T0 + 1_000, 12);
    t.record(T0 + 2_000, 50);
    expect(t.floor(T0 + 2_000)).toBe(12);
    // Ten minutes on, the 12 ms minute has fallen out: a path now at 80 ms is the floor.
    drive(t, T0 + 2_000, P.floorSpanMs, 80, 1_000);
    expect(t.floor(T0 + 2_000 + P.floorSpanMs)).toBe(80);
    // Nothing in the span: no floor.
    expect(t.floor(T0 + 3 * P.floorSpanMs)).toBeNull();
  });

  it("takes the median of the last 5 s, of the last 64 calls at most", () => {
    const t = new ObjectRoundTrips(P);
    expect(t.median(T0)).toBeNull();
    for (const [at, rtt] of [[T0, 10], [T0 + 1, 30], [T0 + 2, 20]] as const) t.record(at, rtt);
    expect(t.median(T0 + 2)).toEqual({ median: 20, samples: 3 });
    t.record(T0 + 3, 1_000);
    expect(t.median(T0 + 3)).toEqual({ median: 25, samples: 4 });
    // Calls older than the window no longer count.
    t.record(T0 + 5_000, 2_000);
    expect(t.median(T0 + 5_000)).toEqual({ median: 515, samples: 4 });
    // Only the last 64 calls are kept.
    for (let i = 0; i < MAX_SAMPLES; i++) t.record(T0 + 6_000, 500);
    expect(t.median(T0 + 6_000)).toEqual({ median: 500, samples: MAX_SAMPLES });
    // A negative or non-finite round trip is not recorded.
    t.record(T0 + 6_001, -1);
    t.record(T0 + 6_001, Number.NaN);
    expect(t.median(T0 + 6_001)!.samples).toBe(MAX_SAMPLES);
  });

  it("is high only at a median of at least floor + margin, whatever the floor (a slow network is not load)", () => {
    for (const floor of [2, 180]) {
      const t = new ObjectRoundTrips(AT_ONCE);
      expect(drive(t, T0, 60_000, floor)).toEqual([]);
      expect(drive(t, T0 + 60_000, 10_000, floor + P.marginMs - 1)).toEqual([]);
      expect(drive(t, T0 + 70_000, 200, floor + P.marginMs)).toEqual([T0 + 70_100, T0 + 70_200]);
    }
  });

  it("says queued only after every look was high for the sustained span", () => {
    const t = new ObjectRoundTrips(P);
    expect(drive(t, T0, 60_000, 20)).toEqual([]); // the floor: 20 ms
    const verdicts = drive(t, T0 + 60_000, 60_000, 400);
    // 50 calls in the 5 s window: the median passes 270 ms at the 26th slow one, then 30 s must pass.
    expect(verdicts).toEqual([T0 + 60_000 + 2_600 + P.sustainMs]);
  });

  it("restarts the sustained span when the median dips below floor + margin", () => {
    const t = new ObjectRoundTrips(P);
    drive(t, T0, 60_000, 20);
    expect(drive(t, T0 + 60_000, 25_000, 400)).toEqual([]);
    expect(drive(t, T0 + 85_000, 3_000, 20)).toEqual([]); // 3 s quick: the median dips
    const again = drive(t, T0 + 88_000, 60_000, 400);
    expect(again).toHaveLength(1);
    expect(again[0]! - (T0 + 88_000)).toBeGreaterThanOrEqual(P.sustainMs);
  });

  it("does not judge from fewer than minSamples calls in the window", () => {
    const t = new ObjectRoundTrips({ ...P, sustainMs: 0 });
    drive(t, T0, 60_000, 20, 2_000);
    // One call every 2.5 s: at most 2 in any 5 s window.
    expect(drive(t, T0 + 60_000, 120_000, 2_000, 2_500)).toEqual([]);
    // One every second: 5 in the window, judged.
    expect(drive(t, T0 + 180_000, 5_000, 2_000, 1_000).length).toBeGreaterThan(0);
  });

  it("waits out the cool-down after a verdict, then says it again while the queue stays", () => {
    const t = new ObjectRoundTrips(P);
    drive(t, T0, 60_000, 20);
    const verdicts = drive(t, T0 + 60_000, 400_000, 400);
    expect(verdicts.length).toBe(5); // at 32.6 s, then every 90 s
    expect(verdicts[0]! - (T0 + 60_000)).toBe(2_600 + P.sustainMs);
    for (let i = 1; i < verdicts.length; i++) expect(verdicts[i]! - verdicts[i - 1]!).toBe(P.coolDownMs);
  });

  it("refuses a bad policy", () => {
    expect(() => new ObjectRoundTrips({ ...P, sustainMs: -1 })).toThrow(/sustainMs/);
    expect(() => new RoundTrips({ ...P, marginMs: Number.NaN })).toThrow(/marginMs must be >= 0/);
    expect(() => new RoundTrips({ ...P, minSamples: 0 })).toThrow(/minSamples must be an integer from 1 to 64/);
    expect(() => new RoundTrips({ ...P, windowMs: 0 })).toThrow(/windowMs/);
    expect(() => new RoundTrips({ ...P, floorSpanMs: 1 })).toThrow(/floorSpanMs/);
    expect(() => new RoundTrips(P, 0)).toThrow(/maxObjects/);
  });
});

describe("RoundTrips", () => {
  it("judges each object by its own round trips", () => {
    const r = new RoundTrips(AT_ONCE);
    r.record("near", T0, 2);
    r.record("far", T0, 200);
    r.record("near", T0 + 10, 300);
    r.record("far", T0 + 10, 300);
    expect(r.queued("near", T0 + 10)).toBe(true);
    expect(r.queued("far", T0 + 10)).toBe(false);
    expect(r.queued("never-sent-to", T0 + 10)).toBe(false);
  });

  it("keeps at most maxObjects, forgetting the least recently sent to", () => {
    const r = new RoundTrips(AT_ONCE, 3);
    for (const name of ["a", "b", "c"]) r.record(name, T0, 5);
    r.record("a", T0 + 1, 5); // a is now the most recent; b the least
    r.record("d", T0 + 2, 5);
    expect(r.size).toBe(3);
    // b starts afresh: its first slow round trip is its floor, so not queued; a and d keep their 5 ms floor.
    for (const name of ["a", "b", "d"]) r.record(name, T0 + 3, 400);
    expect(["a", "b", "d"].map((name) => r.queued(name, T0 + 3))).toEqual([true, false, true]);
    expect(r.size).toBe(3); // c went when b came back
    expect(r.queued("c", T0 + 3)).toBe(false);
  });
});
