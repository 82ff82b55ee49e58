// Benchmark: the live-window hot path (stats/streaming) — event update throughput with
// 50 features, scoring, judging and data-quality time per window, serialized window size
// per feature, and the cost of rolling 1,440 one-minute buckets into a 24-hour window
// (directly, pairwise, and from 24 hourly roll-ups as the Durable Object keeps them).
//
// Run from the repo root:
//   node scripts/bench/streaming.bench.ts [--events 200000] [--features 50]
// Prints Markdown tables; results are recorded in docs/benchmarks.md under
// "Streaming statistics". One core, no worker threads.

import { parseArgs } from "node:util";
import { buildProfile } from "../../stats/profile/build.ts";
import type { Profile } from "../../stats/profile/schema.ts";
import { KllSketch } from "../../stats/sketch/kll.ts";
import type { NumericalWindow } from "../../stats/streaming/numerical-window.ts";
import { dataQuality } from "../../stats/streaming/data-quality.ts";
import { judgeWindow } from "../../stats/streaming/judge.ts";
import { scoreWindow } from "../../stats/streaming/score-window.ts";
import { WindowState } from "../../stats/streaming/window.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({
  options: {
    events: { type: "string", default: "200000" },
    features: { type: "string", default: "50" },
  },
});
const eventCount = Number(flags.events);
const featureCount = Number(flags.features);
const CATEGORIES = Array.from({ length: 20 }, (_, i) => `cat_${i}`);

/** Every 5th feature categorical (20 labels, skewed), the rest normal with per-feature scale. */
function makeEvents(seed: number, n: number, shift: number): Record<string, unknown>[] {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (let f = 0; f < featureCount; f++) {
      if (f % 5 === 4) {
        const u = uniform();
        row[`f${f}`] = CATEGORIES[Math.floor(u * u * CATEGORIES.length)];
      } else {
        row[`f${f}`] = (f + 1) * normal() + shift;
      }
    }
    row.score = uniform();
    out.push(row);
  }
  return out;
}

function time<T>(run: () => T): { ms: number; value: T } {
  const start = performance.now();
  const value = run();
  return { ms: performance.now() - start, value };
}

function fillWindow(profile: Profile, events: readonly Record<string, unknown>[]): WindowState {
  const window = new WindowState(profile);
  for (const event of events) window.updateRow(event, event.score);
  return window;
}

const reference = makeEvents(1, 20_000, 0);
const built = time(() => buildProfile(reference, { prediction: "score" }));
const profile = built.value;
const traffic = makeEvents(2, eventCount, 0.1);

// Warm up the JIT, then measure.
fillWindow(profile, traffic.slice(0, 20_000));
const update = time(() => fillWindow(profile, traffic));
const eventsPerSecond = eventCount / (update.ms / 1000);
const valuesPerSecond = (eventCount * (featureCount + 1)) / (update.ms / 1000);

const scoring = [1000, 100_000].map((size) => {
  const window = fillWindow(profile, traffic.slice(0, size));
  for (let i = 0; i < 5; i++) scoreWindow(profile, fillWindow(profile, traffic.slice(0, 200)));
  const runs = 20;
  const timed = time(() => {
    for (let i = 0; i < runs; i++) scoreWindow(profile, window);
  });
  const judged = time(() => {
    for (let i = 0; i < runs; i++) judgeWindow(profile, window);
  });
  const quality = time(() => {
    for (let i = 0; i < runs; i++) dataQuality(profile, window);
  });
  return { size, ms: timed.ms / runs, judgeMs: judged.ms / runs, qualityMs: quality.ms / runs };
});

function sizePerFeature(window: WindowState) {
  const numerical: number[] = [];
  const categorical: number[] = [];
  for (const feature of window.features) {
    const single = new WindowState({ ...profile, features: [profile.features[window.features.indexOf(feature)]!], prediction: null }, [feature], null);
    (feature.kind === "numerical" ? numerical : categorical).push(single.toBytes().length);
  }
  const max = (xs: number[]) => Math.max(...xs);
  return { numerical: max(numerical), categorical: max(categorical), total: window.toBytes().length };
}

const minuteEvents = traffic.slice(0, 1000);
const minute = fillWindow(profile, minuteEvents);
const minuteSize = sizePerFeature(minute);

