// The ModelMonitor's own CPU per ingested batch (store, count on the alarm tick, label-join
// row), in process over node:sqlite (scripts/testing/sqlite-storage.ts), for this checkout
// and another one (e.g. a git worktree of the commit before a change), alternating rounds.
// End-to-end ingest figures on a shared machine swing 2–4× between identical runs; this
// isolates the code a monitor change touches.
//
//   node scripts/bench/monitor-fold.bench.ts --against /tmp/vigil-before [--batches 1500] [--size 100] [--rounds 4] [--segments]
// --segments gives every event a { region } segment map (5 regions) in both checkouts.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sqliteStorage } from "../testing/sqlite-storage.ts";

const { values: flags } = parseArgs({
  options: {
    against: { type: "string" },
    batches: { type: "string", default: "1500" },
    size: { type: "string", default: "100" },
    rounds: { type: "string", default: "4" },
    segments: { type: "boolean", default: false },
  },
});
if (!flags.against) throw new Error("--against <path of another checkout> is required");
const here = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const roots = [resolve(flags.against), here];
const BATCHES = Number(flags.batches);
const SIZE = Number(flags.size);
const REGIONS = ["north", "south", "east", "west", "central"];

const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** CPU ms per batch for the checkout at `root`: a fresh monitor, a 1,000-event first-events baseline, then BATCHES batches with a tick every 4. */
async function measure(root: string): Promise<number> {
  const { Monitor } = await import(`${root}/durable/monitor/monitor.ts`);
  const { MonitorStore } = await import(`${root}/durable/monitor/storage.ts`);
  const { ingestCall, testEvents } = await import(`${root}/durable/monitor/testing.ts`);
  const { storage, close } = sqliteStorage();
  const m = new Monitor(new MonitorStore(storage));
  m.baselineTarget = 1_000;
  const templates = Array.from({ length: 8 }, (_, i) =>
    (testEvents(SIZE, { seed: i + 1 }) as { features: Record<string, unknown> }[]).map((e, j) => (flags.segments ? { ...e, segment: { region: REGIONS[j % REGIONS.length] } } : e)),
  );
  let seq = 0;
  const send = (prefix: string, i: number) => {
    const id = `${prefix}${seq++}`;
    m.ingest(ingestCall(id, templates[i % 8]!.map((e, j) => ({ ...e, prediction_id: `${id}-${j}` }))));
  };
  for (let i = 0; i < 20; i++) {
    send("w", i);
    m.tick(Date.now());
  }
  const t0 = cpu();
  for (let i = 0; i < BATCHES; i++) {
    send("b", i);
    if (i % 4 === 3) m.tick(Date.now());
  }
  const perBatch = (cpu() - t0) / BATCHES;
  close();
  return perBatch;
}

const results = new Map<string, number[]>(roots.map((r) => [r, []]));
for (let round = 0; round < Number(flags.rounds); round++) for (const root of round % 2 === 0 ? roots : [...roots].reverse()) results.get(root)!.push(await measure(root));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(`\n${BATCHES} batches of ${SIZE} events${flags.segments ? " with a segment map" : ""}, a tick every 4; CPU ms per batch (rounds alternate)\n`);
console.log("| checkout | rounds (ms per batch) | median |");
console.log("|---|---|---|");
for (const [root, xs] of results) console.log(`| ${root === here ? "this" : root} | ${xs.map((x) => x.toFixed(3)).join(", ")} | ${median(xs).toFixed(3)} |`);
