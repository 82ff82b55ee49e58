// Benchmark: `vigil drift` end to end (read two wide CSV files, infer kinds, run the
// drift tests, print JSON) on a generated 200-column x 50k-row dataset.
//
// Run from the repo root:
//   node scripts/bench/cli-drift.bench.ts [--rows 50000] [--columns 200] [--all]
// It prints a Markdown table row per run; results are recorded in docs/benchmarks.md
// under "vigil drift CLI". Each run forces VIGIL_PARALLEL_READ, so sequential and
// parallel reading are compared on the same files. Wall time is measured around the child process; peak RSS is
// the child's own maxRSS, reported from an exit hook injected with --import.

import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({
  options: {
    rows: { type: "string", default: "50000" },
    columns: { type: "string", default: "200" },
    all: { type: "boolean", default: false },
  },
});
const rows = Number(flags.rows);
const columnCount = Number(flags.columns);
const CATEGORIES = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"];

/** Every 5th column categorical; every 10th column drifts (a shift, or new weights). */
function writeDataset(path: string, seed: number, drifted: boolean): void {
  const uniform = mulberry32(seed);
  const normal = normalFrom(uniform);
  const names = Array.from({ length: columnCount }, (_, index) => (index % 5 === 4 ? `cat_${index}` : `num_${index}`));
  const lines: string[] = [names.join(",")];
  const cells: string[] = new Array<string>(columnCount);
  for (let row = 0; row < rows; row++) {
    for (let column = 0; column < columnCount; column++) {
      const shifted = drifted && column % 10 === 9;
      if (column % 5 === 4) {
        const u = uniform();
        const index = shifted ? Math.floor(u * u * CATEGORIES.length) : Math.floor(u * CATEGORIES.length);
        cells[column] = CATEGORIES[index] as string;
      } else {
        const value = normal() * (1 + (column % 3)) + (shifted ? 0.3 : 0);
        // Some missing cells, as real data has.
        cells[column] = uniform() < 0.01 ? "" : value.toFixed(4);
      }
    }
    lines.push(cells.join(","));
  }
  writeFileSync(path, `${lines.join("\n")}\n`);
}

// Reports the child's peak RSS and CPU time (user + system) as it exits.
const EXIT_HOOK =
  "data:text/javascript,process.on('exit',()=>{const u=process.resourceUsage();" +
  "process.stderr.write('BENCH_MAXRSS_KB='+u.maxRSS+' BENCH_CPU_US='+(u.userCPUTime+u.systemCPUTime)+'\\n')})";

interface RunResult {
  seconds: number;
  cpuSeconds: number;
  readSeconds: number;
  peakMiB: number;
}

function runDrift(reference: string, current: string, extra: string[], parallelRead: string): RunResult {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    ["--import", EXIT_HOOK, join(import.meta.dirname, "..", "..", "cli", "main.ts"), "drift", "--reference", reference, "--current", current, "--json", ...extra],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, env: { ...process.env, VIGIL_PARALLEL_READ: parallelRead } },
  );
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`vigil drift failed (${result.status}): ${result.stderr}`);
  const report = JSON.parse(result.stdout) as { columns: unknown[]; dataset: { number_of_columns: number } };
  if (report.columns.length < report.dataset.number_of_columns) throw new Error("fewer result rows than columns");
  const usage = /BENCH_MAXRSS_KB=(\d+) BENCH_CPU_US=(\d+)/.exec(result.stderr);
  // The CLI's own progress lines give each file's read time ("…, done in 2.1 s"): their
  // sum when read one after the other, the slower one when read in parallel.
  const times = [...result.stderr.matchAll(/done in (\d+\.\d) s/g)].map((match) => Number(match[1]));
  const readSeconds = parallelRead === "always" ? Math.max(0, ...times) : times.reduce((sum, time) => sum + time, 0);
  return {
    seconds,
    cpuSeconds: usage ? Number(usage[2]) / 1e6 : Number.NaN,
    readSeconds,
    peakMiB: usage ? Number(usage[1]) / 1024 : Number.NaN,
  };
}

const dir = mkdtempSync(join(tmpdir(), "vigil-bench-"));
try {
  const reference = join(dir, "ref.csv");
  const current = join(dir, "cur.csv");
  const generateStart = performance.now();
  writeDataset(reference, 1, false);
  writeDataset(current, 2, true);
  const sizeMiB = (statSync(reference).size + statSync(current).size) / 2 ** 20;
  console.log(
    `generated 2 x ${rows} rows x ${columnCount} columns (${sizeMiB.toFixed(0)} MiB of CSV) in ${((performance.now() - generateStart) / 1000).toFixed(1)} s`,
  );
  console.log(`node ${process.versions.node}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"})`);
  console.log("| run | wall time | of which reading | CPU time | peak RSS |\n|---|---|---|---|---|");
  const listed = ["--numerical", "num_0,num_1,num_2,num_3", "--categorical", "cat_4"];
  const runs: Array<[string, string[], string]> = [
    ["default tests, all columns, files read one after the other", [], "never"],
    ["default tests, all columns, files read in parallel", [], "always"],
    ["default tests, 5 listed columns", listed, "never"],
  ];
  if (flags.all) runs.push(["--test all", ["--test", "all"], "never"]);
  for (const [label, extra, parallelRead] of runs) {
    const run = runDrift(reference, current, extra, parallelRead);
    console.log(
      `| ${label} | ${run.seconds.toFixed(2)} s | ${run.readSeconds.toFixed(1)} s | ${run.cpuSeconds.toFixed(2)} s | ${run.peakMiB.toFixed(0)} MiB |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
