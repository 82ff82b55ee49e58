// How text cells (CSV fields) become values. Users compare Vigil's numbers with
// Evidently run on `pandas.read_csv` output, so text is read the way pandas reads it
// by default: the same missing-value tokens and the same number grammar.

import { decodeUtf8 } from "./utf8.ts";

/**
 * pandas' default `na_values` (pandas._libs.parsers.STR_NA_VALUES, pandas 2.x), which
 * includes the empty field. These cells are missing.
 */
export const MISSING_TOKENS: ReadonlySet<string> = new Set([
  "",
  "#N/A",
  "#N/A N/A",
  "#NA",
  "-1.#IND",
  "-1.#QNAN",
  "-NaN",
  "-nan",
  "1.#IND",
  "1.#QNAN",
  "<NA>",
  "N/A",
  "NA",
  "NULL",
  "NaN",
  "None",
  "n/a",
  "nan",
  "null",
]);

/** What classifyNumberText found. */
export const NOT_A_NUMBER = 0;
/** A finite number that String(Number(text)) spells back exactly. */
export const CANONICAL_NUMBER = 1;
/** A finite number spelled some other way ("1.50", "+3", "1e-05", " 7"), or possibly so. */
export const OTHER_SPELLING = 2;
export const POSITIVE_INFINITY = 3;
export const NEGATIVE_INFINITY = 4;
export type NumberTextClass = 0 | 1 | 2 | 3 | 4;

const SPACE = 32;
const TAB = 9;
const PLUS = 43;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
// Stands for any non-ASCII character when a string is copied into bytes for the shared
// classifier: it is not part of the number grammar, so such text is never a number.
const NON_ASCII = 0x80;

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

// Powers of ten that are exact doubles (10^0 .. 10^22), for the fast conversion below.
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/**
 * The value of the cell classifyNumberBytes last classified as a finite number. Set
 * when the digits allow an exact shortcut, NaN when Number(text) must do the work.
 * A typed-array slot, because a module-level `let` holding a double may allocate a
 * heap number on every write, and this is written once per CSV cell. The second slot
 * holds where an inf/infinity word starts when the digits scan found none.
 */
const scanned = new Float64Array(2);
/** Returned by the byte scan when there are no digits: the text may still be inf/infinity. */
const MAYBE_INFINITY = -1;
const NEGATIVE_MAYBE_INFINITY = -2;

/**
 * Classifies the cell bytes[start, stop) by pandas' number grammar (xstrtod): optional
 * surrounding spaces, a sign, digits with an optional fraction, an optional exponent;
 * or inf / infinity in any case. Hexadecimal, thousands separators and underscores are
 * not numbers. One pass with no allocation, because every CSV cell goes through it.
 * The bytes are UTF-8 (or a string's char codes with non-ASCII ones as 0x80: only
 * ASCII is part of the grammar).
 */
export function classifyNumberBytes(bytes: Uint8Array, start: number, stop: number): NumberTextClass {
  const kind = scanNumber(bytes, start, stop);
  if (kind >= 0) return kind as NumberTextClass;
  // Rare: no digits. Only inf/infinity can still be a number; decide on the text.
  const wordStart = scanned[1] as number;
  // Labels end here: the word must start with i or I (no other character lowercases to
  // i alone) and fit in 12 UTF-16 units, so at most 36 bytes.
  if (((bytes[wordStart] as number) | 32) !== 105 || stop - wordStart > 36) return NOT_A_NUMBER;
  return classifyInfinity(decodeUtf8(bytes, wordStart, stop), kind === NEGATIVE_MAYBE_INFINITY);
}

