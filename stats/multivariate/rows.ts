// Turns raw columns into numeric row matrices for the multivariate methods, and draws
// seeded row samples so that large inputs cost a bounded amount of work.
//
// Missing values: a numerical cell that is missing or not a finite number takes the
// reference mean (NannyML's data reconstruction imputes the same way, with scikit-learn's
// SimpleImputer(strategy="mean")); a categorical cell that is missing is its own category,
// "(missing)", since a change in how often values are missing is itself drift.

import type { ColumnKind, RawColumn, RawValue } from "../drift/types.ts";

export interface MultivariateColumn {
  name: string;
  kind: ColumnKind;
}

export interface MultivariateInput {
  columns: readonly MultivariateColumn[];
  reference: ReadonlyMap<string, RawColumn>;
  current: ReadonlyMap<string, RawColumn>;
}

export const MISSING_CATEGORY = "(missing)";

/** Input the multivariate methods cannot judge (too few rows, ragged columns); a 4xx / exit 2 for callers. */
export class MultivariateInputError extends Error {
  override name = "MultivariateInputError";
}

/** Row count of one side; every column of a side must have the same length. */
export function rowCount(columns: readonly MultivariateColumn[], side: ReadonlyMap<string, RawColumn>, label: string): number {
  let rows = -1;
  for (const { name } of columns) {
    const column = side.get(name);
    if (column === undefined) throw new MultivariateInputError(`column ${JSON.stringify(name)} is missing from ${label}`);
    if (rows >= 0 && column.length !== rows) throw new MultivariateInputError(`columns of ${label} differ in length (${JSON.stringify(name)} has ${column.length} rows, not ${rows})`);
    rows = column.length;
  }
  return Math.max(rows, 0);
}

/** A cell of a numerical column as a number, NaN when missing or not numeric. */
export function numberAt(column: RawColumn, row: number): number {
  const value: RawValue = column[row];
  if (typeof value === "number") return Number.isFinite(value) ? value : Number.NaN;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && value.trim() !== "") {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : Number.NaN;
  }
  return Number.NaN;
}

/** A cell of a categorical column as its label. */
export function labelAt(column: RawColumn, row: number): string {
  const value: RawValue = column[row];
  if (value === null || value === undefined || value === "") return MISSING_CATEGORY;
  if (typeof value === "number" && !Number.isFinite(value)) return MISSING_CATEGORY;
  return typeof value === "string" ? value : String(value);
}

/**
 * Up to `cap` distinct row indices of [0, rows), in ascending order: all rows when there are
 * no more than `cap`, else a uniform sample without replacement (a partial Fisher-Yates
 * shuffle driven by mulberry32 from `seed`, so the same seed always picks the same rows).
 */
export function sampleRows(rows: number, cap: number, seed: number): Int32Array {
  if (rows <= cap) return Int32Array.from({ length: rows }, (_, index) => index);
  const pool = Int32Array.from({ length: rows }, (_, index) => index);
  const next = mulberry32(seed);
  for (let index = 0; index < cap; index++) {
    const pick = index + Math.floor(next() * (rows - index));
    const chosen = pool[pick] as number;
    pool[pick] = pool[index] as number;
    pool[index] = chosen;
  }
  return pool.slice(0, cap).sort();
}

/** mulberry32 (Tommy Ettinger, public domain): uniforms in [0, 1) from a 32-bit seed. */
export function mulberry32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A numeric matrix: `rows` × `width`, row-major. */
export interface Matrix {
  rows: number;
  width: number;
  data: Float64Array;
}

/** Column means and population standard deviations (ddof 0, as scikit-learn's StandardScaler); a zero deviation becomes 1. */
export function columnScale(matrix: Matrix): { mean: Float64Array; scale: Float64Array } {
  const { rows, width, data } = matrix;
  const mean = new Float64Array(width);
  const scale = new Float64Array(width);
  for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) mean[c] = (mean[c] as number) + (data[r * width + c] as number);
  for (let c = 0; c < width; c++) mean[c] = (mean[c] as number) / Math.max(rows, 1);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) {
      const d = (data[r * width + c] as number) - (mean[c] as number);
      scale[c] = (scale[c] as number) + d * d;
    }
  }
  for (let c = 0; c < width; c++) {
    const sd = Math.sqrt((scale[c] as number) / Math.max(rows, 1));
    scale[c] = sd > 0 ? sd : 1;
  }
  return { mean, scale };
}

/** (x − mean) / scale, in place. */
export function standardize(matrix: Matrix, mean: Float64Array, scale: Float64Array): void {
  const { rows, width, data } = matrix;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < width; c++) data[r * width + c] = ((data[r * width + c] as number) - (mean[c] as number)) / (scale[c] as number);
  }
}
