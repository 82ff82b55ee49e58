// Segment drift in a live ModelMonitor (segment-buckets.ts, segment-views.ts): only the
// segment that drifts is flagged and named in segment_drift, the global windows are those
// of the same events sent without segments, top-K pools the rest into "other", a schema
// feature marked as a segment key slices without a segment map, first-events baselines are
// per segment when a segment has enough rows, labels reach their segment's performance, and
// all of it survives eviction.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import type { ModelMonitorServer as ModelMonitor } from "../model-monitor.ts";
import { snapshotMessage, type WindowView } from "../protocol.ts";
import { encodeBatch } from "./batch-codec.ts";
import type { FeatureSpec, IngestCall, MonitorEvent } from "./calls.ts";
import { columnsFromEvents } from "./event-columns.ts";
import { HOUR, MINUTE, hourOf } from "./buckets.ts";
import { TEST_FEATURES, testEvents, testIdentity } from "./testing.ts";

let counter = 0;
function freshMonitor(): DurableObjectStub<ModelMonitor> {
  counter++;
  return testEnv.ModelMonitor.getByName(`00000000-0000-0000-0000-000000000001:segments${counter}-${Date.now()}:v1`);
}

function call(batchId: string, events: MonitorEvent[], options: { features?: FeatureSpec[]; topK?: number } = {}): IngestCall {
  const features = options.features ?? TEST_FEATURES;
  return {
    identity: testIdentity(),
    features,
    batchId,
    receivedAt: Date.now(),
    count: events.length,
    events: encodeBatch(columnsFromEvents(events, features)),
    ...(options.topK !== undefined ? { segmentTopK: options.topK } : {}),
  };
}

const REGIONS = ["eu", "us", "apac"];

/** testEvents with a `segment` map by row (region i % 3); `shift` adds to age in region eu only. */
function regionEvents(n: number, seed: number, prefix: string, shift = 0, segments = true): MonitorEvent[] {
  return testEvents(n, { seed, idPrefix: prefix }).map((e, i) => {
    const region = REGIONS[i % 3]!;
    const features = { ...e.features, age: (e.features.age as number) + (region === "eu" ? shift : 0) };
    return segments ? { ...e, features, segment: { region } } : { ...e, features };
  });
}

const w5 = (views: WindowView[]) => views.find((w) => w.window === "5m")!;
const drifted = (w: WindowView) => w.features.filter((f) => f.drifted).map((f) => f.feature);

async function feed(stub: DurableObjectStub<ModelMonitor>, batches: IngestCall[]): Promise<void> {
  for (const b of batches) await stub.ingest(b);
  await runDurableObjectAlarm(stub);
}

/** Alarm ticks until every segment was scored for the summary (at most 4 per tick). */
async function scoreAll(stub: DurableObjectStub<ModelMonitor>): Promise<void> {
  await runInDurableObject(stub, (instance: ModelMonitor) => {
    const m = instance.monitor;
    for (const key of m.segments.slots.keys()) m.segmentWindows(key, Date.now());
  });
}

