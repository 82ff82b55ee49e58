// Joins one column read in slices by several threads (csv-split.ts, CsvReader.finishParts)
// into the column one reader of the whole file gives. That is only possible when each
// slice decided the column's type as the whole-file reader would have:
//
// - every slice kept numbers: the numbers, one slice after the other;
// - every slice turned to text, and none but the first held a number before it did:
//   each later slice then typed every cell as text, as a reader that turned earlier would.
//
// Otherwise (some slices numeric and some text, or numbers converted to text after the
// first slice, whose spellings depend on the rows before) the answer is undefined, and the
// caller reads that column again from the whole file. Slices without rows do not count.
//
// A text column whose slices all kept label codes stays codes: each slice's codes are
// remapped to one label table shared by the slices (in slice order, each label once,
// every missing label as code 0), so no string per row is made (stats/drift/coded-labels.ts
// counts categories from the codes).

import type { CodedLabels, RawValue } from "../drift/types.ts";
import type { CsvColumnPart } from "./csv-column.ts";
import type { DatasetColumn } from "./dataset.ts";

/** The whole column from its slices in file order, or undefined when it must be read again. */
export function joinColumnParts(slices: ReadonlyArray<{ rows: number; part: CsvColumnPart }>): DatasetColumn | undefined {
  const parts = slices.filter((slice) => slice.rows > 0).map((slice) => slice.part);
  const rows = slices.reduce((total, slice) => total + slice.rows, 0);
  if (parts.length === 0) return new Float64Array(0);
  if (parts.every((part) => part.kind === "numbers")) return joinNumbers(parts.map((part) => part.numbers), rows);
  if (!parts.every((part, index) => part.kind !== "numbers" && (index === 0 || !part.convertedNumbers))) return undefined;
  if (parts.every((part) => part.kind === "codes")) {
    const joined = joinCodes(parts, rows);
    if (joined !== undefined) return joined;
  }
  const values = new Array<RawValue>(rows);
  let at = 0;
  for (const part of parts) {
    if (part.kind === "codes") {
      const { codes, labels } = part;
      for (let row = 0; row < codes.length; row++) values[at + row] = labels[codes[row] as number] as string | null;
      at += codes.length;
    } else if (part.kind === "values") {
      for (let row = 0; row < part.values.length; row++) values[at + row] = part.values[row];
      at += part.values.length;
    }
  }
  return values;
}

/**
 * The slices' numbers one after the other. When the first slice's storage has room for
 * every row past it (drift-worker.ts sizes the first slice's reader for the whole file),
 * the column is that storage: the first slice's numbers are already in place and only the
 * later ones are copied, into memory that was reserved but never touched. A new array
 * would be fresh memory for every row (on the VMs here the first touch of a 4 KiB page
 * costs 2–24 µs; docs/benchmarks.md "Fresh memory per column"). The storage past a part's
 * rows is free to take: a part is a view of storage its reader is done with (CsvColumn.part).
 */
function joinNumbers(parts: readonly Float64Array[], rows: number): Float64Array {
  const [first, ...later] = parts as [Float64Array, ...Float64Array[]];
  const room = first.buffer.byteLength - first.byteOffset >= rows * Float64Array.BYTES_PER_ELEMENT;
  // A later part in the same buffer would be overwritten before it is copied.
  const inPlace = room && later.every((part) => part.buffer !== first.buffer);
  const numbers = inPlace ? new Float64Array(first.buffer, first.byteOffset, rows) : new Float64Array(rows);
  let at = inPlace ? first.length : 0;
  for (const part of inPlace ? later : parts) {
    numbers.set(part, at);
    at += part.length;
  }
  return numbers;
}

/** Codes into one shared label table, or undefined when the slices' labels together pass what a code holds. */
function joinCodes(parts: ReadonlyArray<Extract<CsvColumnPart, { kind: "codes" }>>, rows: number): CodedLabels | undefined {
  const labels: Array<string | null> = [null];
  const shared = new Map<string, number>();
  const codes = new Uint16Array(rows);
  let at = 0;
  for (const part of parts) {
    // This slice's code → the shared code of its label (0 for a missing one).
    const remap = new Uint16Array(part.labels.length);
    for (let code = 0; code < part.labels.length; code++) {
      const label = part.labels[code];
      if (label === null || label === undefined) continue;
      let sharedCode = shared.get(label);
      if (sharedCode === undefined) {
        sharedCode = labels.length;
        if (sharedCode > 0xffff) return undefined;
        shared.set(label, sharedCode);
        labels.push(label);
      }
      remap[code] = sharedCode;
    }
    const partCodes = part.codes;
    for (let row = 0; row < partCodes.length; row++) codes[at + row] = remap[partCodes[row] as number] as number;
    at += partCodes.length;
  }
  return { codes, labels };
}
