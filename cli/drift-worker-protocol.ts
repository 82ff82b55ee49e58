// What drift-worker.ts is asked to judge (its workerData) and what it sends back.

import type { DriftReport } from "../stats/drift/types.ts";
import type { DriftOptions } from "./args.ts";

export interface DriftWorkerRequest {
  /** The command's options, with listed columns narrowed to this worker's share. */
  options: DriftOptions;
  /** Without listed columns: the columns this worker reads and judges. */
  projection: string[] | undefined;
}

export type DriftWorkerMessage =
  | { type: "progress"; line: string }
  | { type: "done"; report: DriftReport }
  | { type: "error"; badInput: boolean; message: string };
