// Sorted copies and merged tie groups of numerical columns, memoised per array so that
// a column is sorted once and a column pair merged once, however many tests read them.
// The memo is keyed by the cleaned array, which is often the dataset's own column (cleaning
// keeps an all-finite array as it is) and so lives as long as the dataset: computeDrift
// forgets a pair once its tests are done, so that each column's sorted copies (8 MB per
// million values) are freed, and their memory reused, before the next column is sorted.

import { mergeTieGroups, type TieGroups } from "../special/ties.ts";
import { recycleSorted, sortedCopy } from "./radix-sort.ts";

const sortedCache = new WeakMap<Float64Array, Float64Array>();
const groupCache = new WeakMap<Float64Array, WeakMap<Float64Array, TieGroups>>();

export function sortedOf(values: Float64Array): Float64Array {
  let s = sortedCache.get(values);
  if (s === undefined) {
    s = sortedCopy(values);
    sortedCache.set(values, s);
  }
  return s;
}

/** Tie groups of reference (A) and current (B). */
export function tieGroupsOf(reference: Float64Array, current: Float64Array): TieGroups {
  let inner = groupCache.get(reference);
  if (inner === undefined) {
    inner = new WeakMap();
    groupCache.set(reference, inner);
  }
  let g = inner.get(current);
  if (g === undefined) {
    g = mergeTieGroups(sortedOf(reference), sortedOf(current));
    inner.set(current, g);
  }
  return g;
}

/**
 * Drops the memoised sorted copies and tie groups of a column pair (they are rebuilt if
 * asked for again) and recycles the sorted copies' memory: an array sortedOf returned for
 * either column must not be read after this.
 */
export function forgetSorted(reference: Float64Array, current: Float64Array): void {
  groupCache.get(reference)?.delete(current);
  for (const values of reference === current ? [reference] : [reference, current]) {
    const sorted = sortedCache.get(values);
    if (sorted === undefined) continue;
    sortedCache.delete(values);
    // Tests read a sorted copy only while they run and keep none (tie groups are new
    // arrays), so its memory can hold the next column's.
    recycleSorted(sorted);
  }
}
