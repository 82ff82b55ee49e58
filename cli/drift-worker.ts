// Worker thread of drift-in-workers.ts. Each worker reads its slice of the rows of both
// files (all judged columns), hands every other worker its slices of the columns that
// worker judges, joins the slices of its own columns in file order and judges them. So
// every byte is parsed once, and reading and the tests both use every worker.
//
// A column whose slices cannot simply be joined (stats/io/csv-parts.ts: it turned from
// numbers to text somewhere past the first slice) is read again from the whole file here,
// so the result is always the one a single reader gives.

import { statSync } from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { CsvReader, type CsvParts } from "../stats/io/csv.ts";
import { joinColumnParts } from "../stats/io/csv-parts.ts";
import { DatasetError, datasetFromColumns, type DatasetColumn } from "../stats/io/dataset.ts";
import { CliError } from "./cli-error.ts";
import type { reportOn as ReportOn } from "./column-report.ts";
import type { DriftWorkerMessage, DriftWorkerPlan, DriftWorkerRequest, SliceMessage } from "./drift-worker-protocol.ts";
import { nodeFindByte } from "./node-find-byte.ts";
import { pushFileRange } from "./push-file-range.ts";


const port = parentPort;
if (port === null) throw new Error("drift-worker.ts must run as a worker thread");
const send = (message: DriftWorkerMessage) => port.postMessage(message);

const request = workerData as DriftWorkerRequest;

port.once("message", (plan: DriftWorkerPlan) => {
  run(plan).catch((error: unknown) => {
    if (error instanceof CliError || error instanceof DatasetError) send({ type: "error", badInput: true, message: error.message });
    else send({ type: "error", badInput: false, message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  });
});

async function run(plan: DriftWorkerPlan): Promise<void> {
  const slices = plan.files.map((file, index) => readSlice(file, index));
  const peers = plan.peers;
  // Every other worker gets this worker's slices of the columns it judges.
  peers.forEach((peer, worker) => {
    if (peer === null) return;
    slices.forEach((slice, file) => {
      const columns = slice.columns.filter(({ name }) => request.owners[request.columns.indexOf(name)] === worker);
      const message: SliceMessage = { type: "slice", from: request.index, file, rows: slice.rows, columns };
      peer.postMessage(message, columns.flatMap(({ part }) => transferables(part)));
    });
  });
  // The tests' modules (a quarter second of type stripping and compiling) load only now,
  // while the other workers finish their slices, so reading starts that much sooner.
  const reporting = import("./column-report.ts");
  const received = await receiveSlices(peers, peers.filter((peer) => peer !== null).length * plan.files.length);
  const { reportOn } = await reporting;
  judge(plan, slices, received, reportOn);
}

/** The `expected` slices the other workers send. */
function receiveSlices(peers: DriftWorkerPlan["peers"], expected: number): Promise<SliceMessage[]> {
  return new Promise((resolve) => {
    const received: SliceMessage[] = [];
    if (expected === 0) resolve(received);
    for (const peer of peers) {
      peer?.on("message", (message: SliceMessage) => {
        received.push(message);
        if (received.length === expected) resolve(received);
      });
    }
  });
}

function readSlice(file: DriftWorkerPlan["files"][number], index: number): CsvParts {
  const options = {
    columns: request.columns,
    findByte: nodeFindByte,
    // The first slice's storage is reserved for the whole file: every column's later slices
    // are then joined into it (csv-parts.ts), and the reserved part no slice reaches is
    // never touched, so it costs address space, not memory.
    sizeHint: file.first ? statSync(file.path).size : file.end - file.start,
    onProgress: (cells: number) => send({ type: "progress", file: index, cells, done: false }),
  };
  const reader = new CsvReader(file.first ? options : { ...options, header: file.header });
  pushFileRange(reader, file.path, file.start, file.end);
  const parts = reader.finishParts();
  send({ type: "progress", file: index, cells: parts.rows * file.header.length, done: true });
  return parts;
}

function judge(plan: DriftWorkerPlan, own: CsvParts[], received: SliceMessage[], reportOn: typeof ReportOn): void {
  const datasets = plan.files.map((file, index) => {
    // Slices in file order: this worker's own at its index among the others'.
    const slices = received.filter((message) => message.file === index).map((message) => ({ from: message.from, rows: message.rows, columns: message.columns }));
    slices.push({ from: request.index, rows: own[index]!.rows, columns: own[index]!.columns });
    slices.sort((a, b) => a.from - b.from);
    const columns = new Map<string, DatasetColumn>();
    const again: string[] = [];
    for (const name of request.owned) {
      // Taken out of the slices, so each column's parts can be freed once it is joined.
      const parts = slices.map((slice) => ({ rows: slice.rows, part: takeColumn(slice.columns, name) }));
      const joined = joinColumnParts(parts);
      if (joined === undefined) again.push(name);
      else columns.set(name, joined);
    }
    if (again.length > 0) {
      const whole = readWhole(file.path, again);
      for (const [name, column] of whole) columns.set(name, column);
    }
    // In file order, as a single reader would list them.
    return datasetFromColumns(new Map(request.owned.map((name) => [name, columns.get(name) as DatasetColumn])));
  });
  const [reference, current] = plan.files;
  const report = reportOn(request.options, { path: reference!.path, data: datasets[0]! }, { path: current!.path, data: datasets[1]! });
  send({ type: "done", report });
}

/** Removes the named column from a slice's list and returns its part. */
function takeColumn(columns: SliceMessage["columns"], name: string): SliceMessage["columns"][number]["part"] {
  const index = columns.findIndex((column) => column.name === name);
  const [taken] = columns.splice(index, 1);
  if (taken === undefined) throw new Error(`slice without column ${name}`);
  return taken.part;
}

/** Reads `columns` of the whole file on this thread (for columns whose slices could not be joined). */
function readWhole(path: string, columns: string[]): Map<string, DatasetColumn> {
  const reader = new CsvReader({ columns, findByte: nodeFindByte });
  pushFileRange(reader, path);
  const dataset = reader.finish();
  return new Map(columns.map((name): [string, DatasetColumn] => [name, dataset.numbers(name) ?? dataset.get(name)]));
}

function transferables(part: SliceMessage["columns"][number]["part"]): ArrayBuffer[] {
  if (part.kind === "numbers") return [part.numbers.buffer as ArrayBuffer];
  if (part.kind === "codes") return [part.codes.buffer as ArrayBuffer];
  return [];
}
