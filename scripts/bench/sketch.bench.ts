// Benchmark: the sketch layer (stats/sketch) — update throughput, serialized size, and
// the cost of merging a day of 1-minute sketches, against the issue-4 budgets
// (≥ 5M values/s per core; ≤ 16 KB per numerical and ≤ 24 KB per categorical feature
// per window; a day of 1,440 windows merged in < 50 ms).
//
// Run from the repo root:
//   node scripts/bench/sketch.bench.ts [--n 1000000] [--repeats 5]
// Prints a Markdown table; results are recorded in docs/benchmarks.md under "Sketches".
// One core, no worker threads; inputs are pre-generated so only the sketch is timed,
// and each figure is the best of `repeats` runs (after one warm-up run).

import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import { CategoryCounter } from "../../stats/sketch/category-counter.ts";
import { HyperLogLog } from "../../stats/sketch/hyperloglog.ts";
import { KllSketch } from "../../stats/sketch/kll.ts";
import { Moments } from "../../stats/sketch/moments.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({
  options: { n: { type: "string", default: "1000000" }, repeats: { type: "string", default: "5" } },
});
const N = Number(flags.n);
const REPEATS = Number(flags.repeats);

function best(run: () => void): number {
  run();
  let fastest = Infinity;
  for (let r = 0; r < REPEATS; r++) {
    const start = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - start);
  }
  return fastest;
}

const normal = normalFrom(mulberry32(1));
const values = new Float64Array(N);
for (let i = 0; i < N; i++) values[i] = normal();

/** Zipf(1.1)-like labels over `universe` categories. */
function labels(seed: number, n: number, universe: number): string[] {
  const u = mulberry32(seed);
  const names = Array.from({ length: universe }, (_, i) => `category_${i}`);
  const out: string[] = new Array(n);
  for (let i = 0; i < n; i++) out[i] = names[Math.min(universe - 1, Math.floor(universe ** u()) - 1)]!;
  return out;
}
const fewLabels = labels(2, N, 200);
const manyLabels = labels(3, N, 100_000);
const distinct = Array.from({ length: N }, (_, i) => `user-${i}`);

const rows: string[] = [];
const row = (what: string, count: number, ms: number, size: string, budget: string) =>
  rows.push(`| ${what} | ${count.toLocaleString("en-US")} | ${ms.toFixed(1)} | ${(count / ms / 1000).toFixed(2)} | ${size} | ${budget} |`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

let kll = new KllSketch(200, { seed: 1 });
const kllMs = best(() => {
  kll = new KllSketch(200, { seed: 1 });
  for (let i = 0; i < N; i++) kll.update(values[i]!);
});
row("KLL k=200 update (normal)", N, kllMs, `${kb(kll.toBytes().length)} binary, ${kb(kll.toBase64().length)} base64 (${kll.numRetained} items)`, "≥ 5M/s; ≤ 16 KB");

let moments = new Moments();
const momentsMs = best(() => {
  moments = new Moments();
  for (let i = 0; i < N; i++) moments.update(values[i]!);
});
row("Moments update", N, momentsMs, `${JSON.stringify(moments).length} B JSON`, "≥ 5M/s");

let hll = new HyperLogLog(14);
const hllMs = best(() => {
  hll = new HyperLogLog(14);
  for (let i = 0; i < N; i++) hll.update(distinct[i]!);
});
row("HLL p=14 update (distinct strings)", N, hllMs, `${kb(hll.toBytes().length)} binary, ${kb(hll.toBase64().length)} base64`, "—");

let exact = new CategoryCounter();
const exactMs = best(() => {
  exact = new CategoryCounter();
  for (let i = 0; i < N; i++) exact.update(fewLabels[i]!);
});
row(`Category counter, exact (${exact.size} categories)`, N, exactMs, `${kb(JSON.stringify(exact).length)} JSON`, "—");

let summary = new CategoryCounter();
const summaryMs = best(() => {
  summary = new CategoryCounter();
  for (let i = 0; i < N; i++) summary.update(manyLabels[i]!);
});
const counterBytes = JSON.stringify(summary).length;
row("Category counter at cap (1,000 counters, 100k-category Zipf)", N, summaryMs, `${kb(counterBytes)} JSON; + HLL sparse/dense`, "≤ 24 KB");

// A day of 1-minute windows: 1,440 sketches of ~700 values each, merged into one.
const perMinute = Math.floor(N / 1440);
const minutes = Array.from({ length: 1440 }, (_, m) => {
  const s = new KllSketch(200, { seed: m });
  for (let i = m * perMinute; i < (m + 1) * perMinute; i++) s.update(values[i]!);
  return s;
});
let day = new KllSketch(200);
const mergeMs = best(() => {
  day = new KllSketch(200, { seed: 7 });
  for (const s of minutes) day.merge(s);
});
rows.push(`| KLL merge of 1,440 one-minute sketches (${perMinute} values each) | 1,440 sketches | ${mergeMs.toFixed(1)} | — | ${kb(day.toBytes().length)} result | < 50 ms |`);

for (const [name, stream] of [["200-category", fewLabels], ["100k-category", manyLabels]] as const) {
  const dayCounters = Array.from({ length: 1440 }, (_, m) => {
    const c = new CategoryCounter();
    for (let i = m * perMinute; i < (m + 1) * perMinute; i++) c.update(stream[i]!);
    return c;
  });
  const perMinuteSize = dayCounters.reduce((a, c) => a + c.size, 0) / 1440;
  let dayCounter = new CategoryCounter();
  const ms = best(() => {
    dayCounter = new CategoryCounter();
    for (const c of dayCounters) dayCounter.merge(c);
  });
  rows.push(`| Category counter merge of 1,440 one-minute counters (${name} Zipf, ~${Math.round(perMinuteSize)} categories each) | 1,440 counters | ${ms.toFixed(1)} | — | ${kb(JSON.stringify(dayCounter).length)} result, ${dayCounter.isExact ? "exact" : `max error ${dayCounter.maxError}`} | < 50 ms |`);
}

const hllMinutes = Array.from({ length: 1440 }, (_, m) => {
  const h = new HyperLogLog(14);
  for (let i = m * perMinute; i < (m + 1) * perMinute; i++) h.update(distinct[i]!);
  return h;
});
let hllDay = new HyperLogLog(14);
const hllMergeMs = best(() => {
  hllDay = new HyperLogLog(14);
  for (const h of hllMinutes) hllDay.merge(h);
});
rows.push(`| HLL p=14 merge of 1,440 one-minute sketches | 1,440 sketches | ${hllMergeMs.toFixed(1)} | — | estimate ${Math.round(hllDay.estimate()).toLocaleString("en-US")} of ${(perMinute * 1440).toLocaleString("en-US")} | < 50 ms |`);

console.log(`Node ${process.version}, load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}, n = ${N.toLocaleString("en-US")}, best of ${REPEATS} after a warm-up\n`);
console.log("| sketch | items | ms | M items/s | serialized size | budget |");
console.log("|---|---:|---:|---:|---|---|");
for (const r of rows) console.log(r);
