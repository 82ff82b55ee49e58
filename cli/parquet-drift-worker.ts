// Worker thread of parquet-drift-in-workers.ts: reads this worker's columns from both
// Parquet files (only their column chunks) and judges them.

import { parentPort, workerData } from "node:worker_threads";
import { DatasetError } from "../stats/io/dataset.ts";
import { readParquet } from "../stats/io/parquet.ts";
import { CliError } from "./cli-error.ts";
import { CLI_DECOMPRESSORS } from "./parquet-decompressors.ts";
import type { ParquetDriftMessage, ParquetDriftRequest } from "./parquet-drift-protocol.ts";
import { withParquetFile } from "./parquet-file.ts";

const port = parentPort;
if (port === null) throw new Error("parquet-drift-worker.ts must run as a worker thread");
const send = (message: ParquetDriftMessage) => port.postMessage(message);
const { options, owned } = workerData as ParquetDriftRequest;

try {
  const paths = [options.reference, options.current];
  const reading = Promise.all(
    paths.map((path, file) =>
      withParquetFile(path, (source) =>
        readParquet(source, { columns: owned, compressors: CLI_DECOMPRESSORS, onProgress: (cells) => send({ type: "progress", file, cells, done: false }) }),
      ).then((dataset) => {
        send({ type: "progress", file, cells: dataset.rows * dataset.columns.length, done: true });
        return dataset;
      }),
    ),
  );
  // The tests' modules (a quarter second of type stripping and compiling) load while the
  // files are read.
  const { reportOn } = await import("./column-report.ts");
  const [reference, current] = await reading;
  const report = reportOn(options, { path: options.reference, data: reference! }, { path: options.current, data: current! });
  send({ type: "done", report });
} catch (error) {
  if (error instanceof CliError || error instanceof DatasetError) send({ type: "error", badInput: true, message: error.message });
  else send({ type: "error", badInput: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
}
