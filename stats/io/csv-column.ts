// One CSV column as it is read, typed the way pandas.read_csv types it (text-values.ts):
// numbers while every present cell is a number, the original text of every cell once
// one is not. It is stored by row in one of three forms, which the reader's fast loop
// (csv-records.ts) writes directly:
//
// - NUMERIC: a Float64Array, missing cells NaN. A numeric cell whose text is not the
//   number's own spelling ("1.50") has its bytes kept (up to MAX_REMEMBERED_SPELLINGS),
//   in case the column turns to text later and needs them back.
// - CODED: text cells as label codes (label-codes.ts) in a Uint16Array (codes stop at
//   MAX_LABELS, 4096: half the fresh memory of 32-bit codes, which costs on a large file).
//   A column starts here when it is read as labels, or turns to text before any number was seen.
// - RAW: one JavaScript value per row. A column comes here when it turns to text after
//   holding numbers, or has more distinct labels than the code table keeps.
//
// Rows are indexed by the reader, which grows every column's storage at once.

import type { RawValue } from "../drift/types.ts";
import type { DatasetColumn } from "./dataset.ts";
import { hashBytes, LabelCodes, MAX_LABELS } from "./label-codes.ts";
import {
  CANONICAL_NUMBER,
  classifyNumberBytes,
  classifyNumberText,
  MISSING_TOKENS,
  NOT_A_NUMBER,
  numberFromBytes,
  numberFromText,
} from "./text-values.ts";
import { decodeUtf8 } from "./utf8.ts";

export const NUMERIC = 0;
export const CODED = 1;
export const RAW = 2;
export type ColumnState = typeof NUMERIC | typeof CODED | typeof RAW;

// Past this many numeric cells whose text differs from the number's own spelling
// ("1.50", "1e-05"), stop remembering their text: a column that long is numerical in
// practice, and should it still turn to text, those cells get the number's spelling.
const MAX_REMEMBERED_SPELLINGS = 100_000;

const NO_NUMBERS = new Float64Array(0);
const NO_CODES = new Uint16Array(0);
if (MAX_LABELS > 0xffff) throw new Error("label codes must fit in a Uint16Array");
const encoder = new TextEncoder();

/**
 * A column read from one slice of a file's rows (csv-parts.ts joins the slices).
 * `convertedNumbers`: the column held a number before it turned to text in this slice.
 */
export type CsvColumnPart =
  | { kind: "numbers"; numbers: Float64Array }
  | { kind: "codes"; codes: Uint16Array; labels: Array<string | null>; convertedNumbers: boolean }
  | { kind: "values"; values: RawValue[]; convertedNumbers: boolean };

export class CsvColumn {
  state: ColumnState;
  numbers: Float64Array;
  codes: Uint16Array = NO_CODES;
  values: RawValue[] = [];
  readonly labels = new LabelCodes();
  /** Rows of non-canonical numeric cells and their bytes; null once no longer kept. */
  spellings: Spellings | null;
  convertedNumbers = false;

  /** `asLabels`: every cell is text as written, never a number (missing tokens stay missing). */
  constructor(capacity: number, asLabels: boolean) {
    if (asLabels) {
      this.state = CODED;
      this.numbers = NO_NUMBERS;
      this.codes = new Uint16Array(capacity);
      this.spellings = null;
    } else {
      this.state = NUMERIC;
      this.numbers = new Float64Array(capacity);
      this.spellings = new Spellings();
    }
  }

  /** Moves the first `rows` rows into storage for `capacity` rows. */
  grow(capacity: number, rows: number): void {
    if (this.state === NUMERIC) {
      const numbers = new Float64Array(capacity);
      numbers.set(this.numbers.subarray(0, rows));
      this.numbers = numbers;
      this.spellings?.grow(capacity, rows);
    } else if (this.state === CODED) {
      const codes = new Uint16Array(capacity);
      codes.set(this.codes.subarray(0, rows));
      this.codes = codes;
    }
  }

  /** Keeps the text of a numeric cell that String(number) might not spell back. */
  rememberSpelling(bytes: Uint8Array, start: number, stop: number, row: number): void {
    if (this.spellings !== null && !this.spellings.add(bytes, start, stop, row)) this.spellings = null;
  }

