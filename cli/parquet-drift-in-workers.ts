// Runs `vigil drift` on two Parquet files in worker threads, one per core (at least two).
// Parquet stores each column apart, so the judged columns are dealt out in turn and each
// worker reads only its own columns' chunks from both files (nothing is read twice or
// handed between threads) and judges them (parquet-drift-worker.ts). The parts of the
// report are joined here and put back in column order, so the output is the one a single
// thread gives (parquet-drift-in-workers.test.ts).
//
// Used when both inputs are .parquet files holding at least PARALLEL_MIN_CELLS cells
// together, on a machine with at least two cores; other inputs return undefined and run
// on the calling thread, as does any input a worker finds bad, so that the error message
// is the single reader's. VIGIL_PARALLEL_DRIFT=always|never overrides the size rule, as
// for CSV (cli/drift-in-workers.ts).

import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { Worker } from "node:worker_threads";
import { parquetMetadataAsync, parquetSchema } from "hyparquet";
import { combineReports } from "../stats/drift/report.ts";
import type { DriftReport } from "../stats/drift/types.ts";
import type { DriftOptions } from "./args.ts";
import { withParquetFile } from "./parquet-file.ts";
import type { ParquetDriftRequest, ParquetDriftMessage } from "./parquet-drift-protocol.ts";
import { progressReporter } from "./progress.ts";
import { workerUrl } from "./worker-url.ts";

const WORKER_URL = workerUrl("parquet-drift-worker");
/**
 * Below this many judged cells (both files) one thread is as fast: on the 20-column
 * benchmark data, 2 × 100k rows took 1.0 s on one thread and 1.5 s over workers, 2 × 250k
 * rows 1.6–2.2 s against 1.7–1.8 s, 2 × 1M rows 4.7–5.3 s against 3.4–3.9 s.
 */
const PARALLEL_MIN_CELLS = 20_000_000;
const MAX_WORKERS = 4;

interface Footer {
  rows: number;
  columns: string[];
}

/** The report computed in worker threads, or undefined when this input should run on one thread. */
export async function parquetDriftInWorkers(options: DriftOptions, writeProgress: (line: string) => void): Promise<DriftReport | undefined> {
  // The multivariate and embedding sections and the HTML plots need every column on one thread.
  if (options.multivariate || options.embeddings.length > 0 || options.html !== undefined) return undefined;
  const paths = [options.reference, options.current] as const;
  if (!paths.every((path) => path.toLowerCase().endsWith(".parquet"))) return undefined;
  const setting = process.env.VIGIL_PARALLEL_DRIFT;
  if (setting === "never") return undefined;
  const cores = availableParallelism();
  if (setting !== "always" && cores < 2) return undefined;
  const footers = await Promise.all(paths.map(readFooter));
  const [reference, current] = footers;
  if (reference === undefined || current === undefined) return undefined;
  const columns = judgedColumns(options, reference.columns, current.columns);
  if (columns === undefined || columns.length < 2) return undefined;
  if (setting !== "always" && (reference.rows + current.rows) * columns.length < PARALLEL_MIN_CELLS) return undefined;

  const workers = Math.min(MAX_WORKERS, Math.max(2, cores), columns.length);
  const progress = paths.map((path) => fileProgress(path, workers, writeProgress));
  const runs = Array.from({ length: workers }, (_, index) => {
    const owned = columns.filter((_, column) => column % workers === index);
    return runWorker(index, { options: narrowed(options, owned), owned }, progress);
  });
  const parts: DriftReport[] = [];
  try {
    const outcomes = await Promise.allSettled(runs.map((run) => run.outcome));
    // Bad input is reported by a single reader, in its own words.
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

/**
 * The columns two Parquet files share (reference order): all a run without listed columns
 * can judge, so the other columns need not be read. Undefined unless both are readable
 * Parquet files sharing a column (then the reader reports whatever is wrong).
 */
export async function sharedParquetColumns(reference: string, current: string): Promise<string[] | undefined> {
  if (![reference, current].every((path) => path.toLowerCase().endsWith(".parquet"))) return undefined;
  const [first, second] = await Promise.all([readFooter(reference), readFooter(current)]);
  if (first === undefined || second === undefined) return undefined;
  const shared = first.columns.filter((name) => second.columns.includes(name));
  return shared.length > 0 ? shared : undefined;
}

/** Row count and top-level column names, or undefined when the single reader should report the file. */
async function readFooter(path: string): Promise<Footer | undefined> {
  try {
    const metadata = await withParquetFile(path, (file) => parquetMetadataAsync(file));
    return { rows: Number(metadata.num_rows), columns: parquetSchema(metadata).children.map((child) => child.element.name) };
  } catch {
    return undefined;
  }
}

/**
 * The judged columns in order: the listed ones, or those both files share. Undefined
 * when the single-thread path must report a problem with them.
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
  update(worker: number, cells: number, done: boolean): void;
  /** The final line, unless every worker's "done" already gave it. */
  finish(): void;
}

/** One progress line per file, summing the cells every worker has read of it. */
function fileProgress(path: string, workers: number, writeProgress: (line: string) => void): FileProgress {
  const reporter = progressReporter(basename(path), writeProgress);
  const cells = new Array<number>(workers).fill(0);
  const finished = new Array<boolean>(workers).fill(false);
  let reported = false;
  return {
    update(worker, count, done) {
      cells[worker] = count;
      if (done) finished[worker] = true;
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

function runWorker(index: number, request: Omit<ParquetDriftRequest, "index">, progress: FileProgress[]): { outcome: Promise<Outcome>; stop(): void } {
  const worker = new Worker(WORKER_URL, { workerData: { ...request, index } satisfies ParquetDriftRequest });
  const outcome = new Promise<Outcome>((resolve, reject) => {
    let settled = false;
    const settle = (result: Outcome | Error) => {
      if (settled) return;
      settled = true;
      if (result instanceof Error) reject(result);
      else resolve(result);
      void worker.terminate();
    };
    worker.on("message", (message: ParquetDriftMessage) => {
      if (settled) return;
      if (message.type === "progress") progress[message.file]?.update(index, message.cells, message.done);
      else if (message.type === "error") settle(message.badInput ? { badInput: true } : new Error(message.message));
      else settle({ report: message.report });
    });
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
