// Collects one column of text cells (CSV fields) into typed values without holding
// every cell's text: numbers go into fixed-size Float64Array blocks while all of the
// column's cells are numbers (no array regrowth, little garbage) and come out as one
// Float64Array; the column turns into strings at its first non-numeric cell.

import type { RawValue } from "../drift/types.ts";
import { InternedText } from "./interned-text.ts";
import {
  CANONICAL_NUMBER,
  classifyNumberBytes,
  classifyNumberText,
  MISSING_TOKENS,
  NOT_A_NUMBER,
  numberFromBytes,
  numberFromText,
  plainClass,
  plainValue,
  scanPlainDecimal,
} from "./text-values.ts";
import { decodeUtf8 } from "./utf8.ts";

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
  private readonly texts = new InternedText();
  // Original text of numeric cells that String(number) might not give back: their rows,
  // and their (ASCII) bytes back to back in spellingBytes, ending at spellingEnds[i].
  // Bytes rather than strings, as most of them are never needed.
  private spellingRows: number[] | null = [];
  private spellingEnds: number[] = [];
  private spellingBytes = new Uint8Array(1024);

  /**
   * `labels`: every cell is kept as the text it was written as, never read as a number
   * (codes such as zip codes or "007" keep their spelling; missing tokens are still missing).
   */
  constructor(options: { labels?: boolean } = {}) {
    if (options.labels === true) {
      this.numeric = false;
      this.spellingRows = null;
      this.spellingBytes = new Uint8Array(0);
    }
  }

  /** Adds a cell given as a string (a quoted CSV field). */
  add(text: string): void {
    if (this.numeric && text.length > 0) {
      const kind = classifyNumberText(text);
      if (kind !== NOT_A_NUMBER) {
        if (kind !== CANONICAL_NUMBER) this.rememberText(text);
        this.pushNumber(numberFromText(text, kind));
        return;
      }
    }
    this.addText(text);
  }

  /** Adds the cell bytes[start, stop) (UTF-8); a number is read from the bytes, without a string. */
  addBytes(bytes: Uint8Array, start: number, stop: number): void {
    // Numbers first: no missing token parses as one, and they are the common case.
    if (this.numeric && stop > start) {
      const kind = classifyNumberBytes(bytes, start, stop);
      if (kind !== NOT_A_NUMBER) {
        if (kind !== CANONICAL_NUMBER) this.rememberBytes(bytes, start, stop);
        this.pushNumber(numberFromBytes(bytes, kind, start, stop));
        return;
      }
    }
    this.addText(this.texts.text(bytes, start, stop));
  }

  /**
   * CSV's fast path: while the column is numeric, reads a plain decimal cell starting at
   * `start` and ending at the next comma or `stop` (scanPlainDecimal), and returns where
   * the cell ends. Returns -1 without adding anything for any other cell; the caller then
   * finds its end and calls addBytes.
   */
  addPlainNumber(bytes: Uint8Array, start: number, stop: number): number {
    if (!this.numeric) return -1;
    const end = scanPlainDecimal(bytes, start, stop);
    if (end < 0) return -1;
    if (plainClass() !== CANONICAL_NUMBER) this.rememberBytes(bytes, start, end);
    this.pushNumber(plainValue());
    return end;
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

  /** The values: a numeric column as one Float64Array with missing cells as NaN. */
  finish(): Float64Array | RawValue[] {
    if (!this.numeric) return this.values;
    const numbers = new Float64Array(this.count);
    this.blocks.forEach((block, index) => numbers.set(block, index * BLOCK_SIZE));
    numbers.set(this.block.subarray(0, this.inBlock), this.blocks.length * BLOCK_SIZE);
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

  /** Room for `length` more spelling bytes, or false once spellings are no longer kept. */
  private spellingRoom(length: number): boolean {
    const rows = this.spellingRows;
    if (rows === null) return false;
    if (rows.length >= MAX_REMEMBERED_SPELLINGS) {
      this.spellingRows = null;
      this.spellingEnds = [];
      this.spellingBytes = new Uint8Array(0);
      return false;
    }
    const used = rows.length === 0 ? 0 : (this.spellingEnds[rows.length - 1] as number);
    if (used + length > this.spellingBytes.length) {
      const grown = new Uint8Array(2 * this.spellingBytes.length + length);
      grown.set(this.spellingBytes);
      this.spellingBytes = grown;
    }
    rows.push(this.count);
    this.spellingEnds.push(used + length);
    return true;
  }

  private rememberBytes(bytes: Uint8Array, start: number, stop: number): void {
    if (!this.spellingRoom(stop - start)) return;
    // Copied by hand: a subarray per cell would cost more than these few bytes.
    const from = (this.spellingEnds[this.spellingEnds.length - 1] as number) - (stop - start);
    for (let index = start; index < stop; index++) this.spellingBytes[from + index - start] = bytes[index] as number;
  }

  private rememberText(text: string): void {
    if (!this.spellingRoom(text.length)) return;
    // A number's text is ASCII, one byte per char.
    const from = (this.spellingEnds[this.spellingEnds.length - 1] as number) - text.length;
    for (let index = 0; index < text.length; index++) this.spellingBytes[from + index] = text.charCodeAt(index);
  }

  private becomeCategorical(): void {
    const numbers = this.finish() as Float64Array;
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
      const start = index === 0 ? 0 : (this.spellingEnds[index - 1] as number);
      strings[row] = decodeUtf8(this.spellingBytes, start, this.spellingEnds[index] as number);
    });
    this.values = strings;
    this.spellingRows = null;
    this.spellingEnds = [];
    this.spellingBytes = new Uint8Array(0);
  }
}
