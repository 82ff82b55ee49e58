// What dataset-worker.ts is asked to read (its workerData), and the messages it sends
// back to the thread that started it.

import type { CodedLabels, RawValue } from "../stats/drift/types.ts";

/** A column as sent: numbers only (missing as NaN) in a Float64Array, text as label codes, else the raw values. */
export type WorkerColumn = { name: string; numbers: Float64Array } | { name: string; coded: CodedLabels } | { name: string; values: RawValue[] };

export type WorkerMessage =
  | { type: "progress"; line: string }
  | { type: "done"; rows: number; columns: WorkerColumn[] }
  | { type: "error"; badInput: boolean; message: string };

export interface WorkerRequest {
  path: string;
  /** Keep only these columns (ReadOptions.columns); all when undefined. */
  columns: readonly string[] | undefined;
}
