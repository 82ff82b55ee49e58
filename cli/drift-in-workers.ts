// Splits `vigil drift` over two worker threads by column: each reads both files keeping
// only its share of the columns (skipped columns are split into fields but never typed or
// stored) and runs the tests on them; the parts are joined with combineReports and put back
// in column order. Reading and the tests are most of the cost and are independent per
// column, so this uses both cores for both (docs/benchmarks.md, "Batch drift at 1M x 20").
//
// Used for CSV inputs of 32 MiB or more on a machine with at least two cores; other inputs
// return undefined and run on the calling thread. VIGIL_PARALLEL_DRIFT=always|never
// overrides the size rule (tests use "always" on small files).

import { open, stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { combineReports } from "../stats/drift/report.ts";
import type { DriftReport } from "../stats/drift/types.ts";
import { parseCsv } from "../stats/io/csv.ts";
import type { DriftOptions } from "./args.ts";
import { CliError } from "./cli-error.ts";
import type { DriftWorkerMessage, DriftWorkerRequest } from "./drift-worker-protocol.ts";

const WORKER_URL = new URL("./drift-worker.ts", import.meta.url);
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
const WORKERS = 2;
const HEADER_PROBE_BYTES = 1 << 20;

/** The report computed in worker threads, or undefined when this input should not be split. */
export async function driftInWorkers(options: DriftOptions, writeProgress: (line: string) => void): Promise<DriftReport | undefined> {
  const paths = [options.reference, options.current];
  if (!(await splitWorthwhile(paths))) return undefined;
  const listed = [...options.numerical, ...options.categorical];
  let columns = listed;
  if (listed.length === 0) {
    const [referenceHeader, currentHeader] = await Promise.all(paths.map(csvHeader));
    if (referenceHeader === undefined || currentHeader === undefined) return undefined;
    columns = referenceHeader.filter((name) => currentHeader.includes(name));
  }
  // With fewer columns than workers, or duplicate names, the single-thread path reports it.
  if (columns.length < WORKERS || new Set(columns).size !== columns.length) return undefined;

  const shares = Array.from({ length: WORKERS }, (_, w) => columns.filter((_, index) => index % WORKERS === w));
  const requests: DriftWorkerRequest[] = shares.map((share) =>
    listed.length === 0
      ? { options, projection: share }
      : {
          options: { ...options, numerical: options.numerical.filter((n) => share.includes(n)), categorical: options.categorical.filter((n) => share.includes(n)) },
          projection: undefined,
        },
  );
  const runs = requests.map((request) => runWorker(request, writeProgress));
  const parts: DriftReport[] = [];
  try {
    // The first share's error wins, as in a single-thread run that reads columns in order.
    for (const run of runs) parts.push(await run.report);
  } finally {
    for (const run of runs) run.stop();
  }
  return inColumnOrder(combineReports(parts), columns);
}

async function splitWorthwhile(paths: readonly string[]): Promise<boolean> {
  if (!paths.every((path) => path.toLowerCase().endsWith(".csv"))) return false;
  const setting = process.env.VIGIL_PARALLEL_DRIFT;
  if (setting === "never") return false;
  if (setting !== "always" && availableParallelism() < 2) return false;
  let bytes = 0;
  for (const path of paths) {
    // A file that cannot be stat'ed is reported by the single-thread reader.
    const size = await stat(path).then((info) => info.size, () => Number.NaN);
    if (!Number.isFinite(size)) return false;
    bytes += size;
  }
  return setting === "always" || bytes >= PARALLEL_MIN_BYTES;
}

/** The header row's names, or undefined when it is not a plain first line (then read normally). */
async function csvHeader(path: string): Promise<string[] | undefined> {
  const file = await open(path, "r");
  try {
    const buffer = new Uint8Array(HEADER_PROBE_BYTES);
    const { bytesRead } = await file.read(buffer, 0, HEADER_PROBE_BYTES, 0);
    const text = new TextDecoder().decode(buffer.subarray(0, bytesRead));
    const end = text.search(/[\r\n]/);
    if (end < 0) return undefined;
    const line = text.slice(0, end);
    // A quoted header field may span lines; leave such files to the normal reader.
    if (line.split('"').length % 2 === 0) return undefined;
    return parseCsv(`${line}\n`).columns;
  } catch {
    return undefined;
  } finally {
    await file.close();
  }
}

function runWorker(request: DriftWorkerRequest, writeProgress: (line: string) => void): { report: Promise<DriftReport>; stop(): void } {
  // Each worker reads its two files one after the other: the two workers already fill two cores.
  const worker = new Worker(WORKER_URL, { workerData: request, env: { ...process.env, VIGIL_PARALLEL_READ: "never" } });
  const report = new Promise<DriftReport>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: { report: DriftReport } | { error: Error }) => {
      if (settled) return;
      settled = true;
      if ("report" in outcome) resolve(outcome.report);
      else reject(outcome.error);
      void worker.terminate();
    };
    worker.on("message", (message: DriftWorkerMessage) => {
      if (message.type === "progress") {
        if (!settled) writeProgress(message.line);
      } else if (message.type === "error") {
        settle({ error: message.badInput ? new CliError(message.message) : new Error(message.message) });
      } else settle({ report: message.report });
    });
    worker.on("error", (error) => settle({ error }));
    worker.on("exit", (code) => settle({ error: new Error(`drift worker stopped (exit code ${code})`) }));
  });
  // A rejection is awaited in order by the caller; this keeps an early one from going unhandled.
  report.catch(() => undefined);
  return { report, stop: () => void worker.terminate() };
}

/** Results in the order a single-thread run gives: by column, then as each part listed them. */
function inColumnOrder(report: DriftReport, columns: readonly string[]): DriftReport {
  const position = new Map(columns.map((name, index) => [name, index]));
  const byColumn = <T extends { column: string }>(rows: T[]): T[] =>
    rows.slice().sort((a, b) => (position.get(a.column) ?? 0) - (position.get(b.column) ?? 0));
  return { ...report, columns: byColumn(report.columns), not_applicable: byColumn(report.not_applicable) };
}
