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

import type { RawValue } from "../drift/types.ts";
import type { CsvColumnPart } from "./csv-column.ts";
import type { DatasetColumn } from "./dataset.ts";

/** The whole column from its slices in file order, or undefined when it must be read again. */
export function joinColumnParts(slices: ReadonlyArray<{ rows: number; part: CsvColumnPart }>): DatasetColumn | undefined {
  const parts = slices.filter((slice) => slice.rows > 0).map((slice) => slice.part);
  const rows = slices.reduce((total, slice) => total + slice.rows, 0);
  if (parts.length === 0) return new Float64Array(0);
  if (parts.every((part) => part.kind === "numbers")) {
    const numbers = new Float64Array(rows);
    let at = 0;
    for (const part of parts) {
      numbers.set(part.numbers, at);
      at += part.numbers.length;
    }
    return numbers;
  }
  if (!parts.every((part, index) => part.kind !== "numbers" && (index === 0 || !part.convertedNumbers))) return undefined;
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
