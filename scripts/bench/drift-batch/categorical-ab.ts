// In-process A/B of the categorical path of `vigil drift` after reading (issue 22): the
// text columns of the 1M × 20 pair (generate.ts), each file read once in two row slices as
// the drift workers read it, then, for this checkout and a baseline one in turn: join
// the slices, clean, count categories and run the default tests, as computeDrift does.
// CPU time of that step alone (process.cpuUsage, garbage collection included), so a
// change to it shows through the noise of a shared machine, which end-to-end runs
// (reading 280 MB) do not resolve well. The two reports must be identical.
//
//   node scripts/bench/drift-batch/categorical-ab.ts --baseline <checkout> [--dir /tmp/vigil-drift-batch] [--rounds 10]
//
// --baseline: e.g. `mkdir /tmp/base && git archive <commit> stats cli package.json | tar -x -C /tmp/base`.

import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { DriftReport, DriftRequest } from "../../../stats/drift/types.ts";
import type { CsvColumnPart } from "../../../stats/io/csv-column.ts";
import { CsvReader, parseCsv } from "../../../stats/io/csv.ts";
import { CsvCutFinder } from "../../../stats/io/csv-split.ts";

const { values: flags } = parseArgs({
  options: {
    baseline: { type: "string" },
    dir: { type: "string", default: "/tmp/vigil-drift-batch" },
    rounds: { type: "string", default: "10" },
  },
});
if (flags.baseline === undefined) throw new Error("--baseline <checkout> is required");

interface Checkout {
  join(slices: ReadonlyArray<{ rows: number; part: CsvColumnPart }>): unknown;
  computeDrift(request: DriftRequest): DriftReport;
}

async function load(root: string): Promise<Checkout> {
  const parts = await import(join(root, "stats", "io", "csv-parts.ts"));
  const report = await import(join(root, "stats", "drift", "report.ts"));
  return { join: parts.joinColumnParts, computeDrift: report.computeDrift };
}

/** Both slices of the file's text columns (the columns named cat_*). */
function readSlices(path: string): Array<ReturnType<CsvReader["finishParts"]>> {
  const bytes = readFileSync(path);
  const finder = new CsvCutFinder([bytes.length >> 1]);
  finder.push(bytes);
  const cut = finder.cuts[0]!;
  const header = parseCsv(bytes.subarray(0, bytes.indexOf(10) + 1).toString()).columns;
  const columns = header.filter((name) => name.startsWith("cat"));
  return [bytes.subarray(0, cut), bytes.subarray(cut)].map((slice, index) => {
    const reader = new CsvReader(index === 0 ? { columns } : { columns, header });
    reader.pushBytes(slice);
    return reader.finishParts();
  });
}

const checkouts = { baseline: await load(resolve(flags.baseline)), this: await load(join(import.meta.dirname, "..", "..", "..")) };
const files = ["ref.csv", "cur.csv"].map((name) => readSlices(join(flags.dir, name)));
const names = files[0]![0]!.columns.map((column) => column.name);

function judge(checkout: Checkout): string {
  const [reference, current] = files.map(
    (slices) =>
      new Map(
        names.map((name) => [name, checkout.join(slices.map((slice) => ({ rows: slice.rows, part: slice.columns.find((column) => column.name === name)!.part })))]),
      ) as DriftRequest["reference"],
  );
  return JSON.stringify(checkout.computeDrift({ reference: reference!, current: current!, columns: names.map((name) => ({ name, kind: "categorical" })) }));
}

const times: Record<keyof typeof checkouts, number[]> = { baseline: [], this: [] };
let expected: string | undefined;
for (let round = 0; round < Number(flags.rounds); round++) {
  const order: Array<keyof typeof checkouts> = round % 2 === 0 ? ["baseline", "this"] : ["this", "baseline"];
  for (const label of order) {
    const before = process.cpuUsage();
    const report = judge(checkouts[label]);
    const used = process.cpuUsage(before);
    times[label].push((used.user + used.system) / 1000);
    expected ??= report;
    if (report !== expected) throw new Error(`${label}: the report differs`);
  }
}
const median = (values: number[]) => values.slice().sort((a, b) => a - b)[values.length >> 1]!;
console.log(`columns ${names.join(", ")}: both reports identical`);
for (const [label, values] of Object.entries(times)) {
  console.log(`${label}: median ${median(values).toFixed(0)} ms CPU (${values.map((value) => value.toFixed(0)).join(", ")})`);
}
