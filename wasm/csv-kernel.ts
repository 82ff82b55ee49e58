// The CSV reader's typing loop as WebAssembly (AssemblyScript; built by
// `npm run build:wasm` into stats/io/csv-kernel-wasm.ts). It does what
// stats/io/csv-records.ts typeRecords does for the cells that need nothing from the
// JavaScript side: it reads a block of quote-free records into column-major scratch
// storage that stats/io/csv-kernel.ts copies into the columns.
//
// - A numeric cell of the plain grammar `-?d+(.d+)?` with at most 15 digits becomes its
//   double by Clinger's fast path (W. D. Clinger, "How to read floating point numbers
//   accurately", PLDI 1990): the digits make an exact integer below 2^53, and one
//   correctly rounded division by an exact power of ten gives the double Number(text)
//   gives. When the column keeps spellings and the text is not the number's own spelling
//   (csv-column.ts plainSpelling's rules), the row gets a bit (a trailing zero and the
//   column's usual count of fraction digits) or the cell is listed as an exception.
// - A numeric cell that is empty or a number of pandas' wider grammar (a sign, an
//   exponent, more digits: a subset of text-values.ts classifyNumberBytes, so it is a
//   number or missing there too and cannot turn the column to text) is listed as an
//   exception for the JavaScript side to read.
// - A label cell is hashed as label-codes.ts hashes it and looked up in a mirror of the
//   column's label table; its code is stored.
// Anything else (a label not yet in the table, a cell that may be text in a numeric
// column, a blank line, a wrong number of fields) stops the block before that record,
// which the JavaScript side then reads with the general rules.
//
// The records are in memory at [input, input + length), every one ends with LF, CR or
// CRLF before input + length, and at least 128 zero bytes follow (the delimiter scan
// reads 64 bytes at a time, the number reads 8).

import { labelCode } from "./labels";
import { COMMON_SPELLING, DOT, isWideNumber, MINUS, NOT_PLAIN, readNumber, spellingToList, ZERO } from "./numbers";

const COMMA: u8 = 44;
const LF: u8 = 10;
const CR: u8 = 13;

/** Column kinds, one i32 per field (0: a column not kept, whose cells are only delimited). */
const NUMERIC = 1;
const CODED = 2;
const NUMERIC_SPELLINGS = 3;

/** Exception kinds. */
const EXCEPTION_NUMBER = 1;
const EXCEPTION_SPELLING = 2;
/** i32s per exception: row, field, start, stop, kind, integer digits << 8 | fraction digits. Listed column by column. */
const EXCEPTION_WORDS = 6;

/** Why a block stopped. */
const DONE = 0;
const STOPPED_AT_RECORD = 1;
const FULL = 2;

let stopPosition: i32 = 0;
let stopReason: i32 = DONE;
let exceptionCount: i32 = 0;

/** Where the block stopped (an offset from `input`): after the last record read, at the one it stopped at. */
export function stoppedAt(): i32 {
  return stopPosition;
}

/** DONE, STOPPED_AT_RECORD (the record at stoppedAt needs the general rules) or FULL. */
export function reason(): i32 {
  return stopReason;
}

/** How many exceptions the last block listed. */
export function exceptions(): i32 {
  return exceptionCount;
}

/** The first free address: the JavaScript side lays its regions out from here. */
export function heapBase(): usize {
  return __heap_base;
}

/**
 * Types the records of [input, input + length) into `out` (column f's region starts at
 * out + f * rowCapacity * 8: doubles for numeric columns, u16 codes for coded ones) and
 * returns how many were read. `kinds` and `tables` hold an i32 per field: its kind (the
 * usual count of fraction digits in bits 8 up) and its label table mirror. `index`
 * receives the first pass's cell bounds, `exceptionList` the cells left to the caller,
 * `bits` a bitmap per numeric column of rows with the usual spelling.
 *
 * Two passes: the first finds every cell's bounds from a bitmap of the delimiters (and
 * checks each record's field count); the second reads one column at a time, so each
 * loop does one kind of cell and keeps its state in registers.
 */
export function typeBlock(
  input: usize,
  length: i32,
  fields: i32,
  kinds: usize,
  tables: usize,
  out: usize,
  rowCapacity: i32,
  index: usize,
  exceptionList: usize,
  bits: usize,
): i32 {
  blockInput = input;
  exceptionsAt = exceptionList;
  let rows = findCells(input, input + <usize>length, fields, rowCapacity, index);
  exceptionCount = 0;
  const rowStep = (<usize>fields + 1) << 2;
  for (let field = 0; field < fields && rows > 0; field++) {
    const kindWord = load<i32>(kinds + (<usize>field << 2));
    const kind = kindWord & 0xff;
    // The column's cells: row r's entry for this field holds the address of the delimiter
    // before the cell, the next entry the one that ends it.
    const at = index + (<usize>field << 2);
    const region = out + <usize>field * (<usize>rowCapacity << 3);
    if (kind === NUMERIC) {
      rows = readNumbers(at, rowStep, region, rows, field);
    } else if (kind === NUMERIC_SPELLINGS) {
      rows = readSpelledNumbers(at, rowStep, region, rows, field, kindWord >> 8, bits + <usize>field * (<usize>bitBytes(rowCapacity)));
    } else if (kind === CODED) {
      rows = readLabels(at, rowStep, region, rows, load<u32>(tables + (<usize>field << 2)));
    }
  }
  if (rows < foundRows) {
    // A cell the second pass cannot read: its record is left to the caller.
    stopReason = STOPPED_AT_RECORD;
    stopPosition = <i32>(load<u32>(index + <usize>rows * rowStep) + 1 - input);
  }
  return rows;
}

