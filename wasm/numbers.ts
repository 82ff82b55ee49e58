// Numbers for the CSV kernel (csv-kernel.ts): the plain decimals it reads itself, the
// wider number grammar it leaves to the JavaScript rules, and the spelling rules of
// stats/io/csv-column.ts plainSpelling.

export const MINUS: u8 = 45;
const PLUS: u8 = 43;
export const DOT: u8 = 46;
export const ZERO: u8 = 48;

const HIGH_BITS: u64 = 0x8080808080808080;
const ZEROS: u64 = 0x3030303030303030;

const POWERS_OF_TEN: StaticArray<f64> = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16];
const INTEGER_POWERS: StaticArray<u64> = [
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000, 1000000000000,
  10000000000000, 100000000000000, 1000000000000000, 10000000000000000,
];

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
export const NOT_PLAIN = -1;
/** readNumber's answer for a cell written with its column's usual count of fraction digits and a trailing zero. */
export const COMMON_SPELLING = -2;

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
export function readNumber(start: usize, stop: usize, target: usize): i32 {
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
export function spellingToList(integerStart: usize, stop: usize, integerDigits: i32, fractionDigits: i32, negative: bool, zero: bool, common: i32): i32 {
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
export function isWideNumber(start: usize, stop: usize): bool {
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