describe("segment drift", () => {
  it("flags only the drifting segment, names it in segment_drift, and leaves the global windows as without segments", async () => {
    const segmented = freshMonitor();
    const plain = freshMonitor();
    for (const [stub, segments] of [[segmented, true], [plain, false]] as const) {
      await stub.setAutoBaselineTarget(3_000);
      await feed(stub, [call("ref", regionEvents(3_000, 1, "r", 0, segments))]);
      await feed(stub, [call("cur", regionEvents(6_000, 2, "c", 12, segments))]);
    }
    await scoreAll(segmented);
    const eu = (await segmented.liveSegment("region:eu"))!;
    const us = (await segmented.liveSegment("region:us"))!;
    const apac = (await segmented.liveSegment("region:apac"))!;
    expect(eu.segment).toBe("region:eu");
    expect(w5(eu.windows).rows).toBe(2_000);
    expect(drifted(w5(eu.windows))).toEqual(["age"]);
    expect(drifted(w5(us.windows))).toEqual([]);
    expect(drifted(w5(apac.windows))).toEqual([]);
    // Same shape as the global snapshot: it parses as one.
    expect(snapshotMessage.safeParse(eu).success).toBe(true);

    const live = await segmented.live();
    expect(snapshotMessage.safeParse(live).success).toBe(true);
    expect(live.segments!.segment_drift.drifting).toEqual(["region:eu"]);
    expect(live.segments!.window).toBe("1h");
    const euItem = live.segments!.items.find((i) => i.key === "region:eu")!;
    expect(euItem).toMatchObject({ rows: 2_000, driftedFeatures: ["age"], baseline: "segment" });
    // ratios follow the baseline's feature order; ≥ 1 exactly for the drifted feature.
    const ageAt = live.baseline.features.findIndex((f) => f.name === "age");
    expect(euItem.ratios[ageAt]!).toBeGreaterThanOrEqual(1);
    expect(live.segments!.items.find((i) => i.key === "region:us")!.ratios.every((r) => r === null || r < 1)).toBe(true);
    expect(live.segments!.alpha).toBeCloseTo(0.01 / 4, 12); // three regions and "other"
    // The global windows are those of the same events without segments.
    const plainLive = await plain.live();
    const strip = (w: WindowView) => w.features.map((f) => ({ feature: f.feature, score: f.score, threshold: f.threshold, drifted: f.drifted, count: f.count }));
    expect(strip(w5(live.windows))).toEqual(strip(w5(plainLive.windows)));
    expect(w5(live.windows).rows).toBe(w5(plainLive.windows).rows);
  });

  it("tracks the top K, pools the rest into other, and ranks by counts with a margin", async () => {
    const stub = freshMonitor();
    await stub.setAutoBaselineTarget(1_000);
    await feed(stub, [call("ref", testEvents(1_000, { seed: 3, idPrefix: "r" }), { topK: 2 })]);
    // c arrives first and takes a free slot; a takes the other; b and d pool into other.
    const sizes: [string, number][] = [["c", 20], ["a", 400], ["b", 300], ["d", 100]];
    const events: MonitorEvent[] = [];
    let i = 0;
    for (const [name, n] of sizes) for (const e of testEvents(n, { seed: 4 + i, idPrefix: `${name}` })) events.push({ ...e, prediction_id: `${name}-${i++}`, segment: { tier: name } });
    await feed(stub, [call("b1", events, { topK: 2 })]);
    expect(await stub.liveSegment("tier:b")).toBeNull();
    expect(w5((await stub.liveSegment("tier:c"))!.windows).rows).toBe(20);
    expect(w5((await stub.liveSegment("other"))!.windows).rows).toBe(400);
    // The next ranking: b (300) beats c (20) by more than the 25 % margin; a stays.
    await runInDurableObject(stub, (instance: ModelMonitor) => {
      const m = instance.monitor;
      m.store.transaction(() => {
        m.segments.roll(Date.now());
        m.segments.persist();
      });
      expect(m.segments.tracked().map((s) => s.key).sort()).toEqual(["tier:a", "tier:b"]);
    });
    expect(await stub.liveSegment("tier:c")).toBeNull();
    // b entered now: its windows start empty.
    expect(w5((await stub.liveSegment("tier:b"))!.windows).rows).toBe(0);
    await evictDurableObject(stub);
    expect(w5((await stub.liveSegment("tier:a"))!.windows).rows).toBe(400);
    expect(await stub.liveSegment("tier:c")).toBeNull();
  });

  it("slices by a schema feature marked as a segment key, merged with the event's own map", async () => {
    const stub = freshMonitor();
    const features: FeatureSpec[] = TEST_FEATURES.map((f) => (f.name === "region" ? { ...f, segment: true } : f));
    await stub.setAutoBaselineTarget(600);
    await feed(stub, [call("ref", testEvents(600, { seed: 5, idPrefix: "r" }), { features })]);
    const events = testEvents(900, { seed: 6, idPrefix: "c" }).map((e, i) => (i % 2 === 0 ? { ...e, segment: { channel: "web" } } : e));
    await feed(stub, [call("b", events, { features })]);
    const north = events.filter((e) => e.features.region === "north").length;
    expect(w5((await stub.liveSegment("region:north"))!.windows).rows).toBe(north);
    expect(w5((await stub.liveSegment("channel:web"))!.windows).rows).toBe(450);
    // The event's own map wins over the feature for the same dimension.
    const own = testEvents(10, { seed: 7, idPrefix: "o" }).map((e) => ({ ...e, segment: { region: "override" } }));
    await feed(stub, [call("o", own, { features })]);
    expect(w5((await stub.liveSegment("region:override"))!.windows).rows).toBe(10);
    expect(w5((await stub.liveSegment("region:north"))!.windows).rows).toBe(north);
  });

  it("rolls minutes into 10-minute blocks and hours exactly, across turns, after old minutes lose their state", async () => {
    const stub = freshMonitor();
    await stub.setAutoBaselineTarget(600);
    await feed(stub, [call("ref", testEvents(600, { seed: 12, idPrefix: "r" }))]);
    await runInDurableObject(stub, (instance: ModelMonitor) => {
      const m = instance.monitor;
      const segments = m.segments;
      const events = testEvents(30, { seed: 13, idPrefix: "t" }).map((e) => ({ ...e, segment: { region: "eu" } }));
      const batch = columnsFromEvents(events, TEST_FEATURES);
      // 40 minutes, one batch each, from 15 minutes before an hour: crosses four blocks and an hour.
      const start = hourOf(Date.now()) + 2 * HOUR - 15 * MINUTE;
      for (let i = 0; i < 40; i++) {
        const now = start + i * MINUTE + 1_000;
        m.store.transaction(() => {
          segments.count(batch, segments.keysOf(batch)!, now);
          segments.persist();
          segments.roll(now + 30_000);
          segments.persist();
        });
      }
      const end = start + 39 * MINUTE + 30_000;
      const counted = (from: number) => 30 * Array.from({ length: 40 }, (_, i) => start + i * MINUTE).filter((t) => t >= from).length;
      for (const w of segments.windows("region:eu", end)!) {
        expect(w.aggregate.events).toBe(counted(w.from));
        expect(w.aggregate.window!.rows).toBe(counted(w.from));
      }
      const byName = Object.fromEntries(segments.windows("region:eu", end)!.map((w) => [w.name, w.aggregate.events]));
      expect(byName).toEqual({ "5m": 150, "1h": counted(Math.floor(end / (10 * MINUTE)) * 10 * MINUTE - 50 * MINUTE), "24h": 1_200 });
      // Minute rows older than 11 minutes kept their performance only; the windows came from blocks and the hour.
      const old = m.store.segments.buckets("region:eu", "m", start, end - 12 * MINUTE);
      expect(old.length).toBeGreaterThan(0);
      expect(old.every((r) => r.window === null)).toBe(true);
      expect(m.store.segments.buckets("region:eu", "h", hourOf(start), end).map((r) => r.events)).toEqual([450]); // the 15 minutes before the hour
    });
  });

  it("scores a segment with too few baseline rows against the global baseline, and joins labels per segment", async () => {
    const stub = freshMonitor();
    await stub.setAutoBaselineTarget(2_000);
    // eu: 1,800 baseline rows (own baseline); us: 200 (< 500: the global one).
    const ref = testEvents(2_000, { seed: 8, idPrefix: "r" }).map((e, i) => ({ ...e, segment: { region: i < 1_800 ? "eu" : "us" } }));
    await feed(stub, [call("ref", ref)]);
    const cur = testEvents(600, { seed: 9, idPrefix: "c" }).map((e, i) => ({ ...e, segment: { region: i % 2 === 0 ? "eu" : "us" } }));
    await feed(stub, [call("cur", cur)]);
    await scoreAll(stub);
    const items = (await stub.live()).segments!.items;
    expect(items.find((i) => i.key === "region:eu")!.baseline).toBe("segment");
    expect(items.find((i) => i.key === "region:us")!.baseline).toBe("global");
    const euLabels = cur.filter((_, i) => i % 2 === 0).slice(0, 100).map((e) => ({ prediction_id: e.prediction_id, actual: e.prediction, timestamp: Date.now() }));
    await stub.actuals({ identity: testIdentity(), actuals: euLabels });
    await runDurableObjectAlarm(stub);
    const eu = w5((await stub.liveSegment("region:eu"))!.windows);
    expect(eu.performance).toMatchObject({ task: "classification", labeled: 100 });
    expect(eu.performance!.metrics.accuracy).toBe(1);
    expect(w5((await stub.liveSegment("region:us"))!.windows).performance).toBeNull();
    await evictDurableObject(stub);
    expect(w5((await stub.liveSegment("region:eu"))!.windows).performance).toMatchObject({ labeled: 100 });
  });
});
