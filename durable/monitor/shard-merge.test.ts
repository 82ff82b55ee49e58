// Sharded monitors (issue 23): the same seeded stream through one object and through its
// shards gives the same windows: counts, data quality and performance exactly, every
// drift score (binned and grid-based) and decision alike, whatever N and however often N changes;
// and the same segment windows (segment-shard-copies.ts), a segment that enters later included.
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { testEnv } from "../../workers/testing/seed.ts";
import { actualsToShards, ingestToShards } from "../../workers/ingest/shard-route.ts";
import type { ModelVersionRecord } from "../../workers/registry/versions.ts";
import type { MonitorStats } from "../model-monitor.ts";
import type { SnapshotMessage, WindowView } from "../protocol.ts";
import { profileFromBatches } from "./auto-baseline.ts";
import type { ActualEvent } from "./calls.ts";
import type { ErasureCall, ErasureResult } from "./erasure.ts";
import type { MonitorRetention, RetentionRemoved } from "./retention.ts";
import { columnsFromEvents } from "./event-columns.ts";
import { monitorName, shardObjectName } from "./name.ts";
import type { SeriesPoint } from "./series.ts";
import { SEGMENT_GRID_BINS } from "../../stats/streaming/segments.ts";
import { selectRows } from "./segment-baselines.ts";
import { shardOf } from "./shards.ts";
import { TEST_FEATURES, testEvents, testIdentity } from "./testing.ts";

let counter = 0;
const identity = testIdentity();

/** A fresh version with `shards` shards, its baseline set on the coordinator (and the single object alike). */
async function version(shards: number, profile: unknown) {
  counter++;
  const record = { ...identity, model: `shard-${counter}-${Date.now()}`, shards, shardsMax: shards } as unknown as ModelVersionRecord;
  const name = (i: number) => shardObjectName(monitorName(record.orgId, record.model, record.version), i);
  await testEnv.ModelMonitor.getByName(name(0)).setBaseline(profile);
  return { record, stub: (i: number) => testEnv.ModelMonitor.getByName(name(i)) };
}

interface SegmentPlan {
  /** Row i is in segment `region:<regions[i % regions.length]>`. */
  regions: string[];
  topK?: number;
}

/**
 * A seeded batch of 1,000 events stamped `minutesAgo` minutes back (windows are by event
 * time, so batches land in several minute buckets); with `segments`, each row carries a region.
 */
function send(record: ModelVersionRecord, batchId: string, seed: number, ageShift = 0, minutesAgo = 0, segments?: SegmentPlan) {
  const events = testEvents(1_000, { seed, ageShift, idPrefix: `s${seed}` });
  events.forEach((e, i) => {
    e.timestamp -= minutesAgo * 60_000;
    if (segments) e.segment = { region: segments.regions[i % segments.regions.length]! };
  });
  const batch = columnsFromEvents(events, TEST_FEATURES);
  const call = { identity: { ...identity, model: record.model }, features: TEST_FEATURES, batchId, receivedAt: Date.now(), ...(segments?.topK !== undefined ? { segmentTopK: segments.topK } : {}) };
  return ingestToShards(testEnv, record, call, batch);
}

interface SegmentsStub {
  tracksSegment(key: string): Promise<boolean>;
  liveSegment(key: string): Promise<SnapshotMessage | null>;
  live(): Promise<SnapshotMessage>;
}

/** Each history take a later hour than any before, so every object gives its segment history (at most once a minute otherwise). */
let historyTakes = 0;

/** The coordinator's tracked segments (sorted), its windows per segment, the socket's summary and the outbox's segment history. */
async function segmentState(stub: DurableObjectStub) {
  const tracked = await runInDurableObject(stub, (instance: unknown) => [...(instance as { monitor: { segments: { slots: Map<string, unknown> } } }).monitor.segments.slots.keys()].sort());
  const windows = new Map<string, WindowView[]>();
  for (const key of tracked) windows.set(key, (await (stub as unknown as SegmentsStub).liveSegment(key))!.windows);
  const summary = (await (stub as unknown as SegmentsStub).live()).segments!;
  const history = await runInDurableObject(stub, (instance: unknown) => (instance as { monitor: { takeSegmentHistory(now: number): { key: string; windows: WindowView[] }[] } }).monitor.takeSegmentHistory(Date.now() + ++historyTakes * 3_600_000));
  return { tracked, windows, summary, history: new Map(history.map((h) => [h.key, h.windows])) };
}