  /**
   * Rows [first, first + rows) whose bit is set in bits[offset...] (bit r at byte r >> 3)
   * are plain decimals with a trailing fraction zero and the column's usual count of
   * fraction digits: what plainSpelling records for such a cell, for a block of rows at once
   * (the WebAssembly kernel's answer, csv-kernel.ts).
   */
  addCommonSpellings(bits: Uint8Array, offset: number, first: number, rows: number): void {
    if (this.spellings !== null && !this.spellings.addCommonRows(bits, offset, first, rows, this.numbers.length)) this.spellings = null;
  }

  /**
   * The fast path's plain decimal bytes[start, stop) at `row` (already stored), which has
   * a trailing fraction zero or a leading zero: keeps its spelling unless String(number)
   * gives it back (the rules of text-values.ts scanNumber for this grammar: no trailing
   * fraction zero, no leading zero, no "-0", not below 1e-6 in magnitude).
   */
  plainSpelling(bytes: Uint8Array, start: number, stop: number, integerDigits: number, fractionDigits: number, row: number): void {
    const negative = bytes[start] === 45;
    const integerStart = negative ? start + 1 : start;
    const firstIsZero = bytes[integerStart] === 48;
    if (fractionDigits > 0 && bytes[stop - 1] === 48) {
      // value.toFixed(fractionDigits) spells such a cell back exactly (at most 15 digits
      // round-trip through a double), so one byte per row is kept instead of its text;
      // except for -0 and integer parts with leading zeros, whose bytes are kept.
      const value = this.numbers[row] as number;
      if ((firstIsZero && integerDigits > 1) || (value === 0 && negative)) this.rememberSpelling(bytes, start, stop, row);
      else if (this.spellings !== null && !this.spellings.addDigits(fractionDigits, row, this.numbers.length)) this.spellings = null;
      return;
    }
    if (!firstIsZero) return;
    let canonical: boolean;
    if (integerDigits > 1) canonical = false;
    else if (fractionDigits === 0) canonical = !negative;
    else {
      let leadingZeros = 0;
      while (leadingZeros < fractionDigits && bytes[integerStart + 2 + leadingZeros] === 48) leadingZeros++;
      canonical = leadingZeros < 6;
    }
    if (!canonical) this.rememberSpelling(bytes, start, stop, row);
  }

  /** The cell bytes[start, stop) (UTF-8, unquoted) at `row`, by the general rules. */
  addBytes(bytes: Uint8Array, start: number, stop: number, row: number): void {
    if (this.state === NUMERIC) {
      if (stop > start) {
        const kind = classifyNumberBytes(bytes, start, stop);
        if (kind !== NOT_A_NUMBER) {
          if (kind !== CANONICAL_NUMBER) this.rememberSpelling(bytes, start, stop, row);
          this.numbers[row] = numberFromBytes(bytes, kind, start, stop);
          return;
        }
      }
      const code = this.labels.code(hashBytes(bytes, start, stop), bytes, start, stop);
      if (code >= 0 && this.labels.values[code] === null) {
        this.numbers[row] = Number.NaN; // a missing-value token
        return;
      }
      this.turnToText(row);
    }
    if (this.state === CODED) {
      const code = this.labels.code(hashBytes(bytes, start, stop), bytes, start, stop);
      if (code >= 0) {
        this.codes[row] = code;
        return;
      }
      this.turnRaw(row);
    }
    const text = decodeUtf8(bytes, start, stop);
    this.values[row] = MISSING_TOKENS.has(text) ? null : text;
  }

  /** A quoted cell, given as its decoded text, at `row`. */
  addText(text: string, row: number): void {
    if (this.state === NUMERIC) {
      if (text.length > 0) {
        const kind = classifyNumberText(text);
        if (kind !== NOT_A_NUMBER) {
          if (kind !== CANONICAL_NUMBER) this.rememberSpelling(encoder.encode(text), 0, text.length, row);
          this.numbers[row] = numberFromText(text, kind);
          return;
        }
      }
      if (MISSING_TOKENS.has(text)) {
        this.numbers[row] = Number.NaN;
        return;
      }
      this.turnToText(row);
    }
    if (this.state === CODED) {
      const bytes = encoder.encode(text);
      const code = this.labels.code(hashBytes(bytes, 0, bytes.length), bytes, 0, bytes.length);
      if (code >= 0) {
        this.codes[row] = code;
        return;
      }
      this.turnRaw(row);
    }
    this.values[row] = MISSING_TOKENS.has(text) ? null : text;
  }

