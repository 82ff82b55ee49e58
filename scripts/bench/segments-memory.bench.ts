// Segment drift's memory and time (issue 18): 20 tracked segments × 50 features (40
// numerical with a reference grid (1,000 quantiles globally, 250 in own baselines), 10 categorical), each segment with its
// own baseline, driven through the monitor's real segment code (durable/monitor/
// segment-buckets.ts, segment-views.ts) over Node's SQLite (scripts/testing/sqlite-storage.ts).
// Simulated time moves a minute per step across block and hour boundaries, so every one of
// a segment's six in-memory Aggregates (open, closed4, blockSoFar, closedBlocks, hourSoFar,
// closedDay) is filled. Reported per traffic level (events per segment per minute):
//   - serialized window bytes held per segment (the six Aggregates' toBytes), and in SQLite;
//   - heap (V8 heap + array buffers, after GC) of the segment state, and of the 20 segment
//     baselines, against a Durable Object's 128 MB;
//   - CPU per minute: counting (per event), persisting, the minute turn's rebuild and
//     scoring the 3 windows of a segment.
//
//   node --expose-gc scripts/bench/segments-memory.bench.ts [--rates 100,1000,5000] [--minutes 75] [--segments 20] [--features 50]
import { parseArgs } from "node:util";
import { cpus } from "node:os";
import { buildProfile } from "../../stats/profile/build.ts";
import { readProfile } from "../../stats/profile/io.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";
import type { FeatureSpec } from "../../durable/monitor/calls.ts";
import { EventColumnsBuilder, type EventColumns } from "../../durable/monitor/event-columns.ts";
import { SegmentBuckets } from "../../durable/monitor/segment-buckets.ts";
import { SegmentViews } from "../../durable/monitor/segment-views.ts";
import { MonitorStore } from "../../durable/monitor/storage.ts";
import { Buckets } from "../../durable/monitor/buckets.ts";
import { sqliteStorage } from "../testing/sqlite-storage.ts";
import { SEGMENT_GRID_BINS } from "../../stats/streaming/segments.ts";

