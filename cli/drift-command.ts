// `vigil drift`: read both files, choose the columns, run the drift tests, print.

import { writeFile } from "node:fs/promises";
import { getTest } from "../stats/drift/registry.ts";
import type { DriftOptions } from "./args.ts";
import { CliError } from "./cli-error.ts";
import { asCliError, driftRequest, judge } from "./column-report.ts";
import { sharedCsvColumns } from "./csv-slices.ts";
import { driftInWorkers } from "./drift-in-workers.ts";
import type { CliDriftReport } from "./drift-sections.ts";
import { formatTable } from "./format-table.ts";
import { loadDatasets } from "./load-datasets.ts";
import type { ColumnPlot } from "./report-plots.ts";
import { VERSION } from "./version.ts";

// Modules only some runs need (Parquet's reader and codecs, the HTML report, the
// multivariate and embedding sections) are imported when a run needs them: loading them
// all cost the main thread ~60 ms before the CSV path's workers could start.

export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Runs the command; throws CliError for bad input. */
export async function runDrift(options: DriftOptions, output: Output): Promise<void> {
  // Unknown test ids fail before any file is read, which can take a while.
  if (Array.isArray(options.tests)) options.tests.forEach((id) => asCliError(() => getTest(id)));
  const computed: CliDriftReport & { plots?: ColumnPlot[] } =
    (await driftInWorkers(options, output.stderr)) ??
    (await parquetInWorkers(options, output.stderr)) ??
    (await computeReport(options, output.stderr));
  const { plots, ...report } = computed;
  if (options.html !== undefined) await writeHtml(options, report, plots ?? []);
  output.stdout(options.json ? `${JSON.stringify(report)}\n` : formatTable(report));
}

async function writeHtml(options: DriftOptions, report: CliDriftReport, plots: ColumnPlot[]): Promise<void> {
  const { renderHtmlReport } = await import("./html-report.ts");
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
  const wanted = listed.length > 0 ? listed : ((await sharedParquet(options)) ?? (await sharedCsv()));
  const [referenceData, currentData] = await loadDatasets([options.reference, options.current], writeProgress, wanted);
  const reference = { path: options.reference, data: referenceData };
  const current = { path: options.current, data: currentData };
  const { columns, request } = driftRequest(options, reference, current);
  const report: CliDriftReport & { plots?: ColumnPlot[] } = judge(request);
  if (options.html !== undefined || options.multivariate || options.embeddings.length > 0) {
    const { addSections } = await import("./drift-sections.ts");
    addSections(options, report, columns, request, reference, current);
  }
  return report;
}

/** The columns two Parquet files share (undefined for other input); the Parquet modules load only for Parquet input. */
async function sharedParquet(options: DriftOptions): Promise<string[] | undefined> {
  if (![options.reference, options.current].every(isParquet)) return undefined;
  return (await import("./parquet-drift-in-workers.ts")).sharedParquetColumns(options.reference, options.current);
}

/** The Parquet path of runDrift, for Parquet input only. */
async function parquetInWorkers(options: DriftOptions, writeProgress: (line: string) => void): Promise<CliDriftReport | undefined> {
  if (![options.reference, options.current].every(isParquet)) return undefined;
  return (await import("./parquet-drift-in-workers.ts")).parquetDriftInWorkers(options, writeProgress);
}

function isParquet(path: string): boolean {
  return path.toLowerCase().endsWith(".parquet");
}
