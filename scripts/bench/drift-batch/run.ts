// Benchmark for the batch speed targets (issues 3 and 22): `vigil drift` on a 1M-row x
// 20-column CSV pair, with default tests and with --test all, side by side with
// Evidently's own legacy stat-test code run unchanged under pandas (evidently/README.md)
// and with the numpy/scipy script a user would otherwise write (baseline.py). Vigil and
// Evidently alternate, `--rounds` times, so both see the same machine. Results are
// recorded in docs/benchmarks.md ("Batch drift at 1M x 20").
//
//   node scripts/bench/drift-batch/run.ts [--dir /tmp/vigil-drift-batch] [--rows 1000000]
//                                         [--regenerate] [--skip-all] [--rounds 2]
//
// The files are generated once (generate.ts, seeded) and reused while they exist. Each run
// is a child process measured by GNU time: wall, user + system CPU (all threads), peak RSS.
// The machine is shared, so the load average is printed next to each run.

import { spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { generate } from "./generate.ts";

const { values: flags } = parseArgs({
  options: {
    dir: { type: "string", default: "/tmp/vigil-drift-batch" },
    rows: { type: "string", default: "1000000" },
    regenerate: { type: "boolean", default: false },
    "skip-all": { type: "boolean", default: false },
    rounds: { type: "string", default: "2" },
  },
});

interface Run {
  label: string;
  wall: number;
  cpu: number;
  peakMiB: number;
  load: string;
  stdout: string;
}

function timed(label: string, command: string, args: string[], env: Record<string, string> = {}): Run {
  const load = loadavg().map((x) => x.toFixed(1)).join(" / ");
  const result = spawnSync("/usr/bin/time", ["-f", "BENCH_TIME %e %U %S %M", command, ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ...env },
  });
  const usage = /BENCH_TIME ([\d.]+) ([\d.]+) ([\d.]+) (\d+)/.exec(result.stderr);
  if (result.status !== 0 || usage === null) throw new Error(`${label} failed (${result.status}): ${result.stderr.slice(-2000)}`);
  return {
    label,
    wall: Number(usage[1]),
    cpu: Number(usage[2]) + Number(usage[3]),
    peakMiB: Number(usage[4]) / 1024,
    load,
    stdout: result.stdout,
  };
}

interface Scored {
  column: string;
  test: string;
  score: number;
  default?: boolean;
}

/**
 * Largest relative difference between Vigil's scores and another implementation's, matched
 * by column and test (only the default test per column unless `all`).
 */
function agreement(vigil: string, other: string, all = false): string {
  const ours = (JSON.parse(vigil) as { columns: Scored[] }).columns.filter((c) => all || c.default === true);
  const theirs = (JSON.parse(other) as { columns: Scored[] }).columns;
  let worst = 0;
  let where = "";
  for (const row of theirs) {
    const match = ours.find((c) => c.column === row.column && c.test === row.test);
    if (match === undefined) return `no Vigil score for ${row.column} / ${row.test}`;
    const diff = Math.abs(match.score - row.score) / Math.max(Math.abs(row.score), 1e-300);
    if (diff > worst) [worst, where] = [diff, `${row.column} / ${row.test}`];
  }
  return `${theirs.length} scores agree, largest relative difference ${worst.toExponential(1)}${where === "" ? "" : ` (${where})`}`;
}

