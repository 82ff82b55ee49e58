// The CSV reader's fast loop: types whole records that hold no quote, straight into the
// columns' storage (csv-column.ts). Almost every cell of a large file passes through here,
// so it reads four bytes at a time (SWAR: "SIMD within a register", on 32-bit words from
// a DataView): a word's digits are checked and converted together, and a label's end is
// found and its hash computed a word at a time. Anything unusual in a cell (an exponent,
// spaces, a missing-value token, more than 15 digits) goes to the column's general path,
// which applies the same rules to that one cell, so the result never depends on which
// path read it (csv-records.test.ts checks this against the general path).
//
// The caller guarantees that every record in [start, end) ends before `end` with an LF,
// a CR or a CRLF, that no quote occurs there, and that at least 4 bytes follow the last
// LF in `bytes`, so that no word read runs past the buffer.

import { CODED, type CsvColumn, NUMERIC } from "./csv-column.ts";
import { DatasetError } from "./dataset.ts";
import { finishHash, HASH_SEED, LOW_BYTES, mixWord } from "./label-codes.ts";

const COMMA = 44;
const LF = 10;
const CR = 13;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/** Bytes that may follow the last LF of a fast region: room for one 4-byte read past it. */
export const WORD_SLACK = 4;

// Powers of ten that are exact doubles, for Clinger's fast path below.
const POWERS_OF_TEN = Float64Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);
const SMALL_POWERS = Int32Array.of(1, 10, 100, 1000, 10000);

/** The rows read so far: the columns' storage, indexed by row, grown for all at once. */
export class CsvRows {
  /** One per field of the header; null for a column that is not kept. */
  readonly columns: Array<CsvColumn | null>;
  rows = 0;
  capacity: number;
  /** 1-based line on which the next record starts (for messages). */
  line: number;

  constructor(columns: Array<CsvColumn | null>, capacity: number, line: number) {
    this.columns = columns;
    this.capacity = capacity;
    this.line = line;
  }

  /** Makes room for at least `rows` rows. */
  reserve(rows: number): void {
    if (rows <= this.capacity) return;
    const capacity = Math.max(rows, Math.ceil(this.capacity * 1.5));
    for (const column of this.columns) column?.grow(capacity, this.rows);
    this.capacity = capacity;
  }

  fieldCountError(found: number): DatasetError {
    return new DatasetError(`row ${this.rows + 1} (line ${this.line}): expected ${this.columns.length} fields, found ${found}`);
  }
}

/** Types the records in bytes[start, end) (see the file comment); returns `end`. */
export function typeRecords(table: CsvRows, bytes: Uint8Array, view: DataView, start: number, end: number): number {
  const columns = table.columns;
  const last = columns.length - 1;
  let position = start;
  while (position < end) {
    let code = bytes[position] as number;
    if (code === LF || code === CR) {
      // A blank line, skipped as pandas does (skip_blank_lines).
      position += code === CR && bytes[position + 1] === LF ? 2 : 1;
      table.line++;
      continue;
    }
    const row = table.rows;
    if (row === table.capacity) table.reserve(row + 1);
    for (let field = 0; ; field++) {
      const column = columns[field] as CsvColumn | null;
      if (column === null) position = fieldEnd(bytes, view, position);
      else if (column.state === NUMERIC) {
        // A plain decimal `-?d+(.d+)?` of at most 15 digits is read as it is scanned, four
        // bytes at a time; any other cell goes to the column's general path.
        const start = position;
        const negative = bytes[position] === MINUS;
        if (negative) position++;
        const integerStart = position;
        let mantissa = 0;
        for (;;) {
          const word = view.getInt32(position, true);
          const digits = (word - 0x30303030) | 0;
          // A byte's high bit is set here unless it is an ASCII digit (0x30..0x39); borrows
          // and carries only disturb bytes after the first non-digit, which are not used.
          const notDigit = ((word + 0x46464646) | digits) & 0x80808080;
          if (notDigit === 0) {
            mantissa = mantissa * 10000 + fourDigits(digits);
            position += 4;
            continue;
          }
          const count = (31 - Math.clz32(notDigit & -notDigit)) >>> 3;
          if (count > 0) {
            mantissa = mantissa * (SMALL_POWERS[count] as number) + fourDigits(digits << (32 - 8 * count));
            position += count;
          }
          break;
        }
        const integerDigits = position - integerStart;
        let fractionDigits = -1; // no fraction; 0 for "5." (not plain)
        let next = bytes[position] as number;
        if (next === DOT) {
          const fractionStart = ++position;
          for (;;) {
            const word = view.getInt32(position, true);
            const digits = (word - 0x30303030) | 0;
            const notDigit = ((word + 0x46464646) | digits) & 0x80808080;
            if (notDigit === 0) {
              mantissa = mantissa * 10000 + fourDigits(digits);
              position += 4;
              continue;
            }
            const count = (31 - Math.clz32(notDigit & -notDigit)) >>> 3;
            if (count > 0) {
              mantissa = mantissa * (SMALL_POWERS[count] as number) + fourDigits(digits << (32 - 8 * count));
              position += count;
            }
            break;
          }
          fractionDigits = position - fractionStart;
          next = bytes[position] as number;
        }
        const plainDigits = fractionDigits < 0 ? integerDigits : integerDigits + fractionDigits;
        if (integerDigits === 0 || fractionDigits === 0 || plainDigits > 15 || (next !== COMMA && next !== LF && next !== CR)) {
          position = general(column, bytes, view, start, row);
        } else {
          if (fractionDigits < 0) fractionDigits = 0;
          // Clinger's fast path (W. D. Clinger, "How to read floating point numbers
          // accurately", PLDI 1990): at most 15 digits make an exact integer mantissa, and
          // one correctly rounded division by an exact power of ten gives Number(text).
          const magnitude = fractionDigits === 0 ? mantissa : mantissa / (POWERS_OF_TEN[fractionDigits] as number);
          column.numbers[row] = negative ? -magnitude : magnitude;
          if (column.spellings !== null && ((fractionDigits > 0 && bytes[position - 1] === ZERO) || bytes[integerStart] === ZERO)) {
            column.plainSpelling(bytes, start, position, integerDigits, fractionDigits, row);
          }
        }
      }
      else if (column.state === CODED) position = readLabel(column, bytes, view, position, row);
      else {
        const stop = fieldEnd(bytes, view, position);
        column.addBytes(bytes, position, stop, row);
        position = stop;
      }
      code = bytes[position] as number;
      if (code === COMMA) {
        if (field === last) throw table.fieldCountError(field + 1 + countFields(bytes, position + 1));
        position++;
        continue;
      }
      if (field !== last) throw table.fieldCountError(field + 1);
      position += code === CR && bytes[position + 1] === LF ? 2 : 1;
      break;
    }
    table.rows = row + 1;
    table.line++;
  }
  return position;
}

