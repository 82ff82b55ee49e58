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

const COMMA: u8 = 44;
const LF: u8 = 10;
const CR: u8 = 13;
const MINUS: u8 = 45;
const PLUS: u8 = 43;
const DOT: u8 = 46;
const ZERO: u8 = 48;

/** Column kinds, one i32 per field (0: a column not kept, whose cells are only delimited). */
const NUMERIC = 1;
const CODED = 2;
const NUMERIC_SPELLINGS = 3;

/** Exception kinds. */
export const EXCEPTION_NUMBER = 1;
export const EXCEPTION_SPELLING = 2;
/** i32s per exception: row, field, start, stop, kind, integer digits << 8 | fraction digits. Listed column by column. */
const EXCEPTION_WORDS = 6;

/** Why a block stopped. */
const DONE = 0;
const STOPPED_AT_RECORD = 1;
const FULL = 2;

// A label table mirror (stats/io/csv-kernel.ts writes it): at its base, slots then
// per-code hashes, lengths and pool offsets, then the labels' bytes.
const SLOTS = 8192;
const MAX_CODES = 4097;
const TABLE_SLOTS = 16;
const TABLE_HASHES = TABLE_SLOTS + SLOTS * 4;
const TABLE_LENGTHS = TABLE_HASHES + MAX_CODES * 4;
const TABLE_STARTS = TABLE_LENGTHS + MAX_CODES * 4;
const TABLE_FIRST_WORDS = TABLE_STARTS + MAX_CODES * 4;
const TABLE_SECOND_WORDS = TABLE_FIRST_WORDS + MAX_CODES * 4;

const HIGH_BITS: u64 = 0x8080808080808080;
const ZEROS: u64 = 0x3030303030303030;

const POWERS_OF_TEN: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];
const INTEGER_POWERS: StaticArray<u64> = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000,
  10000000000000, 100000000000000, 1000000000000000, 10000000000000000,
];

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
 * give back are listed as exceptions, in row order.
 */
