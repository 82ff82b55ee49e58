// A columnar, in-memory table shared by the dataset readers (csv, jsonl, json-array,
// parquet), the `vigil drift` CLI and the profile builder. Pure TypeScript: readers
// take strings or bytes; reading files is the caller's job.

import { decodeLabels, isCodedLabels } from "../drift/coded-labels.ts";
import type { CodedLabels, ColumnKind, RawValue } from "../drift/types.ts";

/** Column-major table. Missing values are null, undefined or NaN (see RawValue). */
export interface Dataset {
  /** Column names in file order. */
  readonly columns: string[];
  readonly rows: number;
  /** The values of one column, `rows` long. Throws DatasetError for an unknown column. */
  get(name: string): RawValue[];
  has(name: string): boolean;
  /**
   * The column as packed doubles (missing cells NaN) when the reader stored it that way,
   * else undefined (then use get). Lets callers skip the copy into a plain array.
   */
  numbers(name: string): Float64Array | undefined;
  /**
   * The column as label codes when the reader stored it that way (a CSV text column),
   * else undefined. Lets the drift tests count categories without a string per row.
   */
  codedLabels(name: string): CodedLabels | undefined;
}

/** A column as readers hand it over: packed doubles for a numeric one, label codes for a text one, or values. */
export type DatasetColumn = RawValue[] | Float64Array | CodedLabels;

/** Bad input data: the message names the source (row, line or column) and is fit to show a user. */
export class DatasetError extends Error {
  override name = "DatasetError";
}

/** Called by readers with the running number of cells read so far. */
export type ProgressCallback = (cellsRead: number) => void;

export interface ReadOptions {
  onProgress?: ProgressCallback;
  /**
   * Keep only these columns (others are skipped while parsing, which saves time and
   * memory on wide files). A listed column the input lacks is a DatasetError.
   */
  columns?: readonly string[];
  /**
   * Read these columns as text labels, exactly as written ("02134" stays "02134"),
   * instead of turning numeric-looking cells into numbers. Only readers of text formats
   * (CSV) need it: JSON values carry their own types.
   */
  labels?: readonly string[];
}

/** The error for a wanted column that the input does not have, listing what it has. */
export function missingColumnError(name: string, available: readonly string[]): DatasetError {
  if (available.length === 0) return new DatasetError(`no column "${name}" (it has no columns)`);
  const shown = available.slice(0, 8).map((column) => JSON.stringify(column));
  const more = available.length > shown.length ? `, … ${available.length - shown.length} more` : "";
  return new DatasetError(`no column "${name}" (it has columns ${shown.join(", ")}${more})`);
}

/** Throws missingColumnError for the first wanted column not in `available`. */
export function checkWantedColumns(wanted: readonly string[] | undefined, available: readonly string[]): void {
  if (wanted === undefined) return;
  const present = new Set(available);
  const missing = wanted.find((name) => !present.has(name));
  if (missing !== undefined) throw missingColumnError(missing, available);
}

export type DatasetFormat = "csv" | "jsonl" | "json" | "parquet";

const FORMAT_BY_EXTENSION: ReadonlyArray<readonly [string, DatasetFormat]> = [
  [".csv", "csv"],
  [".jsonl", "jsonl"],
  [".ndjson", "jsonl"],
  [".json", "json"],
  [".parquet", "parquet"],
];

/** The format implied by a file name's extension (case-insensitive), or undefined. */
export function formatFromPath(path: string): DatasetFormat | undefined {
  const lower = path.toLowerCase();
  for (const [extension, format] of FORMAT_BY_EXTENSION) {
    if (lower.endsWith(extension)) return format;
  }
  return undefined;
}

export const SUPPORTED_EXTENSIONS: readonly string[] = FORMAT_BY_EXTENSION.map(([extension]) => extension);

/**
 * Builds a Dataset from named columns that all have the same length. `nulls` marks, for
 * a packed column, the rows that were null in the source rather than NaN (Parquet keeps
 * the two apart): `numbers` has NaN there, `get` gives null.
 */
export function datasetFromColumns(columns: ReadonlyMap<string, DatasetColumn>, nulls?: ReadonlyMap<string, Uint8Array>): Dataset {
  const names = [...columns.keys()];
  const first = names[0];
  const lengthOf = (values: DatasetColumn): number => (isCodedLabels(values) ? values.codes.length : values.length);
  const firstColumn = first === undefined ? undefined : columns.get(first);
  const rows = firstColumn === undefined ? 0 : lengthOf(firstColumn);
  for (const [name, values] of columns) {
    if (lengthOf(values) !== rows) throw new Error(`column "${name}" has ${lengthOf(values)} values, expected ${rows}`);
  }
  // Plain arrays made from packed or coded columns, for callers that ask for one.
  const plain = new Map<string, RawValue[]>();
  const column = (name: string): DatasetColumn => {
    const values = columns.get(name);
    if (values === undefined) throw new DatasetError(`unknown column "${name}"`);
    return values;
  };
  return {
    columns: names,
    rows,
    get(name: string): RawValue[] {
      const values = column(name);
      if (Array.isArray(values)) return values;
      let array = plain.get(name);
      if (array === undefined) {
        if (isCodedLabels(values)) array = decodeLabels(values);
        else {
          array = Array.from(values);
          const mask = nulls?.get(name);
          if (mask !== undefined) for (let row = 0; row < array.length; row++) if (mask[row] === 1) array[row] = null;
        }
        plain.set(name, array);
      }
      return array;
    },
    has(name: string): boolean {
      return columns.has(name);
    },
    numbers(name: string): Float64Array | undefined {
      const values = column(name);
      return values instanceof Float64Array ? values : undefined;
    },
    codedLabels(name: string): CodedLabels | undefined {
      const values = column(name);
      return isCodedLabels(values) ? values : undefined;
    },
  };
}

/**
 * Missing for drift purposes (docs/drift-tests.md "Cleaning"): null, undefined, NaN,
 * and ±Infinity, which the spec also drops.
 */
export function isMissing(value: RawValue): boolean {
  if (value === null || value === undefined) return true;
  return typeof value === "number" && !Number.isFinite(value);
}

/**
 * The kind a column gets when the user does not say: numerical when every non-null,
 * non-NaN value is a number (±Infinity counts as a number here, as pandas reads "inf"
 * into a float column), categorical otherwise. A column with no values at all is
 * reported as categorical; callers treat it as empty anyway.
 */
export function inferKind(values: readonly RawValue[]): ColumnKind {
  let sawNumber = false;
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value !== "number") return "categorical";
    if (!Number.isNaN(value)) sawNumber = true;
  }
  return sawNumber ? "numerical" : "categorical";
}

/** Number of values that survive cleaning (not missing, see isMissing). */
export function countPresent(values: readonly RawValue[]): number {
  let present = 0;
  for (const value of values) if (!isMissing(value)) present++;
  return present;
}
