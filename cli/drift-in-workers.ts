// Runs `vigil drift` on CSV inputs in worker threads, one per core (at least two), with
// every byte parsed once and the tests spread over all of them:
//
// 1. Each file is cut into one slice per worker at record boundaries (csv-slices.ts),
//    while the workers start.
// 2. Each worker reads its slice of both files, all judged columns (drift-worker.ts).
// 3. The workers hand each other their slices of the columns each one judges (columns are
//    dealt out in turn), join them in file order, and judge their columns.
// 4. The parts of the report are joined here and put back in column order, so the output
//    is the one a single thread gives (drift-in-workers.test.ts).
//
// Used for CSV inputs of 32 MiB or more on a machine with at least two cores; other inputs
// return undefined and run on the calling thread, as does any input a worker finds bad, so
// that the error names the row and line exactly as one reader of the whole file does.
// VIGIL_PARALLEL_DRIFT=always|never overrides the size rule (tests use "always").

import { stat } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { MessageChannel, type MessagePort, Worker } from "node:worker_threads";
import { combineReports } from "../stats/drift/report.ts";
import type { DriftReport } from "../stats/drift/types.ts";
import type { DriftOptions } from "./args.ts";
import { cutCsvFile, readCsvHeader } from "./csv-slices.ts";
import type { DriftWorkerMessage, DriftWorkerPlan, DriftWorkerRequest } from "./drift-worker-protocol.ts";
import { progressReporter, type ProgressReporter } from "./progress.ts";
import { workerUrl } from "./worker-url.ts";

const WORKER_URL = workerUrl("drift-worker");
const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;
const MAX_WORKERS = 4;

/** The report computed in worker threads, or undefined when this input should run on one thread. */
export async function driftInWorkers(options: DriftOptions, writeProgress: (line: string) => void): Promise<DriftReport | undefined> {
  // The multivariate and embedding sections need every row of their columns, on one thread.
  // So does the HTML report, which plots every column's values.
  if (options.multivariate || options.embeddings.length > 0 || options.html !== undefined) return undefined;
  const paths = [options.reference, options.current] as const;
  const workers = await workerCount(paths);
  if (workers === undefined) return undefined;
  const headers = await Promise.all(paths.map(readCsvHeader));
  const [reference, current] = headers;
  if (reference === undefined || current === undefined) return undefined;
  const columns = judgedColumns(options, reference, current);
  if (columns === undefined) return undefined;

  // Columns are dealt out in turn; each worker reads every column's share of the rows.
  const owners = columns.map((_, index) => index % workers);
  const channels = new Map<string, MessageChannel>();
  const channel = (a: number, b: number) => {
    const key = `${Math.min(a, b)}-${Math.max(a, b)}`;
    if (!channels.has(key)) channels.set(key, new MessageChannel());
    return channels.get(key)!;
  };
  const progress = paths.map((path) => fileProgress(path, workers, writeProgress));
  // The workers start (loading their modules takes a while) as the files are cut.
  const cuts = Promise.all(paths.map((path) => cutCsvFile(path, workers)));
  const runs = Array.from({ length: workers }, (_, index) => {
    const owned = columns.filter((_, column) => owners[column] === index);
    const request: DriftWorkerRequest = { index, options: narrowed(options, owned), columns, owned, owners };
    const peers: Array<MessagePort | null> = Array.from({ length: workers }, (_, other) => {
      if (other === index) return null;
      const pair = channel(index, other);
      return index < other ? pair.port1 : pair.port2;
    });
    const plan = cuts.then(
      (slices): DriftWorkerPlan => ({
        type: "plan",
        files: paths.map((path, file) => ({ path, header: headers[file]!, first: index === 0, ...slices[file]![index]! })),
        peers,
      }),
    );
    return runWorker(request, plan, progress);
  });
  const parts: DriftReport[] = [];
  try {
    // A worker that meets bad input stops, and the workers waiting for its slices then stop
    // too; so every outcome is awaited before any failure is judged.
    const outcomes = await Promise.allSettled(runs.map((run) => run.outcome));
    // Bad input is reported by a single reader of the whole file, which names the row and line.
    if (outcomes.some((outcome) => outcome.status === "fulfilled" && "badInput" in outcome.value)) return undefined;
    for (const outcome of outcomes) {
      if (outcome.status === "rejected") throw outcome.reason;
      if ("report" in outcome.value) parts.push(outcome.value.report);
    }
  } finally {
    for (const run of runs) run.stop();
  }
  progress.forEach((file) => file.finish());
  return inColumnOrder(combineReports(parts), columns);
}