  /**
   * The first `rows` rows: a numeric column as packed doubles, a coded one as its codes and
   * labels (Dataset.get decodes them for callers that want rows), else one value per row.
   */
  finish(rows: number): DatasetColumn {
    // Storage is grown ahead of need; hand over a copy when much of it would be wasted.
    const wasteful = (capacity: number) => capacity > rows + (rows >>> 3) + 1024;
    if (this.state === NUMERIC) return wasteful(this.numbers.length) ? this.numbers.slice(0, rows) : this.numbers.subarray(0, rows);
    if (this.state === CODED) {
      return { codes: wasteful(this.codes.length) ? this.codes.slice(0, rows) : this.codes.subarray(0, rows), labels: this.labels.values };
    }
    return this.values;
  }

  /** The first `rows` rows as a part to send to another thread (csv-parts.ts). */
  part(rows: number): CsvColumnPart {
    // Views, not copies: the reader is done with its storage, and a view's buffer is
    // transferred to the thread that joins the column (copying cost ~0.3 s per worker on
    // the 1M x 20 pair, mostly page faults).
    if (this.state === NUMERIC) return { kind: "numbers", numbers: this.numbers.subarray(0, rows) };
    if (this.state === CODED) {
      return { kind: "codes", codes: this.codes.subarray(0, rows), labels: this.labels.values, convertedNumbers: this.convertedNumbers };
    }
    return { kind: "values", values: this.values, convertedNumbers: this.convertedNumbers };
  }

  /**
   * The first cell that is neither a number nor missing, at `row`: the column becomes text.
   * Rows before it were all missing (CODED, as missing codes) or held numbers (RAW: each
   * number's original text, or its own spelling once spellings were no longer kept).
   */
  private turnToText(row: number): void {
    const numbers = this.numbers;
    let hasNumber = false;
    for (let index = 0; index < row; index++) {
      if (!Number.isNaN(numbers[index])) {
        hasNumber = true;
        break;
      }
    }
    if (!hasNumber) {
      this.state = CODED;
      this.codes = new Uint16Array(numbers.length); // every earlier row is code 0, missing
    } else {
      const values = new Array<RawValue>(row);
      for (let index = 0; index < row; index++) {
        const value = numbers[index] as number;
        values[index] = Number.isNaN(value) ? null : String(value);
      }
      this.spellings?.restore(values, numbers);
      this.values = values;
      this.state = RAW;
      this.convertedNumbers = true;
    }
    this.numbers = NO_NUMBERS;
    this.spellings = null;
  }

  /** Too many distinct labels for codes: one value per row from here on. */
  private turnRaw(row: number): void {
    this.values = labelsOf(this.codes, row, this.labels.values);
    this.codes = NO_CODES;
    this.state = RAW;
  }
}

/** One value per row from label codes. */
export function labelsOf(codes: Uint16Array, rows: number, labels: ReadonlyArray<string | null>): RawValue[] {
  const values = new Array<RawValue>(rows);
  for (let row = 0; row < rows; row++) values[row] = labels[codes[row] as number] as string | null;
  return values;
}

/**
 * The original text of numeric cells that String(number) would not spell back, by row:
 * for a plain decimal with a trailing fraction zero, its count of fraction digits; for any
 * other, its bytes, back to back (most are never needed). Fraction digits are one bit per
 * row for the count the first such cell had (a file usually writes every number with the
 * same count, "1.2500"), one byte per row for any other count: a byte per row for every
 * row was 15 MB of fresh memory on the 1M x 20 benchmark, and fresh pages cost there.
 */
