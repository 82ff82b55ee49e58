// Building blocks every drift test shares: a score, a "not applicable" with its reason
// (never a made-up number: an undefined score becomes not applicable), and the guard
// for tests that only read numbers.

import type { CleanColumn, TestOutcome } from "./types.ts";

export function scored(score: number, undefinedReason = "the score is undefined (NaN) for these samples"): TestOutcome {
  if (Number.isNaN(score)) return { applicable: false, reason: undefinedReason };
  return { applicable: true, score };
}

export function notApplicable(reason: string): TestOutcome {
  return { applicable: false, reason };
}

/** Both sides as numbers, or null when either column is categorical. */
export function numericalPair(reference: CleanColumn, current: CleanColumn): [Float64Array, Float64Array] | null {
  if (reference.kind !== "numerical" || current.kind !== "numerical") return null;
  return [reference.values, current.values];
}

export function numericalOnly(id: string): TestOutcome {
  return notApplicable(`${id} does not support categorical columns`);
}