/** The coordinator's segment windows, summary and history equal the single object's, segment by segment. */
async function expectSameSegments(sharded: DurableObjectStub, single: DurableObjectStub): Promise<Awaited<ReturnType<typeof segmentState>>> {
  const a = await segmentState(sharded);
  const b = await segmentState(single);
  expect(a.tracked).toEqual(b.tracked);
  for (const key of b.tracked) {
    for (const w of b.windows.get(key)!) expectSameWindow(a.windows.get(key)!.find((x) => x.window === w.window)!, w);
    expect(a.history.get(key)?.map((w) => w.rows), `history ${key}`).toEqual(b.history.get(key)?.map((w) => w.rows));
  }
  const items = (s: typeof a.summary) => s.items.map((i) => ({ key: i.key, rows: i.rows, driftShare: i.driftShare, driftedFeatures: i.driftedFeatures, baseline: i.baseline }));
  expect(items(a.summary)).toEqual(items(b.summary));
  expect(a.summary.segment_drift).toEqual(b.summary.segment_drift);
  return b;
}

/** Events per segment over the last hour, as the ranking reads them. */
async function hourCounts(stub: DurableObjectStub): Promise<Record<string, number>> {
  return runInDurableObject(stub, (instance: unknown) => Object.fromEntries([...(instance as { monitor: { segments: { hourCounts(now: number): Map<string, number> } } }).monitor.segments.hourCounts(Date.now())].sort()));
}

/** Ranks the tracked segments now (the once-a-minute step of segment-buckets.ts roll), on the coordinator's merged counts. */
async function rankSegmentsNow(stub: DurableObjectStub): Promise<void> {
  await runInDurableObject(stub, (instance: unknown) => {
    const m = (instance as { monitor: { store: { transaction(fn: () => void): void }; segments: { roll(now: number): void; persist(): void } } }).monitor;
    m.store.transaction(() => {
      m.segments.roll(Date.now());
      m.segments.persist();
    });
  });
}

/** Every shard's alarm (they count), then the coordinator's (it pulls, merges and scores). */
async function settle(v: { stub: (i: number) => DurableObjectStub }, shards: number): Promise<SnapshotMessage> {
  for (let i = 1; i < shards; i++) await runDurableObjectAlarm(v.stub(i));
  await runDurableObjectAlarm(v.stub(0));
  return (v.stub(0) as unknown as { live(): Promise<SnapshotMessage> }).live();
}

const w5 = (live: SnapshotMessage): WindowView => live.windows.find((w) => w.window === "5m")!;

/** Same labels and confusion; the metrics equal but for the order of floating-point sums. */
function expectSamePerformance(sharded: WindowView["performance"], single: WindowView["performance"]): void {
  expect(sharded?.labeled).toBe(single?.labeled);
  expect(Object.keys(sharded?.metrics ?? {})).toEqual(Object.keys(single?.metrics ?? {}));
  for (const [name, x] of Object.entries(single?.metrics ?? {})) expect(sharded!.metrics[name], name).toBeCloseTo(x, 12);
}

/**
 * Counts equal; quality, categorical and binned scores exact; KS and normed Wasserstein
 * exact too, since both sides count exactly into the same reference grid (grid counts are
 * integers and merge exactly; only the tail sums' floating-point order differs), so the
 * decisions (deciding score, effective threshold, drifted) match as well.
 */
