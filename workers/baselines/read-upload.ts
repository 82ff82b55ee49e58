// A reference dataset uploaded raw to PUT …/baseline: its format from Content-Type, and
// the body parsed by stats/io's readers (the ones `vigil drift` uses) as it streams in.
// CSV and JSON Lines are parsed chunk by chunk; a bare JSON array (application/json) is
// parsed whole by the route, within ingest's body limits.
import { CsvReader, parseCsv } from "../../stats/io/csv.ts";
import { DatasetError, type Dataset } from "../../stats/io/dataset.ts";
import { JsonLinesReader } from "../../stats/io/jsonl.ts";
import { ApiError } from "../errors.ts";
import { streamBody, type BodyLimits } from "../ingest/stream-body.ts";

export type UploadFormat = "csv" | "jsonl" | "json";

/**
 * Limits of a streamed (CSV or JSON Lines) upload: 64 MB on the wire and after inflation.
 * The body is never held whole, so memory follows the parsed columns: a 100k-row ×
 * 20-column CSV (16 MB) peaks at about 60 MB of heap while parsed and profiled.
 */
export const STREAMED_UPLOAD_LIMITS: BodyLimits = { wire: 64 * 1024 * 1024, inflated: 64 * 1024 * 1024 };

const TYPES: ReadonlyMap<string, UploadFormat> = new Map([
  ["text/csv", "csv"],
  ["application/csv", "csv"],
  ["application/x-ndjson", "jsonl"],
  ["application/ndjson", "jsonl"],
  ["application/jsonl", "jsonl"],
  ["application/x-jsonlines", "jsonl"],
  ["application/jsonlines", "jsonl"],
  ["application/json", "json"],
]);

/** The format a Content-Type names; no Content-Type is JSON (as before raw uploads). 415 names the accepted types. */
export function uploadFormat(contentType: string | undefined): UploadFormat {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "") return "json";
  const format = TYPES.get(type);
  if (format !== undefined) return format;
  throw new ApiError(
    415,
    "unsupported_media_type",
    `Content-Type "${type}" is not accepted for a baseline; send text/csv (a header row, then one row per prediction), ` +
      "application/x-ndjson (JSON Lines: one object per line) or application/json (a JSON array of row objects, or { profile }, { rows } or { from, to })",
    { accepted: [...TYPES.keys()] },
  );
}

/** A DatasetError (bad input data, naming the row or line) as the 400 the client sees. */
export function datasetError(error: unknown, format: UploadFormat): unknown {
  if (!(error instanceof DatasetError)) return error;
  const name = format === "csv" ? "CSV" : format === "jsonl" ? "JSON Lines" : "JSON";
  return new ApiError(400, "malformed_dataset", `${name}: ${error.message}`);
}

/**
 * Columns to keep given the CSV header (undefined: all). It may throw (a 422 when no
 * column is of use), which ends the upload before the rest of it is read.
 */
export type KeepColumns = (header: readonly string[]) => readonly string[] | undefined;

const LF = 10;
const CR = 13;

/** Where the first line of `bytes` ends (its first CR or LF), or -1. */
function lineEnd(bytes: Uint8Array): number {
  const lf = bytes.indexOf(LF);
  const cr = bytes.indexOf(CR);
  return lf < 0 ? cr : cr < 0 ? lf : Math.min(lf, cr);
}

/**
 * A CSV reader that first collects the header line so that `keep` can drop unneeded
 * columns while parsing (an id or timestamp column would otherwise be interned row by
 * row). A header whose quoted names span lines is left to the reader, keeping every column.
 */
class FilteredCsv {
  private reader: CsvReader | null = null;
  private head: Uint8Array[] = [];
  private headBytes = 0;
  /** The header's column names, when read here (before the reader took over). */
  header: readonly string[] | undefined;

  private readonly keep: KeepColumns;
  private readonly labels: readonly string[];

  constructor(keep: KeepColumns, labels: readonly string[]) {
    this.keep = keep;
    this.labels = labels;
  }

  push(chunk: Uint8Array): void {
    if (this.reader !== null) return this.reader.pushBytes(chunk);
    this.head.push(chunk);
    this.headBytes += chunk.byteLength;
    if (lineEnd(chunk) >= 0) this.start();
  }

  finish(): Dataset {
    if (this.reader === null) this.start();
    return this.reader!.finish();
  }

  private start(): void {
    const bytes = new Uint8Array(this.headBytes);
    let at = 0;
    for (const part of this.head) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    this.head = [];
    const end = lineEnd(bytes);
    try {
      this.header = parseCsv(new TextDecoder().decode(bytes.subarray(0, end < 0 ? bytes.length : end))).columns;
    } catch {
      this.header = undefined; // the reader reports it, or finds the header's end itself
    }
    const columns = this.header === undefined || this.header.length === 0 ? undefined : this.keep(this.header);
    this.reader = new CsvReader(columns === undefined ? { labels: this.labels } : { columns, labels: this.labels });
    this.reader.pushBytes(bytes);
  }
}

export interface StreamedDataset {
  dataset: Dataset;
  /** Every column of the upload, kept or not. */
  columns: readonly string[];
}

/**
 * Parses a CSV or JSON Lines body as it streams in. 400 names a bad row or line; 413 past
 * the limits. CSV columns named in `labels` (categorical features) keep their cells' text
 * as written, so a code like "02134" matches the label ingest receives.
 */
export async function readStreamedDataset(
  request: Request,
  format: "csv" | "jsonl",
  keep: KeepColumns,
  limits = STREAMED_UPLOAD_LIMITS,
  labels: readonly string[] = [],
): Promise<StreamedDataset> {
  try {
    if (format === "csv") {
      const csv = new FilteredCsv(keep, labels);
      await streamBody(request, limits, (chunk) => csv.push(chunk));
      const dataset = csv.finish();
      return { dataset, columns: csv.header ?? dataset.columns };
    }
    const lines = new JsonLinesReader();
    const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
    const decode = (chunk?: Uint8Array) => {
      try {
        return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
      } catch {
        throw new ApiError(400, "malformed_body", "body is not valid UTF-8");
      }
    };
    await streamBody(request, limits, (chunk) => lines.push(decode(chunk)));
    lines.push(decode());
    const dataset = lines.finish();
    return { dataset, columns: dataset.columns };
  } catch (error) {
    throw datasetError(error, format);
  }
}
