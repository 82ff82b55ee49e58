// The per-column part of `vigil drift`'s report on two loaded datasets: what every path
// computes (one thread, and each worker of the CSV and Parquet paths). Kept apart from the
// optional sections (drift-sections.ts: the HTML plots, --multivariate, --embedding), so a
// worker loads only the modules its tests need.

import { computeDrift, DriftInputError } from "../stats/drift/report.ts";
import type { DriftColumn, DriftReport, DriftRequest } from "../stats/drift/types.ts";
import type { DriftOptions } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { type NamedDataset, type SelectedColumn, selectColumns } from "./select-columns.ts";

/** The judged columns of two datasets (every column they share, or the listed ones) and the request for their tests. */
export function driftRequest(options: DriftOptions, reference: NamedDataset, current: NamedDataset): { columns: SelectedColumn[]; request: DriftRequest } {
  const columns = selectColumns(reference, current, options.numerical, options.categorical, options.embeddings);
  const request: DriftRequest = {
    reference: new Map<string, DriftColumn>(columns.map((column) => [column.name, column.reference])),
    current: new Map<string, DriftColumn>(columns.map((column) => [column.name, column.current])),
    columns: columns.map(({ name, kind }) => ({ name, kind })),
  };
  if (options.tests !== undefined) request.tests = options.tests;
  if (options.threshold !== undefined) request.threshold = options.threshold;
  return { columns, request };
}

/** The per-column report on two loaded datasets; bad input is a CliError. */
export function reportOn(options: DriftOptions, reference: NamedDataset, current: NamedDataset): DriftReport {
  return judge(driftRequest(options, reference, current).request);
}

/** The tests' report on `request`; bad input is a CliError. */
export function judge(request: DriftRequest): DriftReport {
  return asCliError(() => computeDrift(request));
}

/** Runs `compute`; bad input the drift code reports (DriftInputError) becomes a CliError (exit 2). */
export function asCliError<T>(compute: () => T): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof DriftInputError) throw new CliError(error.message);
    throw error;
  }
}
