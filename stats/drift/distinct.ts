// Distinct values and per-category counts over reference and current, the shared input
// of the default-test choice (u = distinct values of both sets together) and of the
// categorical tests (chisquare, z, g_test, TVD, fisher_exact, distinct-value bins).

import { forgetSorted, sortedOf, tieGroupsOf } from "./sorted.ts";
import type { CleanColumn } from "./types.ts";

/** Number of distinct values in one cleaned column. */
export function distinctCount(column: CleanColumn): number {
  if ("tally" in column) return column.tally.labels.length;
  if (column.kind === "categorical") return new Set(column.values).size;
  const s = sortedOf(column.values);
  let u = 0;
  for (let i = 0; i < s.length; i++) if (i === 0 || s[i] !== s[i - 1]) u++;
  return u;
}

/** Number of distinct values of reference and current together. */
export function distinctCombined(reference: CleanColumn, current: CleanColumn): number {
  if (reference.kind === "numerical" && current.kind === "numerical") {
    return tieGroupsOf(reference.values, current.values).values.length;
  }
  return categoryCounts(reference, current).keys.length;
}

/**
 * min(u, cap) for u = distinct values of reference and current together. The default-test
 * choice only compares u with 2 and 5, so a numerical column stops at cap distinct values
 * after one pass with a tiny Set instead of sorting and merging both sides.
 */
export function distinctCombinedUpTo(reference: CleanColumn, current: CleanColumn, cap: number): number {
  if (reference.kind !== "numerical" || current.kind !== "numerical") return Math.min(distinctCombined(reference, current), cap);
  const seen = new Set<number>(); // SameValueZero: -0 and 0 are one value, as in numpy.unique
  for (const values of [reference.values, current.values]) {
    for (let i = 0; i < values.length; i++) {
      seen.add(values[i] as number);
      if (seen.size >= cap) return cap;
    }
  }
  return seen.size;
}

export interface CategoryCounts {
  /** Every distinct value of either side (numbers stay numbers for numerical columns). */
  keys: (string | number)[];
  reference: Float64Array;
  current: Float64Array;
  nReference: number;
  nCurrent: number;
}

const countCache = new WeakMap<object, WeakMap<object, CategoryCounts>>();

/** The object a column's counts are memoised by. */
function countKey(column: CleanColumn): object {
  return "tally" in column ? column.tally : column.values;
}

/** Counts per distinct value on both sides, over the union of keys (memoised per column pair). */
export function categoryCounts(reference: CleanColumn, current: CleanColumn): CategoryCounts {
  let inner = countCache.get(countKey(reference));
  if (inner === undefined) {
    inner = new WeakMap();
    countCache.set(countKey(reference), inner);
  }
  let counts = inner.get(countKey(current));
  if (counts === undefined) {
    counts = computeCategoryCounts(reference, current);
    inner.set(countKey(current), counts);
  }
  return counts;
}

/** Drops the memoised counts of a column pair, and its sorted copies and tie groups when numerical. */
export function forgetCounts(reference: CleanColumn, current: CleanColumn): void {
  countCache.get(countKey(reference))?.delete(countKey(current));
  if (reference.kind === "numerical" && current.kind === "numerical") forgetSorted(reference.values, current.values);
}

function computeCategoryCounts(reference: CleanColumn, current: CleanColumn): CategoryCounts {
  if (reference.kind === "numerical" && current.kind === "numerical") {
    const g = tieGroupsOf(reference.values, current.values);
    return {
      keys: Array.from(g.values),
      reference: Float64Array.from(g.countA),
      current: Float64Array.from(g.countB),
      nReference: g.nA,
      nCurrent: g.nB,
    };
  }
  // Keys in the order they are first met, reference first: the tests sum over keys in
  // this order, and a tallied column (coded-labels.ts) lists its labels in that order too.
  const index = new Map<string, number>();
  const refCounts: number[] = [];
  const curCounts: number[] = [];
  const add = (key: string, count: number, side: number[], other: number[]) => {
    let i = index.get(key);
    if (i === undefined) {
      i = index.size;
      index.set(key, i);
      side.push(0);
      other.push(0);
    }
    side[i] = (side[i] as number) + count;
  };
  const addColumn = (column: CleanColumn, side: number[], other: number[]): number => {
    if ("tally" in column) {
      const { labels, counts, size } = column.tally;
      for (let l = 0; l < labels.length; l++) add(labels[l] as string, counts[l] as number, side, other);
      return size;
    }
    const values = column.kind === "numerical" ? Array.from(column.values) : column.values;
    for (let v = 0; v < values.length; v++) add(String(values[v]), 1, side, other);
    return values.length;
  };
  const nReference = addColumn(reference, refCounts, curCounts);
  const nCurrent = addColumn(current, curCounts, refCounts);
  return {
    keys: Array.from(index.keys()),
    reference: Float64Array.from(refCounts),
    current: Float64Array.from(curCounts),
    nReference,
    nCurrent,
  };
}
