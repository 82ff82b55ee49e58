// How parquet-drift-in-workers.ts and its worker threads (parquet-drift-worker.ts) talk.

import type { DriftReport } from "../stats/drift/types.ts";
import type { DriftOptions } from "./args.ts";

export interface ParquetDriftRequest {
  index: number;
  /** The command's options, with listed columns narrowed to the ones judged here. */
  options: DriftOptions;
  /** The columns this worker reads from both files and judges, in file order. */
  owned: string[];
}

export type ParquetDriftMessage =
  | { type: "progress"; file: number; cells: number; done: boolean }
  | { type: "done"; report: DriftReport }
  | { type: "error"; badInput: boolean; message: string };
