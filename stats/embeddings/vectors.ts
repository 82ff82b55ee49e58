// Embedding cells as vectors. Readers hand a list-valued cell over as its JSON text
// (stats/io: JSON Lines and JSON arrays, Parquet lists), and a CSV cell can hold the same
// text ("[0.1, 0.2]"), so a cell is a number array, or text that parses to one.

import type { RawColumn } from "../drift/types.ts";
import { MultivariateInputError } from "../multivariate/rows.ts";

/** The largest vector accepted (the live schema's limit too). */
export const MAX_DIMENSION = 4_096;

/**
 * The vectors of one column; missing cells (null, empty) are skipped. Every vector must
 * have the same length, at most MAX_DIMENSION, of finite numbers; `where` names the column
 * in errors, which also name the row (1-based).
 */
export function vectorsOf(column: RawColumn, where: string): number[][] {
  const out: number[][] = [];
  let dimension = -1;
  for (let row = 0; row < column.length; row++) {
    const cell: unknown = column[row];
    if (cell === null || cell === undefined || cell === "") continue;
    let vector: unknown = cell;
    if (typeof cell === "string") {
      try {
        vector = JSON.parse(cell);
      } catch {
        throw new MultivariateInputError(`${where}, row ${row + 1}: not a JSON array of numbers`);
      }
    }
    if (!Array.isArray(vector)) throw new MultivariateInputError(`${where}, row ${row + 1}: expected an array of numbers, got ${typeof vector === "number" ? "a number" : JSON.stringify(cell).slice(0, 40)}`);
    if (vector.length === 0 || vector.length > MAX_DIMENSION) throw new MultivariateInputError(`${where}, row ${row + 1}: a vector must have 1 to ${MAX_DIMENSION} components, this one has ${vector.length}`);
    if (dimension < 0) dimension = vector.length;
    else if (vector.length !== dimension) throw new MultivariateInputError(`${where}, row ${row + 1}: has ${vector.length} components where earlier rows have ${dimension}`);
    const index = vector.findIndex((x) => typeof x !== "number" || !Number.isFinite(x));
    if (index >= 0) throw new MultivariateInputError(`${where}, row ${row + 1}: component ${index} is not a finite number`);
    out.push(vector as number[]);
  }
  if (out.length === 0) throw new MultivariateInputError(`${where}: holds no vector`);
  return out;
}
