// Benchmark: `vigil drift` on the same 1M × 20 data as CSV and as Parquet, alternating.
//
//   node scripts/bench/parquet-vs-csv.bench.ts [--dir /tmp/vigil-drift-batch] [--rounds 3] [--rows 1000000]
//
// The CSV pair is scripts/bench/drift-batch/generate.ts's (made in --dir when absent).
// Each file is converted once to Parquet with hyparquet-writer (cached next to it):
// numeric columns as nullable DOUBLE (INT64 for the integer one, as pandas/pyarrow type
// it), categorical ones as nullable dictionary-encoded STRING, row groups of 262,144 rows
// (polars' default) and 1 MiB pages; uncompressed, ZSTD (node:zlib, level 3 as polars
// writes) and SNAPPY (pyarrow's default codec). hyparquet-writer writes DATA_PAGE_V2
// pages; pyarrow writes v1 by default, which the reader decodes the same way.
//
// Each round runs `vigil drift ref cur --json` once per format, in turn, so load on this
// shared machine falls on all of them alike. Wall time is around the child process; CPU
// time (user + system) and peak RSS come from an exit hook injected with --import. Every
// Parquet run's report must equal the CSV run's, byte for byte.

import { spawnSync } from "node:child_process";
import { existsSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { constants, zstdCompressSync } from "node:zlib";
import { parquetWriteBuffer } from "hyparquet-writer";
import type { ColumnSource } from "hyparquet-writer";
import { loadDataset } from "../../cli/load-dataset.ts";
import { generate } from "./drift-batch/generate.ts";

const { values: flags } = parseArgs({
  options: {
    dir: { type: "string", default: "/tmp/vigil-drift-batch" },
    rounds: { type: "string", default: "3" },
    rows: { type: "string", default: "1000000" },
  },
});
const dir = flags.dir;
const rounds = Number(flags.rounds);
const MAIN = join(import.meta.dirname, "..", "..", "cli", "main.ts");

type Codec = "UNCOMPRESSED" | "ZSTD" | "SNAPPY";
const COMPRESSORS = { ZSTD: (input: Uint8Array) => zstdCompressSync(input, { params: { [constants.ZSTD_c_compressionLevel]: 3 } }) };

async function columnsOf(csvPath: string): Promise<ColumnSource[]> {
  const data = await loadDataset(csvPath, () => undefined);
  return data.columns.map((name): ColumnSource => {
    const numbers = data.numbers(name);
    if (numbers === undefined) return { name, data: data.get(name) as string[], type: "STRING", nullable: true };
    if (numbers.every(Number.isInteger)) return { name, data: BigInt64Array.from(numbers, (value) => BigInt(value)), type: "INT64", nullable: true };
    return { name, data: numbers, type: "DOUBLE", nullable: true };
  });
}

async function parquetPair(csv: { reference: string; current: string }, codec: Codec): Promise<{ reference: string; current: string }> {
  const suffix = codec === "UNCOMPRESSED" ? "" : `.${codec.toLowerCase()}`;
  const out = { reference: csv.reference.replace(/\.csv$/, `${suffix}.parquet`), current: csv.current.replace(/\.csv$/, `${suffix}.parquet`) };
  for (const side of ["reference", "current"] as const) {
    if (existsSync(out[side])) continue;
    const started = performance.now();
    const buffer = parquetWriteBuffer({ columnData: await columnsOf(csv[side]), codec, compressors: COMPRESSORS, rowGroupSize: 262_144, pageSize: 1 << 20 });
    writeFileSync(out[side], new Uint8Array(buffer));
    console.log(`wrote ${out[side]} (${mib(buffer.byteLength)} MiB) in ${seconds(started)} s`);
  }
  return out;
}

// Reports the child's peak RSS and CPU time (user + system) as it exits.
const EXIT_HOOK =
  "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();" +
  "process.stderr.write('BENCH_MAXRSS_KB='+u.maxRSS+' BENCH_CPU_US='+(u.userCPUTime+u.systemCPUTime)+'\\n')})";

interface Run {
  wall: number;
  cpu: number;
  peakMiB: number;
  read: number;
  report: string;
}

function runDrift(reference: string, current: string): Run {
  const started = performance.now();
  const result = spawnSync(process.execPath, ["--import", EXIT_HOOK, MAIN, "drift", reference, current, "--json"], { encoding: "utf8", maxBuffer: 64 << 20 });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`vigil drift ${reference} failed (${result.status}): ${result.stderr}`);
  const usage = /BENCH_MAXRSS_KB=(\d+) BENCH_CPU_US=(\d+)/.exec(result.stderr);
  // Progress lines end "…, done in 2.1 s" per file, counted from the start of the run over
  // worker threads (their start-up included) to the moment every worker has read its share
  // of that file. Both files are read at once there, so the later one is the reading time.
  const read = Math.max(0, ...[...result.stderr.matchAll(/done in (\d+\.\d+) s/g)].map((match) => Number(match[1])));
  return { wall, cpu: usage ? Number(usage[2]) / 1e6 : Number.NaN, peakMiB: usage ? Number(usage[1]) / 1024 : Number.NaN, read, report: result.stdout };
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
const seconds = (started: number) => ((performance.now() - started) / 1000).toFixed(1);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const csv = existsSync(join(dir, "ref.csv")) ? { reference: join(dir, "ref.csv"), current: join(dir, "cur.csv") } : generate(dir, Number(flags.rows));
const formats: Array<[string, { reference: string; current: string }]> = [
  ["CSV", csv],
  ["Parquet, uncompressed", await parquetPair(csv, "UNCOMPRESSED")],
  ["Parquet, ZSTD", await parquetPair(csv, "ZSTD")],
  ["Parquet, SNAPPY", await parquetPair(csv, "SNAPPY")],
];
console.log(`node ${process.versions.node}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"}), load average before: ${loadavg().map((value) => value.toFixed(2)).join(" ")}`);
const runs = new Map<string, Run[]>(formats.map(([label]) => [label, []]));
for (let round = 0; round < rounds; round++) {
  for (const [label, pair] of formats) {
    const run = runDrift(pair.reference, pair.current);
    runs.get(label)!.push(run);
    console.log(`round ${round + 1}: ${label}: ${run.wall.toFixed(2)} s wall, ${run.cpu.toFixed(2)} s CPU, ${run.peakMiB.toFixed(0)} MiB`);
  }
}
console.log(`load average after: ${loadavg().map((value) => value.toFixed(2)).join(" ")}`);
const reference = runs.get("CSV")![0]!.report;
for (const [label, list] of runs) {
  if (list.some((run) => run.report !== reference)) throw new Error(`${label}: the report differs from the CSV run's`);
}
console.log("every run's report is identical to the CSV run's\n");
console.log("| input | size (both files) | wall (median, runs) | CPU (median) | reading (median) | peak RSS (median) |\n|---|---|---|---|---|---|");
for (const [label, pair] of formats) {
  const list = runs.get(label)!;
  const size = statSync(pair.reference).size + statSync(pair.current).size;
  console.log(
    `| ${label} | ${mib(size)} MiB | ${median(list.map((run) => run.wall)).toFixed(2)} s (${list.map((run) => run.wall.toFixed(2)).join(", ")}) | ` +
      `${median(list.map((run) => run.cpu)).toFixed(2)} s | ${median(list.map((run) => run.read)).toFixed(2)} s | ${median(list.map((run) => run.peakMiB)).toFixed(0)} MiB |`,
  );
}