// The block being read and where its exceptions go (typeBlock's arguments, for the rare paths).
let blockInput: usize = 0;
let exceptionsAt: usize = 0;

/** Bytes of a column's bitmap of rows written with the usual count of fraction digits. */
function bitBytes(rowCapacity: i32): i32 {
  return (((rowCapacity + 7) >> 3) + 15) & ~15;
}

// Set by findCells: how many complete records it found.
let foundRows: i32 = 0;

/**
 * The first pass: for each row, fields + 1 addresses in `index`: the delimiter before
 * the row (input - 1 for the first), then the one that ends each cell; until the end, a
 * record it cannot read, or rowCapacity rows.
 */
function findCells(input: usize, end: usize, fields: i32, rowCapacity: i32, index: usize): i32 {
  let rows = 0;
  let rowStart = input;
  const rowBytes = (<usize>fields + 1) << 2;
  // Where the current row's entries start, and where the next entry goes.
  let rowAt = index;
  let next = index + 4;
  store<u32>(rowAt, <u32>(input - 1));
  // The delimiters of the 64 bytes from `window` on, one bit each (the bytes past `end`
  // are zeros, so no delimiter is found there).
  let window: usize = input;
  let mask = delimiterMask(window);
  stopReason = DONE;
  while (rows < rowCapacity) {
    while (mask === 0) {
      if (window >= end) break;
      window += 64;
      mask = delimiterMask(window);
    }
    if (mask === 0) break;
    const delimiter = window + <usize>ctz(mask);
    mask &= mask - 1;
    store<u32>(next, <u32>delimiter);
    next += 4;
    if (load<u8>(delimiter) === COMMA) continue;
    // A line ends: the record must have had exactly `fields` cells (a blank line has one
    // empty cell; the general rules skip it).
    if (next - rowAt !== rowBytes || (fields === 1 && delimiter === rowStart)) {
      stopReason = STOPPED_AT_RECORD;
      break;
    }
    let lineEnd = delimiter;
    if (load<u8>(delimiter) === CR && load<u8>(delimiter + 1) === LF) {
      // CRLF: the LF is the next delimiter.
      while (mask === 0) {
        window += 64;
        mask = delimiterMask(window);
      }
      mask &= mask - 1;
      lineEnd++;
    }
    rows++;
    rowStart = lineEnd + 1;
    rowAt = next;
    store<u32>(rowAt, <u32>lineEnd);
    next = rowAt + 4;
  }
  if (rows === rowCapacity && rowStart < end) stopReason = FULL;
  stopPosition = <i32>(rowStart - input);
  foundRows = rows;
  return rows;
}

/** A numeric column without spellings to keep; returns the rows read before a cell that may be text. */
function readNumbers(at: usize, rowStep: usize, region: usize, rows: i32, field: i32): i32 {
  let entry = at;
  let target = region;
  for (let row = 0; row < rows; row++) {
    const start = <usize>load<u32>(entry) + 1;
    const stop = <usize>load<u32>(entry, 4);
    entry += rowStep;
    if (readNumber(start, stop, target) === NOT_PLAIN && !readWideNumber(start, stop, target, row, field)) return row;
    target += 8;
  }
  return rows;
}

/**
 * Not the plain grammar: a number of the wider one or empty is listed as an exception
 * (true); anything else may be text (false).
 */
function readWideNumber(start: usize, stop: usize, target: usize, row: i32, field: i32): bool {
  if (!isWideNumber(start, stop)) return false;
  store<f64>(target, NaN);
  exceptionCount = addException(exceptionsAt, exceptionCount, row, field, start - blockInput, stop - blockInput, EXCEPTION_NUMBER, 0);
  return true;
}

/**
 * A numeric column that keeps spellings (csv-column.ts plainSpelling): rows written with
 * the column's usual count of fraction digits and a trailing zero (`usualDigits`, 0
 * while unknown) get their bit in `bits`; other cells whose text String(number) would not
 * give back are listed as exceptions, in row order. The loop over the cells only marks
 * candidates (a last or first digit 0, about one cell in ten); sortSpellings decides them.
 */
