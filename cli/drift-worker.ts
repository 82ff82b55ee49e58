// Worker thread entry: reads both files keeping only its share of the columns (the readers
// skip the rest while parsing) and computes their drift report. drift-in-workers.ts runs
// two of these, so reading and the tests both use two cores.

import { parentPort, workerData } from "node:worker_threads";
import { CliError } from "./cli-error.ts";
import { computeReport } from "./drift-command.ts";
import type { DriftWorkerMessage, DriftWorkerRequest } from "./drift-worker-protocol.ts";

const port = parentPort;
if (port === null) throw new Error("drift-worker.ts must run as a worker thread");
const send = (message: DriftWorkerMessage) => port.postMessage(message);

try {
  const { options, projection } = workerData as DriftWorkerRequest;
  const report = await computeReport(options, (line) => send({ type: "progress", line }), projection);
  send({ type: "done", report });
} catch (error) {
  if (error instanceof CliError) send({ type: "error", badInput: true, message: error.message });
  else send({ type: "error", badInput: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
