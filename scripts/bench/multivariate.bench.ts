// Multivariate drift scoring cost (issue 19 target: 50 features on a 5,000-row reservoir in
// under 200 ms of CPU per recomputation). Times the domain classifier and the reconstruction
// error separately on seeded data, `--rounds` times, and prints CPU time per call
// (process.cpuUsage, user + system) and wall time.
//
//   node scripts/bench/multivariate.bench.ts [--features 50] [--rows 5000] [--rounds 5]

import { parseArgs } from "node:util";
import { domainClassifierDrift } from "../../stats/multivariate/domain-classifier.ts";
import { reconstructionDrift } from "../../stats/multivariate/reconstruction.ts";
import type { MultivariateInput } from "../../stats/multivariate/rows.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const { values: flags } = parseArgs({ options: { features: { type: "string", default: "50" }, rows: { type: "string", default: "5000" }, rounds: { type: "string", default: "5" } } });
const features = Number(flags.features);
const rows = Number(flags.rows);
const normal = normalFrom(mulberry32(7));

// Correlated features (a shared factor) and a few categorical ones, as real tables have.
function side(shift: number): Map<string, Float64Array | string[]> {
  const out = new Map<string, Float64Array | string[]>();
  const factor = Float64Array.from({ length: rows }, normal);
  for (let f = 0; f < features; f++) {
    if (f % 10 === 9) out.set(`f${f}`, Array.from({ length: rows }, () => ["a", "b", "c", "d"][Math.floor(Math.abs(normal()) * 2) % 4]!));
    else out.set(`f${f}`, Float64Array.from({ length: rows }, (_, r) => 0.6 * (factor[r] as number) + 0.8 * normal() + (f < 3 ? shift : 0)));
  }
  return out;
}
const input: MultivariateInput = {
  columns: Array.from({ length: features }, (_, f) => ({ name: `f${f}`, kind: f % 10 === 9 ? ("categorical" as const) : ("numerical" as const) })),
  reference: side(0),
  current: side(0.2),
};

function time(label: string, run: () => unknown): void {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < Number(flags.rounds); round++) {
    const start = process.cpuUsage();
    const t = performance.now();
    run();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[values.length >> 1]!;
  console.log(`${label}: CPU median ${median(cpu).toFixed(0)} ms (min ${Math.min(...cpu).toFixed(0)}, max ${Math.max(...cpu).toFixed(0)}), wall median ${median(wall).toFixed(0)} ms`);
}

console.log(`${features} features (${Math.floor(features / 10)} categorical), ${rows} rows per side, Node ${process.versions.node}`);
time("domain classifier", () => domainClassifierDrift(input));
time("reconstruction error", () => reconstructionDrift(input));
time("both", () => {
  domainClassifierDrift(input);
  reconstructionDrift(input);
});