function readSpelledNumbers(at: usize, rowStep: usize, region: usize, rows: i32, field: i32, usualDigits: i32, bits: usize): i32 {
  let entry = at;
  let target = region;
  // Eight rows' candidate bits, stored a byte at a time (no branch on a cell's answer).
  let candidates: u32 = 0;
  let row = 0;
  for (; row < rows; row++) {
    const start = <usize>load<u32>(entry) + 1;
    const stop = <usize>load<u32>(entry, 4);
    entry += rowStep;
    if (readNumber(start, stop, target) === NOT_PLAIN) {
      if (!readWideNumber(start, stop, target, row, field)) break;
    } else {
      const firstDigit = load<u8>(start + <usize>(load<u8>(start) === MINUS));
      candidates |= <u32>((load<u8>(stop - 1) === ZERO) | (firstDigit === ZERO)) << (<u32>row & 7);
    }
    target += 8;
    if ((row & 7) === 7) {
      store<u8>(bits + (<usize>row >> 3), <u8>candidates);
      candidates = 0;
    }
  }
  if ((row & 7) !== 0) store<u8>(bits + (<usize>row >> 3), <u8>candidates);
  sortSpellings(at, rowStep, region, row, field, usualDigits, bits);
  return row;
}

/**
 * Decides each candidate row of readSpelledNumbers as spellingToList would: its bit stays
 * for COMMON_SPELLING, goes for a text String(number) gives back, and the other cells are
 * listed as exceptions.
 */
function sortSpellings(at: usize, rowStep: usize, region: usize, rows: i32, field: i32, usualDigits: i32, bits: usize): void {
  for (let byte = 0; byte < (rows + 7) >> 3; byte++) {
    let candidates = <u32>load<u8>(bits + <usize>byte);
    let kept: u32 = 0;
    while (candidates !== 0) {
      const row = (byte << 3) + <i32>ctz(candidates);
      candidates &= candidates - 1;
      const entry = at + <usize>row * rowStep;
      const start = <usize>load<u32>(entry) + 1;
      const stop = <usize>load<u32>(entry, 4);
      const negative = load<u8>(start) === MINUS;
      const integerStart = start + <usize>negative;
      let dot = stop - 1;
      while (dot > integerStart && load<u8>(dot) !== DOT) dot--;
      const fractionDigits = load<u8>(dot) === DOT ? <i32>(stop - dot - 1) : 0;
      const integerDigits = <i32>(stop - integerStart) - fractionDigits - (fractionDigits > 0 ? 1 : 0);
      const zero = load<f64>(region + (<usize>row << 3)) === 0;
      const answer = spellingToList(integerStart, stop, integerDigits, fractionDigits, negative, zero, usualDigits);
      if (answer === COMMON_SPELLING) kept |= <u32>1 << (<u32>row & 7);
      else if (answer !== 0) exceptionCount = addException(exceptionsAt, exceptionCount, row, field, start - blockInput, stop - blockInput, EXCEPTION_SPELLING, answer);
    }
    store<u8>(bits + <usize>byte, <u8>kept);
  }
}

/** The second pass over a coded column; returns the rows read before a label not in the table. */
function readLabels(at: usize, rowStep: usize, region: usize, rows: i32, table: usize): i32 {
  if (table === 0) return 0; // no mirror: every cell is left to the caller
  let entry = at;
  for (let row = 0; row < rows; row++) {
    const code = labelCode(<usize>load<u32>(entry) + 1, <usize>load<u32>(entry, 4), table);
    entry += rowStep;
    if (code === 0) return row;
    store<u16>(region + (<usize>row << 1), <u16>code);
  }
  return rows;
}

/** Bit i set when the byte at `at + i` is a comma, LF or CR (i < 64). */
// @ts-ignore: decorator
@inline
function delimiterMask(at: usize): u64 {
  return <u64>delimiterBits(at) | (<u64>delimiterBits(at + 16) << 16) | (<u64>delimiterBits(at + 32) << 32) | (<u64>delimiterBits(at + 48) << 48);
}

// @ts-ignore: decorator
@inline
function delimiterBits(at: usize): u32 {
  const bytes = v128.load(at);
  const found = v128.or(v128.or(i8x16.eq(bytes, i8x16.splat(COMMA)), i8x16.eq(bytes, i8x16.splat(LF))), i8x16.eq(bytes, i8x16.splat(CR)));
  return <u32>i8x16.bitmask(found);
}

function addException(list: usize, count: i32, row: i32, field: i32, start: usize, stop: usize, kind: i32, digits: i32): i32 {
  const at = list + <usize>(count * EXCEPTION_WORDS) * 4;
  store<i32>(at, row);
  store<i32>(at, field, 4);
  store<i32>(at, <i32>start, 8);
  store<i32>(at, <i32>stop, 12);
  store<i32>(at, kind, 16);
  store<i32>(at, digits, 20);
  return count + 1;
}
