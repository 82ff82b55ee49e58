// Worker thread entry: loads one dataset file (load-dataset.ts) and sends its columns
// back, numeric ones as transferred Float64Arrays and text ones as transferred label
// codes, so they are not copied element by element. Lets `vigil drift` read the
// reference and current files on two cores.

import { parentPort, workerData } from "node:worker_threads";
import { CliError } from "./cli-error.ts";
import { loadDataset } from "./load-dataset.ts";
import type { WorkerColumn, WorkerMessage, WorkerRequest } from "./worker-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("dataset-worker.ts must run as a worker thread");
const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

try {
  const { path, columns: wanted } = workerData as WorkerRequest;
  const dataset = await loadDataset(path, (line) => send({ type: "progress", line }), wanted);
  const columns: WorkerColumn[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const name of dataset.columns) {
    const numbers = dataset.numbers(name);
    if (numbers !== undefined) {
      columns.push({ name, numbers });
      transfer.push(numbers.buffer as ArrayBuffer);
      continue;
    }
    const coded = dataset.codedLabels(name);
    if (coded !== undefined) {
      columns.push({ name, coded });
      transfer.push(coded.codes.buffer as ArrayBuffer);
      continue;
    }
    const values = dataset.get(name);
    if (values.every((value) => typeof value === "number")) {
      const packed = Float64Array.from(values as number[]);
      columns.push({ name, numbers: packed });
      transfer.push(packed.buffer);
    } else {
      columns.push({ name, values });
    }
  }
  send({ type: "done", rows: dataset.rows, columns }, transfer);
} catch (error) {
  if (error instanceof CliError) send({ type: "error", badInput: true, message: error.message });
  else send({ type: "error", badInput: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
