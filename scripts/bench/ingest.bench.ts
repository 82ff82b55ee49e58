// Benchmark: ingest through `wrangler dev` (npm start) — events/s and request latency
// for batches of 100, 500, 1,000 and 5,000 events with 20 features, freshness from a 2xx to
// the socket update that includes it, and the monitor's storage and workerd's memory.
//
// Run from the repo root (starts its own stack on a free port):
//   node scripts/bench/ingest.bench.ts [--seconds 8] [--concurrency 8] [--batches 100,500,1000,5000] [--direct] [--ids batch|uuid] [--shards N]
// --direct sends to the Worker's own workerd port instead of wrangler dev's proxy port.
// --rate <events/s> paces the senders to that total (freshness below saturation); 0 = flat out.
// --shards N creates each version with `shards: N` (issue 23; 1 = the single object) and adds
// the primary object's pull and merge cost per tick (monitor-stats `sharding`) to the table.
// Prints Markdown; results are recorded in docs/benchmarks.md under "Ingest".
import { loadavg } from "node:os";
import { parseArgs } from "node:util";
import WebSocket from "ws";
import { parseServerMessage } from "../../durable/protocol.ts";
import { mulberry32 } from "../../stats/testing/rng.ts";
import { directBase, stackProcessGroup, workerdCpuMs, workerdRssMb } from "../testing/workerd.ts";
import { launchStack, type Stack } from "../testing/stack.ts";

const { values: flags } = parseArgs({
  options: {
    seconds: { type: "string", default: "8" },
    concurrency: { type: "string", default: "8" },
    batches: { type: "string", default: "100,500,1000,5000" },
    direct: { type: "boolean", default: false },
    rate: { type: "string", default: "0" },
    ids: { type: "string", default: "batch" },
    shards: { type: "string", default: "1" },
  },
});
const SECONDS = Number(flags.seconds);
const CONCURRENCY = Number(flags.concurrency);
const SIZES = flags.batches.split(",").map(Number);
const DIRECT = flags.direct;
const RATE = Number(flags.rate);
const SHARDS = Number(flags.shards);
if (!(Number.isInteger(SHARDS) && SHARDS >= 1 && SHARDS <= 16)) throw new Error(`--shards must be a whole number from 1 to 16, got "${flags.shards}"`);
// Prediction ids: "batch" = `<batch id>-<i>` (ids that share a prefix, as a counter or a
// time-ordered id gives); "uuid" = a random UUIDv4 per event, the worst case for the
// label-join index (every insert lands on a random page).
const IDS = flags.ids;
if (IDS !== "batch" && IDS !== "uuid") throw new Error(`--ids must be batch or uuid, got "${IDS}"`);
const FEATURES = 20;
const REGIONS = ["north", "south", "east", "west", "central"];

