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

// Decimal with optional sign, fraction and exponent; surrounding spaces allowed, as in
// pandas' xstrtod. Hexadecimal, thousands separators and underscores are not numbers.
const DECIMAL = /^[ \t]*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?[ \t]*$/;
const INFINITY = /^[ \t]*([+-]?)(?:inf|infinity)[ \t]*$/i;

/** The number a text cell spells, or undefined when it is not a number. */
export function parseNumberText(text: string): number | undefined {
  if (DECIMAL.test(text)) return Number(text);
  const infinity = INFINITY.exec(text);
  if (infinity !== null) return infinity[1] === "-" ? -Infinity : Infinity;
  return undefined;
}