function expectSameWindow(sharded: WindowView, single: WindowView): void {
  expect(sharded.rows).toBe(single.rows);
  expect(sharded.quality).toEqual(single.quality);
  expectSamePerformance(sharded.performance, single.performance);
  expect(sharded.latency?.count).toBe(single.latency?.count);
  for (const f of single.features) {
    const s = sharded.features.find((x) => x.feature === f.feature)!;
    expect(s.count).toBe(f.count);
    expect(s.distribution).toEqual(f.distribution);
    expect(Object.keys(s.scores).sort()).toEqual(Object.keys(f.scores).sort());
    // Relative, so a p-value of 1e-90 is compared at its own scale, not as "close to 0".
    for (const [name, x] of Object.entries(f.scores)) expect(Math.abs(s.scores[name]! - x), `${f.feature} ${name}: ${s.scores[name]} vs ${x}`).toBeLessThanOrEqual(1e-9 * Math.abs(x) + 1e-15);
    expect({ method: s.method, drifted: s.drifted }).toEqual({ method: f.method, drifted: f.drifted });
    expect(s.score, `${f.feature} deciding score`).toBeCloseTo(f.score!, 9);
    expect(s.threshold, `${f.feature} threshold`).toBeCloseTo(f.threshold, 9);
  }
}

const reference = profileFromBatches([columnsFromEvents(testEvents(5_000, { seed: 99, idPrefix: "ref" }), TEST_FEATURES)], TEST_FEATURES, Date.now());