const reference = join(flags.dir, "ref.csv");
const current = join(flags.dir, "cur.csv");
if (flags.regenerate || !existsSync(reference) || !existsSync(current)) {
  const started = performance.now();
  generate(flags.dir, Number(flags.rows));
  console.log(`generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}
const mib = (statSync(reference).size + statSync(current).size) / 2 ** 20;
console.log(`files: ${reference}, ${current} (${mib.toFixed(0)} MiB together)`);
console.log(`node ${process.versions.node}, ${cpus().length} cores (${cpus()[0]?.model ?? "unknown"})`);

// The `vigil` bin, as users run it: it starts from the start-up bundle (cli/bin/bundle.mjs),
// built here once before the rounds so no round pays for the build.
const main = join(import.meta.dirname, "..", "..", "..", "cli", "bin", "vigil.mjs");
spawnSync(process.execPath, [main, "drift", "--help"], { encoding: "utf8" });
const evidently = join(import.meta.dirname, "evidently", "run_evidently.py");
const vigil = (extra: string[]): string[] => [main, "drift", "--reference", reference, "--current", current, "--json", ...extra];
// Debian's python3 has pandas (python3-pandas); the pyenv one on PATH may not.
const python = existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";

const runs: Run[] = [];
const pairs: Array<{ label: string; vigil: Run; evidently: Run; all: boolean }> = [];
for (let round = 1; round <= Number(flags.rounds); round++) {
  const ours = timed(`vigil drift (default tests), round ${round}`, process.execPath, vigil([]));
  const theirs = timed(`Evidently legacy stat tests (default), round ${round}`, python, [evidently, reference, current]);
  const fromSource = timed(`vigil drift (default tests) from source, VIGIL_NO_BUNDLE=1, round ${round}`, process.execPath, vigil([]), { VIGIL_NO_BUNDLE: "1" });
  runs.push(ours, theirs, fromSource);
  pairs.push({ label: `default, round ${round}`, vigil: ours, evidently: theirs, all: false });
  if (!flags["skip-all"]) {
    const oursAll = timed(`vigil drift --test all, round ${round}`, process.execPath, vigil(["--test", "all"]));
    const theirsAll = timed(`Evidently legacy stat tests (--test all), round ${round}`, python, [evidently, reference, current, "--test", "all"]);
    runs.push(oursAll, theirsAll);
    pairs.push({ label: `--test all, round ${round}`, vigil: oursAll, evidently: theirsAll, all: true });
  }
}
// What the row-slice workers buy: the two files read in two workers with the tests on the
// main thread (the path before them), and everything on one thread.
runs.push(
  timed("vigil drift (default tests, files read in two workers, tests on one thread)", process.execPath, vigil([]), {
    VIGIL_PARALLEL_DRIFT: "never",
    VIGIL_PARALLEL_READ: "always",
  }),
);
runs.push(
  timed("vigil drift (default tests, one thread)", process.execPath, vigil([]), { VIGIL_PARALLEL_DRIFT: "never", VIGIL_PARALLEL_READ: "never" }),
);
const baseline = timed("numpy/scipy script (baseline.py)", "python3", [join(import.meta.dirname, "baseline.py"), reference, current]);
runs.push(baseline);

console.log("\n| run | wall | CPU (user + sys) | peak RSS | load average (1/5/15 min) at start |\n|---|---|---|---|---|");
for (const run of runs) {
  console.log(`| ${run.label} | ${run.wall.toFixed(1)} s | ${run.cpu.toFixed(1)} s | ${run.peakMiB.toFixed(0)} MiB | ${run.load} |`);
}
console.log("");
for (const pair of pairs) {
  const ratio = (a: number, b: number) => (a / b).toFixed(2);
  console.log(
    `Evidently / vigil, ${pair.label}: wall ${ratio(pair.evidently.wall, pair.vigil.wall)}x, CPU ${ratio(pair.evidently.cpu, pair.vigil.cpu)}x; ` +
      agreement(pair.vigil.stdout, pair.evidently.stdout, pair.all),
  );
}
const first = runs[0] as Run;
console.log(`baseline.py / vigil default: wall ${(baseline.wall / first.wall).toFixed(2)}x, CPU ${(baseline.cpu / first.cpu).toFixed(2)}x`);
const base = JSON.parse(baseline.stdout) as { read_wall_seconds: number; read_cpu_seconds: number };
console.log(`baseline reading: wall ${base.read_wall_seconds.toFixed(1)} s, CPU ${base.read_cpu_seconds.toFixed(1)} s`);
console.log(agreement(first.stdout, baseline.stdout));
