// Loads several dataset files at once, one worker thread each (dataset-worker.ts), so
// the reference and current files are parsed on separate cores.

import { Worker } from "node:worker_threads";
import { datasetFromColumns, type Dataset, type DatasetColumn } from "../stats/io/dataset.ts";
import { CliError } from "./cli-error.ts";
import type { WorkerMessage, WorkerRequest } from "./worker-protocol.ts";
import { workerUrl } from "./worker-url.ts";

const WORKER_URL = workerUrl("dataset-worker");

type Outcome = { dataset: Dataset } | { error: Error };

/**
 * The datasets in the order of `paths`, with only `columns` when given. Errors are
 * reported in path order, as if the files were read one after another: the first
 * path's error is thrown as soon as it happens, and the other readers are stopped.
 */
export async function loadDatasetsInParallel<const Paths extends readonly string[]>(
  paths: Paths,
  writeProgress: (line: string) => void,
  columns?: readonly string[],
): Promise<{ -readonly [Index in keyof Paths]: Dataset }> {
  const loads = paths.map((path) => loadInWorker({ path, columns }, writeProgress));
  const datasets: Dataset[] = [];
  try {
    for (const load of loads) {
      const outcome = await load.outcome;
      if ("error" in outcome) throw outcome.error;
      datasets.push(outcome.dataset);
    }
  } finally {
    for (const load of loads) load.stop();
  }
  return datasets as { -readonly [Index in keyof Paths]: Dataset };
}

interface WorkerLoad {
  outcome: Promise<Outcome>;
  stop(): void;
}

function loadInWorker(request: WorkerRequest, writeProgress: (line: string) => void): WorkerLoad {
  const worker = new Worker(WORKER_URL, { workerData: request });
  const outcome = new Promise<Outcome>((resolve) => {
    let settled = false;
    const settle = (result: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(result);
      void worker.terminate();
    };
    worker.on("message", (message: WorkerMessage) => {
      switch (message.type) {
        case "progress":
          if (!settled) writeProgress(message.line);
          return;
        case "error":
          settle({ error: message.badInput ? new CliError(message.message) : new Error(message.message) });
          return;
        case "done":
          settle({ dataset: toDataset(message) });
          return;
      }
    });
    worker.on("error", (error) => settle({ error }));
    worker.on("exit", (code) => settle({ error: new Error(`dataset reader for ${request.path} stopped (exit code ${code})`) }));
  });
  return { outcome, stop: () => void worker.terminate() };
}

function toDataset(message: Extract<WorkerMessage, { type: "done" }>): Dataset {
  const columns = new Map<string, DatasetColumn>();
  for (const column of message.columns) columns.set(column.name, "values" in column ? column.values : "coded" in column ? column.coded : column.numbers);
  return datasetFromColumns(columns);
}
