// The optional sections of `vigil drift`'s report, on one thread: the HTML report's plots,
// --multivariate and --embedding. Loaded only by a run that asks for one of them
// (drift-command.ts), so the common run does not load their modules.

import { rawColumn } from "../stats/drift/coded-labels.ts";
import type { DriftReport, DriftRequest, RawColumn } from "../stats/drift/types.ts";
import { distanceDrift, type EmbeddingDriftResult, mmdDrift, modelDrift, ratioDrift } from "../stats/embeddings/embedding-drift.ts";
import { vectorsOf } from "../stats/embeddings/vectors.ts";
import { type MultivariateReport, multivariateDrift } from "../stats/multivariate/multivariate.ts";
import { MultivariateInputError } from "../stats/multivariate/rows.ts";
import type { DriftOptions } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { asCliError } from "./column-report.ts";
import { type ColumnPlot, columnPlot } from "./report-plots.ts";
import type { NamedDataset, SelectedColumn } from "./select-columns.ts";

/** The report `vigil drift` prints: the per-column report, and the sections asked for. */
export type CliDriftReport = DriftReport & { multivariate?: MultivariateReport; embeddings?: EmbeddingReport[] };

/** One embedding column's drift (stats/embeddings). */
export type EmbeddingReport = { column: string; dimension: number } & EmbeddingDriftResult;

/** Adds the sections `options` ask for to `report`. */
export function addSections(
  options: DriftOptions,
  report: CliDriftReport & { plots?: ColumnPlot[] },
  columns: SelectedColumn[],
  request: DriftRequest,
  reference: NamedDataset,
  current: NamedDataset,
): void {
  // Plots and the multivariate scores read rows: label codes are decoded for them only.
  if (options.html !== undefined) report.plots = columns.map((column) => columnPlot(column.name, column.kind, rawColumn(column.reference), rawColumn(column.current)));
  if (options.multivariate) {
    const rows = (side: "reference" | "current") => new Map<string, RawColumn>(columns.map((column) => [column.name, rawColumn(column[side])]));
    report.multivariate = asSectionError(() => multivariateDrift({ ...request, reference: rows("reference"), current: rows("current") }), "--multivariate: ");
  }
  if (options.embeddings.length > 0) report.embeddings = options.embeddings.map((name) => asSectionError(() => embeddingDrift(options, reference, current, name)));
}

/** Runs `compute`; bad input it reports becomes a CliError (exit 2), a section's message after `context`. */
function asSectionError<T>(compute: () => T, context = ""): T {
  try {
    return asCliError(compute);
  } catch (error) {
    if (error instanceof MultivariateInputError) throw new CliError(`${context}${error.message}`);
    throw error;
  }
}

const EMBEDDING_METHOD = { model: modelDrift, distance: (r: number[][], c: number[][]) => distanceDrift(r, c, { bootstrap: true }), ratio: ratioDrift, mmd: mmdDrift };

function embeddingDrift(options: DriftOptions, reference: NamedDataset, current: NamedDataset, name: string): EmbeddingReport {
  for (const side of [reference, current]) {
    if (!side.data.has(name)) throw new CliError(`${side.path}: no column "${name}" for --embedding (columns: ${side.data.columns.slice(0, 20).join(", ")})`);
  }
  const referenceVectors = vectorsOf(reference.data.get(name), `--embedding ${name} in ${reference.path}`);
  const currentVectors = vectorsOf(current.data.get(name), `--embedding ${name} in ${current.path}`);
  const dimension = referenceVectors[0]!.length;
  if (currentVectors[0]!.length !== dimension) throw new CliError(`--embedding ${name}: ${current.path} has ${currentVectors[0]!.length} components, ${reference.path} has ${dimension}`);
  return { column: name, dimension, ...EMBEDDING_METHOD[options.embeddingMethod](referenceVectors, currentVectors) };
}
