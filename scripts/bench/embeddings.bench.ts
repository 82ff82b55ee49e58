// Embedding features' cost (issue 19): what a batch with an embedding costs the Worker
// (JSON.parse of the body, validation into columns and the hashed projection to 64
// components) against the same batch without it, and what one live recomputation of the
// three scores costs the monitor on its 2,000 + 2,000 projected vectors. CPU time per call
// (process.cpuUsage) and wall time, median of `--rounds`.
//
//   node scripts/bench/embeddings.bench.ts [--events 500] [--rounds 7]

import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { distanceDrift, modelDrift, ratioDrift } from "../../stats/embeddings/embedding-drift.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";
import { validateEvents } from "../../workers/ingest/validate-events.ts";
import type { FeatureSpec } from "../../workers/registry/feature-schema.ts";

const { values: flags } = parseArgs({ options: { events: { type: "string", default: "500" }, rounds: { type: "string", default: "7" } } });
const events = Number(flags.events);
const rounds = Number(flags.rounds);
const normal = normalFrom(mulberry32(5));

const scalars: FeatureSpec[] = Array.from({ length: 20 }, (_, i) => ({ name: `f${i}`, kind: i % 5 === 4 ? "categorical" : "numerical", dtype: i % 5 === 4 ? "string" : "float" }));

function body(dimension: number): string {
  return JSON.stringify(
    Array.from({ length: events }, (_, r) => ({
      prediction_id: `p${r}`,
      features: {
        ...Object.fromEntries(scalars.map((f) => [f.name, f.kind === "numerical" ? normal() : ["a", "b", "c"][r % 3]])),
        ...(dimension > 0 ? { text: Array.from({ length: dimension }, () => Math.round(normal() * 1e6) / 1e6) } : {}),
      },
      prediction: r % 2,
    })),
  );
}

function measure(run: () => unknown): { cpu: number; wall: number } {
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const start = process.cpuUsage();
    const t = performance.now();
    run();
    wall.push(performance.now() - t);
    const used = process.cpuUsage(start);
    cpu.push((used.user + used.system) / 1000);
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return { cpu: median(cpu), wall: median(wall) };
}

console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model}; Node ${process.version}; ${events} events per batch, 20 scalar features; median of ${rounds}`);
console.log("| batch | body | parse + validate + project, CPU | per event |");
console.log("|---|---:|---:|---:|");
for (const dimension of [0, 384, 768, 4096]) {
  const text = body(dimension);
  const schema: FeatureSpec[] = dimension > 0 ? [...scalars, { name: "text", kind: "embedding", dtype: "float", dimension }] : scalars;
  const r = measure(() => {
    const items = JSON.parse(text) as unknown[];
    const { batch, rejected } = validateEvents(items, new Map(), schema, Date.now());
    if (rejected.length > 0 || batch.length !== events) throw new Error("the bench batch must validate whole");
  });
  console.log(`| ${dimension === 0 ? "no embedding" : `+ one ${dimension}-d embedding`} | ${(text.length / 1e6).toFixed(1)} MB | ${r.cpu.toFixed(1)} ms | ${((r.cpu * 1000) / events).toFixed(1)} µs |`);
}

const vectors = (n: number, shift: number) => Array.from({ length: n }, () => Float32Array.from({ length: 64 }, () => normal() + shift));
const reference = vectors(2_000, 0);
const current = vectors(2_000, 0.05);
console.log("\n| live recomputation (2,000 + 2,000 vectors × 64) | CPU | wall |");
console.log("|---|---:|---:|");
for (const [label, run] of [
  ["model (domain classifier)", () => modelDrift(reference, current, { seed: 0x5eed })],
  ["distance (bootstrap, 100 rounds)", () => distanceDrift(reference, current, { bootstrap: true })],
  ["ratio (64 Wasserstein tests)", () => ratioDrift(reference, current)],
] as const) {
  const r = measure(run);
  console.log(`| ${label} | ${r.cpu.toFixed(1)} ms | ${r.wall.toFixed(1)} ms |`);
}