/** The number four digit values spell, the first digit in the low byte: bytes 1, 2, 3, 4 give 1234. */
function fourDigits(digits: number): number {
  const pairs = (Math.imul(digits, 10) + (digits >>> 8)) & 0x00ff00ff;
  return (Math.imul(pairs, 100) + (pairs >>> 16)) & 0xffff;
}

/** A label cell: its end and hash found a word at a time, then its code looked up. */
function readLabel(column: CsvColumn, bytes: Uint8Array, view: DataView, start: number, row: number): number {
  let position = start;
  let hash = HASH_SEED;
  // The first two words (zero-padded): a label of up to 8 bytes is compared by them alone.
  let first = 0;
  let second = 0;
  for (;;) {
    let word = view.getInt32(position, true);
    // Commas, LF and CR are below 0x2d: one borrow test finds the first byte below it, and
    // only a word whose first such byte is something else (a space, a quote...) needs the
    // exact test for the three delimiters.
    const low = (word - 0x2d2d2d2d) & ~word & 0x80808080;
    let count = 4;
    if (low !== 0) {
      count = (31 - Math.clz32(low & -low)) >>> 3;
      const code = (word >>> (8 * count)) & 0xff;
      if (code !== COMMA && code !== LF && code !== CR) {
        const delimiters = delimiterBytes(word);
        count = delimiters === 0 ? 4 : (31 - Math.clz32(delimiters & -delimiters)) >>> 3;
      }
    }
    if (count > 0) {
      if (count < 4) word &= LOW_BYTES[count] as number;
      hash = mixWord(hash, word);
      if (position === start) first = word;
      else if (position === start + 4) second = word;
      position += count;
    }
    if (count < 4) break;
  }
  const length = position - start;
  hash = finishHash(hash, length);
  const labels = column.labels;
  const code = length <= 8 ? labels.findShort(hash, length, first, second) : labels.find(hash, bytes, start, position);
  if (code > 0) column.codes[row] = code;
  else column.addBytes(bytes, start, position, row);
  return position;
}

/**
 * High bit set in each byte of `word` that is a comma, LF or CR; exact for the first such
 * byte (the classic zero-byte test on word XOR the delimiter repeated), which is all the
 * callers use.
 */
function delimiterBytes(word: number): number {
  const comma = word ^ 0x2c2c2c2c;
  const lf = word ^ 0x0a0a0a0a;
  const cr = word ^ 0x0d0d0d0d;
  return (((comma - 0x01010101) & ~comma) | ((lf - 0x01010101) & ~lf) | ((cr - 0x01010101) & ~cr)) & 0x80808080;
}

/** Where the field starting at `start` ends: its comma, LF or CR. */
function fieldEnd(bytes: Uint8Array, view: DataView, start: number): number {
  let position = start;
  for (;;) {
    const delimiters = delimiterBytes(view.getInt32(position, true));
    if (delimiters === 0) {
      position += 4;
      continue;
    }
    return position + ((31 - Math.clz32(delimiters & -delimiters)) >>> 3);
  }
}

function general(column: CsvColumn, bytes: Uint8Array, view: DataView, start: number, row: number): number {
  const stop = fieldEnd(bytes, view, start);
  column.addBytes(bytes, start, stop, row);
  return stop;
}

/** Fields from `start` to the end of the line (for the too-many-fields message). */
function countFields(bytes: Uint8Array, start: number): number {
  let fields = 1;
  for (let position = start; ; position++) {
    const code = bytes[position];
    if (code === COMMA) fields++;
    else if (code === LF || code === CR || code === undefined) return fields;
  }
}
