// Sorted copies and merged tie groups of numerical columns, memoised per array so that
// a column is sorted once and a column pair merged once, however many tests read them.

import { mergeTieGroups, type TieGroups } from "../special/ties.ts";
import { sortedCopy } from "./radix-sort.ts";

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
