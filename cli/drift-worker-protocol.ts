// How drift-in-workers.ts and its worker threads (drift-worker.ts) talk: what a worker is
// given, the plan it waits for, the slices workers hand each other, and what it reports.

import type { CsvColumnPart } from "../stats/io/csv-column.ts";
import type { DriftReport } from "../stats/drift/types.ts";
import type { MessagePort } from "node:worker_threads";
import type { DriftOptions } from "./args.ts";

export interface DriftWorkerRequest {
  /** This worker's position; slice `index` of each file is read here. */
  index: number;
  /** The command's options, with listed columns narrowed to the ones judged here. */
  options: DriftOptions;
  /** The columns every worker reads (its share of the rows of each). */
  columns: string[];
  /** The columns judged here, in file order; the other workers send their slices of them. */
  owned: string[];
  /** Which worker judges each column of `columns`. */
  owners: number[];
}

/** Sent by the main thread once the files are cut: this worker's slice of each file. */
export interface DriftWorkerPlan {
  type: "plan";
  files: Array<{ path: string; header: string[]; start: number; end: number; first: boolean }>;
  /** A port to each other worker, by index (null for this one). */
  peers: Array<MessagePort | null>;
}

/** One worker's slice of one file, for the columns the receiver judges. */
export interface SliceMessage {
  type: "slice";
  from: number;
  file: number;
  rows: number;
  columns: Array<{ name: string; part: CsvColumnPart }>;
}

export type DriftWorkerMessage =
  | { type: "progress"; file: number; cells: number; done: boolean }
  | { type: "done"; report: DriftReport }
  | { type: "error"; badInput: boolean; message: string };