/** A JSON body whose batch id and prediction ids are filled in per request with one replaceAll. */
function template(model: string, size: number, seed: number): string {
  const rand = mulberry32(seed);
  const events = Array.from({ length: size }, (_, i) => {
    const features: Record<string, unknown> = {};
    for (let f = 0; f < FEATURES; f++) features[`f${f}`] = f % 4 === 3 ? REGIONS[Math.floor(rand() * REGIONS.length)] : Math.round(rand() * 1e4) / 100;
    return { prediction_id: IDS === "uuid" ? "@U@" : `@B@-${i}`, features, prediction: rand() > 0.5 ? 1 : 0, score: Math.round(rand() * 1e3) / 1e3, latency_ms: Math.round(rand() * 500) / 10 };
  });
  return JSON.stringify({ model, version: "v1", batch_id: "@B@", events });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;


interface MonitorStats {
  storageBytes: number;
  predictions: number;
  totals: { events: number };
  sharding?: { ticks: number; pullMsPerTick: number; mergeMsPerTick: number; mergedSlotsPerTick: number };
  work: { ingests: number; ingestMs: number; ticks: number; tickMs: number; events: number };
}

async function stats(stack: Stack, model: string): Promise<MonitorStats> {
  const res = await fetch(`${stack.base}/v1/models/${model}/versions/v1/monitor-stats`, { headers: { authorization: `Bearer ${stack.adminKey}` } });
  return (await res.json()) as MonitorStats;
}

/** The primary's pull and merge cost per tick over the run alone (its counters run from its start). */
function shardingDuring(before: MonitorStats["sharding"], after: MonitorStats["sharding"]): { ticks: number; pullMsPerTick: number; mergeMsPerTick: number; mergedSlotsPerTick: number } | null {
  if (!after) return null;
  const b = before ?? { ticks: 0, pullMsPerTick: 0, mergeMsPerTick: 0, mergedSlotsPerTick: 0 };
  const ticks = after.ticks - b.ticks;
  const per = (key: "pullMsPerTick" | "mergeMsPerTick" | "mergedSlotsPerTick") => (ticks <= 0 ? NaN : (after[key] * after.ticks - b[key] * b.ticks) / ticks);
  return { ticks, pullMsPerTick: per("pullMsPerTick"), mergeMsPerTick: per("mergeMsPerTick"), mergedSlotsPerTick: per("mergedSlotsPerTick") };
}

/** The model and its version v1 with `shards`, before the first batch (ingest would register it with the default of 1). */
async function createVersion(stack: Stack, model: string, shards: number): Promise<void> {
  const headers = { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" };
  const created = await fetch(`${stack.base}/v1/models`, { method: "POST", headers, body: JSON.stringify({ name: model, prediction_kind: "binary" }) });
  if (created.status !== 201 && created.status !== 409) throw new Error(`create model ${created.status}: ${(await created.text()).slice(0, 300)}`);
  const version = await fetch(`${stack.base}/v1/models/${model}/versions`, { method: "POST", headers, body: JSON.stringify({ version: "v1", shards }) });
  if (version.status !== 201) throw new Error(`create version ${version.status}: ${(await version.text()).slice(0, 300)}`);
}

async function run(stack: Stack, size: number) {
  const model = `bench-${size}-s${SHARDS}`;
  await createVersion(stack, model, SHARDS);
  const headers = { authorization: `Bearer ${stack.adminKey}`, "content-type": "application/json" };
  const templates = Array.from({ length: 8 }, (_, i) => template(model, size, i + 1));
  let seq = 0;
  const send = async () => {
    const id = `b${seq++}`;
    let body = templates[seq % templates.length]!.replaceAll("@B@", id);
    if (IDS === "uuid") body = body.replaceAll("@U@", () => crypto.randomUUID());
    const t0 = performance.now();
    const res = await fetch(`${stack.base}/v1/ingest`, { method: "POST", headers, body });
    const reply = (await res.json()) as { accepted?: number };
    if (res.status !== 200 || reply.accepted !== size) throw new Error(`ingest ${res.status}: ${JSON.stringify(reply).slice(0, 300)}`);
    return performance.now() - t0;
  };
  await send(); // the first batch, before the socket opens
  const ws = new WebSocket(`${stack.base.replace("http", "ws")}/parties/model-monitor/${model}:v1?key=${stack.adminKey}`);
  const updates: { at: number; events: number }[] = [];
  ws.on("message", (data) => {
    const m = parseServerMessage(String(data));
    if (m?.type === "update") updates.push({ at: Date.now(), events: m.totals.events });
  });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  // A sharded version counts its shards' events at the primary's next pull: wait for the first batch.
  let before = await stats(stack, model);
  for (const until = Date.now() + 10_000; before.totals.events < size && Date.now() < until; before = await stats(stack, model)) await new Promise((r) => setTimeout(r, 200));
  const rssBefore = workerdRssMb(GROUP);
  const cpuBefore = workerdCpuMs(GROUP);
  const latencies: number[] = [];
  const acks: { at: number; cumulative: number }[] = [];
  let acked = size; // the registering batch, counted whether or not a tick has folded it yet
  const deadline = Date.now() + SECONDS * 1000;
  const t0 = Date.now();
  // Paced (--rate): each sender starts a batch on its own schedule, staggered, so the
  // total is the target rate; unpaced, senders go back to back (saturation).
  const interval = RATE > 0 ? (CONCURRENCY * size * 1000) / RATE : 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async (_, sender) => {
    let next = t0 + (sender * interval) / CONCURRENCY;
    while (Date.now() < deadline) {
      if (interval > 0) {
        const wait = next - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        next += interval;
      }
      latencies.push(await send());
      acked += size;
      acks.push({ at: Date.now(), cumulative: acked });
    }
  }));
  const elapsed = (Date.now() - t0) / 1000;
  // Freshness: the first update whose total covers an acknowledged batch.
  const settle = Date.now() + 10_000;
  while ((updates[updates.length - 1]?.events ?? 0) < acked && Date.now() < settle) await new Promise((r) => setTimeout(r, 100));
  ws.close();
  const freshness = acks.map((a) => {
    const u = updates.find((x) => x.events >= a.cumulative && x.at >= a.at);
    return u ? u.at - a.at : NaN;
  }).filter(Number.isFinite).sort((a, b) => a - b);
  // Every acknowledged event must be counted exactly once; give a loaded machine time to catch up.
  let after = await stats(stack, model);
  const catchUp = Date.now() + 60_000;
  while (after.totals.events < acked && Date.now() < catchUp) {
    await new Promise((r) => setTimeout(r, 500));
    after = await stats(stack, model);
  }
  // Until every event is counted, so work deferred to the monitor's ticks is included.
  const cpuMs = workerdCpuMs(GROUP) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const events = latencies.length * size;
  return {
    size,
    eventsPerSecond: events / elapsed,
    requestsPerSecond: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    freshP50: quantile(freshness, 0.5),
    freshP99: quantile(freshness, 0.99),
    storageMbPerMillion: ((after.storageBytes - before.storageBytes) / 1024 / 1024) / (events / 1e6),
    storageMb: after.storageBytes / 1024 / 1024,
    counted: after.totals.events === acked ? "yes" : `NO (${after.totals.events} of ${acked})`,
    rssMb: workerdRssMb(GROUP),
    rssGrowthMb: workerdRssMb(GROUP) - rssBefore,
    cpuMsPerThousand: (cpuMs / events) * 1000,
    sharding: shardingDuring(before.sharding, after.sharding),
    // The primary object's own work over the run (shard 0 of a sharded version: 1/N of the events, a sub-batch of every batch).
    primary: {
      batches: after.work.ingests - before.work.ingests,
      events: after.work.events - before.work.events,
      ms: after.work.ingestMs + after.work.tickMs - before.work.ingestMs - before.work.tickMs,
      ingestMs: after.work.ingestMs - before.work.ingestMs,
    },
  };
}

