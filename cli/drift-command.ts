// `vigil drift`: read both files, choose the columns, run the drift tests, print.

import { writeFile } from "node:fs/promises";
import { computeDrift, DriftInputError } from "../stats/drift/report.ts";
import { getTest } from "../stats/drift/registry.ts";
import { rawColumn } from "../stats/drift/coded-labels.ts";
import type { DriftColumn, DriftReport, DriftRequest, RawColumn } from "../stats/drift/types.ts";
import { distanceDrift, type EmbeddingDriftResult, mmdDrift, modelDrift, ratioDrift } from "../stats/embeddings/embedding-drift.ts";
import { vectorsOf } from "../stats/embeddings/vectors.ts";
import { type MultivariateReport, multivariateDrift } from "../stats/multivariate/multivariate.ts";
import { MultivariateInputError } from "../stats/multivariate/rows.ts";
import type { DriftOptions } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { sharedCsvColumns } from "./csv-slices.ts";
import { driftInWorkers } from "./drift-in-workers.ts";
import { parquetDriftInWorkers, sharedParquetColumns } from "./parquet-drift-in-workers.ts";
import { formatTable } from "./format-table.ts";
import { renderHtmlReport } from "./html-report.ts";
import { type ColumnPlot, columnPlot } from "./report-plots.ts";
import { VERSION } from "./version.ts";
import { loadDatasets } from "./load-datasets.ts";
import { type NamedDataset, selectColumns } from "./select-columns.ts";

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** The report `vigil drift` prints: the per-column report, and with --multivariate the joint section. */
export type CliDriftReport = DriftReport & { multivariate?: MultivariateReport; embeddings?: EmbeddingReport[] };

/** One embedding column's drift (stats/embeddings). */
export type EmbeddingReport = { column: string; dimension: number } & EmbeddingDriftResult;

/** Runs the command; throws CliError for bad input. */
export async function runDrift(options: DriftOptions, output: Output): Promise<void> {
  // Unknown test ids fail before any file is read, which can take a while.
  if (Array.isArray(options.tests)) options.tests.forEach((id) => asCliError(() => getTest(id)));
  const computed: CliDriftReport & { plots?: ColumnPlot[] } =
    (await driftInWorkers(options, output.stderr)) ?? (await parquetDriftInWorkers(options, output.stderr)) ?? (await computeReport(options, output.stderr));
  const { plots, ...report } = computed;
  if (options.html !== undefined) await writeHtml(options, report, plots ?? []);
  output.stdout(options.json ? `${JSON.stringify(report)}\n` : formatTable(report));
}

async function writeHtml(options: DriftOptions, report: CliDriftReport, plots: ColumnPlot[]): Promise<void> {
  const html = renderHtmlReport({ report, plots, reference: options.reference, current: options.current, generatedAt: new Date(), generator: `vigil ${VERSION}` });
  try {
    await writeFile(options.html!, html);
  } catch (error) {
    throw new CliError(`--html ${options.html}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Reads both files and computes the report on this thread. */
export async function computeReport(options: DriftOptions, writeProgress: (line: string) => void): Promise<CliDriftReport & { plots?: ColumnPlot[] }> {
  // Listed columns are all that is judged, so the readers skip the others; without a
  // list, Parquet and CSV readers skip the columns the two files do not share (CSV only
  // without --embedding, whose messages name the file that lacks its column).
  const listed = [...options.numerical, ...options.categorical];
  const sharedCsv = () => (options.embeddings.length === 0 ? sharedCsvColumns(options.reference, options.current) : undefined);
  const wanted = listed.length > 0 ? listed : ((await sharedParquetColumns(options.reference, options.current)) ?? (await sharedCsv()));
  const [referenceData, currentData] = await loadDatasets([options.reference, options.current], writeProgress, wanted);
  return reportOn(options, { path: options.reference, data: referenceData }, { path: options.current, data: currentData });
}

/** The report on two loaded datasets: every column they share, or the listed ones. */
export function reportOn(options: DriftOptions, reference: NamedDataset, current: NamedDataset): CliDriftReport & { plots?: ColumnPlot[] } {
  const columns = selectColumns(reference, current, options.numerical, options.categorical, options.embeddings);
  const request: DriftRequest = {
    reference: new Map<string, DriftColumn>(columns.map((column) => [column.name, column.reference])),
    current: new Map<string, DriftColumn>(columns.map((column) => [column.name, column.current])),
    columns: columns.map(({ name, kind }) => ({ name, kind })),
  };
  if (options.tests !== undefined) request.tests = options.tests;
  if (options.threshold !== undefined) request.threshold = options.threshold;
  const report: CliDriftReport & { plots?: ColumnPlot[] } = asCliError(() => computeDrift(request));
  // Plots and the multivariate scores read rows: label codes are decoded for them only.
  if (options.html !== undefined) report.plots = columns.map((column) => columnPlot(column.name, column.kind, rawColumn(column.reference), rawColumn(column.current)));
  if (options.multivariate) {
    const rows = (side: "reference" | "current") => new Map<string, RawColumn>(columns.map((column) => [column.name, rawColumn(column[side])]));
    report.multivariate = asCliError(() => multivariateDrift({ ...request, reference: rows("reference"), current: rows("current") }), "--multivariate: ");
  }
  if (options.embeddings.length > 0) report.embeddings = options.embeddings.map((name) => asCliError(() => embeddingDrift(options, reference, current, name)));
  return report;
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

/** Runs `compute`; bad input it reports becomes a CliError (exit 2), its message after `context`. */
function asCliError<T>(compute: () => T, context = ""): T {
  try {
    return compute();
  } catch (error) {
    if (error instanceof DriftInputError) throw new CliError(error.message);
    if (error instanceof MultivariateInputError) throw new CliError(`${context}${error.message}`);
    throw error;
  }
}
