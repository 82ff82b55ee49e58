// Worker thread of job.ts (mode two): reads one slice of the file with the reader at
// workerData.reader, in 4 MiB chunks as cli/drift-worker.ts does, and posts its column
// parts back with their buffers transferred.

import { pushFileRange } from "../../../cli/push-file-range.ts";
import { parentPort, workerData } from "node:worker_threads";

interface Request {
  reader: string;
  /** The module of the CLI's byte search, when the checkout has one. */
  findByte: string | undefined;
  file: string;
  header: string[];
  first: boolean;
  start: number;
  end: number;
  sizeHint: number;
}

const request = workerData as Request;
const { CsvReader } = await import(request.reader);
const findByte = request.findByte === undefined ? undefined : (await import(request.findByte)).nodeFindByte;
const options = { sizeHint: request.sizeHint, findByte };
const reader = new CsvReader(request.first ? options : { ...options, header: request.header });
pushFileRange(reader, request.file, request.start, request.end);
const parts = reader.finishParts() as { rows: number; columns: Array<{ name: string; part: { kind: string; numbers?: Float64Array; codes?: Uint16Array | Int32Array } }> };
const transfer: ArrayBuffer[] = [];
for (const { part } of parts.columns) {
  const array = part.numbers ?? part.codes;
  if (array !== undefined) transfer.push(array.buffer as ArrayBuffer);
}
parentPort!.postMessage(parts, transfer);