/** Plain requests per second through the same stack (a 404), to read the numbers against. */
async function plainRate(stack: Stack): Promise<number> {
  let n = 0;
  const end = Date.now() + 3_000;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (Date.now() < end) {
      await (await fetch(`${stack.base}/v1/nope`)).arrayBuffer();
      n++;
    }
  }));
  return n / 3;
}

const launched = await launchStack();
const direct = DIRECT ? await directBase(launched) : null;
if (DIRECT && direct === null) throw new Error("--direct: could not find the Worker's own port");
const stack: Stack = direct === null ? launched : { ...launched, base: direct };
// This stack's workerd only: another stack on the machine (tests, a colleague's bench) would count too.
const GROUP = stackProcessGroup(launched);
if (GROUP === null) console.warn("could not find the stack's process group: memory and CPU are every workerd's on the machine");
try {
  const plain = await plainRate(stack);
  const rows = [];
  for (const size of SIZES) rows.push(await run(stack, size));
  const f = (x: number, d = 0) => x.toLocaleString("en-US", { maximumFractionDigits: d, minimumFractionDigits: d });
  const via = direct === null ? "through wrangler dev's proxy" : `straight to the Worker's workerd (${direct}), bypassing wrangler dev's proxy`;
  console.log(`\n${via}; plain 404: ${plain.toFixed(0)} req/s; load average ${loadavg().map((x) => x.toFixed(1)).join(" ")}`);
  const pace = RATE > 0 ? `paced to ${RATE} events/s` : "flat out";
  const ids = IDS === "uuid" ? "random UUIDv4 prediction ids" : "prediction ids `<batch id>-<i>`";
  const sharded = SHARDS === 1 ? "one monitor object (shards: 1)" : `shards: ${SHARDS}`;
  console.log(`\n${SECONDS} s per batch size, ${CONCURRENCY} concurrent senders ${pace}, ${FEATURES} features (15 numerical, 5 categorical), score and latency per event, ${ids}, ${sharded}\n`);
  // Storage is the primary object's own (each shard has its own SQLite); the merge columns are the primary's per tick.
  console.log("| batch | events/s | req/s | ingest p50 / p99 (ms) | freshness p50 / p99 (ms) | DO storage (MB per 1M events / total) | workerd RSS (MB, growth) | workerd CPU (ms per 1,000 events) | counts reconcile | ticks | pull / merge per tick (ms) | slots merged per tick | primary object: batches, events, work (ms; of it storing) |");
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const s = r.sharding;
    const merge = s === null ? "– | – | –" : `${s.ticks} | ${f(s.pullMsPerTick, 2)} / ${f(s.mergeMsPerTick, 2)} | ${f(s.mergedSlotsPerTick, 1)}`;
    console.log(`| ${r.size} | ${f(r.eventsPerSecond)} | ${f(r.requestsPerSecond)} | ${f(r.p50, 1)} / ${f(r.p99, 1)} | ${f(r.freshP50)} / ${f(r.freshP99)} | ${f(r.storageMbPerMillion, 1)} / ${f(r.storageMb, 1)} | ${f(r.rssMb)} (+${f(r.rssGrowthMb)}) | ${f(r.cpuMsPerThousand, 1)} | ${r.counted} | ${merge} | ${f(r.primary.batches)}, ${f(r.primary.events)}, ${f(r.primary.ms)} (${f(r.primary.ingestMs)}) |`);
  }
} finally {
  await launched.stop();
}
