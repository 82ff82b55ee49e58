// Collects one column of text cells (CSV fields) into typed values without holding
// every cell's text: a column stays a packed array of doubles while all of its cells
// are numbers, and turns into strings at its first non-numeric cell.

import type { RawValue } from "../drift/types.ts";
import { MISSING_TOKENS, parseNumberText } from "./text-values.ts";

// Past this many numeric cells whose text differs from the number's own spelling
// ("1.50", "1e-05"), stop remembering their text: a column that long is numerical in
// practice, and should it still turn categorical, those cells get the number's spelling.
const MAX_REMEMBERED_SPELLINGS = 100_000;

export class TextColumnBuilder {
  private values: RawValue[] = [];
  private numeric = true;
  // Original text of numeric cells that String(number) would not give back, by row.
  private spellings: Map<number, string> | null = new Map();

  add(text: string): void {
    if (MISSING_TOKENS.has(text)) {
      // NaN keeps a numeric column a packed double array; both mean missing.
      this.values.push(this.numeric ? Number.NaN : null);
      return;
    }
    if (this.numeric) {
      const number = parseNumberText(text);
      if (number !== undefined) {
        this.rememberSpelling(number, text);
        this.values.push(number);
        return;
      }
      this.becomeCategorical();
    }
    this.values.push(text);
  }

  /** Whether every non-missing cell so far is a number. */
  isNumeric(): boolean {
    return this.numeric;
  }

  finish(): RawValue[] {
    return this.values;
  }

  private rememberSpelling(number: number, text: string): void {
    if (this.spellings === null || String(number) === text) return;
    if (this.spellings.size >= MAX_REMEMBERED_SPELLINGS) {
      this.spellings = null;
      return;
    }
    this.spellings.set(this.values.length, text);
  }

  private becomeCategorical(): void {
    this.numeric = false;
    const spellings = this.spellings;
    const strings: RawValue[] = new Array<RawValue>(this.values.length);
    for (let row = 0; row < this.values.length; row++) {
      const value = this.values[row];
      strings[row] = typeof value === "number" && !Number.isNaN(value) ? (spellings?.get(row) ?? String(value)) : null;
    }
    this.values = strings;
    this.spellings = null;
  }
}
