// Collects one column of text cells (CSV fields) into typed values without holding
// every cell's text: a column stays a packed array of doubles while all of its cells
// are numbers, and turns into strings at its first non-numeric cell.

import type { RawValue } from "../drift/types.ts";
import { CANONICAL_NUMBER, classifyNumberText, MISSING_TOKENS, NOT_A_NUMBER, numberFromText } from "./text-values.ts";

// Past this many numeric cells whose text differs from the number's own spelling
// ("1.50", "1e-05"), stop remembering their text: a column that long is numerical in
// practice, and should it still turn categorical, those cells get the number's spelling.
const MAX_REMEMBERED_SPELLINGS = 100_000;

export class TextColumnBuilder {
  private values: RawValue[] = [];
  private numeric = true;
  // Original text of numeric cells that String(number) might not give back, and their
  // rows (parallel arrays: cheaper to grow than a Map on the hot path).
  private spellingRows: number[] | null = [];
  private spellingTexts: string[] = [];

  add(text: string): void {
    this.addRange(text, 0, text.length);
  }

  /** Adds the cell text[start, stop); a number is read in place, without a copy. */
  addRange(text: string, start: number, stop: number): void {
    // Numbers first: no missing token parses as one, and they are the common case.
    if (this.numeric && stop > start) {
      const kind = classifyNumberText(text, start, stop);
      if (kind !== NOT_A_NUMBER) {
        if (kind !== CANONICAL_NUMBER && this.spellingRows !== null) this.rememberSpelling(text.slice(start, stop));
        this.values.push(numberFromText(text, kind, start, stop));
        return;
      }
    }
    this.addText(start === 0 && stop === text.length ? text : text.slice(start, stop));
  }

  private addText(text: string): void {
    if (MISSING_TOKENS.has(text)) {
      // NaN keeps a numeric column a packed double array; both mean missing.
      this.values.push(this.numeric ? Number.NaN : null);
      return;
    }
    if (this.numeric) this.becomeCategorical();
    this.values.push(text);
  }

  /** Whether every non-missing cell so far is a number. */
  isNumeric(): boolean {
    return this.numeric;
  }

  finish(): RawValue[] {
    return this.values;
  }

  private rememberSpelling(text: string): void {
    const rows = this.spellingRows;
    if (rows === null) return;
    if (rows.length >= MAX_REMEMBERED_SPELLINGS) {
      this.spellingRows = null;
      this.spellingTexts = [];
      return;
    }
    rows.push(this.values.length);
    this.spellingTexts.push(text);
  }

  private becomeCategorical(): void {
    this.numeric = false;
    const strings: RawValue[] = new Array<RawValue>(this.values.length);
    for (let row = 0; row < this.values.length; row++) {
      const value = this.values[row];
      strings[row] = typeof value === "number" && !Number.isNaN(value) ? String(value) : null;
    }
    const rows = this.spellingRows ?? [];
    rows.forEach((row, index) => {
      strings[row] = this.spellingTexts[index] as string;
    });
    this.values = strings;
    this.spellingRows = null;
    this.spellingTexts = [];
  }
}