describe("sharded monitors", () => {
  it("a seeded stream through 1 shard and through 4 gives the same counts and scores", async () => {
    const one = await version(1, reference);
    const four = await version(4, reference);
    for (let b = 0; b < 6; b++) {
      expect(await send(one.record, `b${b}`, b + 1, b >= 3 ? 15 : 0, b % 3)).toEqual({ duplicate: false, accepted: 1_000 });
      expect(await send(four.record, `b${b}`, b + 1, b >= 3 ? 15 : 0, b % 3)).toEqual({ duplicate: false, accepted: 1_000 });
    }
    const single = await settle(one, 1);
    const sharded = await settle(four, 4);
    expect(single.totals.events).toBe(6_000);
    expect(sharded.totals.events).toBe(6_000);
    expect(w5(sharded).features.find((f) => f.feature === "age")!.drifted).toBe(true);
    expectSameWindow(w5(sharded), w5(single));
    expectSameWindow(sharded.windows.find((w) => w.window === "24h")!, single.windows.find((w) => w.window === "24h")!);
    // monitor-stats of a sharded version: every shard's totals, and the coordinator's merge cost.
    const stats = await (four.stub(0) as unknown as { stats(): Promise<MonitorStats> }).stats();
    expect(stats.totals.events).toBe(6_000);
    expect(stats.sharding).toMatchObject({ shards: [1, 2, 3] });
    expect(stats.sharding!.ticks).toBeGreaterThanOrEqual(1);
    expect(stats.sharding!.mergedSlotsPerTick).toBeGreaterThan(0);
    expect(stats.sharding!.mergeMsPerTick).toBeGreaterThanOrEqual(0);
    expect((await (one.stub(0) as unknown as { stats(): Promise<MonitorStats> }).stats()).sharding).toBeUndefined();
    // Every shard held a share (the split is by hash, not all on one object).
    for (let i = 1; i < 4; i++) expect((await (four.stub(i) as unknown as { stats(): Promise<{ totals: { events: number } }> }).stats()).totals.events).toBeGreaterThan(1_000);
  });

  it("the same stream with segments gives the same segment windows, summary and history, a segment first seen later included", async () => {
    const one = await version(1, reference);
    const four = await version(4, reference);
    for (let b = 0; b < 6; b++) {
      // region:latam first appears in the fourth batch, and is tracked at once (a slot is free).
      const segments = { regions: b >= 3 ? ["eu", "us", "apac", "latam"] : ["eu", "us", "apac"] };
      for (const v of [one, four]) expect(await send(v.record, `b${b}`, b + 1, b >= 3 ? 15 : 0, b % 3, segments)).toEqual({ duplicate: false, accepted: 1_000 });
      await settle(one, 1);
      await settle(four, 4);
    }
    const single = await expectSameSegments(four.stub(0), one.stub(0));
    expect(single.tracked).toEqual(["other", "region:apac", "region:eu", "region:latam", "region:us"]);
    const eu = single.windows.get("region:eu")!.find((w) => w.window === "5m")!;
    expect(eu.rows).toBe(3 * 334 + 3 * 250);
    expect(eu.features.find((f) => f.feature === "age")!.drifted).toBe(true);
    expect(single.windows.get("region:latam")!.find((w) => w.window === "1h")!.rows).toBe(750);
    // Labels reach each segment's performance on the shard that holds the prediction (copied as performance alone).
    const labelled = testEvents(1_000, { seed: 6, idPrefix: "s6" }).slice(0, 400);
    const actuals: ActualEvent[] = labelled.map((e, i) => ({ prediction_id: e.prediction_id, actual: i % 3 === 0 ? 1 - Number(e.prediction) : e.prediction, timestamp: Date.now() }));
    for (const v of [one, four]) await actualsToShards(testEnv, v.record, { identity: { ...identity, model: v.record.model }, actuals });
    await settle(one, 1);
    await settle(four, 4);
    const withLabels = await expectSameSegments(four.stub(0), one.stub(0));
    expect(withLabels.windows.get("region:eu")!.find((w) => w.window === "5m")!.performance?.labeled).toBe(100);
    // A restarted coordinator (its cursors and copied counts were in memory) and a restarted shard (a new epoch) are sent everything again, and count it once.
    const rowsCursor = (shard: number) => runInDurableObject(four.stub(0), (instance: unknown) => (instance as { monitor: { segments: { remote: { rowsCursor(shard: number): { epoch: string } | null } } } }).monitor.segments.remote.rowsCursor(shard));
    const before = [await rowsCursor(1), await rowsCursor(2)];
    await evictDurableObject(four.stub(0));
    await evictDurableObject(four.stub(2));
    await settle(four, 4);
    await settle(four, 4);
    await expectSameSegments(four.stub(0), one.stub(0));
    // The coordinator went on where its copies stood with shard 1; restarted shard 2 sent a whole copy (a new epoch).
    expect((await rowsCursor(1))?.epoch).toBe(before[0]!.epoch);
    expect((await rowsCursor(2))?.epoch).not.toBe(before[1]!.epoch);
  });

  it("shards that admitted different segments for the last free slot converge on the coordinator's set", async () => {
    const four = await version(4, reference);
    const tracked = (stub: DurableObjectStub) => runInDurableObject(stub, (instance: unknown) => (instance as { monitor: { segments: { tracked(): { key: string }[] } } }).monitor.segments.tracked().map((s) => s.key).sort());
    // One slot, eight regions: each object admits the first region it sees, so the shards disagree.
    await send(four.record, "k1", 85, 0, 0, { regions: ["a", "b", "c", "d", "e", "f", "g", "h"], topK: 1 });
    for (let i = 1; i < 4; i++) await runDurableObjectAlarm(four.stub(i));
    const admitted = await Promise.all([1, 2, 3].map((i) => tracked(four.stub(i))));
    expect(admitted.map((keys) => keys.length)).toEqual([1, 1, 1]);
    expect(new Set(admitted.flat()).size).toBeGreaterThan(1);
    await settle(four, 4); // the coordinator takes one of them (or keeps its own)
    await settle(four, 4); // and every shard drops the others
    const set = await tracked(four.stub(0));
    expect(set).toHaveLength(1);
    for (let i = 1; i < 4; i++) expect(await tracked(four.stub(i)), `shard ${i}`).toEqual(set);
  });

  it("per-segment baselines reach the shards, and segment windows merge on their bins", async () => {
    const regionEvents = (n: number, seed: number, prefix: string) => testEvents(n, { seed, idPrefix: prefix }).map((e, i) => ({ ...e, segment: { region: i % 2 === 0 ? "eu" : "us" } }));
    const held = columnsFromEvents(regionEvents(2_000, 98, "segref"), TEST_FEATURES);
    const euRows = Array.from({ length: 1_000 }, (_, i) => 2 * i);
    const euProfile = profileFromBatches([selectRows(held, euRows)], TEST_FEATURES, Date.now(), SEGMENT_GRID_BINS);
    const one = await version(1, reference);
    const four = await version(4, reference);
    for (const v of [one, four]) await (v.stub(0) as unknown as { setBaseline(p: unknown, rows: undefined, s: Record<string, unknown>): Promise<unknown> }).setBaseline(reference, undefined, { "region:eu": euProfile });
    for (let b = 0; b < 3; b++) {
      for (const v of [one, four]) await send(v.record, `sb${b}`, 90 + b, b >= 1 ? 15 : 0, 0, { regions: ["eu", "us"] });
      await settle(one, 1);
      await settle(four, 4);
    }
    await settle(four, 4);
    const single = await expectSameSegments(four.stub(0), one.stub(0));
    expect(single.summary.items.find((i) => i.key === "region:eu")!.baseline).toBe("segment");
    expect(single.windows.get("region:eu")!.find((w) => w.window === "5m")!.rows).toBe(1_500);
    for (let i = 1; i < 4; i++) {
      const own = await runInDurableObject(four.stub(i), (instance: unknown) => (instance as { monitor: { segments: { slots: Map<string, { ownBaseline: boolean }> } } }).monitor.segments.slots.get("region:eu")?.ownBaseline);
      expect(own, `shard ${i}`).toBe(true);
    }
  });

  it("a segment that enters the tracked set by the ranking counts on every shard from then on", async () => {
    const one = await version(1, reference);
    const four = await version(4, reference);
    const both = async (batchId: string, seed: number, regions: string[]) => {
      for (const v of [one, four]) await send(v.record, batchId, seed, 0, 0, { regions, topK: 2 });
      await settle(one, 1);
      await settle(four, 4);
    };
    await both("eu-us", 81, ["eu", "eu", "us"]);
    // Both slots are taken: apac counts in `other` everywhere, until the ranking swaps it in for us.
    await both("apac", 82, ["apac"]);
    await both("apac-2", 83, ["apac"]);
    // The coordinator ranks on every shard's counts, a restarted one too (its full pull brings them again).
    await evictDurableObject(four.stub(0));
    await settle(four, 4);
    expect(await hourCounts(four.stub(0))).toEqual(await hourCounts(one.stub(0)));
    expect(await hourCounts(four.stub(0))).toEqual({ "region:apac": 2_000, "region:eu": 667, "region:us": 333 });
    for (const v of [one, four]) await rankSegmentsNow(v.stub(0));
    await settle(four, 4); // the coordinator's new set reaches its shards with the pull
    await both("all", 84, ["eu", "us", "apac", "apac"]);
    const single = await expectSameSegments(four.stub(0), one.stub(0));
    expect(single.tracked).toEqual(["other", "region:apac", "region:eu"]);
    const rows = (key: string) => single.windows.get(key)!.find((w) => w.window === "5m")!.rows;
    expect(rows("region:apac")).toBe(500);
    expect(rows("other")).toBe(2_000 + 250);
    expect(rows("region:eu")).toBe(667 + 250);
  });

  it("a retried batch id is not counted twice, on any shard", async () => {
    const four = await version(4, reference);
    await send(four.record, "once", 7);
    await settle(four, 4);
    const retry = await send(four.record, "once", 7);
    expect(retry).toMatchObject({ duplicate: true, accepted: 1_000 });
    const live = await settle(four, 4);
    expect(live.totals.events).toBe(1_000);
    expect(w5(live).rows).toBe(1_000);
  });

  it("changing N mid-stream (2, then 4, then 1) loses and double-counts nothing", async () => {
    const one = await version(1, reference);
    const v = await version(2, reference);
    const plan = [2, 2, 4, 4, 1, 1];
    for (const [b, shards] of plan.entries()) {
      v.record.shards = shards;
      await send(v.record, `b${b}`, 20 + b, b >= 2 ? 15 : 0, b % 2);
      await send(one.record, `b${b}`, 20 + b, b >= 2 ? 15 : 0, b % 2);
      await settle(v, 4);
    }
    const single = await settle(one, 1);
    const sharded = await settle(v, 4);
    expect(sharded.totals.events).toBe(6_000);
    expectSameWindow(w5(sharded), w5(single));
  });

  it("a shard added with a full tracked set counts in that set from its first row", async () => {
    const one = await version(1, reference);
    const v = await version(2, reference);
    const both = async (batchId: string, seed: number, regions: string[]) => {
      for (const x of [one, v]) await send(x.record, batchId, seed, 0, 0, { regions, topK: 2 });
      await settle(one, 1);
      await settle(v, 4);
    };
    await both("two", 86, ["eu", "us"]);
    v.record.shards = 4;
    v.record.shardsMax = 4;
    // Shards 2 and 3 register now; apac comes first in every batch, but the set {eu, us} is full.
    await both("four", 87, ["apac", "eu", "us"]);
    const single = await expectSameSegments(v.stub(0), one.stub(0));
    expect(single.tracked).toEqual(["other", "region:eu", "region:us"]);
    expect(single.windows.get("other")!.find((w) => w.window === "5m")!.rows).toBe(334);
  });

  it("actuals join their predictions across shards", async () => {
    const one = await version(1, reference);
    const four = await version(4, reference);
    for (const v of [one, four]) await send(v.record, "p", 5);
    const events = testEvents(1_000, { seed: 5, idPrefix: "s5" });
    const actuals: ActualEvent[] = events.slice(0, 400).map((e, i) => ({ prediction_id: e.prediction_id, actual: i % 3 === 0 ? 1 - Number(e.prediction) : e.prediction, timestamp: Date.now() }));
    actuals.push({ prediction_id: "never-sent", actual: 1, timestamp: Date.now() });
    const call = (v: typeof one) => ({ identity: { ...identity, model: v.record.model }, actuals });
    const singleJoin = await actualsToShards(testEnv, one.record, call(one));
    const shardedJoin = await actualsToShards(testEnv, four.record, call(four));
    expect(shardedJoin).toEqual(singleJoin);
    expect(shardedJoin).toMatchObject({ matched: 400, unmatched: 1, unmatchedIds: ["never-sent"] });
    const single = await settle(one, 1);
    const sharded = await settle(four, 4);
    expect(w5(sharded).performance?.labeled).toBe(400);
    expectSamePerformance(w5(sharded).performance, w5(single).performance);
    expect(sharded.totals.actuals).toBe(400);
  });

  it("a batch id retried after N changed (2 -> 4, then 1) splits as its first attempt did and counts once", async () => {
    const v = await version(2, reference);
    expect(await send(v.record, "moved", 31)).toEqual({ duplicate: false, accepted: 1_000 });
    await settle(v, 4);
    // Under 4 shards about half the rows hash elsewhere (to shards 2 and 3, which never saw the batch id).
    v.record.shards = 4;
    v.record.shardsMax = 4;
    expect(await send(v.record, "moved", 31)).toMatchObject({ duplicate: true, accepted: 1_000 });
    v.record.shards = 1;
    expect(await send(v.record, "moved", 31)).toMatchObject({ duplicate: true, accepted: 1_000 });
    // A new batch id takes the current N: all of it on shard 0.
    expect(await send(v.record, "fresh", 32)).toEqual({ duplicate: false, accepted: 1_000 });
    const live = await settle(v, 4);
    expect(live.totals.events).toBe(2_000);
    expect(w5(live).rows).toBe(2_000);
    for (const shard of [2, 3]) expect((await (v.stub(shard) as unknown as { stats(): Promise<{ totals: { events: number } }> }).stats()).totals.events).toBe(0);
  });

  it("actuals find predictions stored under an earlier N, and an unmatched one is counted once", async () => {
    const v = await version(1, reference);
    await send(v.record, "under-1", 41); // all on shard 0
    v.record.shards = 4;
    v.record.shardsMax = 4;
    await send(v.record, "under-4", 42); // spread over 4
    v.record.shards = 2;
    const early = testEvents(1_000, { seed: 41, idPrefix: "s41" });
    const late = testEvents(1_000, { seed: 42, idPrefix: "s42" });
    const actuals: ActualEvent[] = [...early.slice(0, 300), ...late.slice(0, 300)].map((e) => ({ prediction_id: e.prediction_id, actual: e.prediction, timestamp: Date.now() }));
    actuals.push({ prediction_id: "never-sent", actual: 1, timestamp: Date.now() }, { prediction_id: "never-sent-2", actual: 0, timestamp: Date.now() });
    const call = { identity: { ...identity, model: v.record.model }, actuals };
    // Under 2 shards, the home of many of these ids is a shard that does not hold them.
    expect(actuals.filter((a, i) => i < 600 && shardOf(a.prediction_id, 2) !== shardOf(a.prediction_id, i < 300 ? 1 : 4)).length).toBeGreaterThan(100);
    const joined = await actualsToShards(testEnv, v.record, call);
    expect(joined).toMatchObject({ matched: 600, unmatched: 2, alreadyLabeled: 0 });
    expect(joined.unmatchedIds.sort()).toEqual(["never-sent", "never-sent-2"]);
    const again = await actualsToShards(testEnv, v.record, call);
    expect(again).toMatchObject({ matched: 0, unmatched: 2, alreadyLabeled: 600 });
    const live = await settle(v, 4);
    expect(w5(live).performance?.labeled).toBe(600);
    expect(live.totals.actuals).toBe(600);
    // Two calls, each counting each of the two unknown ids once, whatever shard was asked.
    expect(live.totals.unmatchedActuals).toBe(4);
  });

  it("the event-time series reads the merged buckets: a minute only a shard counted is owed, with every shard's rows", async () => {
    const one = await version(1, reference);
    const four = await version(4, reference);
    for (const v of [one, four]) await send(v.record, "first", 51);
    await settle(one, 1);
    await settle(four, 4); // the first outbox row took the points owed so far
    // A batch whose every row hashes to shard 1: the coordinator counts none of it itself.
    const events = testEvents(4_000, { seed: 52, idPrefix: "s52" }).filter((e) => shardOf(e.prediction_id, 4) === 1).slice(0, 500);
    for (const e of events) e.timestamp -= 3 * 60_000;
    for (const v of [one, four]) {
      await ingestToShards(testEnv, v.record, { identity: { ...identity, model: v.record.model }, features: TEST_FEATURES, batchId: "only-shard-1", receivedAt: Date.now() }, columnsFromEvents(events, TEST_FEATURES));
    }
    await settle(one, 1);
    await settle(four, 4);
    const minute = Math.floor(events[0]!.timestamp / 60_000) * 60_000;
    const points = async (stub: DurableObjectStub) => runInDurableObject(stub, (instance: unknown) => {
      const m = (instance as { monitor: { series: { pending: number; touch(t: number): void }; takeSeries(now: number): SeriesPoint[] } }).monitor;
      const pending = m.series.pending;
      m.series.touch(minute); // the single object may have sent its points already: ask for this minute again
      return { pending, points: m.takeSeries(Date.now()) };
    });
    const sharded = await points(four.stub(0));
    expect(sharded.pending).toBeGreaterThan(0); // owed because shard 1 changed the minute
    const single = await points(one.stub(0));
    const rowsAt = (ps: SeriesPoint[]) => ps.find((p) => p.granularity === "minute" && p.t === minute)?.rows;
    expect(rowsAt(sharded.points)).toBe(500);
    expect(rowsAt(sharded.points)).toBe(rowsAt(single.points));
    const hour = (ps: SeriesPoint[]) => ps.find((p) => p.granularity === "hour")!;
    expect(hour(sharded.points).rows).toBe(hour(single.points).rows);
    const scores = hour(single.points).feature_scores;
    expect(Object.keys(hour(sharded.points).feature_scores)).toEqual(Object.keys(scores));
    for (const [name, x] of Object.entries(scores)) expect(hour(sharded.points).feature_scores[name], name).toBeCloseTo(x, 9);
  });

  it("erasure and retention asked of the version's object reach every shard", async () => {
    const four = await version(4, reference);
    await send(four.record, "to-erase", 61);
    await settle(four, 4);
    const ids = testEvents(1_000, { seed: 61, idPrefix: "s61" }).slice(0, 40).map((e) => e.prediction_id);
    expect(new Set(ids.map((id) => shardOf(id, 4))).size).toBe(4); // rows on every shard
    const coordinator = four.stub(0) as unknown as {
      erase(c: ErasureCall): Promise<ErasureResult>;
      closeErasure(id: string): Promise<void>;
      applyRetention(p: MonitorRetention): Promise<RetentionRemoved>;
    };
    const requestId = crypto.randomUUID();
    const erased = await coordinator.erase({ requestId, predictionIds: ids });
    expect(erased.removed.predictions).toBe(40);
    expect([...erased.predictionIds].sort()).toEqual([...ids].sort());
    // Retried (the Worker lost the reply): the cumulative counts, not twice them.
    expect((await coordinator.erase({ requestId, predictionIds: ids })).removed.predictions).toBe(40);
    await coordinator.closeErasure(requestId);
    const joined = await actualsToShards(testEnv, four.record, { identity: { ...identity, model: four.record.model }, actuals: ids.map((id) => ({ prediction_id: id, actual: 1, timestamp: Date.now() })) });
    expect(joined).toMatchObject({ matched: 0, unmatched: 40 });
    const policy: MonitorRetention = { rawEventsDays: 3, labelsDays: 2, aggregatesDays: 5 };
    await coordinator.applyRetention(policy);
    for (let i = 1; i < 4; i++) {
      const kept = await runInDurableObject(four.stub(i), (instance: unknown) => (instance as { monitor: { retention: MonitorRetention } }).monitor.retention);
      expect(kept, `shard ${i}`).toEqual(policy);
    }
  });

  it("without a reference grid, 1 and 4 shards give KS and normed W1 within the sketches' stated bounds of each other", async () => {
    // A profile without the grid (gridBins 0, as profiles made before it): KS and W1 come from the merged KLL sketches.
    const sketchOnly = profileFromBatches([columnsFromEvents(testEvents(5_000, { seed: 99, idPrefix: "ref" }), TEST_FEATURES)], TEST_FEATURES, Date.now(), 0);
    expect(sketchOnly.features.filter((f) => f.kind === "numerical" && f.grid !== undefined)).toEqual([]);
    const one = await version(1, sketchOnly);
    const four = await version(4, sketchOnly);
    for (let b = 0; b < 4; b++) for (const v of [one, four]) await send(v.record, `k${b}`, 70 + b, b >= 2 ? 15 : 0, b % 2);
    const single = w5(await settle(one, 1));
    const sharded = w5(await settle(four, 4));
    expect(sharded.rows).toBe(single.rows);
    for (const name of ["age", "income"]) {
      const a = sharded.features.find((f) => f.feature === name)!.scores;
      const b = single.features.find((f) => f.feature === name)!.scores;
      // Each is within its bound of the exact value over the same rows, so they are within the sum of the two of each other.
      expect(Math.abs(a.wasserstein_normed! - b.wasserstein_normed!), `${name} W1`).toBeLessThanOrEqual(a.wasserstein_normed_error_bound! + b.wasserstein_normed_error_bound!);
      expect(Math.abs(a.ks_d! - b.ks_d!), `${name} KS`).toBeLessThanOrEqual(a.ks_d_upper! - a.ks_d! + (b.ks_d_upper! - b.ks_d!));
      // The binned scores count exact bins on both sides.
      for (const binned of ["psi", "js", "hellinger"]) expect(a[binned], `${name} ${binned}`).toBeCloseTo(b[binned]!, 9);
    }
    expect(sharded.features.find((f) => f.feature === "age")!.drifted).toBe(true);
    expect(single.features.find((f) => f.feature === "age")!.drifted).toBe(true);
  });
});
