// Benchmark for stats/drift/radix-sort.ts: the sort behind every numerical column's tests
// in `vigil drift` (two per column pair). Sorts a million values of several shapes, checks
// each result against Float64Array.prototype.sort (bit for bit, -0 before 0), and prints
// the median time of `--rounds` sorts per shape next to the built-in sort's, with the
// result recycled between rounds as computeDrift does. `--against` names another version
// of the module (e.g. `git show <commit>:stats/drift/radix-sort.ts > /tmp/old-sort.ts`),
// timed alternately with this one in the same process. Results: docs/benchmarks.md.
//
//   node scripts/bench/sort.bench.ts [--rows 1000000] [--rounds 9] [--against /tmp/old-sort.ts]

import { cpus } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { recycleSorted, sortedCopy } from "../../stats/drift/radix-sort.ts";
import { mulberry32 } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({
  options: { rows: { type: "string", default: "1000000" }, rounds: { type: "string", default: "9" }, against: { type: "string" } },
});
type Sorter = { sortedCopy(values: Float64Array): Float64Array; recycleSorted(sorted: Float64Array): void };
const sorters: Array<[string, Sorter]> = [["sortedCopy", { sortedCopy, recycleSorted }]];
if (flags.against !== undefined) sorters.push([`--against`, (await import(pathToFileURL(resolve(flags.against)).href)) as Sorter]);
const rows = Number(flags.rows);
const rounds = Number(flags.rounds);
const random = mulberry32(7);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
const column = (draw: () => number) => Float64Array.from({ length: rows }, draw);

const shapes: Record<string, Float64Array> = {
  "normal, 4 decimals (as the CSV benchmark)": column(() => Math.round((80 + 10 * normal()) * 1e4) / 1e4),
  "standard normal, full precision": column(normal),
  "log-normal (amounts)": column(() => Math.exp(2 + 2 * normal())),
  "integers 0-999": column(() => Math.floor(random() * 1000)),
  "binary 0/1": column(() => (random() < 0.3 ? 1 : 0)),
  "uniform [0, 1)": column(random),
};

function median(times: number[]): number {
  const sorted = times.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

console.log(`${rows} values, ${rounds} rounds; Node ${process.versions.node}, ${cpus().length} × ${cpus()[0]?.model ?? "unknown"}`);
console.log(`| shape | ${sorters.map(([name]) => `${name} (median)`).join(" | ")} | built-in sort (median) |`);
console.log(`|---|${sorters.map(() => "---|").join("")}---|`);
for (const [shape, values] of Object.entries(shapes)) {
  const expected = values.slice().sort();
  const times = sorters.map((): number[] => []);
  const builtIn: number[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [index, [name, sorter]] of sorters.entries()) {
      const started = performance.now();
      const sorted = sorter.sortedCopy(values);
      times[index]!.push(performance.now() - started);
      for (let i = 0; i < rows; i++) if (!Object.is(sorted[i], expected[i])) throw new Error(`${name}, ${shape}: index ${i} is ${sorted[i]}, the built-in sort gives ${expected[i]}`);
      sorter.recycleSorted(sorted);
    }
    const started = performance.now();
    values.slice().sort();
    builtIn.push(performance.now() - started);
  }
  console.log(`| ${shape} | ${times.map((series) => `${median(series).toFixed(1)} ms`).join(" | ")} | ${median(builtIn).toFixed(1)} ms |`);
}