function readSpelledNumbers(at: usize, rowStep: usize, region: usize, rows: i32, field: i32, usualDigits: i32, bits: usize): i32 {
  let entry = at;
  let target = region;
  // Eight rows' bits, stored a byte at a time (no branch on a cell's answer: one in ten, at random).
  let commonRows: u32 = 0;
  let row = 0;
  for (; row < rows; row++) {
    const start = <usize>load<u32>(entry) + 1;
    const stop = <usize>load<u32>(entry, 4);
    entry += rowStep;
    const fractionDigits = readNumber(start, stop, target);
    if (fractionDigits === NOT_PLAIN) {
      if (!readWideNumber(start, stop, target, row, field)) break;
    } else {
      // spellingToList's answer without calling it, in the usual cases: no leading zero, or
      // "0." and a first fraction digit that is not 0 (so at most five leading zeros), or
      // "0" itself. Then only a trailing zero matters: the row gets its bit when the count
      // of fraction digits is the usual one.
      const negative = load<u8>(start) === MINUS;
      const integerStart = start + <usize>negative;
      const integerDigits = <i32>(stop - integerStart) - fractionDigits - (fractionDigits > 0 ? 1 : 0);
      const lastIsZero = (fractionDigits > 0) & (load<u8>(stop - 1) === ZERO);
      const firstIsZero = load<u8>(integerStart) === ZERO;
      const oneZero = firstIsZero & (integerDigits === 1);
      const usual = !firstIsZero | (oneZero & (fractionDigits > 0) & (load<u8>(integerStart + 2) !== ZERO));
      const plainZero = oneZero & (fractionDigits === 0) & !negative;
      const common = usual & lastIsZero & (fractionDigits === usualDigits);
      commonRows |= <u32>common << (<u32>row & 7);
      if ((usual & lastIsZero & !common) | (!usual & !plainZero)) {
        const zero = load<f64>(target) === 0;
        const answer = spellingToList(integerStart, stop, integerDigits, fractionDigits, negative, zero, usualDigits);
        if (answer === COMMON_SPELLING) commonRows |= <u32>1 << (<u32>row & 7);
        else if (answer !== 0) exceptionCount = addException(exceptionsAt, exceptionCount, row, field, start - blockInput, stop - blockInput, EXCEPTION_SPELLING, answer);
      }
    }
    target += 8;
    if ((row & 7) === 7) {
      store<u8>(bits + (<usize>row >> 3), <u8>commonRows);
      commonRows = 0;
    }
  }
  if ((row & 7) !== 0) store<u8>(bits + (<usize>row >> 3), <u8>commonRows);
  return row;
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

/** High bit of each byte of `word` that is not an ASCII digit; exact up to the first one. */
// @ts-ignore: decorator
@inline
function notDigits(word: u64): u64 {
  // A byte's high bit is set unless it is 0x30..0x39; borrows and carries only disturb
  // bytes after the first non-digit, which are not used.
  return ((word + 0x4646464646464646) | (word - ZEROS)) & HIGH_BITS;
}

/** The value of eight digit values, the first in the low byte (simdjson's parse_eight_digits_unrolled). */
// @ts-ignore: decorator
@inline
function eightDigits(digits: u64): u64 {
  let value = digits;
  value = ((value * 10) + (value >> 8)) & 0x00ff00ff00ff00ff;
  value = ((value * 100) + (value >> 16)) & 0x0000ffff0000ffff;
  return ((value * 10000) + (value >> 32)) & 0xffffffff;
}

/**
 * Reads up to 16 digits at `position`: their count (17 when more follow) in the top byte
 * and their value below it (one value, not two globals, keeps the parse in registers).
 */
// @ts-ignore: decorator
@inline
function readDigits(position: usize): u64 {
  let word = load<u64>(position);
  let mask = notDigits(word);
  if (mask !== 0) {
    const count = ctz(mask) >> 3;
    const value = eightDigits((word - ZEROS) << ((64 - 8 * count) & 63));
    return (count << 56) | select<u64>(value, 0, count !== 0);
  }
  const high = eightDigits(word - ZEROS);
  word = load<u64>(position + 8);
  mask = notDigits(word);
  if (mask === 0) return <u64>17 << 56;
  const count = ctz(mask) >> 3;
  const low = eightDigits((word - ZEROS) << ((64 - 8 * count) & 63));
  return ((count + 8) << 56) | select<u64>(high * unchecked(INTEGER_POWERS[<i32>count]) + low, high, count !== 0);
}

const VALUE_BITS: u64 = (<u64>1 << 56) - 1;

/** readNumber's answer for a cell that is not a plain decimal. */
const NOT_PLAIN = -1;
/** readNumber's answer for a cell written with its column's usual count of fraction digits and a trailing zero. */
const COMMON_SPELLING = -2;

/** High bit of each byte of `word` that is an ASCII digit: exact in every byte (no carry crosses a byte). */
// @ts-ignore: decorator
@inline
function digitBytes(word: u64): u64 {
  const low = word & 0x7f7f7f7f7f7f7f7f;
  // low + 0x50 has its high bit set from 0x30 up, low + 0x46 from 0x3a up.
  return (low + 0x5050505050505050) & ~(low + 0x4646464646464646) & ~word & HIGH_BITS;
}

/**
 * Reads bytes[start, stop) if it is a plain decimal `-?d+(.d+)?` of at most 15 digits:
 * stores its value at `target` and returns its count of fraction digits; NOT_PLAIN for
 * any other cell.
 */
// @ts-ignore: decorator
@inline
function readNumber(start: usize, stop: usize, target: usize): i32 {
  const negative = load<u8>(start) === MINUS;
  const integerStart = start + <usize>negative;
  const length = <i32>(stop - integerStart);
  if (length > 8 || length < 1) return readLongNumber(start, stop, target);
  // The cell fits in one word: its dot (if any) is taken out, and the digits that remain
  // are checked and converted together.
  const word = load<u64>(integerStart);
  const dots = word ^ 0x2e2e2e2e2e2e2e2e;
  const dot = <i32>(ctz(~(((dots & 0x7f7f7f7f7f7f7f7f) + 0x7f7f7f7f7f7f7f7f) | dots) & HIGH_BITS) >> 3);
  let digits = word;
  let digitCount = length;
  let fractionDigits = 0;
  if (dot < length) {
    const below = (<u64>1 << (<u64>dot << 3)) - 1;
    digits = (word & below) | ((word >> 8) & ~below);
    digitCount = length - 1;
    fractionDigits = length - 1 - dot;
    if (dot === 0 || fractionDigits === 0) return NOT_PLAIN;
  }
  // The digits' high bits, kept in the top bytes after the shift that aligns them.
  const shift = (<u64>(8 - digitCount) << 3) & 63;
  if (((~digitBytes(digits) & HIGH_BITS) << shift) !== 0) return NOT_PLAIN;
  const mantissa = eightDigits((digits - ZEROS) << shift);
  const magnitude = <f64><i64>mantissa / unchecked(POWERS_OF_TEN[fractionDigits]);
  // The sign as a bit, not a branch: half the cells of a column centred on 0 are negative.
  store<u64>(target, reinterpret<u64>(magnitude) | (<u64>negative << 63));
  return fractionDigits;
}

/**
 * csv-column.ts plainSpelling acts on a trailing fraction zero, and on a leading zero that
 * String(number) would not write back ("007", "-0", "0.0000001"): COMMON_SPELLING when
 * all it does is mark the row as written with the column's usual count of fraction
 * digits (`common`, 0 while unknown), integer digits << 8 | fraction digits when the
 * cell is to be listed for it, else 0.
 */
function spellingToList(integerStart: usize, stop: usize, integerDigits: i32, fractionDigits: i32, negative: bool, zero: bool, common: i32): i32 {
  const digits = (integerDigits << 8) | fractionDigits;
  const firstIsZero = load<u8>(integerStart) === ZERO;
  if (fractionDigits > 0 && load<u8>(stop - 1) === ZERO) {
    if ((firstIsZero && integerDigits > 1) || (zero && negative)) return digits; // its bytes are kept
    return fractionDigits === common ? COMMON_SPELLING : digits;
  }
  if (!firstIsZero) return 0;
  if (integerDigits > 1) return digits;
  if (fractionDigits === 0) return negative ? digits : 0;
  let leadingZeros = 0;
  while (leadingZeros < fractionDigits && load<u8>(integerStart + 2 + <usize>leadingZeros) === ZERO) leadingZeros++;
  return leadingZeros >= 6 ? digits : 0;
}

/** readNumber for the shapes it does not read itself: longer parts, or not plain at all. */
function readLongNumber(start: usize, stop: usize, target: usize): i32 {
  let position = start;
  const negative = load<u8>(position) === MINUS;
  if (negative) position++;
  const integerStart = position;
  const integer = readDigits(position);
  const integerDigits = <i32>(integer >> 56);
  if (integerDigits === 0 || integerDigits > 15) return NOT_PLAIN;
  let mantissa = integer & VALUE_BITS;
  position += <usize>integerDigits;
  let fractionDigits = 0;
  if (position !== stop) {
    if (load<u8>(position) !== DOT) return NOT_PLAIN;
    position++;
    const fraction = readDigits(position);
    fractionDigits = <i32>(fraction >> 56);
    position += <usize>fractionDigits;
    if (fractionDigits === 0 || position !== stop || integerDigits + fractionDigits > 15) return NOT_PLAIN;
    mantissa = mantissa * unchecked(INTEGER_POWERS[fractionDigits]) + (fraction & VALUE_BITS);
  }
  const magnitude = <f64>mantissa / unchecked(POWERS_OF_TEN[fractionDigits]);
  store<f64>(target, negative ? -magnitude : magnitude);
  return fractionDigits;
}

/**
 * Whether bytes[start, stop) is empty or a number `[+-]?(d+(.d*)?|.d+)([eE][+-]?d+)?`.
 */
function isWideNumber(start: usize, stop: usize): bool {
  let position = start;
  if (position === stop) return true; // empty: missing
  let code = load<u8>(position);
  if (code === MINUS || code === PLUS) code = load<u8>(++position);
  let digits = 0;
  while (code >= ZERO && code <= ZERO + 9) {
    digits++;
    code = load<u8>(++position);
  }
  if (code === DOT) {
    code = load<u8>(++position);
    while (code >= ZERO && code <= ZERO + 9) {
      digits++;
      code = load<u8>(++position);
    }
  }
  if (digits === 0) return false;
  if ((code | 32) === 101) {
    code = load<u8>(++position);
    if (code === MINUS || code === PLUS) code = load<u8>(++position);
    let exponentDigits = 0;
    while (code >= ZERO && code <= ZERO + 9) {
      exponentDigits++;
      code = load<u8>(++position);
    }
    if (exponentDigits === 0) return false;
  }
  return position === stop;
}

/** One step of label-codes.ts's cell hash over a little-endian, zero-padded 4-byte word. */
// @ts-ignore: decorator
@inline
function mixWord(hash: u32, word: u32): u32 {
  const mixed = (hash ^ word) * 0x9e3779b1;
  return mixed ^ (mixed >> 15);
}

/** The code of the label bytes[start, stop) in the table mirror at `table`; 0 when it is not there. */
// @ts-ignore: decorator
@inline
function labelCode(start: usize, stop: usize, table: usize): i32 {
  const length = <i32>(stop - start);
  if (length > 8) return longLabelCode(start, stop, table);
  // Up to 8 bytes: two zero-padded words, hashed and compared without a loop.
  const lowLength = length < 4 ? length : 4;
  const first = load<u32>(start) & lowMask(lowLength);
  const second = load<u32>(start + 4) & lowMask(length - lowLength);
  const once = mixWord(0x2c9277b5, first);
  let hash = select<u32>(mixWord(once, second), once, length > 4);
  hash = select<u32>(hash, 0x2c9277b5, length > 0);
  hash = (hash ^ <u32>length) * 0x85ebca6b;
  let slot = hash & (SLOTS - 1);
  let code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  while (code !== 0) {
    const at = <usize>code << 2;
    // Up to 8 bytes, the length and the two words are the label (the hash adds nothing).
    if (load<i32>(table + TABLE_LENGTHS + at) === length && load<u32>(table + TABLE_FIRST_WORDS + at) === first && load<u32>(table + TABLE_SECOND_WORDS + at) === second) {
      return code;
    }
    slot = (slot + 1) & (SLOTS - 1);
    code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  }
  return 0;
}

/** The bytes of a word to keep: the low `count` (0 to 4). */
// @ts-ignore: decorator
@inline
function lowMask(count: i32): u32 {
  return <u32>((<u64>1 << (<u64>count << 3)) - 1);
}

function longLabelCode(start: usize, stop: usize, table: usize): i32 {
  const length = <i32>(stop - start);
  let hash: u32 = 0x2c9277b5;
  let position = start;
  while (position + 4 <= stop) {
    hash = mixWord(hash, load<u32>(position));
    position += 4;
  }
  const tail = <u32>(stop - position);
  if (tail > 0) hash = mixWord(hash, load<u32>(position) & ((<u32>1 << (tail * 8)) - 1));
  hash = (hash ^ <u32>length) * 0x85ebca6b;
  let slot = hash & (SLOTS - 1);
  let code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  while (code !== 0) {
    const at = <usize>code << 2;
    if (load<u32>(table + TABLE_HASHES + at) === hash && load<i32>(table + TABLE_LENGTHS + at) === length) {
      if (sameBytes(table + <usize>load<i32>(table + TABLE_STARTS + at), start, length)) return code;
    }
    slot = (slot + 1) & (SLOTS - 1);
    code = load<i32>(table + TABLE_SLOTS + (<usize>slot << 2));
  }
  return 0;
}

function sameBytes(a: usize, b: usize, length: i32): bool {
  let index = 0;
  for (; index + 8 <= length; index += 8) {
    if (load<u64>(a + <usize>index) !== load<u64>(b + <usize>index)) return false;
  }
  for (; index < length; index++) {
    if (load<u8>(a + <usize>index) !== load<u8>(b + <usize>index)) return false;
  }
  return true;
}
