// One measurement of the CSV read bench (run.ts runs it as a child process, so every
// measurement starts cold, as `vigil drift` does): reads one file into typed columns
// with the reader under `--root` (a checkout: this one, or an older one to compare with)
// and prints one JSON line: wall and CPU time of the read, rows, and peak RSS.
//
//   node scripts/bench/csv-read/job.ts --root <checkout> --file <csv> --mode one|two
//
// one: this thread reads the file in 4 MiB chunks (as cli/load-dataset.ts does) and
//      finishes the columns as parts (numbers as Float64Array, labels as codes).
// two: the file is cut at record boundaries into two slices (cli/csv-slices.ts), two
//      worker threads read one each (worker.ts) and hand their parts back, transferred,
//      and this thread joins each column (stats/io/csv-parts.ts), as drift-worker.ts does.

import { closeSync, existsSync, openSync, readSync, statSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { Worker } from "node:worker_threads";

const { values: flags } = parseArgs({
  options: { root: { type: "string" }, file: { type: "string" }, mode: { type: "string", default: "one" } },
});
const root = flags.root!;
const file = flags.file!;
const module = (path: string) => pathToFileURL(join(root, path)).href;
const CHUNK_BYTES = 4 * 1024 * 1024;

interface Parts {
  rows: number;
  columns: Array<{ name: string; part: unknown }>;
}

const { CsvReader } = await import(module("stats/io/csv.ts"));
// The byte search the CLI passes its reader, where that checkout has one.
const findByteModule = existsSync(join(root, "cli/node-find-byte.ts")) ? module("cli/node-find-byte.ts") : undefined;
const findByte = findByteModule === undefined ? undefined : (await import(findByteModule)).nodeFindByte;
const size = statSync(file).size;
const cpuBefore = process.cpuUsage();
const started = performance.now();
let rows: number;
let columns: number;
// Mode two: when the cut was known, and when the last worker's parts arrived.
let cutMs = Number.NaN;
let readMs = Number.NaN;
if (flags.mode === "one") {
  const reader = new CsvReader({ sizeHint: size, findByte });
  const descriptor = openSync(file, "r");
  try {
    const buffer = new Uint8Array(CHUNK_BYTES);
    for (;;) {
      const bytesRead = readSync(descriptor, buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      reader.pushBytes(buffer.subarray(0, bytesRead));
    }
  } finally {
    closeSync(descriptor);
  }
  const parts: Parts = reader.finishParts();
  rows = parts.rows;
  columns = parts.columns.length;
} else {
  const { cutCsvFile, readCsvHeader } = await import(module("cli/csv-slices.ts"));
  const { joinColumnParts } = await import(module("stats/io/csv-parts.ts"));
  const [slices, header] = await Promise.all([cutCsvFile(file, 2), readCsvHeader(file)]);
  cutMs = performance.now() - started;
  const results = await Promise.all(
    (slices as Array<{ start: number; end: number }>).map(
      (slice, index) =>
        new Promise<Parts>((resolve, reject) => {
          const worker = new Worker(new URL("./worker.ts", import.meta.url), {
            workerData: { reader: module("stats/io/csv.ts"), findByte: findByteModule, file, header, first: index === 0, sizeHint: slice.end - slice.start, ...slice },
          });
          worker.once("message", (parts: Parts) => {
            resolve(parts);
            void worker.terminate();
          });
          worker.once("error", reject);
        }),
    ),
  );
  readMs = performance.now() - started;
  rows = 0;
  columns = 0;
  for (const [index, { name }] of (results[0] as Parts).columns.entries()) {
    const joined = joinColumnParts(results.map((parts) => ({ rows: parts.rows, part: parts.columns[index]!.part })));
    if (joined === undefined) throw new Error(`column ${name} could not be joined`);
    rows = "codes" in joined ? joined.codes.length : joined.length; // text columns join as label codes
    columns++;
  }
}
const wall = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const usage = process.resourceUsage();
console.log(JSON.stringify({ wallMs: wall, cutMs, readMs, userMs: cpu.user / 1000, systemMs: cpu.system / 1000, rows, columns, bytes: size, peakMiB: usage.maxRSS / 1024 }));
