// Cleaning before any drift test (docs/drift-tests.md "Cleaning"): ±Infinity, NaN,
// null, undefined and the empty string are missing and dropped; reference and current
// are cleaned separately. Numerical columns become Float64Array; categorical values
// become strings, or, when they come as label codes, counts per label (coded-labels.ts).

import { decodeLabels, isCodedLabels, tallyCodes } from "./coded-labels.ts";
import { DriftInputError } from "./errors.ts";
import type { CleanColumn, ColumnKind, DriftColumn, RawColumn, RawValue } from "./types.ts";

const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const NON_FINITE_TEXT = /^\s*[+-]?(?:inf|infinity|nan)\s*$/i;

/** True for values every test ignores. */
export function isMissingValue(value: RawValue): boolean {
  if (value === null || value === undefined || value === "") return true;
  if (typeof value === "number") return !Number.isFinite(value);
  return false;
}

/** Finite numbers of a numerical column; throws on a value that is not a number. */
export function cleanNumerical(values: RawColumn, where: string): Float64Array {
  if (values instanceof Float64Array) return finiteOnly(values);
  const out = new Float64Array(values.length);
  let n = 0;
  for (const value of values) {
    if (value === null || value === undefined || isMissingValue(value)) continue;
    let x: number;
    if (typeof value === "number") x = value;
    else if (typeof value === "boolean") x = value ? 1 : 0;
    else if (NUMBER_TEXT.test(value)) x = Number(value);
    else if (NON_FINITE_TEXT.test(value)) continue;
    else throw new DriftInputError(`${where} is numerical but holds the non-numeric value ${JSON.stringify(value)}`);
    out[n++] = x;
  }
  return out.slice(0, n);
}

/** The finite values, in order; the array itself when all are finite (nothing is changed later). */
function finiteOnly(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) n++;
  if (n === values.length) return values;
  const out = new Float64Array(n);
  n = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i] as number;
    if (Number.isFinite(x)) out[n++] = x;
  }
  return out;
}

/** Category labels of a categorical column, as strings (the array itself when it is all labels already). */
export function cleanCategorical(values: RawColumn): readonly string[] {
  if (allLabels(values)) return values as readonly string[];
  const out: string[] = [];
  for (const value of values) {
    if (isMissingValue(value)) continue;
    out.push(typeof value === "string" ? value : String(value));
  }
  return out;
}

/** Whether every value is a non-empty string: nothing to drop or convert. */
function allLabels(values: RawColumn): boolean {
  if (values instanceof Float64Array) return false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value !== "string" || value === "") return false;
  }
  return true;
}

/**
 * Clean one column of one dataset. `where` names it in errors, e.g.
 * `column "age" in reference`. An empty result is an error.
 */
export function cleanColumn(column: DriftColumn, kind: ColumnKind, name: string, side: string): CleanColumn {
  const where = `column ${JSON.stringify(name)} in ${side}`;
  let clean: CleanColumn;
  if (kind === "categorical" && isCodedLabels(column)) clean = { kind, tally: tallyCodes(column) };
  else {
    const values = isCodedLabels(column) ? decodeLabels(column) : column;
    if (kind === "numerical") {
      const numbers = cleanNumerical(values, where);
      const integer = numbers.length === values.length && allIntegers(numbers);
      clean = { kind, values: numbers, integer };
    } else clean = { kind, values: cleanCategorical(values) };
  }
  if (cleanSize(clean) === 0) {
    throw new DriftInputError(`column ${JSON.stringify(name)} is empty after cleaning in ${side}`);
  }
  return clean;
}

/** Number of values left after cleaning. */
export function cleanSize(column: CleanColumn): number {
  return "tally" in column ? column.tally.size : column.values.length;
}

function allIntegers(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isInteger(values[i])) return false;
  return true;
}
