// Batch drift benchmark: computeDrift on a wide synthetic dataset, default tests and
// `tests: "all"`, plus the cost of each test on one column pair.
// Run: node scripts/bench/drift.bench.ts [rows=100000] [numerical=80] [categorical=20]
// (Node 22 from node_modules/.bin, e.g. `npx node scripts/bench/drift.bench.ts`).
// Data: seeded (mulberry32); every fifth numerical column shifted by 0.1 sd, every
// fourth categorical column with a re-weighted category.

import { getTest } from "../../stats/drift/registry.ts";
import { computeDrift } from "../../stats/drift/report.ts";
import type { CleanColumn, ColumnKind, DriftRequest, RawValue } from "../../stats/drift/types.ts";
import { mulberry32, normalFrom } from "../../stats/testing/rng.ts";

const rows = Number(process.argv[2] ?? 100_000);
const numerical = Number(process.argv[3] ?? 80);
const categorical = Number(process.argv[4] ?? 20);

function numericColumn(seed: number, n: number, shift: number): number[] {
  const next = normalFrom(mulberry32(seed));
  return Array.from({ length: n }, () => Math.round((next() + shift) * 1e4) / 1e4);
}

function categoricalColumn(seed: number, n: number, skew: number): string[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => `label_${Math.floor(10 * random() ** skew)}`);
}

function buildRequest(): DriftRequest {
  const reference = new Map<string, RawValue[]>();
  const current = new Map<string, RawValue[]>();
  const columns: { name: string; kind: ColumnKind }[] = [];
  for (let i = 0; i < numerical; i++) {
    const name = `num_${i}`;
    reference.set(name, numericColumn(1000 + i, rows, 0));
    current.set(name, numericColumn(2000 + i, rows, i % 5 === 0 ? 0.1 : 0));
    columns.push({ name, kind: "numerical" });
  }
  for (let i = 0; i < categorical; i++) {
    const name = `cat_${i}`;
    reference.set(name, categoricalColumn(3000 + i, rows, 1));
    current.set(name, categoricalColumn(4000 + i, rows, i % 4 === 0 ? 1.2 : 1));
    columns.push({ name, kind: "categorical" });
  }
  return { reference, current, columns };
}

/** Wall time in ms; CPU time of this process is printed alongside since the VM is shared. */
function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const out = fn();
  return [out, performance.now() - t0];
}

function cpuSeconds(fn: () => void): string {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  fn();
  const c = process.cpuUsage(c0);
  return `wall ${((performance.now() - t0) / 1000).toFixed(2)} s, cpu ${((c.user + c.system) / 1e6).toFixed(2)} s`;
}

const [request, buildMs] = time(buildRequest);
console.log(`data: ${rows} rows × (${numerical} numerical + ${categorical} categorical) per side, built in ${(buildMs / 1000).toFixed(1)} s`);

let defaults = computeDrift({ ...request, columns: request.columns.slice(0, 0) });
const defaultTime = cpuSeconds(() => {
  defaults = computeDrift(request);
});
console.log(
  `default tests: ${defaultTime}, ${defaults.dataset.number_of_drifted_columns}/${defaults.dataset.number_of_columns} drifted`,
);

let all = defaults;
const allTime = cpuSeconds(() => {
  all = computeDrift({ ...request, tests: "all" });
});
console.log(`--test all: ${allTime}, ${all.columns.length} scores, ${all.not_applicable.length} not applicable`);

// Per-test cost on one fresh column pair of each kind (includes the one-off sort/merge for the first test).
const numRef: CleanColumn = { kind: "numerical", values: Float64Array.from(numericColumn(1, rows, 0)) };
const numCur: CleanColumn = { kind: "numerical", values: Float64Array.from(numericColumn(2, rows, 0.05)) };
const catRef: CleanColumn = { kind: "categorical", values: categoricalColumn(3, rows, 1) };
const catCur: CleanColumn = { kind: "categorical", values: categoricalColumn(4, rows, 1.1) };
const perTest: string[] = [];
for (const id of ["ks", "wasserstein", "psi", "kl_div", "jensenshannon", "hellinger", "anderson", "cramer_von_mises", "mannw", "ed", "t_test", "es"]) {
  const [, ms] = time(() => getTest(id).run(numRef, numCur));
  perTest.push(`${id} ${ms.toFixed(1)}`);
}
for (const id of ["psi", "jensenshannon", "hellinger", "chisquare", "z", "g_test", "TVD", "fisher_exact"]) {
  const [, ms] = time(() => getTest(id).run(catRef, catCur));
  perTest.push(`${id}(cat) ${ms.toFixed(1)}`);
}
console.log(`per test on one ${rows}×${rows} pair, ms: ${perTest.join(", ")}`);