function scanNumber(bytes: Uint8Array, start: number, stop: number): number {
  const length = stop;
  let index = start;
  let canonical = true;
  let mantissa = 0;
  scanned[0] = Number.NaN;
  while (index < length && (bytes[index] === SPACE || bytes[index] === TAB)) index++;
  if (index > start) canonical = false;
  let negative = false;
  const sign = index < length ? (bytes[index] as number) : -1;
  if (sign === PLUS || sign === MINUS) {
    negative = sign === MINUS;
    if (sign === PLUS) canonical = false;
    index++;
  }
  const integerStart = index;
  for (let code = bytes[index] as number; index < length && isDigit(code); code = bytes[++index] as number) {
    mantissa = mantissa * 10 + (code - ZERO);
  }
  const integerDigits = index - integerStart;
  let fractionDigits = 0;
  let fractionLeadingZeros = 0;
  if (index < length && bytes[index] === DOT) {
    index++;
    const fractionStart = index;
    for (let code = bytes[index] as number; index < length && isDigit(code); code = bytes[++index] as number) {
      mantissa = mantissa * 10 + (code - ZERO);
    }
    fractionDigits = index - fractionStart;
    if (fractionDigits === 0 || bytes[index - 1] === ZERO) canonical = false;
    while (fractionLeadingZeros < fractionDigits && bytes[fractionStart + fractionLeadingZeros] === ZERO) {
      fractionLeadingZeros++;
    }
  }
  if (integerDigits === 0 && fractionDigits === 0) {
    scanned[1] = index;
    return negative ? NEGATIVE_MAYBE_INFINITY : MAYBE_INFINITY;
  }
  let exponent = 0;
  if (index < length && ((bytes[index] as number) | 32) === 101) {
    // e or E
    canonical = false;
    index++;
    const exponentSign = index < length ? (bytes[index] as number) : -1;
    if (exponentSign === PLUS || exponentSign === MINUS) index++;
    const exponentStart = index;
    for (
      let code = bytes[index] as number;
      index < length && isDigit(code) && index - exponentStart < 9;
      code = bytes[++index] as number
    ) {
      exponent = exponent * 10 + (code - ZERO);
    }
    while (index < length && isDigit(bytes[index] as number)) index++; // absurd exponents: left to Number()
    if (index === exponentStart) return NOT_A_NUMBER;
    if (exponentSign === MINUS) exponent = -exponent;
  }
  const end = index;
  while (index < length && (bytes[index] === SPACE || bytes[index] === TAB)) index++;
  if (index !== length) return NOT_A_NUMBER;
  if (end !== length) canonical = false;

  // Clinger's fast path (W. D. Clinger, "How to read floating point numbers accurately",
  // PLDI 1990): with at most 15 digits the mantissa is an exact integer below 2^53, and
  // one correctly rounded multiply or divide by an exact power of ten gives the
  // correctly rounded result, the same double Number(text) returns.
  const digits = integerDigits + fractionDigits;
  const power = exponent - fractionDigits;
  if (digits <= 15 && power >= -22 && power <= 22) {
    const magnitude = power < 0 ? mantissa / (EXACT_POWERS_OF_TEN[-power] as number) : mantissa * (EXACT_POWERS_OF_TEN[power] as number);
    scanned[0] = negative ? -magnitude : magnitude;
  }

  if (!canonical) return OTHER_SPELLING;
  // Digit-level checks: JavaScript prints at most the digits the text has when they are
  // 15 or fewer (any two such decimals are different doubles), with no leading zero,
  // no "-0", and in plain notation for 1e-7 < |x| < 1e21.
  const firstIsZero = bytes[integerStart] === ZERO;
  if (integerDigits === 0 || (integerDigits > 1 && firstIsZero)) return OTHER_SPELLING;
  if (digits > 15) return OTHER_SPELLING;
  if (integerDigits === 1 && firstIsZero) {
    if (fractionDigits === 0) return negative ? OTHER_SPELLING : CANONICAL_NUMBER;
    if (fractionLeadingZeros >= 6) return OTHER_SPELLING;
  }
  return CANONICAL_NUMBER;
}

function classifyInfinity(tail: string, negative: boolean): NumberTextClass {
  if (tail.length > 12) return NOT_A_NUMBER; // longer than "infinity" and spaces
  const word = tail.trimEnd().toLowerCase();
  if (word !== "inf" && word !== "infinity") return NOT_A_NUMBER;
  return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
}

/**
 * The value of the cell classifyNumberBytes has just classified as a number (class > 0);
 * call it right after, on the same bytes, as the shortcut value is kept between the calls.
 */
export function numberFromBytes(bytes: Uint8Array, kind: NumberTextClass, start: number, stop: number): number {
  if (kind === POSITIVE_INFINITY) return Infinity;
  if (kind === NEGATIVE_INFINITY) return -Infinity;
  const value = scanned[0] as number;
  if (!Number.isNaN(value)) return value;
  return Number(decodeUtf8(bytes, start, stop));
}

// Strings are classified by copying their char codes into this buffer (grown on demand).
let textBytes = new Uint8Array(64);

/** Copies text[start, stop) into textBytes, each non-ASCII char as one NON_ASCII byte. */
function loadText(text: string, start: number, stop: number): void {
  if (stop - start > textBytes.length) textBytes = new Uint8Array(2 * (stop - start));
  for (let index = start; index < stop; index++) {
    const code = text.charCodeAt(index);
    textBytes[index - start] = code < 0x80 ? code : NON_ASCII;
  }
}

/**
 * classifyNumberBytes for the string cell text[start, stop) (quoted CSV fields, JSON
 * strings): the same grammar, the same classes.
 */
export function classifyNumberText(text: string, start = 0, stop = text.length): NumberTextClass {
  loadText(text, start, stop);
  const kind = scanNumber(textBytes, 0, stop - start);
  if (kind >= 0) return kind as NumberTextClass;
  return classifyInfinity(text.slice(start + (scanned[1] as number), stop), kind === NEGATIVE_MAYBE_INFINITY);
}

/**
 * The value of a text cell that classifyNumberText has just classified as a number
 * (class > 0); call it right after, on the same text.
 */
export function numberFromText(text: string, kind: NumberTextClass, start = 0, stop = text.length): number {
  if (kind === POSITIVE_INFINITY) return Infinity;
  if (kind === NEGATIVE_INFINITY) return -Infinity;
  const value = scanned[0] as number;
  if (!Number.isNaN(value)) return value;
  return Number(start === 0 && stop === text.length ? text : text.slice(start, stop));
}

/** The number a text cell spells, or undefined when it is not a number. */
export function parseNumberText(text: string): number | undefined {
  const kind = classifyNumberText(text);
  return kind === NOT_A_NUMBER ? undefined : numberFromText(text, kind);
}