// A day: 1,440 one-minute buckets of 1,000 events, merged for one numerical feature and
// for the whole 50-feature state. Buckets are rebuilt from bytes, as a Durable Object would.
const singleProfile: Profile = { ...profile, features: [profile.features[0]!], prediction: null };
const bucketBytes: Uint8Array[] = [];
for (let m = 0; m < 1440; m++) {
  const bucket = new WindowState(singleProfile);
  const offset = (m * 1000) % (eventCount - 1000);
  for (let i = 0; i < 1000; i++) bucket.updateRow(traffic[offset + i]!);
  bucketBytes.push(bucket.toBytes());
}
const buckets = bucketBytes.map((bytes) => WindowState.fromBytes(bytes, singleProfile));
const mergeAll = () => {
  const day = new WindowState(singleProfile);
  for (const bucket of buckets) day.merge(bucket);
  return day;
};
mergeAll(); // warm-up
const mergeDay = time(mergeAll);
const sketches = buckets.map((bucket) => (bucket.features[0] as NumericalWindow).sketch);
const mergeSketches = () => {
  const day = new KllSketch(sketches[0]!.k);
  for (const sketch of sketches) day.merge(sketch);
  return day;
};
mergeSketches();
const mergeKllOnly = time(mergeSketches);
const decodeDay = time(() => bucketBytes.map((bytes) => WindowState.fromBytes(bytes, singleProfile)));
// The Durable Object path: each closing minute merges into its hour (one merge per
// minute, amortized), and a 24-hour window merges the 24 hourly states.
const hours: WindowState[] = [];
for (let h = 0; h < 24; h++) {
  const hour = new WindowState(singleProfile);
  for (let m = 0; m < 60; m++) hour.merge(buckets[h * 60 + m]!);
  hours.push(hour);
}
const mergeHours = () => {
  const day = new WindowState(singleProfile);
  for (const hour of hours) day.merge(hour);
  return day;
};
mergeHours();
const mergeHourly = time(mergeHours);
// Pairwise (tree) merging of the 1,440 buckets, through the public merge only.
const mergeTree = () => {
  let level = buckets.map((bucket) => {
    const copy = new WindowState(singleProfile);
    copy.merge(bucket);
    return copy;
  });
  while (level.length > 1) {
    const next: WindowState[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const a = level[i]!;
      const b = level[i + 1];
      if (b !== undefined) a.merge(b);
      next.push(a);
    }
    level = next;
  }
  return level[0]!;
};
mergeTree();
const mergeTreeDay = time(mergeTree);
const dayState = mergeDay.value;
const daySize = dayState.toBytes().length;

console.log(`node ${process.version}, ${featureCount} features (${featureCount / 5} categorical) + prediction, profile built from 20k rows in ${built.ms.toFixed(0)} ms\n`);
console.log("| measure | value |");
console.log("|---|---|");
console.log(`| update throughput (${eventCount.toLocaleString("en")} events) | ${Math.round(eventsPerSecond).toLocaleString("en")} events/s = ${(valuesPerSecond / 1e6).toFixed(2)} M values/s |`);
for (const s of scoring) {
  console.log(`| score one window of ${s.size.toLocaleString("en")} events, all ${featureCount} features + prediction | ${s.ms.toFixed(2)} ms |`);
  console.log(`| judge (score + decide) / data-quality report, same window | ${s.judgeMs.toFixed(2)} ms / ${s.qualityMs.toFixed(2)} ms |`);
}
console.log(`| serialized 1-minute window (1,000 events): largest numerical / categorical feature | ${minuteSize.numerical} B / ${minuteSize.categorical} B (whole state ${minuteSize.total} B) |`);
const fullSize = sizePerFeature(fillWindow(profile, traffic));
console.log(`| serialized ${eventCount.toLocaleString("en")}-event window: largest numerical / categorical feature | ${fullSize.numerical} B / ${fullSize.categorical} B (whole state ${fullSize.total} B) |`);
console.log(`| 24-hour window from 24 hourly roll-ups of one numerical feature (24 merges) | ${mergeHourly.ms.toFixed(2)} ms |`);
console.log(`| 1,440 one-minute buckets merged pairwise (tree, copies included) | ${mergeTreeDay.ms.toFixed(1)} ms |`);
console.log(`| merge 1,440 one-minute buckets of one numerical feature (24 h) | ${mergeDay.ms.toFixed(1)} ms, of which KLL merges ${mergeKllOnly.ms.toFixed(1)} ms (decoding the 1,440 buckets from bytes: ${decodeDay.ms.toFixed(1)} ms); day window ${daySize} B |`);