/** How many workers to use, or undefined for one thread. */
async function workerCount(paths: readonly string[]): Promise<number | undefined> {
  if (!paths.every((path) => path.toLowerCase().endsWith(".csv"))) return undefined;
  const setting = process.env.VIGIL_PARALLEL_DRIFT;
  if (setting === "never") return undefined;
  const cores = availableParallelism();
  if (setting !== "always" && cores < 2) return undefined;
  let bytes = 0;
  for (const path of paths) {
    // A file that cannot be stat'ed is reported by the single-thread reader.
    const size = await stat(path).then((info) => (info.isFile() ? info.size : Number.NaN), () => Number.NaN);
    if (!Number.isFinite(size)) return undefined;
    bytes += size;
  }
  if (setting !== "always" && bytes < PARALLEL_MIN_BYTES) return undefined;
  return Math.min(MAX_WORKERS, Math.max(2, cores));
}

/**
 * The judged columns in order: the listed ones, or those both headers share. Undefined
 * when the single-thread path must report a problem with them (a listed column missing
 * from a header, a duplicate, no shared column).
 */
function judgedColumns(options: DriftOptions, reference: readonly string[], current: readonly string[]): string[] | undefined {
  const listed = [...options.numerical, ...options.categorical];
  const columns = listed.length > 0 ? listed : reference.filter((name) => current.includes(name));
  if (columns.length === 0 || new Set(columns).size !== columns.length) return undefined;
  if (!columns.every((name) => reference.includes(name) && current.includes(name))) return undefined;
  return columns;
}

/** The options with listed columns narrowed to `owned`. */
function narrowed(options: DriftOptions, owned: readonly string[]): DriftOptions {
  if (options.numerical.length === 0 && options.categorical.length === 0) return options;
  return {
    ...options,
    numerical: options.numerical.filter((name) => owned.includes(name)),
    categorical: options.categorical.filter((name) => owned.includes(name)),
  };
}

interface FileProgress {
  update(slice: number, cells: number, done: boolean): void;
  /** The final line, once every slice is read. */
  finish(): void;
}

/** One progress line per file, summing its slices' cells. */
function fileProgress(path: string, slices: number, writeProgress: (line: string) => void): FileProgress {
  const reporter: ProgressReporter = progressReporter(basename(path), writeProgress);
  const cells = new Array<number>(slices).fill(0);
  const finished = new Array<boolean>(slices).fill(false);
  let reported = false;
  return {
    update(slice, count, done) {
      cells[slice] = count;
      if (done) finished[slice] = true;
      reporter.update(cells.reduce((total, value) => total + value, 0));
      if (!reported && finished.every(Boolean)) {
        reported = true;
        reporter.done();
      }
    },
    finish() {
      if (!reported) reporter.done();
      reported = true;
    },
  };
}

type Outcome = { report: DriftReport } | { badInput: true };

function runWorker(request: DriftWorkerRequest, plan: Promise<DriftWorkerPlan>, progress: FileProgress[]): { outcome: Promise<Outcome>; stop(): void } {
  const worker = new Worker(WORKER_URL, { workerData: request });
  const outcome = new Promise<Outcome>((resolve, reject) => {
    let settled = false;
    const settle = (result: Outcome | Error) => {
      if (settled) return;
      settled = true;
      if (result instanceof Error) reject(result);
      else resolve(result);
      void worker.terminate();
    };
    worker.on("message", (message: DriftWorkerMessage) => {
      if (settled) return;
      if (message.type === "progress") progress[message.file]?.update(request.index, message.cells, message.done);
      else if (message.type === "error") settle(message.badInput ? { badInput: true } : new Error(message.message));
      else settle({ report: message.report });
    });
    plan.then(
      (ready) => worker.postMessage(ready, ready.peers.filter((peer): peer is MessagePort => peer !== null)),
      (error: unknown) => settle(error instanceof Error ? error : new Error(String(error))),
    );
    worker.on("error", (error) => settle(error));
    worker.on("exit", (code) => settle(new Error(`drift worker stopped (exit code ${code})`)));
  });
  // A rejection is awaited in order by the caller; this keeps an early one from going unhandled.
  outcome.catch(() => undefined);
  return { outcome, stop: () => void worker.terminate() };
}

/** Results in the order a single-thread run gives: by column, then as each part listed them. */
function inColumnOrder(report: DriftReport, columns: readonly string[]): DriftReport {
  const position = new Map(columns.map((name, index) => [name, index]));
  const byColumn = <T extends { column: string }>(rows: T[]): T[] =>
    rows.slice().sort((a, b) => (position.get(a.column) ?? 0) - (position.get(b.column) ?? 0));
  return { ...report, columns: byColumn(report.columns), not_applicable: byColumn(report.not_applicable) };
}
