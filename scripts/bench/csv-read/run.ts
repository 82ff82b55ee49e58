// Micro-benchmark of the CSV reader (issue 22: ≥ 250 MB/s on one core, both cores used on
// large files): one file of ~140 MB (the 1M × 20 reference file of drift-batch/generate.ts,
// 15 numerical and 5 categorical columns) read into typed columns, on one thread and by
// two worker threads over row slices (job.ts says exactly what each mode does).
//
//   node scripts/bench/csv-read/run.ts [--baseline <checkout>] [--file <csv>] [--rounds 5]
//
// --baseline: another checkout (e.g. `mkdir /tmp/base && git archive <commit> stats cli |
// tar -x -C /tmp/base`) whose reader is measured beside this one's, alternating in each
// round, so the two see the same load on this shared machine. Every measurement is its
// own child process (cold start, as `vigil drift`). The medians over rounds are printed
// last: wall time, MB/s by wall time, CPU time (user + system, all threads), peak RSS.

import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "../drift-batch/generate.ts";

const { values: flags } = parseArgs({
  options: {
    baseline: { type: "string" },
    file: { type: "string" },
    rounds: { type: "string", default: "5" },
  },
});

const root = join(import.meta.dirname, "..", "..", "..");
let file = flags.file;
if (file === undefined) {
  file = "/tmp/vigil-drift-batch/ref.csv";
  if (!existsSync(file)) generate("/tmp/vigil-drift-batch", 1_000_000);
}
const size = statSync(file).size;

interface Measurement {
  wallMs: number;
  /** Mode two: when the cut was known, and when both workers' parts had arrived. */
  cutMs: number | null;
  readMs: number | null;
  userMs: number;
  systemMs: number;
  rows: number;
  columns: number;
  peakMiB: number;
}

function measure(checkout: string, mode: "one" | "two"): Measurement {
  const result = spawnSync(process.execPath, [join(import.meta.dirname, "job.ts"), "--root", checkout, "--file", file!, "--mode", mode], {
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`job failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1)!) as Measurement;
}

const variants = flags.baseline === undefined ? [{ name: "this", root }] : [{ name: "old", root: flags.baseline }, { name: "new", root }];
const results = new Map<string, Measurement[]>();
console.log(`${file}: ${(size / 1e6).toFixed(1)} MB; ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.versions.node}`);
const rows = new Set<number>();
for (let round = 1; round <= Number(flags.rounds); round++) {
  for (const mode of ["one", "two"] as const) {
    // Alternate which variant goes first, so neither always follows the other.
    const order = round % 2 === 1 ? variants : [...variants].reverse();
    for (const variant of order) {
      const load = loadavg()[0]!.toFixed(1);
      const run = measure(variant.root, mode);
      rows.add(run.rows);
      const key = `${variant.name} ${mode}`;
      results.set(key, [...(results.get(key) ?? []), run]);
      const cpu = run.userMs + run.systemMs;
      console.log(
        `round ${round} ${key.padEnd(8)} wall ${run.wallMs.toFixed(0).padStart(5)} ms  ${(size / 1e3 / run.wallMs).toFixed(0).padStart(4)} MB/s  ` +
          `cpu ${cpu.toFixed(0).padStart(5)} ms (sys ${run.systemMs.toFixed(0)})${mode === "two" ? `  cut ${run.cutMs!.toFixed(0)} parts ${run.readMs!.toFixed(0)} ms` : ""}  peak ${run.peakMiB.toFixed(0)} MiB  load ${load}`,
      );
    }
  }
}
if (rows.size !== 1) throw new Error(`the runs disagree on the row count: ${[...rows].join(", ")}`);

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
console.log("\n| reader | threads | wall (median) | MB/s by wall | CPU (median) | MB/s by CPU | peak RSS |");
console.log("|---|---|---|---|---|---|---|");
for (const [key, runs] of results) {
  const [name, mode] = key.split(" ");
  const wall = median(runs.map((run) => run.wallMs));
  const cpu = median(runs.map((run) => run.userMs + run.systemMs));
  const peak = median(runs.map((run) => run.peakMiB));
  console.log(`| ${name} | ${mode === "one" ? 1 : 2} | ${wall.toFixed(0)} ms | ${(size / 1e3 / wall).toFixed(0)} | ${cpu.toFixed(0)} ms | ${(size / 1e3 / cpu).toFixed(0)} | ${peak.toFixed(0)} MiB |`);
}
