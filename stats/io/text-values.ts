// How text cells (CSV fields) become values. Users compare Vigil's numbers with
// Evidently run on `pandas.read_csv` output, so text is read the way pandas reads it
// by default: the same missing-value tokens and the same number grammar.

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

function isDigit(code: number): boolean {
  return code >= ZERO && code <= NINE;
}

// Powers of ten that are exact doubles (10^0 .. 10^22), for the fast conversion below.
const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, exponent) => 10 ** exponent);

/**
 * The value of the cell classifyNumberText last classified as a finite number. Set
 * when the digits allow an exact shortcut, NaN when Number(text) must do the work.
 * A typed-array slot, because a module-level `let` holding a double may allocate a
 * heap number on every write, and this is written once per CSV cell.
 */
const scanned = new Float64Array(1);

/**
 * Classifies a text cell by pandas' number grammar (xstrtod): optional surrounding
 * spaces, a sign, digits with an optional fraction, an optional exponent; or inf /
 * infinity in any case. Hexadecimal, thousands separators and underscores are not
 * numbers. One pass with no allocation, because every CSV cell goes through it; the
 * cell may be the range [start, stop) of a larger text, so that numbers need no slice.
 */
export function classifyNumberText(text: string, start = 0, stop = text.length): NumberTextClass {
  const length = stop;
  let index = start;
  let canonical = true;
  let mantissa = 0;
  scanned[0] = Number.NaN;
  while (index < length && (text.charCodeAt(index) === SPACE || text.charCodeAt(index) === TAB)) index++;
  if (index > start) canonical = false;
  let negative = false;
  const sign = index < length ? text.charCodeAt(index) : -1;
  if (sign === PLUS || sign === MINUS) {
    negative = sign === MINUS;
    if (sign === PLUS) canonical = false;
    index++;
  }
  const integerStart = index;
  for (let code = text.charCodeAt(index); index < length && isDigit(code); code = text.charCodeAt(++index)) {
    mantissa = mantissa * 10 + (code - ZERO);
  }
  const integerDigits = index - integerStart;
  let fractionDigits = 0;
  let fractionLeadingZeros = 0;
  if (index < length && text.charCodeAt(index) === DOT) {
    index++;
    const fractionStart = index;
    for (let code = text.charCodeAt(index); index < length && isDigit(code); code = text.charCodeAt(++index)) {
      mantissa = mantissa * 10 + (code - ZERO);
    }
    fractionDigits = index - fractionStart;
    if (fractionDigits === 0 || text.charCodeAt(index - 1) === ZERO) canonical = false;
    while (fractionLeadingZeros < fractionDigits && text.charCodeAt(fractionStart + fractionLeadingZeros) === ZERO) {
      fractionLeadingZeros++;
    }
  }
  if (integerDigits === 0 && fractionDigits === 0) return classifyInfinity(text, index, length, negative);
  let exponent = 0;
  if (index < length && (text.charCodeAt(index) | 32) === 101) {
    // e or E
    canonical = false;
    index++;
    const exponentSign = index < length ? text.charCodeAt(index) : -1;
    if (exponentSign === PLUS || exponentSign === MINUS) index++;
    const exponentStart = index;
    for (
      let code = text.charCodeAt(index);
      index < length && isDigit(code) && index - exponentStart < 9;
      code = text.charCodeAt(++index)
    ) {
      exponent = exponent * 10 + (code - ZERO);
    }
    while (index < length && isDigit(text.charCodeAt(index))) index++; // absurd exponents: left to Number()
    if (index === exponentStart) return NOT_A_NUMBER;
    if (exponentSign === MINUS) exponent = -exponent;
  }
  const end = index;
  while (index < length && (text.charCodeAt(index) === SPACE || text.charCodeAt(index) === TAB)) index++;
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
  const firstIsZero = text.charCodeAt(integerStart) === ZERO;
  if (integerDigits === 0 || (integerDigits > 1 && firstIsZero)) return OTHER_SPELLING;
  if (digits > 15) return OTHER_SPELLING;
  if (integerDigits === 1 && firstIsZero) {
    if (fractionDigits === 0) return negative ? OTHER_SPELLING : CANONICAL_NUMBER;
    if (fractionLeadingZeros >= 6) return OTHER_SPELLING;
  }
  return CANONICAL_NUMBER;
}

function classifyInfinity(text: string, wordStart: number, stop: number, negative: boolean): NumberTextClass {
  if (stop - wordStart > 12) return NOT_A_NUMBER; // longer than "infinity" and spaces: skip the slice
  const word = text.slice(wordStart, stop).trimEnd().toLowerCase();
  if (word !== "inf" && word !== "infinity") return NOT_A_NUMBER;
  return negative ? NEGATIVE_INFINITY : POSITIVE_INFINITY;
}

/**
 * The value of a text cell that classifyNumberText has just classified as a number
 * (class > 0); call it right after, on the same text, as the shortcut value is kept
 * between the two calls.
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