const { values: flags } = parseArgs({
  options: {
    rates: { type: "string", default: "100,1000,5000" },
    minutes: { type: "string", default: "75" },
    segments: { type: "string", default: "20" },
    features: { type: "string", default: "50" },
  },
});
const RATES = flags.rates.split(",").map(Number);
const MINUTES = Number(flags.minutes);
const SEGMENTS = Number(flags.segments);
const FEATURES = Number(flags.features);
const MINUTE = 60_000;
const HOUR = 3_600_000;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error("run with node --expose-gc");
const heap = () => {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
const kb = (bytes: number) => (bytes / 1024).toFixed(0);

const specs: FeatureSpec[] = Array.from({ length: FEATURES }, (_, i) => ({ name: `f${i}`, kind: i % 5 === 4 ? "categorical" : "numerical" }));
const CATEGORIES = ["a", "b", "c", "d", "e", "f", "g", "h"];

function referenceProfile(seed: number, rows = 5_000, gridBins?: number): Profile {
  const normal = normalFrom(mulberry32(seed));
  const rand = mulberry32(seed + 1);
  const columns = new Map<string, unknown[]>();
  for (const f of specs) columns.set(f.name, Array.from({ length: rows }, () => (f.kind === "numerical" ? normal() * 10 + 50 : CATEGORIES[Math.floor(rand() * CATEGORIES.length)])));
  const built = buildProfile({ columns: specs.map((f) => f.name), get: (name) => columns.get(name)! }, { features: specs.map((f) => ({ name: f.name, kind: f.kind })), ...(gridBins !== undefined ? { gridBins } : {}) });
  // As the monitor holds it: read back from its stored JSON.
  return readProfile(JSON.parse(JSON.stringify(built)));
}

/** One minute of traffic: `rate` events for each segment, each row carrying { region: r<s> }. */
function batch(rate: number, minute: number, seed: number): EventColumns {
  const n = rate * SEGMENTS;
  const b = new EventColumnsBuilder(specs, n);
  const normal = normalFrom(mulberry32(seed));
  const rand = mulberry32(seed + 7);
  const maps = Array.from({ length: SEGMENTS }, (_, s) => ({ region: `r${s}` }));
  for (let r = 0; r < n; r++) {
    b.begin(`p${minute}-${r}`, minute + 1_000);
    b.prediction(r % 2);
    specs.forEach((f, i) => (f.kind === "numerical" ? b.number(i, normal() * 10 + 50) : b.label(i, CATEGORIES[Math.floor(rand() * CATEGORIES.length)]!)));
    b.segment(maps[r % SEGMENTS]!);
    b.commit();
  }
  return b.finish();
}

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface Row {
  rate: number;
  serializedPerSegment: number;
  storedBytes: number;
  segmentHeap: number;
  countMsPerEvent: number;
  persistMs: number;
  rollMs: number;
  turnMs: number;
  scoreMs: number;
}

const global = referenceProfile(1);
/** The segments' own baselines as the monitor stores them (segment_profiles, JSON). */
const ownJson = new Map(Array.from({ length: SEGMENTS }, (_, s) => [`region:r${s}`, JSON.stringify(referenceProfile(100 + s, 5_000, SEGMENT_GRID_BINS))] as const));
/** Scores a segment once on a throwaway state, so the global profile's decoded grids and sketches are in memory. */
function warm(): void {
  const { storage, close } = sqliteStorage();
  const store = new MonitorStore(storage);
  const t = Date.now();
  const buckets = new SegmentBuckets(store, global, t);
  buckets.configure({ topK: 1, keyFeatures: [] });
  const b = batch(5, t, 99);
  store.transaction(() => buckets.count(b, buckets.keysOf(b)!, t));
  new SegmentViews().score(buckets, "region:r0", t);
  close();
}

/**
 * One traffic level, in its own function: the heap is measured from its start to its end,
 * so nothing of an earlier level (held, say, by a stale interpreter register of the
 * caller) counts, and the state is alive at the second measure.
 */
function simulate(own: boolean, rate: number): Row & { own: boolean } {
  warm();
  const before = heap();
  const { storage, close } = sqliteStorage();
  const store = new MonitorStore(storage);
  if (own) store.segments.saveProfiles(ownJson);
  // Start 5 minutes before an hour so the run crosses hours and 10-minute blocks.
  const start = Math.ceil(Date.now() / HOUR) * HOUR + HOUR - 5 * MINUTE;
  const buckets = new SegmentBuckets(store, global, start);
  buckets.configure({ topK: SEGMENTS, keyFeatures: [] });
  const views = new SegmentViews();
  let countMs = 0;

  let persistMs = 0;
  let turnMs = 0;
  let rollMs = 0;
  let turns = 0;
  let events = 0;
  for (let i = 0; i < MINUTES; i++) {
    const minute = start + i * MINUTE;
    const now = minute + 30_000;
    const b = batch(rate, minute, i + 1);
    let t = cpu();
    store.transaction(() => {
      buckets.count(b, buckets.keysOf(b)!, now);
    });
    countMs += cpu() - t;
    events += b.length;
    t = cpu();
    store.transaction(() => buckets.persist());
    persistMs += cpu() - t;
    // The alarm's once-a-minute step: ranking, roll-ups of finished blocks and hours, pruning.
    t = cpu();
    store.transaction(() => {
      buckets.roll(now + 20_000);
      buckets.persist();
    });
    rollMs += cpu() - t;
    if (i % 10 === 9) {
      // A minute turn's rebuild of the closed parts, measured on one segment (the rest lazily).
      t = cpu();
      buckets.windows("region:r0", now + MINUTE);
      turnMs += cpu() - t;
      turns++;
    }
  }
  const end = start + MINUTES * MINUTE;
  const storedBytes = storage.sql.databaseSize;
  for (const key of buckets.slots.keys()) views.score(buckets, key, end);
  let t = cpu();
  for (const key of buckets.slots.keys()) views.score(buckets, key, end);
  const scoreMs = (cpu() - t) / buckets.slots.size;
  const serialized = [...buckets.slots.values()].filter((s) => s.key !== "other").map((s) => s.serializedBytes());
  // Everything the segments hold (open minutes, block and hour caches, scored views, own baselines).
  const segmentHeap = heap() - before;
  const row = {
    own,
    rate,
    serializedPerSegment: serialized.reduce((a, b) => a + b, 0) / serialized.length,
    storedBytes,
    segmentHeap,
    countMsPerEvent: countMs / events,
    persistMs: persistMs / MINUTES,
    rollMs: rollMs / MINUTES,
    turnMs: turnMs / Math.max(1, turns),
    scoreMs,
  };
  close();
  return row;
}

/** The version's global windows (durable/monitor/buckets.ts) over the same traffic, for comparison: heap and counting cost. */
function simulateGlobal(rate: number): { heap: number; countMsPerEvent: number } {
  const { storage, close } = sqliteStorage();
  const store = new MonitorStore(storage);
  const start = Math.ceil(Date.now() / HOUR) * HOUR + HOUR - 5 * MINUTE;
  const before = heap();
  const buckets = new Buckets(global);
  let countMs = 0;
  let events = 0;
  for (let i = 0; i < MINUTES; i++) {
    const minute = start + i * MINUTE;
    const now = minute + 30_000;
    const b = batch(rate, minute, i + 1);
    const t = cpu();
    store.transaction(() => {
      for (const aggregate of buckets.aggregatesFor(minute, now)) aggregate.add(b, null);
      buckets.persist(store);
    });
    countMs += cpu() - t;
    events += b.length;
    store.transaction(() => buckets.roll(now + 20_000, store));
  }
  buckets.windows(start + MINUTES * MINUTE);
  const held = heap() - before;
  close();
  return { heap: held, countMsPerEvent: countMs / events };
}

const globals = new Map(RATES.map((rate) => [rate, simulateGlobal(rate)]));
const rows: (Row & { own: boolean })[] = [];
for (const own of [true, false]) for (const rate of RATES) rows.push(simulate(own, rate));

console.log(`\n${SEGMENTS} segments × ${FEATURES} features (${specs.filter((f) => f.kind === "numerical").length} numerical; global baseline grid 1,000 quantiles, own baselines ${SEGMENT_GRID_BINS}), ${MINUTES} simulated minutes; ${cpus()[0]?.model ?? "cpu"}, node ${process.version}\n`);
console.log("| baselines | events per segment per minute | serialized windows per segment (KB) | heap: segment state and own baselines, all segments + other (MB) | SQLite (MB) | segment count (µs/event) | global count (µs/event) | global windows heap (MB) | persist per fold (ms) | minute roll, all segments (ms) | first scoring after a turn, one segment (ms) | score 3 windows, one segment (ms) |");
console.log("|---|---|---|---|---|---|---|---|---|---|---|---|");
for (const r of rows) {
  console.log(`| ${r.own ? "own per segment" : "global"} | ${r.rate.toLocaleString()} | ${kb(r.serializedPerSegment)} | ${mb(r.segmentHeap)} | ${mb(r.storedBytes)} | ${(r.countMsPerEvent * 1000).toFixed(1)} | ${(globals.get(r.rate)!.countMsPerEvent * 1000).toFixed(1)} | ${mb(globals.get(r.rate)!.heap)} | ${r.persistMs.toFixed(1)} | ${r.rollMs.toFixed(1)} | ${r.turnMs.toFixed(1)} | ${r.scoreMs.toFixed(1)} |`);
}
