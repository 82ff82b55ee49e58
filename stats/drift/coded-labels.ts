// Categorical columns kept as label codes (types.ts CodedLabels) from the CSV reader to
// the tests. A 1M-row column of five labels is 2 MB of codes; as one string per row it
// was an 8 MB array of pointers to allocate and fault in, which the tests then hashed
// row by row again to count. Here a column is counted per code (one pass over the codes),
// and only the handful of labels are ever looked at as strings.
//
// The tally keeps labels in the order of their first row, the order the string path
// (distinct.ts) meets them in, so the tests sum their terms in the same order and the
// scores are the same to the last bit.

import type { CodedLabels, DriftColumn, LabelTally, RawColumn, RawValue } from "./types.ts";

export function isCodedLabels(column: DriftColumn): column is CodedLabels {
  return !Array.isArray(column) && !(column instanceof Float64Array);
}

/** Missing for the tests (clean.ts isMissingValue): no label, or the empty one. */
function isMissingLabel(label: string | null | undefined): boolean {
  return label === null || label === undefined || label === "";
}

/** One value per row, for callers that need rows (plots, multivariate, a column given as numerical). */
export function decodeLabels(coded: CodedLabels): RawValue[] {
  const { codes, labels } = coded;
  const values = new Array<RawValue>(codes.length);
  for (let row = 0; row < codes.length; row++) values[row] = labels[codes[row] as number] ?? null;
  return values;
}

/** The column as raw values: decoded when it is codes, else as it is. */
export function rawColumn(column: DriftColumn): RawColumn {
  return isCodedLabels(column) ? decodeLabels(column) : column;
}

/** Whether no row holds a present label. */
export function allLabelsMissing(coded: CodedLabels): boolean {
  const { codes, labels } = coded;
  for (let row = 0; row < codes.length; row++) if (!isMissingLabel(labels[codes[row] as number])) return false;
  return true;
}

/**
 * The present labels with their row counts, in the order of each label's first row.
 * Codes that share a label (a table need not be unique: two byte strings can decode to
 * the same text) are one label.
 */
export function tallyCodes(coded: CodedLabels): LabelTally {
  const { codes, labels } = coded;
  const perCode = new Float64Array(labels.length);
  const firstSeen: number[] = [];
  for (let row = 0; row < codes.length; row++) {
    const code = codes[row] as number;
    const seen = perCode[code] as number;
    if (seen === 0) firstSeen.push(code);
    perCode[code] = seen + 1;
  }
  const index = new Map<string, number>();
  const counts: number[] = [];
  let size = 0;
  for (const code of firstSeen) {
    const label = labels[code];
    if (label === null || label === undefined || label === "") continue;
    const count = perCode[code] as number;
    size += count;
    const at = index.get(label);
    if (at === undefined) {
      index.set(label, counts.length);
      counts.push(count);
    } else counts[at] = (counts[at] as number) + count;
  }
  return { labels: [...index.keys()], counts: Float64Array.from(counts), size };
}
