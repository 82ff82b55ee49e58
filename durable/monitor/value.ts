// The value of a window's labelled predictions (stats/impact/value.ts) as the protocol
// carries it, and the monitor's state behind it: the version's value matrix (pushed by
// PUT …/value-matrix) and the baseline's performance, from which `value_vs_baseline` takes
// the baseline's value per prediction.
//
// The baseline's performance is what its own predictions earned: for a baseline frozen from
// the first events, the labels joined to the predictions it froze (by join location; those
// joined before the freeze are read off the buckets then, later ones added as they join). An
// uploaded baseline carries no labels this object could value, so its windows have no
// `value_vs_baseline` (null) until one frozen from traffic replaces it.
import { valueOf, valueVsBaseline, type Value, type ValueMatrix } from "../../stats/impact/value.ts";
import type { WindowView } from "../protocol.ts";
import { PerfState } from "./perf.ts";

/** The labelled outcomes of a performance state, in the shape valueOf reads. */
export function outcomesOf(perf: PerfState): Parameters<typeof valueOf>[1] {
  const regression = perf.regression?.toJSON();
  return {
    cells: perf.confusion?.toJSON().cells ?? [],
    regression: regression ? { n: regression.n, sumAbs: regression.sumAbs, sumErr: regression.sumErr } : undefined,
  };
}

/** The window's value and its difference from the baseline's; both null without a matrix. */
export function windowValue(perf: PerfState, matrix: ValueMatrix | null, reference: PerfState | null): Pick<WindowView, "value" | "value_vs_baseline"> {
  if (matrix === null) return { value: null, value_vs_baseline: null };
  const value: Value = valueOf(matrix, outcomesOf(perf));
  const ref = reference === null ? null : valueOf(matrix, outcomesOf(reference));
  return { value, value_vs_baseline: valueVsBaseline(value, ref) };
}

/** Meta keys in the monitor's SQLite. */
export const VALUE_MATRIX_KEY = "value_matrix";
export const REFERENCE_PERF_KEY = "reference_perf";
/** Predictions at join locations up to this one belong to the baseline (first-events baselines only). */
export const REFERENCE_CUTOFF_KEY = "reference_cutoff";