class Spellings {
  private count = 0;
  // The fraction digits of the first trailing-zero cell, and a bit per row that has them.
  private common = -1;
  private commonRows: Uint8Array | null = null;
  // Other counts of fraction digits, by row (0: none).
  private digits: Uint8Array | null = null;
  private readonly rows: number[] = [];
  private readonly ends: number[] = [];
  private bytes = new Uint8Array(1024);

  /** Keeps bytes[start, stop) for `row`; false when the limit is passed (then drop this). */
  add(bytes: Uint8Array, start: number, stop: number, row: number): boolean {
    if (this.count >= MAX_REMEMBERED_SPELLINGS) return false;
    this.count++;
    const used = this.rows.length === 0 ? 0 : (this.ends[this.ends.length - 1] as number);
    if (used + (stop - start) > this.bytes.length) {
      const grown = new Uint8Array(2 * this.bytes.length + (stop - start));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    // Copied by hand: a subarray per cell would cost more than these few bytes.
    for (let index = start; index < stop; index++) this.bytes[used + index - start] = bytes[index] as number;
    this.rows.push(row);
    this.ends.push(used + (stop - start));
    return true;
  }

  /** The fraction digits of the first trailing-zero cell; -1 before there is one. */
  get commonFractionDigits(): number {
    return this.common;
  }

  /** addDigits with the common count for each row r of [first, first + rows) whose bit is set in the block's `bits`. */
  addCommonRows(bits: Uint8Array, offset: number, first: number, rows: number, capacity: number): boolean {
    this.commonRows ??= new Uint8Array((capacity + 7) >>> 3);
    const commonRows = this.commonRows;
    for (let byte = 0; byte < (rows + 7) >>> 3; byte++) {
      let set = bits[offset + byte] as number;
      if (byte === rows >>> 3) set &= (1 << (rows & 7)) - 1; // rows past the block's end
      while (set !== 0) {
        if (this.count >= MAX_REMEMBERED_SPELLINGS) return false;
        this.count++;
        const row = first + 8 * byte + (31 - Math.clz32(set & -set));
        commonRows[row >>> 3] = (commonRows[row >>> 3] as number) | (1 << (row & 7));
        set &= set - 1;
      }
    }
    return true;
  }

  /** Keeps that `row` is spelled with `fractionDigits` fraction digits; false past the limit. */
  addDigits(fractionDigits: number, row: number, capacity: number): boolean {
    if (this.count >= MAX_REMEMBERED_SPELLINGS) return false;
    this.count++;
    if (this.common < 0) this.common = fractionDigits;
    if (fractionDigits === this.common) {
      this.commonRows ??= new Uint8Array((capacity + 7) >>> 3);
      this.commonRows[row >>> 3] = (this.commonRows[row >>> 3] as number) | (1 << (row & 7));
    } else {
      this.digits ??= new Uint8Array(capacity);
      this.digits[row] = fractionDigits;
    }
    return true;
  }

  grow(capacity: number, rows: number): void {
    if (this.commonRows !== null) {
      const commonRows = new Uint8Array((capacity + 7) >>> 3);
      commonRows.set(this.commonRows.subarray(0, (rows + 7) >>> 3));
      this.commonRows = commonRows;
    }
    if (this.digits !== null) {
      const digits = new Uint8Array(capacity);
      digits.set(this.digits.subarray(0, rows));
      this.digits = digits;
    }
  }

  /** Puts the kept spellings into `values` (one per row, from `numbers`). */
  restore(values: RawValue[], numbers: Float64Array): void {
    const commonRows = this.commonRows;
    if (commonRows !== null) {
      for (let row = 0; row < values.length; row++) {
        if (((commonRows[row >>> 3] as number) & (1 << (row & 7))) !== 0) values[row] = (numbers[row] as number).toFixed(this.common);
      }
    }
    const digits = this.digits;
    if (digits !== null) {
      for (let row = 0; row < values.length; row++) {
        const count = digits[row] as number;
        if (count > 0) values[row] = (numbers[row] as number).toFixed(count);
      }
    }
    this.rows.forEach((row, index) => {
      const start = index === 0 ? 0 : (this.ends[index - 1] as number);
      values[row] = decodeUtf8(this.bytes, start, this.ends[index] as number);
    });
  }
}
