// Collects one column of text cells (CSV fields) into typed values without holding
// every cell's text: numbers go into fixed-size Float64Array blocks while all of the
// column's cells are numbers (no array regrowth, little garbage), and the column turns
// into strings at its first non-numeric cell.

import type { RawValue } from "../drift/types.ts";
import { CANONICAL_NUMBER, classifyNumberText, MISSING_TOKENS, NOT_A_NUMBER, numberFromText } from "./text-values.ts";

// Past this many numeric cells whose text differs from the number's own spelling
// ("1.50", "1e-05"), stop remembering their text: a column that long is numerical in
// practice, and should it still turn categorical, those cells get the number's spelling.
const MAX_REMEMBERED_SPELLINGS = 100_000;
const BLOCK_SIZE = 8192;

export class TextColumnBuilder {
  // Numeric phase: full blocks, the block being filled and the count of numbers.
  private blocks: Float64Array[] = [];
  private block = new Float64Array(BLOCK_SIZE);
  private inBlock = 0;
  private count = 0;
  // Categorical phase.
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
        this.pushNumber(numberFromText(text, kind, start, stop));
        return;
      }
    }
    this.addText(start === 0 && stop === text.length ? text : text.slice(start, stop));
  }

  private addText(text: string): void {
    if (MISSING_TOKENS.has(text)) {
      if (this.numeric) this.pushNumber(Number.NaN);
      else this.values.push(null);
      return;
    }
    if (this.numeric) this.becomeCategorical();
    this.values.push(text);
  }

  /** Whether every non-missing cell so far is a number. */
  isNumeric(): boolean {
    return this.numeric;
  }

  /** The values; a numeric column's missing cells are NaN (a packed double array). */
  finish(): RawValue[] {
    if (!this.numeric) return this.values;
    const numbers: number[] = [];
    for (const block of this.blocks) for (let index = 0; index < BLOCK_SIZE; index++) numbers.push(block[index] as number);
    for (let index = 0; index < this.inBlock; index++) numbers.push(this.block[index] as number);
    return numbers;
  }

  private pushNumber(value: number): void {
    if (this.inBlock === BLOCK_SIZE) {
      this.blocks.push(this.block);
      this.block = new Float64Array(BLOCK_SIZE);
      this.inBlock = 0;
    }
    this.block[this.inBlock++] = value;
    this.count++;
  }

  private rememberSpelling(text: string): void {
    const rows = this.spellingRows;
    if (rows === null) return;
    if (rows.length >= MAX_REMEMBERED_SPELLINGS) {
      this.spellingRows = null;
      this.spellingTexts = [];
      return;
    }
    rows.push(this.count);
    this.spellingTexts.push(text);
  }

  private becomeCategorical(): void {
    const numbers = this.finish();
    this.numeric = false;
    this.blocks = [];
    this.block = new Float64Array(0);
    const strings: RawValue[] = new Array<RawValue>(numbers.length);
    for (let row = 0; row < numbers.length; row++) {
      const value = numbers[row] as number;
      strings[row] = Number.isNaN(value) ? null : String(value);
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
